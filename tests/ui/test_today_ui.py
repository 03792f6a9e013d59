"""The Today screen on a fixed clock: the right circles, follow-ups and agreements."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from tests.ui.a11y import unnamed_controls

from circlekeeper.core.followups.commands import FollowUpService
from circlekeeper.core.store.database import Database
from circlekeeper.core.store.models import Agreement, AgreementItem, Case, Circle, FollowUp, Person
from circlekeeper.ui.today.area import RECORD_ROLE, TodayArea

ZONE = ZoneInfo("America/New_York")
TODAY = date(2026, 3, 10)
NOW = datetime(2026, 3, 10, 8, 15, tzinfo=ZONE)


def _at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=ZONE)


def _fill(db: Database) -> dict[str, int]:
    with db.sessions.begin() as session:
        kim = Person(first_name="Kim", last_name="Osei", kind="staff", search_text="kim osei")
        session.add(kim)
        case = Case(referred_on=date(2026, 2, 1), incident_category="Theft")
        session.add(case)
        session.flush()
        circles = {
            "morning": Circle(kind="check_in", title="Morning check-in", status="planned",
                              scheduled_at=_at(TODAY, 9), location="Room 12"),
            "tomorrow": Circle(kind="conference", title="Gym conference", status="planned",
                               scheduled_at=_at(TODAY + timedelta(days=1), 10)),
            "running": Circle(kind="grief", title="Grief circle", status="in_progress",
                              scheduled_at=_at(TODAY - timedelta(days=2), 10),
                              started_at=_at(TODAY - timedelta(days=2), 10)),
        }  # fmt: skip
        session.add_all(circles.values())
        late = Agreement(
            case_id=case.id,
            status="active",
            agreed_on=date(2026, 2, 10),
            harm_summary="Took a phone.",
        )
        session.add(late)
        session.flush()
        session.add(
            AgreementItem(agreement_id=late.id, action="Return it", due_on=date(2026, 3, 2))
        )
        overdue = FollowUp(
            due_on=TODAY - timedelta(days=3),
            case_id=case.id,
            purpose="Talk with Ana",
            responsible_id=kim.id,
        )
        due = FollowUp(due_on=TODAY, case_id=case.id, purpose="Call home", responsible_id=kim.id)
        later = FollowUp(due_on=TODAY + timedelta(days=1), case_id=case.id, purpose="Not yet",
                         responsible_id=kim.id)  # fmt: skip
        session.add_all([overdue, due, later])
        session.flush()
        return {"overdue": overdue.id, "due": due.id, **{k: c.id for k, c in circles.items()}}


def _texts(widget) -> list[str]:  # type: ignore[no-untyped-def]
    return [widget.item(i).text() for i in range(widget.count())]


def test_today_shows_the_right_items_on_a_fixed_clock(
    qtbot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given circles, follow-ups and an agreement around a fixed day
    ids = _fill(db)

    # When the Today screen opens on that day
    area = TodayArea(db, None, clock=lambda: NOW)
    qtbot.addWidget(area)
    area.resize(1000, 700)
    area.show()

    # Then it shows today's circle, the overdue one standing out in words, and the due one
    assert _texts(area.circles) == ["9:00 AM  Morning check-in — Room 12"]
    due = _texts(area.due)
    assert due[0].startswith("3 days overdue — Talk with Ana (Kim Osei)")
    assert not area.due.item(0).icon().isNull()  # an icon too, not colour alone
    assert area.due.item(0).font().bold()
    assert due[1] == "Due today — Call home (Kim Osei)"
    assert len(due) == 2
    assert "1 overdue" in area.due_box.title()
    at_risk = _texts(area.at_risk)
    assert len(at_risk) == 1 and "Took a phone." in at_risk[0]
    assert "1 item is overdue (by 8 days)" in at_risk[0]
    # One clear action starts the next circle; the interrupted one can be resumed
    assert "Morning check-in" in area.start_button.text()
    assert area.start_button.isEnabled()
    assert area.resume_box.isVisible() and "Grief circle" in area.resume_label.text()
    assert not unnamed_controls(area)

    started: list[int] = []
    monkeypatch.setattr(
        "circlekeeper.ui.circles.start.start_circle",
        lambda parent, database, circle_id: started.append(circle_id),
    )
    qtbot.mouseClick(area.start_button, Qt.MouseButton.LeftButton)
    assert started == [ids["morning"]]

    # Recording an outcome from the list: "missed" needs a few words, said inline
    area.due.setCurrentRow(0)
    qtbot.mouseClick(area.missed_button, Qt.MouseButton.LeftButton)
    assert "why the follow-up was missed" in area.message.text()
    qtbot.keyClicks(area.outcome, "Ana was absent; try Friday")
    qtbot.mouseClick(area.missed_button, Qt.MouseButton.LeftButton)
    row = FollowUpService(db.sessions).get(ids["overdue"])
    assert (row.status, row.outcome, row.done_on) == ("missed", "Ana was absent; try Friday", TODAY)
    assert _texts(area.due) == ["Due today — Call home (Kim Osei)"]
    area.due.setCurrentRow(0)
    qtbot.mouseClick(area.done_button, Qt.MouseButton.LeftButton)
    assert FollowUpService(db.sessions).get(ids["due"]).status == "done"
    assert _texts(area.due) == ["Nothing due today. Well done."]
    assert area.due.item(0).data(RECORD_ROLE) is None
    assert not area.done_button.isEnabled()


def test_today_on_an_empty_database(qtbot, db: Database) -> None:
    area = TodayArea(db, None, clock=lambda: NOW)
    qtbot.addWidget(area)
    area.show()
    assert not area.start_button.isEnabled()
    assert not area.resume_box.isVisible()
    assert _texts(area.circles) == ["No circles scheduled today."]
    assert not unnamed_controls(area)


def test_today_is_built_once_at_start_and_again_on_coming_back(
    qtbot, db_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from circlekeeper.ui.main_window import MainWindow
    from circlekeeper.ui.today import area as today_area

    # Given every reading of the Today view counted
    builds: list[date] = []
    real = today_area.today_view

    def counted(sessions, today, now):  # type: ignore[no-untyped-def]
        builds.append(today)
        return real(sessions, today, now)

    monkeypatch.setattr(today_area, "today_view", counted)
    # When the window opens its database and shows the home screen
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert window.open_database(db_path, interactive=False)
    qtbot.waitUntil(lambda: window.today.isVisible())
    qtbot.wait(50)
    # Then Today was read once
    assert len(builds) == 1
    # And once more when the counselor comes back to it from another area
    window.show_area(1)
    qtbot.waitUntil(lambda: not window.today.isVisible())
    window.show_area(0)
    qtbot.waitUntil(lambda: window.today.isVisible())
    assert len(builds) == 2
    window.close_database()


def test_today_lists_the_most_urgent_and_counts_the_rest(qtbot, db: Database) -> None:
    from circlekeeper.core.today.today import TODAY_LIMIT

    # Given more overdue follow-ups and slipping agreements than a home screen should list
    extra = TODAY_LIMIT + 7
    with db.sessions.begin() as session:
        case = Case(referred_on=date(2026, 1, 5), incident_category="Conflict")
        session.add(case)
        session.flush()
        for n in range(extra):
            session.add(FollowUp(due_on=TODAY - timedelta(days=n + 1), case_id=case.id))
            agreement = Agreement(case_id=case.id, status="active", harm_summary=f"Harm {n}")
            session.add(agreement)
            session.flush()
            session.add(
                AgreementItem(
                    agreement_id=agreement.id, action="Fix", due_on=TODAY - timedelta(days=n + 1)
                )
            )
    # When Today opens
    area = TodayArea(db, None, clock=lambda: NOW)
    qtbot.addWidget(area)
    area.show()
    # Then it lists the most overdue first, at most TODAY_LIMIT, and says how many more
    assert area.view is not None
    assert len(area.view.overdue) == TODAY_LIMIT and area.view.more_overdue == 7
    assert area.view.overdue[0].due_on == TODAY - timedelta(days=extra)
    assert len(area.view.at_risk) == TODAY_LIMIT and area.view.more_at_risk == 7
    assert area.view.at_risk[0].harm_summary == f"Harm {extra - 1}"
    assert f"{extra} overdue" in area.due_box.title()
    assert "7 more overdue" in _texts(area.due)[-1]
    assert "7 more" in _texts(area.at_risk)[-1]


def test_today_groups_the_long_overdue_and_a_review_closes_the_chosen_as_lapsed(
    qtbot, db: Database
) -> None:
    from PySide6.QtCore import QTimer

    from circlekeeper.core.followups.lapsed import LAPSE_AFTER_DAYS
    from circlekeeper.ui.today.lapse_review import LapseReviewDialog

    # Given one follow-up overdue this week and four more than 90 days past their date
    with db.sessions.begin() as session:
        kim = Person(first_name="Kim", last_name="Osei", kind="staff", search_text="kim osei")
        case = Case(referred_on=date(2024, 1, 5), incident_category="Conflict")
        session.add_all([kim, case])
        session.flush()
        session.add(FollowUp(due_on=TODAY - timedelta(days=2), case_id=case.id,
                             purpose="Talk with Ana", responsible_id=kim.id))  # fmt: skip
        old = []
        for extra in (1, 10, 100, 700):
            row = FollowUp(
                due_on=TODAY - timedelta(days=LAPSE_AFTER_DAYS + extra),
                case_id=case.id,
                purpose=f"Check {extra}",
                responsible_id=kim.id,
            )
            session.add(row)
            session.flush()
            old.append(row.id)

    # When Today opens
    area = TodayArea(db, None, clock=lambda: NOW)
    qtbot.addWidget(area)
    area.resize(1366, 768)
    area.show()

    # Then the list holds what needs doing now, and the old ones are one line with a count
    assert len(_texts(area.due)) == 1 and "Talk with Ana" in _texts(area.due)[0]
    assert "1 overdue" in area.due_box.title()
    assert area.long_overdue_row.isVisible()
    assert area.long_overdue_label.text() == (
        "⚠ 4 follow-ups overdue for more than 90 days: review them"
    )
    assert not unnamed_controls(area)

    # When the counselor reviews them, keeps the newest one open and closes the other three
    seen: dict[str, object] = {}

    def review() -> None:
        dialog = area.review_dialog
        assert isinstance(dialog, LapseReviewDialog)
        seen["rows"] = dialog.list.count()
        seen["unnamed"] = unnamed_controls(dialog)
        seen["first"] = dialog.list.item(0).text()
        seen["button"] = dialog.close_button.text()
        dialog.none_button.click()
        seen["none"] = (dialog.close_button.isEnabled(), dialog.chosen_label.text())
        for index in range(3):  # the oldest first: keep the last (newest) open
            dialog.list.item(index).setCheckState(Qt.CheckState.Checked)
        seen["three"] = dialog.chosen_label.text()
        dialog.close_button.click()

    QTimer.singleShot(0, review)
    qtbot.keyClick(area.review_button, Qt.Key.Key_Space)

    # Then the review listed all four, the oldest first, each said plainly
    assert seen["rows"] == 4 and not seen["unnamed"]
    assert str(seen["first"]) == "Due Jan 10, 2024 — Check 700 (Kim Osei)"
    assert seen["button"] == "Close the 4 chosen as &lapsed"
    assert seen["none"] == (False, "0 of 4 chosen")
    assert seen["three"] == "3 of 4 chosen"
    # And the three are closed as lapsed in the database, the fourth still open
    service = FollowUpService(db.sessions)
    assert [service.get(i).status for i in old] == ["open", "missed", "missed", "missed"]
    assert "Closed 3 follow-ups as lapsed." in area.message.text()
    assert area.long_overdue_label.text() == (
        "⚠ 1 follow-up overdue for more than 90 days: review it"
    )
    # Nothing on the list of what needs doing now moved
    assert len(_texts(area.due)) == 1


def test_today_hides_the_long_overdue_line_when_there_is_none(qtbot, db: Database) -> None:
    _fill(db)
    area = TodayArea(db, None, clock=lambda: NOW)
    qtbot.addWidget(area)
    area.show()
    assert not area.long_overdue_row.isVisible()


@pytest.mark.parametrize(
    ("language", "one_old", "two_old", "at_risk"),
    [
        (
            "en",
            "⚠ 1 follow-up overdue for more than 90 days: review it",
            "⚠ 2 follow-ups overdue for more than 90 days: review them",
            "1 item is overdue (by 1 day).",
        ),
        (
            "es",
            "⚠ 1 seguimiento con más de 90 días de retraso: revíselo",
            "⚠ 2 seguimientos con más de 90 días de retraso: revíselos",
            "1 compromiso está vencido (por 1 día).",
        ),
    ],
)
def test_today_counts_read_right_in_english_and_spanish(
    qtbot, qapp, db: Database, language: str, one_old: str, two_old: str, at_risk: str
) -> None:
    from circlekeeper.core.followups.lapsed import LAPSE_AFTER_DAYS
    from circlekeeper.ui.i18n import install_language

    # Given one follow-up overdue by a day, one long overdue, and an item a day late
    with db.sessions.begin() as session:
        case = Case(referred_on=date(2024, 1, 5), incident_category="Conflict")
        session.add(case)
        session.flush()
        session.add(FollowUp(due_on=TODAY - timedelta(days=1), case_id=case.id))
        session.add(FollowUp(due_on=TODAY - timedelta(days=LAPSE_AFTER_DAYS + 5), case_id=case.id))
        agreement = Agreement(case_id=case.id, status="active", harm_summary="Took a phone.")
        session.add(agreement)
        session.flush()
        session.add(
            AgreementItem(agreement_id=agreement.id, action="Fix", due_on=TODAY - timedelta(days=1))
        )
    install_language(language, qapp)
    try:
        area = TodayArea(db, None, clock=lambda: NOW)
        qtbot.addWidget(area)
        area.show()
        # Then one of each is said in the singular
        assert area.long_overdue_label.text() == one_old
        assert at_risk in _texts(area.at_risk)[0]
        assert "1 overdue" in area.due_box.title() or "1 con retraso" in area.due_box.title()
        assert "1 days" not in area.due_box.title() and "1 días" not in _texts(area.due)[0]
        # And two in the plural
        with db.sessions.begin() as session:
            session.add(
                FollowUp(due_on=TODAY - timedelta(days=LAPSE_AFTER_DAYS + 9), case_id=case.id)
            )
        area.refresh()
        assert area.long_overdue_label.text() == two_old
    finally:
        install_language("en", qapp)


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "en",
            "…and more: more than 55 agreements are slipping; the Agreements area lists them all.",
        ),
        (
            "es",
            "…y más: más de 55 acuerdos se están atrasando; el área de Acuerdos los muestra todos.",
        ),
    ],
)
def test_past_its_cap_today_says_more_than_never_a_figure_it_did_not_count(
    qtbot, qapp, db: Database, monkeypatch: pytest.MonkeyPatch, language: str, said: str
) -> None:
    from circlekeeper.core.today import at_risk
    from circlekeeper.core.today.today import TODAY_LIMIT
    from circlekeeper.ui.i18n import install_language

    # Given more slipping agreements than the count goes to (its cap made small for the test)
    monkeypatch.setattr(at_risk, "AT_RISK_COUNT_LIMIT", 55)
    with db.sessions.begin() as session:
        for n in range(TODAY_LIMIT + 7):
            session.add(
                Agreement(
                    status="active",
                    harm_summary=f"Harm {n}",
                    follow_up_on=TODAY - timedelta(days=n + 1),
                )
            )
    install_language(language, qapp)
    try:
        # When Today opens
        area = TodayArea(db, None, clock=lambda: NOW)
        qtbot.addWidget(area)
        area.show()
        # Then it lists the most urgent and says only that there are more than the cap
        texts = _texts(area.at_risk)
        assert len(texts) == TODAY_LIMIT + 1
        assert texts[-1] == said
    finally:
        install_language("en", qapp)
