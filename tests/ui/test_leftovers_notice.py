"""The GUI says in plain words what an opening removed beside the records."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from circlekeeper.ui.security.opening import open_with_prompts


def test_opening_shows_what_an_interrupted_encryption_left_and_removes_it(
    qtbot, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    leftover = db_path.with_name(f"{db_path.name}.encrypt-20260101-101010-000001.tmp")
    shutil.copyfile(db_path, leftover)
    shown: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "information", lambda _parent, _title, text, *_a: shown.append(text)
    )
    database = open_with_prompts(db_path, None, interactive=True)
    assert database is not None
    database.close()
    assert not leftover.exists()
    assert len(shown) == 1 and leftover.name in shown[0] and "removed" in shown[0]
