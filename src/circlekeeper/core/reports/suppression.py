"""Small-cell and complementary suppression: which figures of a report must be hidden.

One rule, applied before any writer sees a figure (so the CSV, XLSX, HTML, PDF and the screen all
hide the same cells):

1. **Small cells.** A figure resting on fewer than ``n`` students (or referrals) is hidden; so is a
   zero about a group of fewer than ``n`` enrolled students (it would tell each of them apart),
   and a count that leaves fewer than ``n`` of its group on the other side ("all but 3").
2. **Built on a hidden figure.** A rate, share or ratio is hidden whenever a figure it is computed
   from is hidden, so it cannot be divided back.
3. **Complementary.** Wherever figures add up to a total (rows to the ``all`` row, one total shown
   in several tables), a total with exactly one hidden part would give that part away by
   subtraction; the smallest other part (or the total itself) is hidden too, until no sum has a
   single hidden member.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from circlekeeper.core.reports.model import Unit

# A figure's place: (section key, group, measure).
Ref = tuple[str, str, str]
# A total and the parts that add up to it.
Sum = tuple[Ref, tuple[Ref, ...]]


@dataclass(frozen=True)
class Fig:
    """A figure before suppression, with what the rule needs to know about it."""

    value: float | None
    unit: Unit
    # How many students (or their referrals) the figure rests on; None: not about students.
    students: int | None = None
    # How many enrolled students the group it describes has, when that is known.
    group_size: int | None = None
    # The figures it is computed from: hidden whenever one of them is.
    rests_on: tuple[Ref, ...] = ()


def is_small(fig: Fig, n: int) -> bool:
    """Rule 1: whether a figure is too small (or too close to its whole group) to show."""
    if fig.students is None:
        return False
    if 0 < fig.students < n:
        return True
    if fig.group_size is not None:
        if fig.students == 0 and fig.group_size < n:
            return True
        if 0 < fig.group_size - fig.students < n:
            return True
    return False


def hidden_figures(figs: Mapping[Ref, Fig], sums: Sequence[Sum], n: int) -> set[Ref]:
    """Every figure the three rules hide, for a minimum cell size ``n``."""
    hidden: set[Ref] = set()

    def hide(ref: Ref) -> None:
        if ref in hidden or ref not in figs:
            return
        hidden.add(ref)
        # Hiding a computed figure alone would leave it computable: hide what it rests on.
        for base in figs[ref].rests_on:
            hide(base)

    for ref, fig in figs.items():
        if is_small(fig, n):
            hide(ref)
    changed = True
    while changed:
        changed = _hide_computed(figs, hidden)
        for total, parts in sums:
            members = [m for m in (total, *parts) if m in figs]
            if sum(1 for m in members if m in hidden) != 1:
                continue
            hide(_complement(figs, hidden, total, parts))
            changed = True
    return hidden


def _hide_computed(figs: Mapping[Ref, Fig], hidden: set[Ref]) -> bool:
    changed = False
    again = True
    while again:
        again = False
        for ref, fig in figs.items():
            if ref not in hidden and any(base in hidden for base in fig.rests_on):
                hidden.add(ref)
                again = changed = True
    return changed


def _complement(figs: Mapping[Ref, Fig], hidden: set[Ref], total: Ref, parts: Iterable[Ref]) -> Ref:
    """The figure to hide beside a lone hidden one: the smallest visible part, else the total.

    A part in a row that already hides something goes first, so the other rows keep all their
    figures (hiding one group's count and another group's enrolment would lose both rates).
    """
    visible = [p for p in parts if p in figs and p not in hidden]
    if not visible:
        return total
    damaged = {(section, group) for section, group, _measure in hidden}
    return min(visible, key=lambda p: ((p[0], p[1]) not in damaged, figs[p].value or 0.0))
