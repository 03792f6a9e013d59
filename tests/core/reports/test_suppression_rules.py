"""The suppression rules on small hand-made tables, where the right answer is plain to see."""

from __future__ import annotations

from circlekeeper.core.reports.model import Unit
from circlekeeper.core.reports.suppression import Fig, hidden_figures, is_small


def _count(value: int, group_size: int | None = None) -> Fig:
    return Fig(float(value), Unit.COUNT, students=value, group_size=group_size)


def test_a_small_cell_and_its_smallest_neighbour_are_hidden() -> None:
    # Given rows 12, 9 and 20 adding up to 41
    figs = {("t", g, "n"): _count(v) for g, v in (("a", 12), ("b", 9), ("c", 20), ("all", 41))}
    parts = (("t", "a", "n"), ("t", "b", "n"), ("t", "c", "n"))
    # Then 9 is hidden, and 12 too, or 41 - 12 - 20 would give it back
    assert hidden_figures(figs, [(("t", "all", "n"), parts)], 10) == {
        ("t", "b", "n"),
        ("t", "a", "n"),
    }
    # And at a minimum of 9 nothing is hidden
    assert hidden_figures(figs, [(("t", "all", "n"), parts)], 9) == set()


def test_a_lone_hidden_part_hides_the_total_when_every_other_part_is_hidden_already() -> None:
    figs = {("t", "a", "n"): _count(3), ("t", "all", "n"): _count(3)}
    sums = [(("t", "all", "n"), (("t", "a", "n"),))]
    assert hidden_figures(figs, sums, 10) == {("t", "a", "n"), ("t", "all", "n")}


def test_zero_and_all_but_a_few_of_a_small_group() -> None:
    assert is_small(_count(0, group_size=4), 10)  # "none of these 4 students"
    assert not is_small(_count(0, group_size=40), 10)
    assert not is_small(_count(0), 10)  # no group: a zero names no one
    assert is_small(_count(38, group_size=40), 10)  # "all but 2 of these 40"
    assert not is_small(_count(30, group_size=40), 10)
    assert not is_small(Fig(3.0, Unit.COUNT), 10)  # not about students


def test_a_rate_falls_with_its_count_and_hiding_a_rate_hides_what_it_rests_on() -> None:
    count, enrolled = ("t", "a", "n"), ("t", "a", "enrolled")
    rate = ("t", "a", "rate")
    figs = {
        count: _count(4),
        enrolled: _count(50),
        rate: Fig(8.0, Unit.PERCENT, rests_on=(count, enrolled)),
    }
    assert hidden_figures(figs, [], 10) == {count, rate}
    # When the rate is the one a sum needs hidden, its bases go too (else divide it back).
    figs[count] = _count(40)
    other = ("u", "x", "n")
    figs[other] = _count(2)
    hidden = hidden_figures(figs, [(rate, (other,))], 10)
    assert {rate, other, count, enrolled} <= hidden


def test_the_same_total_in_two_tables_is_hidden_in_both() -> None:
    a, b = ("t", "all", "n"), ("u", "all", "n")
    figs = {a: _count(4), b: _count(4)}
    assert hidden_figures(figs, [(a, (b,))], 10) == {a, b}
    figs = {a: Fig(40.0, Unit.COUNT, students=40, rests_on=()), b: _count(40)}
    figs[("t", "x", "n")] = _count(3)
    figs[("t", "y", "n")] = _count(37)
    sums = [(a, (("t", "x", "n"), ("t", "y", "n"))), (a, (b,))]
    # 3 hides 37 (its only neighbour); the totals stay, as two hidden parts cannot be split.
    assert hidden_figures(figs, sums, 10) == {("t", "x", "n"), ("t", "y", "n")}
