"""The agreements list: parties, progress and what is overdue, newest first, capped."""

from __future__ import annotations

from datetime import date

from circlekeeper.core.agreements.listing import agreement_lines
from circlekeeper.core.store.models import AgreementItem


def test_lines_show_parties_progress_and_overdue(conference, make_draft) -> None:
    # Given two drafts for the same conference, the second with one item already done
    first = make_draft(2)
    second = make_draft(3)
    items = conference.agreements.get(second).items
    with conference.db.sessions.begin() as session:
        session.get(AgreementItem, items[0].id).completed_on = date(2025, 3, 9)  # type: ignore[union-attr]
    # When the list is read on a day after two of the open items fell due
    listing = agreement_lines(conference.db.sessions, date(2025, 3, 12))
    # Then the newest comes first with its counts, and parties are named
    assert [line.summary.id for line in listing.lines] == [second, first]
    newest = listing.lines[0]
    assert (newest.total, newest.done, newest.overdue, newest.open_due) == (3, 1, 1, 1)
    assert "José" in newest.parties and "Amara" in newest.parties
    assert newest.circle_title
    assert listing.total == 2


def test_the_list_is_capped_but_counts_everything(conference, make_draft) -> None:
    for _ in range(3):
        make_draft(1)
    listing = agreement_lines(conference.db.sessions, date(2025, 3, 1), limit=2)
    assert len(listing.lines) == 2 and listing.total == 3
