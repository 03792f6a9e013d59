"""Speaking the person's language: Qt translators for the interface, Qt itself and the core.

The words live in ``resources/i18n/circlekeeper_<code>.ts`` (readable XML that translators and
reviewers edit). Qt reads only compiled ``.qm`` files, so the first start in a language compiles
the packaged ``.ts`` with ``lrelease`` (shipped inside PySide6-Essentials, which the program
needs anyway) into the user's cache folder, named by the ``.ts`` file's hash: later starts load
it directly (about 2 ms), and an updated program brings a new hash and is compiled afresh. A
build hook was not practical: it would need the whole of PySide6 at build time, and an editable
checkout would still need this path.

Some screens ask Qt with a context that cannot be known before the program runs (a helper
calling ``parent.tr(...)`` on whichever window it is given); the compiled catalogue carries every
source text once more under :data:`ANY_CONTEXT`, and :class:`Catalogue` looks there when its own
context has no entry.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QTranslator,
)

from circlekeeper.core import i18n
from circlekeeper.core.paths import resources_dir

log = logging.getLogger(__name__)

ANY_CONTEXT = "circlekeeper-any"
_ARGS = re.compile(r"%\d")
CACHE_ENV = "CIRCLEKEEPER_CACHE"


class QtWords(QTranslator):
    """Qt's own translation, minus entries that lost a ``%1`` (Spanish "F%1" for F11 is one)."""

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        found = super().translate(context, source, disambiguation, n)
        if not found or not set(_ARGS.findall(source)) <= set(_ARGS.findall(found)):
            return None  # type: ignore[return-value]  # a null string: ask the next translator
        return found


class Catalogue(QTranslator):
    """A compiled catalogue that falls back to the same English text under any context."""

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        found = super().translate(context, source, disambiguation, n)
        if not found and context != ANY_CONTEXT:
            found = super().translate(ANY_CONTEXT, source, disambiguation, n)
        # None is a null string to Qt, which then asks the next translator (Qt's own words);
        # an empty string would count as a translation and blank the text.
        return found or None  # type: ignore[return-value]


def ts_path(code: str) -> Path:
    """The packaged translation source for a language code."""
    return resources_dir() / "i18n" / f"circlekeeper_{code}.ts"


def cache_dir() -> Path:
    """Where compiled catalogues are kept: ``$CIRCLEKEEPER_CACHE`` or the user's cache folder."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override).expanduser()
    home = os.environ.get("CIRCLEKEEPER_HOME")
    if home:
        return Path(home).expanduser() / "cache"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("circlekeeper", appauthor=False))


def lrelease_program() -> str | None:
    """Qt's compiler for ``.ts`` files, as shipped inside PySide6 (or on the PATH)."""
    import shutil

    import PySide6

    folder = Path(PySide6.__file__).resolve().parent
    for name in ("lrelease.exe", "lrelease") if sys.platform == "win32" else ("lrelease",):
        if (folder / name).is_file():
            return str(folder / name)
    return shutil.which("pyside6-lrelease") or shutil.which("lrelease")


def with_any_context(source: bytes) -> bytes:
    """The ``.ts`` text plus one :data:`ANY_CONTEXT` holding each finished translation once."""
    import xml.etree.ElementTree as ET  # only when a catalogue is compiled, never at each start

    root = ET.fromstring(source)
    seen: dict[str, ET.Element] = {}
    for message in root.iter("message"):
        translation = message.find("translation")
        text = message.findtext("source")
        if translation is None or text is None or text in seen:
            continue
        if translation.get("type") in ("unfinished", "obsolete", "vanished"):
            continue
        if not (translation.text or "").strip():
            continue
        seen[text] = message
    extra = ET.SubElement(root, "context")
    ET.SubElement(extra, "name").text = ANY_CONTEXT
    for text, message in seen.items():
        copy = ET.SubElement(extra, "message")
        ET.SubElement(copy, "source").text = text
        ET.SubElement(copy, "translation").text = message.findtext("translation")
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


def catalogue_name(code: str, source: bytes) -> str:
    """The compiled catalogue's file name: one per version of the ``.ts`` text."""
    import hashlib  # only for another language than English: not before an English first paint

    digest = hashlib.sha256(source).hexdigest()[:16]
    return f"circlekeeper_{code}-{digest}.qm"


def compiled_catalogue(code: str) -> Path | None:
    """The ``.qm`` for a language, compiled into the cache on first use; None if impossible."""
    source_path = ts_path(code)
    try:
        source = source_path.read_bytes()
    except OSError:
        log.warning("No translation file for %s", code)
        return None
    name = catalogue_name(code, source)
    # A bundle carries the .qm made at build time beside the .ts (it has no lrelease).
    packaged = source_path.with_name(name)
    if packaged.is_file():
        return packaged
    target = cache_dir() / "i18n" / name
    if target.is_file():
        return target
    program = lrelease_program()
    if program is None:
        log.warning("No lrelease to compile the %s translation", code)
        return None
    import subprocess
    import tempfile

    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        ts = Path(work) / f"circlekeeper_{code}.ts"
        ts.write_bytes(with_any_context(source))
        qm = Path(work) / "out.qm"
        result = subprocess.run(
            [program, "-silent", str(ts), "-qm", str(qm)],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0 or not qm.is_file():
            log.warning("lrelease failed (%s): %s", result.returncode, result.stderr[-500:])
            return None
        os.replace(qm, target)
    for old in target.parent.glob(f"circlekeeper_{code}-*.qm"):
        if old != target:
            old.unlink(missing_ok=True)
    return target


def system_language() -> str:
    """``es`` when the computer speaks Spanish, otherwise ``en``."""
    return "es" if QLocale.system().language() == QLocale.Language.Spanish else "en"


def effective(choice: str) -> str:
    """The language actually spoken for a choice (``system`` resolved)."""
    return system_language() if choice == i18n.SYSTEM else choice


def _core_lookup(text: str) -> str:
    found = QCoreApplication.translate(i18n.CONTEXT, text)
    return "" if found == text else found


def install_language(choice: str, app: QCoreApplication | None = None) -> str:
    """Speak ``choice`` (``en``, ``es`` or ``system``) from now on; returns the code used.

    Replaces the translators installed before, for the interface, for Qt's own words (the
    OK and Cancel of standard buttons) and for the core's messages, and sets the default
    locale the screens format dates and numbers with (``ui/locale.py``).
    """
    app = app or QCoreApplication.instance()
    code = effective(choice)
    if app is None:
        return code
    for old in getattr(app, "_circlekeeper_translators", []):
        app.removeTranslator(old)
    installed: list[QTranslator] = []
    if code != "en":
        qt_words = QtWords(app)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if qt_words.load(f"qtbase_{code}", folder):
            app.installTranslator(qt_words)
            installed.append(qt_words)
        catalogue = Catalogue(app)
        qm = compiled_catalogue(code)
        if qm is not None and catalogue.load(str(qm)):
            app.installTranslator(catalogue)
            installed.append(catalogue)
        else:
            log.warning("The %s translation could not be loaded; English is shown", code)
    app._circlekeeper_translators = installed  # type: ignore[attr-defined]
    i18n.install(_core_lookup if code != "en" else None)
    from circlekeeper.ui.locale import set_language

    set_language(code)
    return code
