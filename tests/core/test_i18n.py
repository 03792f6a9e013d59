"""The core's messages: English by default, the installed language when the app sets one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from circlekeeper.core import i18n
from circlekeeper.core.i18n import _
from circlekeeper.core.problems import InvalidInput


@pytest.fixture(autouse=True)
def english_again() -> Iterator[None]:
    yield
    i18n.install(None)


def test_a_message_is_english_with_its_parameters_filled_in() -> None:
    assert _("No person has the id {id}.", id=7) == "No person has the id 7."


def test_the_installed_lookup_translates_before_the_parameters_go_in() -> None:
    asked: list[str] = []

    def lookup(text: str) -> str:
        asked.append(text)
        return {"No person has the id {id}.": "Ninguna persona tiene el id {id}."}.get(text, "")

    i18n.install(lookup)
    assert _("No person has the id {id}.", id=7) == "Ninguna persona tiene el id 7."
    assert asked == ["No person has the id {id}."]
    # A text the catalogue does not know stays English
    assert _("Something new.") == "Something new."


def test_a_translation_that_lost_a_parameter_falls_back_to_english() -> None:
    i18n.install(lambda text: "Ninguna persona tiene el id {numero}.")
    assert _("No person has the id {id}.", id=7) == "No person has the id 7."


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("es", "es"),
        ("ES", "es"),
        ("es_MX.UTF-8", "es"),
        ("es-US", "es"),
        ("en", "en"),
        ("en_US", "en"),
        ("system", "system"),
        ("", "system"),
        (None, "system"),
    ],
)
def test_a_typed_language_is_read_as_its_code(typed: str | None, code: str) -> None:
    assert i18n.choose_language(typed) == code


def test_an_unknown_language_is_refused_naming_the_choices() -> None:
    with pytest.raises(InvalidInput) as refused:
        i18n.choose_language("fr")
    message = str(refused.value)
    assert "“fr”" in message
    assert "en (English)" in message and "es (Español)" in message and "system" in message
    assert "Nothing was changed" in message
