"""Nobody gives themselves more than their role: approvals, the SRO rule, waits after wrong PINs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from circlekeeper.core.operations import Context
from circlekeeper.core.problems import NotPermitted, TryLater
from circlekeeper.core.profiles.pin_attempts import wait_after
from circlekeeper.core.profiles.profiles import Approval, ProfileService
from circlekeeper.core.store.database import Database, open_database
from circlekeeper.core.store.models import AuditEvent


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def _school(db: Database, clock: Clock | None = None) -> tuple[ProfileService, int, int]:
    """Dana (counselor, PIN 1111) and Sam (SRO, PIN 2222), added the way Settings adds them."""
    profiles = ProfileService(Context(db.sessions, actor="Dana"), clock=clock or Clock())
    dana = profiles.create("Dana", "counselor", pin="1111")
    sam = profiles.create("Sam", "sro", pin="2222", approval=profiles.approve(dana.id, "1111"))
    return profiles, dana.id, sam.id


def test_an_sro_cannot_change_its_own_role(db: Database) -> None:
    profiles, dana, sam = _school(db)
    with pytest.raises(NotPermitted, match="PIN of a counselor or an administrator"):
        profiles.update(sam, role="counselor")
    with pytest.raises(NotPermitted, match="Only a counselor's or an administrator's PIN"):
        profiles.approve(sam, "2222")  # the SRO's own PIN approves nothing
    for change in (
        lambda: profiles.set_pin(sam, None),
        lambda: profiles.create("Sam 2", "administrator", pin="3333"),
        lambda: profiles.update(dana, archived=True),
        lambda: profiles.update(sam, name="Dana Whitfield"),
    ):
        with pytest.raises(NotPermitted):
            change()
    with pytest.raises(NotPermitted):  # an approval not made from the PIN counts for nothing
        profiles.update(sam, role="counselor", approval=Approval(dana, "Dana"))
    assert profiles.get(sam).role == "sro" and profiles.get(sam).has_pin
    assert [p.name for p in profiles.list()] == ["Dana", "Sam"]
    as_sam = ProfileService(Context(db.sessions, actor="Sam"))
    as_sam.update(sam, role="counselor", approval=as_sam.approve(dana, "1111"))
    assert profiles.get(sam).role == "counselor"
    with db.sessions() as session:
        last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert last is not None and last.actor == "Sam (approved by Dana)"


def test_an_sro_needs_every_counselor_and_administrator_to_have_a_pin(db: Database) -> None:
    profiles = ProfileService(db.sessions)
    with pytest.raises(NotPermitted, match="Add a counselor or administrator profile with a PIN"):
        profiles.create("Sam", "sro")
    alex = profiles.create("Alex", "administrator")  # no PIN yet, no SRO yet: allowed
    dana = profiles.create("Dana", "counselor", pin="1111")
    ok = profiles.approve(dana.id, "1111")
    with pytest.raises(NotPermitted, match="Give Alex a PIN"):
        profiles.create("Sam", "sro", approval=ok)
    profiles.set_pin(alex.id, "5555", approval=ok)
    sam = profiles.create("Sam", "sro", approval=ok)
    with pytest.raises(NotPermitted, match="Give Pat a PIN"):
        profiles.create("Pat", "counselor", approval=ok)
    with pytest.raises(NotPermitted, match="Give Dana a PIN"):
        profiles.set_pin(dana.id, None, approval=ok)
    profiles.create("Lee", "sro", approval=ok)
    with pytest.raises(NotPermitted, match="Give Sam a PIN"):
        profiles.update(sam.id, role="counselor", approval=ok)  # Sam has no PIN
    assert profiles.get(dana.id).has_pin and profiles.get(sam.id).role == "sro"
    profiles.create("Pat", "counselor", pin="7777", approval=ok)


def test_an_older_database_that_breaks_the_rule_can_be_put_right(db: Database) -> None:
    from circlekeeper.core.store.models import Profile

    with db.sessions.begin() as session:  # made before the rule: an SRO beside two PIN-less
        session.add_all([Profile(name="Sam", role="sro"), Profile(name="Dana"), Profile(name="Jo")])
    profiles = ProfileService(db.sessions)
    rows = {r.name: r.id for r in profiles.list()}
    profiles.set_pin(rows["Dana"], "1111")  # still breaks it for Jo, but breaks nothing new
    ok = profiles.approve(rows["Dana"], "1111")
    with pytest.raises(NotPermitted):
        profiles.update(rows["Jo"], name="Jo B.")  # now needs Dana's approval
    profiles.set_pin(rows["Jo"], "2222", approval=ok)


def test_wrong_pins_make_the_next_try_wait_longer_per_profile(db: Database) -> None:
    clock = Clock()
    profiles, dana, sam = _school(db, clock)
    assert [wait_after(n) for n in range(1, 10)] == [0, 1, 2, 4, 8, 16, 30, 30, 30]
    assert not profiles.verify_pin(dana, "0000")
    assert not profiles.verify_pin(dana, "0001")  # a typo is free; the second wrong one is not
    with pytest.raises(TryLater, match="Wait 1 second,") as waited:
        profiles.verify_pin(dana, "1111")  # too soon: even the right PIN is not looked at
    assert waited.value.seconds == 1
    with pytest.raises(TryLater):
        profiles.approve(dana, "1111")
    assert profiles.verify_pin(sam, "2222")  # another profile does not wait
    for expected in (2, 4, 8, 16, 30, 30):
        clock.advance(30)
        assert not profiles.verify_pin(dana, "9999")
        with pytest.raises(TryLater) as waited:
            profiles.verify_pin(dana, "1111")
        assert waited.value.seconds == expected
    clock.advance(29)
    with pytest.raises(TryLater, match="Wait 1 second,"):
        profiles.verify_pin(dana, "1111")
    clock.advance(1)
    assert profiles.verify_pin(dana, "1111")  # the right PIN, in time, clears the count
    assert not profiles.verify_pin(dana, "0000") and not profiles.verify_pin(dana, "0000")
    with pytest.raises(TryLater):
        profiles.verify_pin(dana, "1111")


def test_the_wait_survives_a_restart_and_a_clock_set_back(db_path, db: Database) -> None:
    clock = Clock()
    profiles, dana, _sam = _school(db, clock)
    for _ in range(4):  # after four wrong PINs the next try waits 4 s
        clock.advance(60)
        assert not profiles.verify_pin(dana, "0000")
    db.close()
    reopened = open_database(db_path)
    try:
        again = ProfileService(reopened.sessions, clock=clock)
        with pytest.raises(TryLater, match="Wait 4 seconds"):
            again.verify_pin(dana, "1111")
        clock.advance(-3600)  # a clock set back an hour waits no longer than the rule
        with pytest.raises(TryLater, match="Wait 4 seconds"):
            again.verify_pin(dana, "1111")
        clock.advance(3600 + 4)
        assert again.verify_pin(dana, "1111")
    finally:
        reopened.close()
