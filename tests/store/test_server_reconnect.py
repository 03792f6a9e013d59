"""A district server that drops the line: plain words, nothing half-saved, and back on its own.

The test cluster's superuser ends circlekeeper's connections (``pg_terminate_backend``), as a
network cut or a restarted server would: between two operations the pool notices the dead
connection and opens a new one (``pool_pre_ping``); in the middle of one, the operation is a
plain ``DatabaseProblem`` and nothing of it is kept.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import select
from tests.pg_cluster import Cluster

from circlekeeper.core.cases.commands import CaseService
from circlekeeper.core.cases.rows import CaseIntake
from circlekeeper.core.operations import Context
from circlekeeper.core.store.database import Database, open_database
from circlekeeper.core.store.models import AuditEvent, Case
from circlekeeper.core.store.problems import DatabaseProblem

INTAKE = CaseIntake(
    referred_on=date(2026, 3, 10), incident_category="Conflict", referral_source="teacher"
)


@pytest.fixture
def server(pg_url: str) -> Iterator[Database]:
    database = open_database(pg_url)
    yield database
    database.close()


def _cut(cluster: Cluster, db: Database) -> int:
    """End circlekeeper's connections to this database and wait until they are gone."""
    mine = (
        f"FROM pg_stat_activity WHERE datname = '{db.engine.url.database}' "
        "AND application_name = 'circlekeeper' AND pid <> pg_backend_pid()"
    )
    ended = int(cluster.sql(f"SELECT count(pg_terminate_backend(pid)) {mine}")[0][0])
    for _ in range(200):  # the backends exit on their own time after the signal
        if not cluster.sql(f"SELECT count(*) {mine}")[0][0]:
            break
        time.sleep(0.05)
    return ended


def test_the_next_operation_after_a_dropped_line_just_works(
    pg_cluster: Cluster, server: Database
) -> None:
    cases = CaseService(Context(server.sessions, actor="Dana Whitfield"))
    first = cases.intake(INTAKE).id
    assert _cut(pg_cluster, server) >= 1  # the pooled connection is gone
    # The pool tests its connection before handing it out, so no one sees a problem
    second = cases.intake(INTAKE).id
    assert cases.detail(first).id == first and cases.detail(second).id == second


def test_a_line_dropped_mid_operation_is_plain_words_and_keeps_nothing(
    pg_cluster: Cluster, server: Database
) -> None:
    cases = CaseService(Context(server.sessions, actor="Dana Whitfield"))
    kept = cases.intake(INTAKE).id
    context = Context(server.sessions, actor="Dana Whitfield")
    with (
        pytest.raises(DatabaseProblem, match="was lost") as lost,
        context.write("intake") as session,
    ):
        session.add(Case(referred_on=INTAKE.referred_on, incident_category="Half"))
        session.flush()
        _cut(pg_cluster, server)
    assert "Everything saved before it is safe" in str(lost.value)
    # Nothing half-saved, and the next operation reconnects
    with server.sessions() as session:
        categories = set(session.scalars(select(Case.incident_category)))
        assert categories == {"Conflict"}
        assert session.scalar(select(AuditEvent.id).where(AuditEvent.action == "update")) is None
    assert cases.intake(INTAKE).id != kept
