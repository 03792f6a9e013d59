"""The script library: the scripts shipped with circlekeeper and the counselor's own.

Built-in scripts live in ``resources/scripts`` and are never changed by the program; a counselor
edits a copy. Custom scripts are TOML files in the user's ``scripts`` folder (one file per
script, named after its key), so they can be shared by copying the file as well as through
import and export.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from circlekeeper.core.domain.script import KEY_PATTERN, InvalidScript, Script, ScriptError
from circlekeeper.core.domain.script_checks import load_script, read_script_text, validate
from circlekeeper.core.domain.script_snapshot import script_to_toml
from circlekeeper.core.files import place_without_overwriting, private_folder, temporary_beside
from circlekeeper.core.i18n import _
from circlekeeper.core.paths import data_home, resources_dir
from circlekeeper.core.problems import InvalidInput, NotFound
from circlekeeper.core.store.problems import disk_problem


class ScriptInvalid(InvalidInput):
    """A script file was refused; ``errors`` lists each problem as file:line: message."""

    def __init__(self, errors: list[ScriptError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class ScriptInfo:
    """One line of the script list."""

    key: str
    kind: str
    title: str
    builtin: bool
    path: Path
    stage_count: int
    suggested_minutes: int
    languages: tuple[str, ...]


class ScriptLibrary:
    """List, read, copy, save, delete, import and export scripts.

    Files are read on each call (there are only a handful, each a few KB), so a script copied
    into the folder by hand shows up without restarting.
    """

    def __init__(self, builtin_dir: Path | None = None, custom_dir: Path | None = None) -> None:
        self.builtin_dir = builtin_dir if builtin_dir is not None else resources_dir() / "scripts"
        self.custom_dir = custom_dir if custom_dir is not None else data_home() / "scripts"

    # --- reading ----------------------------------------------------------------------

    def scripts(self) -> list[ScriptInfo]:
        """Every usable script, built-ins first, each group by title.

        Custom files that do not validate are left out; :meth:`problems` says why.
        (Not called ``list`` so the builtin type stays usable in annotations here.)
        """
        rows: list[ScriptInfo] = []
        builtin_keys = set()
        for builtin, folder in ((True, self.builtin_dir), (False, self.custom_dir)):
            group = []
            for path, script in self._scan(folder):
                if not builtin and script.key in builtin_keys:
                    continue  # a custom copy may not shadow a built-in
                if builtin:
                    builtin_keys.add(script.key)
                group.append(
                    ScriptInfo(
                        script.key,
                        script.kind.value,
                        script.title,
                        builtin,
                        path,
                        len(script.stages),
                        script.suggested_minutes,
                        script.languages,
                    )
                )
            rows.extend(sorted(group, key=lambda r: (r.title.casefold(), r.key)))
        return rows

    def problems(self) -> list[ScriptError]:
        """Why custom script files in the user's folder were left out of the list."""
        errors: list[ScriptError] = []
        builtin = self._builtin_keys()
        for path in self._files(self.custom_dir):
            try:
                script = load_script(path)
            except InvalidScript as exc:
                errors.extend(exc.errors)
                continue
            if script.key in builtin:
                errors.append(
                    ScriptError(
                        str(path),
                        1,
                        f"key {script.key!r} belongs to a built-in script; rename it to use it.",
                    )
                )
        return errors

    def get(self, key: str) -> Script:
        """The script with this key (a built-in wins over a custom file with the same key)."""
        for folder in (self.builtin_dir, self.custom_dir):
            for _path, script in self._scan(folder):
                if script.key == key:
                    return script
        raise NotFound(
            _(
                "There is no script called {key}.",
                key=repr(key),
            )
        )

    def is_builtin(self, key: str) -> bool:
        return key in self._builtin_keys()

    # --- changing custom scripts ------------------------------------------------------

    def duplicate(self, key: str, new_key: str | None = None, title: str | None = None) -> Script:
        """Copy a script (usually a built-in) into a custom one the counselor can edit."""
        original = self.get(key)
        new_key = new_key or self._free_key(f"{original.key}-copy")
        copy = replace(original, key=new_key, title=title or f"{original.title} (copy)")
        self.save(copy)
        return copy

    def save(self, script: Script, *, replace_existing: bool = True) -> Path:
        """Write a custom script to the user's folder; built-in keys are refused."""
        self._check_key(script.key)
        target = self.custom_dir / f"{script.key}.toml"
        if not replace_existing and target.exists():
            raise InvalidInput(
                _(
                    "A custom script called {key} already exists; "
                    "choose another key or replace it.",
                    key=repr(script.key),
                )
            )
        text = script_to_toml(script)
        # Check what we write reads back, so a bad edit never lands in the library.
        check, errors = validate(text, str(target))
        if check is None:
            raise ScriptInvalid(errors)
        if check != script:  # what was read back had control characters dropped: keep that
            text = script_to_toml(check)
        try:
            private_folder(self.custom_dir)  # inside the data folder, like everything there
        except OSError as exc:
            raise _unwritable(target, exc) from exc
        _write_atomically(target, text)
        return target

    def delete(self, key: str) -> None:
        """Remove a custom script. Circles run with it keep their own copy."""
        if self.is_builtin(key):
            raise InvalidInput(
                _("Built-in scripts cannot be deleted; they come with circlekeeper.")
            )
        for path, script in self._scan(self.custom_dir):
            if script.key == key:
                path.unlink()
                return
        raise NotFound(
            _(
                "There is no custom script called {key}.",
                key=repr(key),
            )
        )

    def import_file(
        self, path: Path, *, new_key: str | None = None, replace_existing: bool = False
    ) -> Script:
        """Check a shared script file fully, then add it to the custom scripts.

        Nothing is written unless the whole file is valid. A key that belongs to a built-in is
        refused unless ``new_key`` renames it; an existing custom script is replaced only with
        ``replace_existing``.
        """
        try:
            script = load_script(path)
        except InvalidScript as exc:
            raise ScriptInvalid(exc.errors) from None
        if new_key:
            script = replace(script, key=new_key)
        if self.is_builtin(script.key):
            raise InvalidInput(
                _(
                    "{path}: the key {key} belongs to a built-in script. "
                    "Import it under another key (for example "
                    "{free_key}).",
                    path=path,
                    key=repr(script.key),
                    free_key=repr(self._free_key(script.key + "-custom")),
                )
            )
        self.save(script, replace_existing=replace_existing)
        return script

    def export(self, key: str, destination: Path, *, overwrite: bool = False) -> Path:
        """Write a script to a TOML file to share (a folder gets ``KEY.toml`` inside it)."""
        script = self.get(key)
        if destination.is_dir():
            destination = destination / f"{script.key}.toml"
        if destination.exists() and not overwrite:
            raise InvalidInput(
                _(
                    "{destination} already exists; it was not overwritten.",
                    destination=destination,
                )
            )
        _write_atomically(destination, script_to_toml(script), overwrite=overwrite)
        return destination

    # --- inside -----------------------------------------------------------------------

    @staticmethod
    def _files(folder: Path) -> list[Path]:
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.glob("*.toml") if p.is_file())

    def _scan(self, folder: Path) -> list[tuple[Path, Script]]:
        found = []
        for path in self._files(folder):
            try:
                found.append((path, load_script(path)))
            except InvalidScript:
                continue
        return found

    def _builtin_keys(self) -> set[str]:
        return {script.key for _path, script in self._scan(self.builtin_dir)}

    def _check_key(self, key: str) -> None:
        if not KEY_PATTERN.match(key):
            raise InvalidInput(
                _(
                    "{key} cannot be a script key: use lower-case letters, digits, '-' and '_'.",
                    key=repr(key),
                )
            )
        if self.is_builtin(key):
            raise InvalidInput(
                _(
                    "{key} is a built-in script and cannot be changed; duplicate it and edit the "
                    "copy.",
                    key=repr(key),
                )
            )

    def _free_key(self, base: str) -> str:
        taken = {s.key for _p, s in self._scan(self.builtin_dir) + self._scan(self.custom_dir)}
        taken |= {p.stem for p in self._files(self.custom_dir)}
        base = base[:70]
        key, number = base, 2
        while key in taken:
            key, number = f"{base}-{number}", number + 1
        return key


def _write_atomically(target: Path, text: str, *, overwrite: bool = True) -> None:
    """Write a file whole or not at all (a crash, a full disk or a size limit leave the old file
    or none); without ``overwrite`` a file that appears meanwhile is never replaced."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = temporary_beside(target, ".tmp")
    except OSError as exc:
        raise _unwritable(target, exc) from exc
    try:
        with os.fdopen(os.open(temp, os.O_WRONLY), "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        if overwrite:
            os.replace(temp, target)
        else:
            place_without_overwriting(temp, target)
    except FileExistsError:
        temp.unlink(missing_ok=True)
        raise InvalidInput(
            _(
                "{target} already exists; it was not overwritten.",
                target=target,
            )
        ) from None
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise _unwritable(target, exc) from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _unwritable(target: Path, exc: OSError) -> InvalidInput:
    refused = disk_problem(exc, f"{target} could not be written")
    if refused is not None:
        return InvalidInput(str(refused))
    return InvalidInput(
        _(
            "{target} could not be written ({strerror}); nothing was written there. "
            "Choose a folder you can write to.",
            target=target,
            strerror=exc.strerror or exc,
        )
    )


__all__ = ["ScriptInfo", "ScriptInvalid", "ScriptLibrary", "read_script_text"]
