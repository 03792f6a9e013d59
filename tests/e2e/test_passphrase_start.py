"""Starting the real program on an encrypted database: the passphrase from the environment."""

from __future__ import annotations

from pathlib import Path

from circlekeeper.core.store.database import is_encrypted, open_database

PASSPHRASE = "correct horse battery"


def _encrypted(folder: Path) -> Path:
    path = folder / "enc.sqlite3"
    open_database(path, passphrase=PASSPHRASE).close()
    assert is_encrypted(path)
    return path


def _figures(stdout: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in stdout.split() if "=" in line)


def test_self_test_opens_an_encrypted_database_with_the_passphrase_variable(
    run_cli, tmp_path: Path
) -> None:
    path = _encrypted(tmp_path)
    result = run_cli("--self-test", "--database", str(path), CIRCLEKEEPER_PASSPHRASE=PASSPHRASE)
    assert result.returncode == 0, result.stderr
    figures = _figures(result.stdout)
    assert int(figures["data_ready_ms"]) >= int(figures["first_paint_ms"]) > 0


def test_self_test_without_the_passphrase_exits_2_and_leaves_the_file(
    run_cli, tmp_path: Path
) -> None:
    path = _encrypted(tmp_path)
    before = path.read_bytes()
    result = run_cli("--self-test", "--database", str(path), CIRCLEKEEPER_PASSPHRASE="")
    assert result.returncode == 2
    assert "CIRCLEKEEPER_PASSPHRASE" in result.stderr
    assert "Traceback" not in result.stderr
    assert path.read_bytes() == before


def test_self_test_with_a_wrong_passphrase_exits_2_and_says_so(run_cli, tmp_path: Path) -> None:
    path = _encrypted(tmp_path)
    before = path.read_bytes()
    result = run_cli("--self-test", "--database", str(path), CIRCLEKEEPER_PASSPHRASE="nope")
    assert result.returncode == 2
    assert "does not open" in result.stderr
    assert "Traceback" not in result.stderr
    assert path.read_bytes() == before
