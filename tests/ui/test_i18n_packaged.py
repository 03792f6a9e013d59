"""A bundle has no lrelease: the Spanish catalogue built at build time is found beside the .ts."""

from __future__ import annotations

from pathlib import Path

import pytest

from circlekeeper.ui import i18n


def test_a_catalogue_built_at_build_time_is_used_without_lrelease(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = i18n.ts_path("es").read_bytes()
    ts = tmp_path / "circlekeeper_es.ts"
    ts.write_bytes(source)
    built = tmp_path / i18n.catalogue_name("es", source)
    built.write_bytes(b"qm made at build time")
    monkeypatch.setattr(i18n, "ts_path", lambda code: tmp_path / f"circlekeeper_{code}.ts")
    monkeypatch.setattr(i18n, "lrelease_program", lambda: None)
    monkeypatch.setattr(i18n, "cache_dir", lambda: tmp_path / "cache")
    assert i18n.compiled_catalogue("es") == built
    # A catalogue from another version of the .ts is not taken for this one
    ts.write_bytes(source + b"\n")
    assert i18n.compiled_catalogue("es") is None
