"""Training records: hours in tenths, totals against the school's requirement, who sees what."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from circlekeeper.core.operations import Context
from circlekeeper.core.problems import InvalidInput, NotFound, NotPermitted
from circlekeeper.core.profiles.viewer import Viewer
from circlekeeper.core.sro.training import TrainingEntry, TrainingService
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import TrainingRecord

TODAY = date(2026, 11, 20)
REYES = Viewer("Sam Reyes", "sro")
ORTIZ = Viewer("Lee Ortiz", "sro")
COUNSELOR = Viewer("Dana Whitfield", "counselor")


def service(db: Database, viewer: Viewer) -> TrainingService:
    return TrainingService(Context(db.sessions, viewer=viewer), today=lambda: TODAY)


def count_rows(db: Database) -> int:
    with db.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(TrainingRecord)) or 0)


def test_totals_add_each_persons_hours_against_forty_by_default(db: Database) -> None:
    reyes = service(db, REYES)
    reyes.record(TrainingEntry("YMHFA", "mental_health_first_aid", "8", date(2026, 9, 1)))
    reyes.record(TrainingEntry("Verbal de-escalation", "de_escalation", "7,5", date(2026, 10, 1)))
    reyes.record(TrainingEntry("Circles 101", "restorative_practice", 0.1, date(2026, 10, 2)))
    counselor = service(db, COUNSELOR)
    counselor.record(
        TrainingEntry("Trauma-informed schools", "trauma_informed", "40", TODAY, "ESC Region 4")
    )
    # An SRO's totals are their own; a counselor sees everyone's, met or not.
    (own,) = reyes.totals()
    assert (own.trainee, own.tenths, own.required_tenths, own.met) == ("Sam Reyes", 156, 400, False)
    assert own.remaining_hours == pytest.approx(24.4)
    assert own.by_category == {
        "mental_health_first_aid": 80,
        "de_escalation": 75,
        "restorative_practice": 1,
    }
    everyone = {t.trainee: (t.hours, t.met) for t in counselor.totals()}
    assert everyone == {"Dana Whitfield": (40.0, True), "Sam Reyes": (15.6, False)}


def test_the_school_sets_the_required_hours_and_an_sro_cannot(db: Database) -> None:
    service(db, REYES).record(TrainingEntry("YMHFA", "mental_health_first_aid", "60", TODAY))
    assert service(db, COUNSELOR).set_required_hours("80") == 800
    (total,) = service(db, REYES).totals()
    assert (total.required_hours, total.met) == (80.0, False)
    with pytest.raises(NotPermitted, match="set by a counselor or an administrator"):
        service(db, REYES).set_required_hours("10")
    with pytest.raises(InvalidInput, match="more than any programme asks"):
        service(db, COUNSELOR).set_required_hours("5000")
    assert service(db, REYES).totals()[0].required_hours == 80.0


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        (TrainingEntry("YMHFA", "mental_health_first_aid", "", TODAY), "not a number of hours"),
        (TrainingEntry("YMHFA", "mental_health_first_aid", "0", TODAY), "needs its hours"),
        (TrainingEntry("YMHFA", "mental_health_first_aid", "-4", TODAY), "needs its hours"),
        (TrainingEntry("YMHFA", "mental_health_first_aid", "nan", TODAY), "needs its hours"),
        (TrainingEntry("YMHFA", "mental_health_first_aid", "0.01", TODAY), "tenth of an hour"),
        (TrainingEntry("YMHFA", "mental_health_first_aid", "500", TODAY), "more than one course"),
        (TrainingEntry("  ", "de_escalation", "8", TODAY), "course's name"),
        (TrainingEntry("YMHFA", "yoga", "8", TODAY), "not a training category"),
        (
            TrainingEntry("YMHFA", "mental_health_first_aid", "8", date(2026, 12, 1)),
            "after today",
        ),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(
    db: Database, entry: TrainingEntry, words: str
) -> None:
    with pytest.raises(InvalidInput, match=words):
        service(db, REYES).record(entry)
    assert count_rows(db) == 0


def test_an_sro_records_and_sees_only_their_own_training(db: Database) -> None:
    mine = service(db, REYES).record(TrainingEntry("YMHFA", "mental_health_first_aid", 8, TODAY))
    with pytest.raises(NotPermitted, match="only its own training"):
        service(db, REYES).record(
            TrainingEntry("YMHFA", "mental_health_first_aid", 8, TODAY, trainee="Lee Ortiz")
        )
    assert service(db, ORTIZ).records() == []
    with pytest.raises(NotFound):
        service(db, ORTIZ).remove(mine.id)
    # A counselor records a circle keeper's training and sees it with the officer's.
    service(db, COUNSELOR).record(
        TrainingEntry("Circle keeping", "restorative_practice", 16, TODAY, trainee="Kim Lam")
    )
    assert {r.trainee for r in service(db, COUNSELOR).records()} == {"Sam Reyes", "Kim Lam"}
    with pytest.raises(NotPermitted, match="logged by someone else"):
        service(db, COUNSELOR).remove(mine.id)
    assert count_rows(db) == 2
