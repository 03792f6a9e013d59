"""The command line on a record someone else changed, and on a server that drops the line.

``case divert --if-version N`` is refused (exit 2, nothing changed) when the case was saved
since version N, naming who changed what; a connection the server ends in the middle of the
command's transaction is a plain message and exit 2, with nothing half-written.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select
from tests.pg_cluster import Cluster

from circlekeeper.core.cases.commands import CaseService
from circlekeeper.core.cases.rows import CaseIntake
from circlekeeper.core.operations import Context
from circlekeeper.core.store.database import open_database
from circlekeeper.core.store.models import AuditEvent, Case


def _case(target: Path | str) -> tuple[int, int]:
    db = open_database(target)
    try:
        cases = CaseService(Context(db.sessions, actor="Dana Whitfield"))
        case_id = cases.intake(
            CaseIntake(
                referred_on=date(2026, 3, 10),
                incident_category="Conflict between students",
                referral_source="teacher",
            )
        ).id
        return case_id, cases.detail(case_id).row_version
    finally:
        db.close()


def _stored(target: Path | str, case_id: int) -> tuple[str, int | None, int]:
    db = open_database(target)
    try:
        with db.sessions() as session:
            case = session.get(Case, case_id)
            assert case is not None
            lines = session.scalars(
                select(AuditEvent.id).where(AuditEvent.action == "diversion")
            ).all()
            return case.diverted_from, case.diversion_amount, len(lines)
    finally:
        db.close()


def test_a_stale_divert_exits_2_naming_the_other_change(run_cli, db_target: Path | str) -> None:
    # Given a case whose version a script noted, then a colleague's change to it
    case_id, version = _case(db_target)
    db = open_database(db_target)
    try:
        CaseService(Context(db.sessions, actor="Marcus Bell")).set_diversion(
            case_id, "suspension", 3, loaded_version=version
        )
    finally:
        db.close()

    # When the command runs against the version it noted
    target = str(db_target)
    refused = run_cli(
        "case", "divert", str(case_id), "--from", "expulsion", "--if-version", str(version),
        "--database", target,
    )  # fmt: skip

    # Then it is refused in words, and the colleague's change stands
    assert refused.returncode == 2, refused.stderr
    assert "Marcus Bell" in refused.stderr
    assert "diverted from: none → suspension" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert _stored(db_target, case_id) == ("suspension", 3, 1)

    # When it runs again with the version it has now, it saves and says the new version
    current = _case_version(db_target, case_id)
    done = run_cli(
        "case", "divert", str(case_id), "--from", "expulsion", "--amount", "1",
        "--if-version", str(current), "--database", target,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"now at version {current + 1}" in done.stdout
    assert _stored(db_target, case_id) == ("expulsion", 1, 2)


def _case_version(target: Path | str, case_id: int) -> int:
    db = open_database(target)
    try:
        return CaseService(db.sessions).detail(case_id).row_version
    finally:
        db.close()


# The server ends the command's own connection in the middle of its transaction: a trigger on
# the case's update terminates the backend running it, as a dropped network or a restarted
# server would, after the UPDATE was sent and before anything was committed.
CUT = """
CREATE FUNCTION cut_the_line() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NEW; END $$;
CREATE TRIGGER cut_the_line BEFORE UPDATE ON case_file FOR EACH ROW
EXECUTE FUNCTION cut_the_line();
"""


def test_a_connection_lost_mid_command_exits_2_with_nothing_half_written(
    run_cli, pg_url: str, pg_cluster: Cluster
) -> None:
    case_id, version = _case(pg_url)
    name = pg_url.rsplit("/", 1)[1]
    pg_cluster.sql(CUT, name)

    cut = run_cli(
        "case", "divert", str(case_id), "--from", "suspension", "--amount", "2",
        "--database", pg_url,
    )  # fmt: skip
    assert cut.returncode == 2, cut.stderr
    assert "connection to the server" in cut.stderr and "was lost" in cut.stderr
    assert "Everything saved before it is safe" in cut.stderr
    assert "Traceback" not in cut.stderr
    assert pg_url.split(":")[2].split("@")[0] not in cut.stderr  # never the password
    # Nothing of it reached the database: not the diversion, not its audit line
    assert _stored(pg_url, case_id) == ("none", None, 0)
    assert _case_version(pg_url, case_id) == version

    # When the server is well again, the same command goes through
    pg_cluster.sql("DROP TRIGGER cut_the_line ON case_file", name)
    again = run_cli(
        "case", "divert", str(case_id), "--from", "suspension", "--amount", "2",
        "--database", pg_url,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert _stored(pg_url, case_id) == ("suspension", 2, 1)
