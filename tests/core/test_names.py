"""The one rule for how a person's name is shown."""

from circlekeeper.core.people.names import display_name, short_name


def test_preferred_name_replaces_the_first_name() -> None:
    assert display_name("Robert", "Bobby", "Lee") == "Bobby Lee"


def test_first_name_when_no_preferred_name() -> None:
    assert display_name("Robert", None, "Lee") == "Robert Lee"
    assert display_name("Robert", "", "Lee") == "Robert Lee"


def test_missing_parts_leave_no_stray_spaces() -> None:
    assert display_name("Ana", None, "") == "Ana"
    assert display_name("", None, "Lee") == "Lee"
    assert display_name(None, None, None) == ""


def test_short_name_is_what_a_person_is_called_by() -> None:
    assert short_name("Robert", "Bobby") == "Bobby"
    assert short_name("Robert", None) == "Robert"
