"""a district's server enforces who may read what: roles, row-level security, column privileges

Revision ID: 0014_server_roles
Revises: 0013_server_rules

On PostgreSQL only (an SQLite file is unchanged by this revision). Each person signs in to the
server with their own login role, a member of one of three group roles made here (when missing):
``circlekeeper_counselor``, ``circlekeeper_administrator`` and ``circlekeeper_sro``. The table
``server_sign_in`` maps a login role to the circlekeeper profile it acts as. The database itself
then keeps the rules the app keeps in ``core/profiles/viewer.py``, for anyone who reads it with
plain SQL (psql, a reporting tool):

- a private note is read only by its author's role (the profile's name is the note's author),
  never by an SRO role, and a note without an author by nobody; the search index's copies of
  private notes follow the notes;
- an SRO role cannot read the demographic columns of ``person`` (nor a profile's PIN hash);
- no role may change or delete the audit trail (no UPDATE, DELETE or TRUNCATE privilege, on top
  of the trigger that refuses them).

The database's owner (the role that runs the migrations) keeps every right, as owners do.

The text below is frozen on purpose: a migration must keep building the same schema even when the
application code changes later.
"""

from __future__ import annotations

from alembic import op

revision = "0014_server_roles"
down_revision = "0013_server_rules"
branch_labels = None
depends_on = None

COUNSELOR = "circlekeeper_counselor"
ADMINISTRATOR = "circlekeeper_administrator"
SRO = "circlekeeper_sro"
KEEPERS = f"{COUNSELOR}, {ADMINISTRATOR}"
EVERYONE = f"{COUNSELOR}, {ADMINISTRATOR}, {SRO}"

# core/profiles/viewer.py DEMOGRAPHIC_FIELDS at this revision: never readable by an SRO role.
PERSON_COLUMNS_FOR_SRO = (
    "id, uuid, created_at, updated_at, kind, first_name, last_name, preferred_name, pronouns, "
    "grade, school, external_id, birth_date, email, phone, title, search_text, archived_at"
)
PROFILE_COLUMNS_FOR_SRO = "id, uuid, created_at, updated_at, name, role, archived_at"

SIGNED_IN_NAME = (
    "(SELECT lower(btrim(p.name)) FROM server_sign_in s JOIN profile p ON p.id = s.profile_id "
    "WHERE s.role_name = current_user)"
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "DO $$ DECLARE wanted TEXT; BEGIN "
        f"FOREACH wanted IN ARRAY ARRAY['{COUNSELOR}', '{ADMINISTRATOR}', '{SRO}'] LOOP "
        "IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = wanted) THEN "
        "EXECUTE format('CREATE ROLE %I NOLOGIN', wanted); END IF; END LOOP; END $$"
    )
    op.execute(
        "CREATE TABLE server_sign_in (role_name TEXT PRIMARY KEY, profile_id INTEGER NOT NULL "
        "CONSTRAINT fk_server_sign_in_profile_id_profile REFERENCES profile (id) "
        "ON DELETE CASCADE)"
    )
    op.execute("CREATE INDEX ix_server_sign_in_profile_id ON server_sign_in (profile_id)")

    op.execute(f"GRANT USAGE ON SCHEMA {_schema()} TO {EVERYONE}")
    op.execute(
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {_schema()} TO {KEEPERS}"
    )
    op.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {_schema()} TO {EVERYONE}")
    op.execute(f"REVOKE INSERT, UPDATE, DELETE ON alembic_version, server_sign_in FROM {KEEPERS}")
    # An SRO role reads what an SRO may see, and writes only the SRO activity log.
    op.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA {_schema()} TO {SRO}")
    op.execute(f"REVOKE SELECT ON person, profile FROM {SRO}")
    op.execute(f"GRANT SELECT ({PERSON_COLUMNS_FOR_SRO}) ON person TO {SRO}")
    op.execute(f"GRANT SELECT ({PROFILE_COLUMNS_FOR_SRO}) ON profile TO {SRO}")
    op.execute(f"GRANT INSERT, UPDATE ON sro_activity TO {SRO}")
    op.execute(f"GRANT INSERT ON audit_event TO {SRO}")
    op.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM {EVERYONE}")

    op.execute("ALTER TABLE note ENABLE ROW LEVEL SECURITY")
    op.execute(
        "CREATE POLICY note_readable ON note FOR SELECT USING (privacy <> 'private' OR ("
        f"NOT pg_has_role(current_user, '{SRO}', 'MEMBER') AND author IS NOT NULL AND "
        f"lower(btrim(author)) = {SIGNED_IN_NAME}))"
    )
    op.execute("CREATE POLICY note_added ON note FOR INSERT WITH CHECK (true)")
    op.execute("CREATE POLICY note_changed ON note FOR UPDATE USING (true) WITH CHECK (true)")
    op.execute("CREATE POLICY note_removed ON note FOR DELETE USING (true)")
    # The index's copy of a private note is visible exactly when the note is (note's policy).
    op.execute("ALTER TABLE search_index ENABLE ROW LEVEL SECURITY")
    op.execute(
        "CREATE POLICY search_readable ON search_index FOR SELECT USING (kind <> 'private_note' "
        "OR EXISTS (SELECT 1 FROM note n WHERE n.id = search_index.ref_id))"
    )
    op.execute("CREATE POLICY search_added ON search_index FOR INSERT WITH CHECK (true)")
    op.execute(
        "CREATE POLICY search_changed ON search_index FOR UPDATE USING (true) WITH CHECK (true)"
    )
    op.execute("CREATE POLICY search_removed ON search_index FOR DELETE USING (true)")


def _schema() -> str:
    return str(op.get_bind().exec_driver_sql("SELECT current_schema()").scalar())


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for policy in ("readable", "added", "changed", "removed"):
        op.execute(f"DROP POLICY IF EXISTS note_{policy} ON note")
        op.execute(f"DROP POLICY IF EXISTS search_{policy} ON search_index")
    op.execute("ALTER TABLE note DISABLE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE search_index DISABLE ROW LEVEL SECURITY")
    op.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA {_schema()} FROM {EVERYONE}")
    op.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {_schema()} FROM {EVERYONE}")
    op.execute(f"REVOKE USAGE ON SCHEMA {_schema()} FROM {EVERYONE}")
    op.execute("DROP TABLE IF EXISTS server_sign_in")
    # The group roles are the cluster's, shared with other circlekeeper databases: they stay.
