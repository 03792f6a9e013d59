"""The translation tools find every way the program asks for a translation, and keep old work."""

from __future__ import annotations

from pathlib import Path

from circlekeeper.tools.i18n_extract import find_all
from circlekeeper.tools.i18n_update import build, read_translations, write

UI = """
from PySide6.QtCore import QCoreApplication


def _tr(text):
    return QCoreApplication.translate("Labels", text)


def words():
    tr = QCoreApplication.translate
    return [_tr("Fixed context"), tr("Aliased", "Alias context")]


class Area:
    def build(self):
        return self.tr("In a class")


def helper(self: "Window", parent):
    return self.tr("Annotated self"), parent.tr("Known only at run time")
"""

CORE = """
from circlekeeper.core.i18n import N_, _

LABELS = {"a": N_("Marked label")}


def refuse(name):
    raise ValueError(_("No {name} here.", name=name))
"""


def _package(tmp_path: Path) -> Path:
    root = tmp_path / "circlekeeper"
    (root / "ui").mkdir(parents=True)
    (root / "core").mkdir()
    (root / "ui" / "labels.py").write_text(UI, encoding="utf-8")
    (root / "core" / "rules.py").write_text(CORE, encoding="utf-8")
    return root


def test_every_way_of_asking_is_found_with_its_context(tmp_path: Path) -> None:
    found, skipped = find_all(_package(tmp_path))
    pairs = {(f.context, f.source) for f in found}
    assert pairs == {
        ("Labels", "Fixed context"),
        ("Aliased", "Alias context"),
        ("Area", "In a class"),
        ("Window", "Annotated self"),
        ("circlekeeper.ui.labels", "Known only at run time"),
        ("core", "Marked label"),
        ("core", "No {name} here."),
    }
    assert skipped == []


def test_an_update_keeps_translations_and_starts_new_texts_from_known_ones(
    tmp_path: Path,
) -> None:
    root = _package(tmp_path)
    found, _skipped = find_all(root)
    ts = tmp_path / "es.ts"
    first = build(found, {}, "es", base=tmp_path)
    for message in first.iter("message"):
        if message.findtext("source") == "In a class":
            node = message.find("translation")
            assert node is not None
            node.text = "En una clase"
            del node.attrib["type"]
    write(first, ts)
    # A second helper asks for the same words under another context
    (root / "ui" / "more.py").write_text(
        "class Other:\n    def go(self):\n        return self.tr('In a class')\n", encoding="utf-8"
    )
    again = build(find_all(root)[0], read_translations(ts), "es", base=tmp_path)
    kept = {
        (c.findtext("name"), m.findtext("source")): m.find("translation")
        for c in again.iter("context")
        for m in c.iter("message")
    }
    assert kept[("Area", "In a class")].text == "En una clase"  # type: ignore[union-attr]
    assert kept[("Area", "In a class")].get("type") is None  # type: ignore[union-attr]
    # The new place starts from the known translation, for a person to confirm
    assert kept[("Other", "In a class")].text == "En una clase"  # type: ignore[union-attr]
    assert kept[("Other", "In a class")].get("type") == "unfinished"  # type: ignore[union-attr]
