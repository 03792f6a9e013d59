"""The command line acts as a profile: an SRO's profile writes only what an SRO may see."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from .conftest import DEMOGRAPHICS, PRIVATE_NOTE, SCHOOL_ONLY


def _export(run_cli, db_path: Path, agreement_id: int, out: Path, *extra: str, **env: str):  # type: ignore[no-untyped-def]
    return run_cli(
        "export",
        "agreement",
        str(agreement_id),
        "--format",
        "pdf" if out.suffix == ".pdf" else "html",
        "-o",
        str(out),
        "--database",
        str(db_path),
        *extra,
        **env,
    )


def _everything_written(run_cli, outputs: list[Path], results: list) -> str:  # type: ignore[no-untyped-def]
    """The text of every file written and every line printed, logs included."""
    parts = [r.stdout + r.stderr for r in results]
    for path in outputs:
        if path.suffix == ".pdf":
            parts.append(" ".join((p.extract_text() or "") for p in PdfReader(path).pages))
        else:
            parts.append(path.read_text(encoding="utf-8"))
    home: Path = run_cli.home
    parts += [p.read_text(errors="replace") for p in home.rglob("*") if p.is_file()]
    return "\n".join(parts)


def test_an_sro_profile_gets_only_the_sharing_copy(run_cli, school, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db_path, agreement_id = school
    html, pdf, ics = tmp_path / "sam.html", tmp_path / "sam.pdf", tmp_path / "sam.ics"
    results = []

    # Without saying whose command this is: refused, nothing written
    result = _export(run_cli, db_path, agreement_id, html)
    assert result.returncode == 2 and "--profile NAME" in result.stderr and not html.exists()
    # No PIN on a command with no terminal: refused in plain words
    result = _export(run_cli, db_path, agreement_id, html, "--profile", "Sam Reyes", "--sharing")
    assert result.returncode == 2 and "CIRCLEKEEPER_PIN" in result.stderr and not html.exists()
    result = _export(
        run_cli, db_path, agreement_id, html, "--profile", "sam reyes", CIRCLEKEEPER_PIN="9999"
    )
    assert result.returncode == 2 and "not Sam Reyes's PIN" in result.stderr
    # The school's copy is refused to an SRO, with what to do instead
    result = _export(
        run_cli, db_path, agreement_id, html, "--profile", "Sam Reyes", CIRCLEKEEPER_PIN="2222"
    )
    assert result.returncode == 2 and "--sharing" in result.stderr and not html.exists()
    results.append(result)
    # The copy for sharing is written, as HTML and as PDF
    for out in (html, pdf):
        result = _export(
            run_cli,
            db_path,
            agreement_id,
            out,
            "--profile",
            "Sam Reyes",
            "--sharing",
            CIRCLEKEEPER_PIN="2222",
        )
        assert result.returncode == 0, result.stderr
        results.append(result)
    result = run_cli(
        "calendar",
        "export",
        "-o",
        str(ics),
        "--database",
        str(db_path),
        "--profile",
        "Sam Reyes",
        CIRCLEKEEPER_PIN="2222",
    )
    assert result.returncode == 0, result.stderr
    results.append(result)
    assert "EDUCATION RECORD" in html.read_text(encoding="utf-8")

    written = _everything_written(run_cli, [html, pdf, ics], results)
    assert "José" in written  # the export did carry the agreement
    for secret in (PRIVATE_NOTE, *DEMOGRAPHICS, SCHOOL_ONLY, "Referral text", "stepfather"):
        assert secret not in written


def test_a_counselor_profile_keeps_the_schools_copy(run_cli, school, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db_path, agreement_id = school
    html = tmp_path / "dana.html"
    result = _export(
        run_cli, db_path, agreement_id, html, "--profile", "Dana Whitfield", CIRCLEKEEPER_PIN="1111"
    )
    assert result.returncode == 0, result.stderr
    assert SCHOOL_ONLY in html.read_text(encoding="utf-8")
    result = run_cli(
        "calendar", "export", "-o", str(tmp_path / "x.ics"), "--database", str(db_path)
    )
    assert result.returncode == 2 and "--profile NAME" in result.stderr
    result = run_cli(
        "export",
        "calendar",
        "-o",
        str(tmp_path / "x.ics"),
        "--database",
        str(db_path),
        "--profile",
        "Nobody",
    )
    assert result.returncode == 2 and "no profile named 'Nobody'" in result.stderr
    assert not (tmp_path / "x.ics").exists()


def _read_until(fd: int, wanted: bytes, seconds: float = 120) -> bytes:
    import os
    import select

    seen = b""
    waited = 0.0
    while wanted not in seen and waited < seconds:
        ready, _, _ = select.select([fd], [], [], 0.5)
        waited += 0.5
        if not ready:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the program ended and closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    return seen


@pytest.mark.skipif(sys.platform == "win32", reason="a POSIX terminal")
def test_the_pin_is_asked_on_a_terminal_without_echo(run_cli, school, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import os
    import pty
    import warnings

    db_path, agreement_id = school
    out = tmp_path / "typed.html"
    argv = [sys.executable, "-m", "circlekeeper", "export", "agreement", str(agreement_id)]
    argv += ["--format", "html", "--sharing", "-o", str(out), "--database", str(db_path)]
    argv += ["--profile", "Sam Reyes"]
    env = {k: v for k, v in os.environ.items() if k != "CIRCLEKEEPER_PIN"}
    env.update(CIRCLEKEEPER_HOME=str(run_cli.home), QT_QPA_PLATFORM="offscreen")
    with warnings.catch_warnings():  # the child only execs, so other threads cannot hang it
        warnings.simplefilter("ignore", DeprecationWarning)
        pid, fd = pty.fork()
    if pid == 0:  # the child: the program, with this terminal as its own
        os.execve(sys.executable, argv, env)
    try:
        prompt = _read_until(fd, b"PIN for Sam Reyes: ")
        assert b"PIN for Sam Reyes: " in prompt
        os.write(fd, b"2222\n")
        rest = _read_until(fd, b"Wrote ")
        rest += _read_until(fd, b"\n", seconds=30)
    finally:
        _pid, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, rest
    assert b"2222" not in prompt + rest  # what was typed is not shown
    assert "EDUCATION RECORD" in out.read_text(encoding="utf-8")
