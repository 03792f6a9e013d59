"""Importing a roster: a CSV file exported from the student information system (SIS).

Reading and importing are two steps so a person sees exactly what will happen (how the columns
were understood, which rows have problems and on which line of the file) before anything is
saved. The import itself is one transaction: it all goes in, or nothing does.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from circlekeeper.core.audit import audit
from circlekeeper.core.domain.enums import PersonKind
from circlekeeper.core.people.people import PersonData, _clean, people_by_ids, search_text
from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.store.models import GuardianLink, Person
from circlekeeper.core.text import clean_name, fold, normalise_id

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]

# Field -> header spellings SIS exports use, compared without case, spaces or punctuation.
ALIASES: dict[str, tuple[str, ...]] = {
    "external_id": (
        "studentid", "id", "studentnumber", "localid", "studentno", "studentidnumber",
        "localstudentid", "sisid", "idnumber", "personid", "staffid", "employeeid",
    ),
    "first_name": ("firstname", "givenname", "legalfirstname", "first", "fname"),
    "last_name": ("lastname", "surname", "familyname", "legallastname", "last", "lname"),
    "preferred_name": ("preferredname", "nickname", "preferredfirstname", "goesby"),
    "pronouns": ("pronouns", "pronoun", "preferredpronouns"),
    "grade": ("grade", "gradelevel", "gr", "grd", "currentgrade", "yearlevel"),
    "school": ("school", "schoolname", "building", "campus", "site"),
    "birth_date": ("birthdate", "dob", "dateofbirth", "birthday"),
    "email": ("email", "emailaddress", "studentemail", "email1"),
    "phone": ("phone", "phonenumber", "studentphone", "telephone"),
    "title": ("title", "jobtitle", "position"),
    "kind": ("kind", "persontype", "type"),
    "gender": ("gender", "sex"),
    "race_ethnicity": ("raceethnicity", "ethnicity", "race", "raceandethnicity"),
    "disability": ("disability", "iep", "sped", "specialeducation", "studentwithdisability"),
    "english_learner": ("englishlearner", "ell", "el", "lep", "emergentbilingual"),
    "low_income": (
        "lowincome", "frl", "freereducedlunch", "economicallydisadvantaged", "econdisadv",
    ),
    "guardian_name": (
        "guardianname", "parentguardian", "parentguardianname", "parentname", "guardian",
        "parent", "contactname", "primarycontact",
    ),
    "guardian_phone": (
        "guardianphone", "parentphone", "parentguardianphone", "contactphone", "homephone",
    ),
    "guardian_email": ("guardianemail", "parentemail", "parentguardianemail", "contactemail"),
    "guardian_relationship": (
        "guardianrelationship", "relationship", "relationtostudent", "contactrelationship",
    ),
}  # fmt: skip
REQUIRED = {"external_id": "student ID", "first_name": "first name", "last_name": "last name"}
_LABELS = {
    **REQUIRED,
    "preferred_name": "preferred name",
    "birth_date": "birth date",
    "race_ethnicity": "race or ethnicity",
    "english_learner": "English learner",
    "low_income": "low income",
    "guardian_name": "guardian name",
    "guardian_phone": "guardian phone",
    "guardian_email": "guardian email",
    "guardian_relationship": "guardian relationship",
}
_LIMITS = {
    "first_name": 100, "last_name": 100, "preferred_name": 100, "pronouns": 40, "grade": 8,
    "school": 200, "external_id": 64, "email": 200, "phone": 40, "title": 100, "gender": 40,
    "race_ethnicity": 80, "guardian_name": 201, "guardian_phone": 40, "guardian_email": 200,
    "guardian_relationship": 60,
}  # fmt: skip
_GRADES = {"PK": "PK", "PREK": "PK", "TK": "PK", "K": "K", "KG": "K", "KN": "K", "0": "K"}
_KINDS = {"student": "student", "staff": "staff", "teacher": "staff", "guardian": "guardian",
          "parent": "guardian", "sro": "sro", "community": "community"}  # fmt: skip
_YES = {"y", "yes", "true", "1", "x"}
_NO = {"n", "no", "false", "0"}
_BOOLEANS = ("disability", "english_learner", "low_income")
_PERSON_FIELDS = {f.name for f in fields(PersonData)}
_BINARY_SIGNATURES = {
    b"PK\x03\x04": "an Excel workbook (.xlsx) or another zipped file",
    b"\xd0\xcf\x11\xe0": "an old Excel workbook (.xls)",
    b"%PDF": "a PDF document",
    b"SQLite format 3": "a database",
}


class RosterError(InvalidInput):
    """The roster file as a whole cannot be used; the message says why and what to do."""


class ImportCancelled(Exception):
    """The person stopped the import; nothing was imported."""


@dataclass(frozen=True)
class RowError:
    """A problem on one line of the file (the header is line 1)."""

    line_number: int
    message: str


@dataclass(frozen=True)
class GuardianInfo:
    first_name: str
    last_name: str
    phone: str | None = None
    email: str | None = None
    relationship: str | None = None


@dataclass
class RosterRow:
    """One person read from the file, ready to import."""

    line_number: int
    data: PersonData
    guardian: GuardianInfo | None = None
    action: str = "new"  # "new", "update" or "unchanged" once compared with a database


@dataclass
class RosterPreview:
    """What a roster file holds and how it was understood; nothing is saved yet."""

    path: Path
    encoding: str
    delimiter: str
    columns: list[str]
    mapping: dict[str, str]  # header as written -> field
    unmapped: list[str]
    rows: list[RosterRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def bad_lines(self) -> list[int]:
        return sorted({e.line_number for e in self.errors})


@dataclass(frozen=True)
class RosterComparison:
    new: int
    updated: int
    unchanged: int


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    skipped: int
    guardians_linked: int
    unchanged: int = 0


def _key(header: str) -> str:
    return "".join(c for c in fold(header) if c.isalnum())


_ALIAS_FIELD = {alias: name for name, aliases in ALIASES.items() for alias in aliases}


def map_columns(columns: Iterable[str]) -> tuple[dict[str, str], list[str]]:
    """Which field each header means; headers not understood (or repeated) are left out."""
    mapping: dict[str, str] = {}
    unmapped: list[str] = []
    for column in columns:
        name = _ALIAS_FIELD.get(_key(column))
        if name is None or name in mapping.values():
            unmapped.append(column)
        else:
            mapping[column] = name
    return mapping, unmapped


def _decode(path: Path, raw: bytes) -> tuple[str, str]:
    name = path.name
    for signature, what in _BINARY_SIGNATURES.items():
        if raw.startswith(signature):
            raise RosterError(
                f"{name} looks like {what}, not a CSV file. In the program that made it, "
                "save or export it as CSV (comma-separated values) and import that file."
            )
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict"), "UTF-8 (with BOM)"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "UTF-16"
    if b"\x00" in raw[:8192]:
        raise RosterError(
            f"{name} is not a text file, so it cannot be a CSV roster. "
            "Export the roster from the student information system as CSV."
        )
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    # SIS exports on Windows are often Windows-1252; Latin-1 decodes anything else.
    try:
        return raw.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "Latin-1"


def _delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_roster(path: Path) -> RosterPreview:
    """Read and check a roster file; problems with single rows are collected, not raised.

    Raises :class:`RosterError` when the file as a whole cannot be used (missing, empty, not
    text, or without the columns every roster needs).
    """
    path = Path(path).expanduser()
    if path.is_dir():
        raise RosterError(f"{path} is a folder; choose the roster file itself (a .csv file).")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise RosterError(f"{path} does not exist. Check the file name and folder.") from None
    except OSError as exc:
        raise RosterError(f"{path} could not be read ({exc.strerror}).") from exc
    text, encoding = _decode(path, raw)
    if not text.strip():
        raise RosterError(
            f"{path.name} is empty. Export the roster again from the student information "
            "system, with a header line and one line per person."
        )
    controls = sum(1 for c in text[:8192] if ord(c) < 32 and c not in "\t\r\n")
    if controls > 8:
        raise RosterError(
            f"{path.name} does not look like a CSV file (it holds unreadable characters). "
            "Export the roster from the student information system as CSV."
        )
    first_line = text.split("\n", 1)[0].strip("\r")
    skip_lines = 0
    delimiter = _delimiter(first_line)
    if first_line.lower().startswith("sep=") and len(first_line) == 5:
        delimiter, skip_lines = first_line[4], 1  # Excel's hint line
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for _ in range(skip_lines):
            next(reader)
        header = next(reader)
    except StopIteration:
        raise RosterError(f"{path.name} has no header line.") from None
    except csv.Error as exc:
        raise RosterError(f"{path.name} line 1 could not be read as CSV ({exc}).") from exc
    columns = [c.strip() for c in header]
    mapping, unmapped = map_columns(columns)
    missing = [label for name, label in REQUIRED.items() if name not in mapping.values()]
    if missing:
        found = ", ".join(repr(c) for c in columns if c) or "none"
        raise RosterError(
            f"{path.name} has no column for the {' or the '.join(missing)}. "
            f"Columns found: {found}. Rename the columns in the file (for example "
            "'Student ID', 'First Name', 'Last Name') and read it again."
        )
    preview = RosterPreview(path, encoding, delimiter, columns, mapping, unmapped)
    index = {name: columns.index(column) for column, name in mapping.items()}
    seen: dict[str, int] = {}
    bad: set[int] = set()
    line = reader.line_num
    while True:
        start = line + 1
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            preview.errors.append(RowError(start, f"the line could not be read as CSV ({exc})."))
            bad.add(start)
            line = reader.line_num
            continue
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue  # blank lines are common at the end of exports
        row, problems = _read_row(start, values, columns, index)
        position = index["external_id"]
        external_id = normalise_id(values[position]) if position < len(values) else ""
        if external_id and external_id in seen:
            first = seen[external_id]
            problems.append(
                f"student ID {external_id} is also on line {first}; each person must be on "
                "one line only."
            )
            if first not in bad:
                preview.errors.append(
                    RowError(first, f"student ID {external_id} appears again on line {start}.")
                )
                bad.add(first)
        elif external_id:
            seen[external_id] = start
        for problem in problems:
            preview.errors.append(RowError(start, problem))
        if problems:
            bad.add(start)
        elif row is not None:
            preview.rows.append(row)
    preview.rows = [r for r in preview.rows if r.line_number not in bad]
    preview.errors.sort(key=lambda e: e.line_number)
    return preview


def _read_row(
    line: int, values: list[str], columns: list[str], index: dict[str, int]
) -> tuple[RosterRow | None, list[str]]:
    problems: list[str] = []
    if len(values) > len(columns) and any(v.strip() for v in values[len(columns) :]):
        problems.append(
            f"it has {len(values)} values but the header has {len(columns)} columns; "
            "check for a separator inside a value that is not in quotes."
        )
        return None, problems
    raw: dict[str, str] = {}
    for name, position in index.items():
        value = values[position] if position < len(values) else ""
        raw[name] = clean_name(value)  # the guardian's name too, before it is split
    for name, label in REQUIRED.items():
        if not raw[name]:
            problems.append(f"the {label} is empty (column {_column(columns, index, name)!r}).")
    for name, limit in _LIMITS.items():
        value = raw.get(name, "")
        if len(value) > limit:
            problems.append(
                f"the {_label(name)} is {len(value)} characters long; at most {limit} fit."
            )
    values_out: dict[str, object] = {n: (v or None) for n, v in raw.items() if n in _PERSON_FIELDS}
    if raw.get("grade"):
        grade = _grade(raw["grade"])
        if grade is None:
            problems.append(f"grade {raw['grade']!r} is not a school grade (use PK, K or 1 to 12).")
        values_out["grade"] = grade
    if raw.get("birth_date"):
        born = _date(raw["birth_date"])
        if born is None:
            problems.append(
                f"birth date {raw['birth_date']!r} is not a date this roster can read; "
                "write it as 2010-03-04 or 03/04/2010 (month/day/year)."
            )
        elif not date(1900, 1, 1) <= born <= date.today():
            problems.append(f"birth date {raw['birth_date']!r} is not a possible birth date.")
        values_out["birth_date"] = born
    if raw.get("kind"):
        kind = _KINDS.get(fold(raw["kind"]))
        if kind is None:
            problems.append(
                f"kind {raw['kind']!r} is not one of: student, staff, guardian, sro, community."
            )
        values_out["kind"] = kind or PersonKind.STUDENT.value
    for name in _BOOLEANS:
        if raw.get(name):
            answer = raw[name].lower()
            if answer not in _YES | _NO:
                problems.append(f"{_label(name)} {raw[name]!r} should be yes or no.")
            values_out[name] = answer in _YES
    guardian = None
    if raw.get("guardian_name"):
        guardian = _guardian(raw, problems)
    if problems:
        return None, problems
    try:
        data = _clean(PersonData(**values_out))  # type: ignore[arg-type]
    except InvalidInput as exc:
        return None, [str(exc)]
    return RosterRow(line, data, guardian), problems


def _column(columns: list[str], index: dict[str, int], name: str) -> str:
    return columns[index[name]]


def _label(name: str) -> str:
    return _LABELS.get(name, name.replace("_", " "))


def _grade(text: str) -> str | None:
    value = text.upper().replace(" ", "").replace("-", "").removeprefix("GRADE")
    if value in _GRADES:
        return _GRADES[value]
    value = value.lstrip("0") or "0"
    if value.isdigit() and 1 <= int(value) <= 12:
        return value
    return _GRADES.get(value)


_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def _date(text: str) -> date | None:
    text = text.strip()
    for suffix in (" 00:00:00", "T00:00:00", " 0:00", " 00:00"):
        text = text.removesuffix(suffix)
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
        match = _US_DATE.fullmatch(text)
        if match:
            month, day, year = (int(g) for g in match.groups())
            return date(year, month, day)
    except ValueError:
        return None
    return None


def _guardian(raw: dict[str, str], problems: list[str]) -> GuardianInfo | None:
    name = raw["guardian_name"]
    if "," in name:
        last, _, first = (p.strip() for p in name.partition(","))
    else:
        first, _, last = name.rpartition(" ")
    if not first or not last:
        problems.append(
            f"guardian name {name!r} needs both a first and a family name "
            "('Maria Lopez' or 'Lopez, Maria')."
        )
        return None
    return GuardianInfo(
        first,
        last,
        raw.get("guardian_phone") or None,
        raw.get("guardian_email") or None,
        raw.get("guardian_relationship") or None,
    )


def _fields_in(preview: RosterPreview) -> list[str]:
    return [n for n in preview.mapping.values() if n in _PERSON_FIELDS and n != "external_id"]


def _changes(person: Person, data: PersonData, names: list[str]) -> list[str]:
    # Empty cells never erase what is already known: an SIS export often leaves out
    # what a counselor has recorded (preferred name, pronouns).
    changed = [
        n for n in names if getattr(data, n) is not None and getattr(person, n) != getattr(data, n)
    ]
    # An ID an older release saved as typed ("s 1234") takes its normal form, so search finds it.
    if data.external_id and person.external_id != data.external_id:
        changed.append("external_id")
    return changed


def _existing(session: Session, ids: list[str]) -> dict[str, Person]:
    # Rows' IDs are normalised by _clean, so they are the keys people_by_ids returns.
    return people_by_ids(session, ids)


def compare(sessions: sessionmaker[Session], preview: RosterPreview) -> RosterComparison:
    """How many rows would add a person, change one, or change nothing; reads only."""
    names = _fields_in(preview)
    counts = {"new": 0, "update": 0, "unchanged": 0}
    with sessions() as session:
        existing = _existing(session, [r.data.external_id or "" for r in preview.rows])
        for row in preview.rows:
            person = existing.get(row.data.external_id or "")
            if person is None:
                row.action = "new"
            else:
                row.action = "update" if _changes(person, row.data, names) else "unchanged"
            counts[row.action] += 1
    return RosterComparison(counts["new"], counts["update"], counts["unchanged"])


def problems_summary(preview: RosterPreview, limit: int = 5) -> str:
    """One message naming the rows with problems, for refusing an import."""
    count = len(preview.bad_lines)
    rows = "1 row with a problem" if count == 1 else f"{count} rows with problems"
    shown = [f"line {e.line_number}: {e.message}" for e in preview.errors[:limit]]
    more = len(preview.errors) - len(shown)
    listed = "; ".join(shown) + (f"; and {more} more" if more > 0 else "")
    return (
        f"The roster has {rows}; nothing was imported. "
        f"Fix them in the file or choose to skip them: {listed}"
    )


def import_roster(
    sessions: sessionmaker[Session],
    preview: RosterPreview,
    *,
    skip_bad_rows: bool = False,
    actor: str = "",
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportResult:
    """Add or update everyone in the roster (matched by student ID), all in one transaction.

    Raises :class:`InvalidInput` if rows have problems and ``skip_bad_rows`` is false, and
    :class:`ImportCancelled` if ``cancelled()`` turns true; in both cases nothing is saved.
    """
    if preview.errors and not skip_bad_rows:
        raise InvalidInput(problems_summary(preview))
    if not preview.rows:
        raise InvalidInput(f"{preview.path.name} has no rows that can be imported.")
    names = _fields_in(preview)
    total = len(preview.rows)
    created = updated = unchanged = linked = 0
    with sessions.begin() as session:
        # One transaction, written a slice at a time: each slice is flushed and then let go,
        # so a district's 50,000 lines never sit in memory as 50,000 live records.
        pairs: list[tuple[int, GuardianInfo]] = []
        known = {
            key: person.id
            for key, person in _existing(
                session, [r.data.external_id or "" for r in preview.rows]
            ).items()
        }
        session.expunge_all()
        for first in range(0, total, _SLICE):
            rows = preview.rows[first : first + _SLICE]
            wanted = [known[k] for r in rows if (k := r.data.external_id or "") in known]
            by_id = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(wanted)))}
            existing = {
                key: by_id[known[key]]
                for r in rows
                if (key := r.data.external_id or "") in known and known[key] in by_id
            }
            students: list[tuple[Person, GuardianInfo]] = []
            for done, row in enumerate(rows, start=first + 1):
                if cancelled is not None and done % 100 == 1 and cancelled():
                    raise ImportCancelled("The import was stopped; nothing was imported.")
                person = existing.get(row.data.external_id or "")
                if person is None:
                    person = Person(**vars(row.data), search_text=search_text(row.data))
                    session.add(person)
                    created += 1
                else:
                    changed = _changes(person, row.data, names)
                    for name in changed:
                        setattr(person, name, getattr(row.data, name))
                    if changed:
                        current = PersonData(**{n: getattr(person, n) for n in _PERSON_FIELDS})
                        person.search_text = search_text(current)
                        updated += 1
                    else:
                        unchanged += 1
                if row.guardian is not None:
                    students.append((person, row.guardian))
                if progress is not None and (done % 200 == 0 or done == total):
                    progress(done, total)
            session.flush()
            pairs.extend((person.id, info) for person, info in students)
            session.expunge_all()
        if cancelled is not None and cancelled():
            raise ImportCancelled("The import was stopped; nothing was imported.")
        if pairs:
            linked = _link_guardians(session, pairs)
        skipped = len(preview.bad_lines)
        audit.record(
            session, "import", "roster", None, actor=actor, file=preview.path.name,
            created=created, updated=updated, unchanged=unchanged, skipped=skipped,
            guardians_linked=linked,
        )  # fmt: skip
    return ImportResult(created, updated, skipped, linked, unchanged)


# Rows written per flush; each slice's records are released once written.
_SLICE = 1000


def _guardian_key(first: str, last: str, email: str | None, phone: str | None) -> tuple[str, ...]:
    contact = fold(email or "") or "".join(c for c in phone or "" if c.isdigit())
    return fold(first), fold(last), contact


def _link_guardians(session: Session, pairs: list[tuple[int, GuardianInfo]]) -> int:
    """Link each student (by id) to their row's guardian, reusing a guardian already known.

    A guardian is known by name and phone or email. Everything is looked up in a few queries
    and written a slice at a time, so a district roster of tens of thousands of lines imports
    in seconds and in little memory.
    """
    known: dict[tuple[str, ...], int] = {}
    guardians = select(Person.id, Person.first_name, Person.last_name, Person.email, Person.phone)
    for row in session.execute(guardians.where(Person.kind == PersonKind.GUARDIAN.value)):
        known.setdefault(_guardian_key(row[1], row[2], row[3], row[4]), int(row[0]))
    chosen: list[tuple[int, int, str | None]] = []
    for first in range(0, len(pairs), _SLICE):
        made_here: dict[tuple[str, ...], Person] = {}
        slice_pairs = []
        for student_id, info in pairs[first : first + _SLICE]:
            key = _guardian_key(info.first_name, info.last_name, info.email, info.phone)
            if key not in known and key not in made_here:
                data = PersonData(
                    info.first_name, info.last_name, PersonKind.GUARDIAN.value,
                    phone=info.phone, email=info.email,
                )  # fmt: skip
                made_here[key] = Person(**vars(data), search_text=search_text(data))
                session.add(made_here[key])
            slice_pairs.append((student_id, key, info.relationship))
        session.flush()
        known.update({key: person.id for key, person in made_here.items()})
        session.expunge_all()
        chosen.extend(
            (student, known[key], relationship) for student, key, relationship in slice_pairs
        )
    student_ids = sorted({student for student, _, _ in chosen})
    linked: set[tuple[int, int]] = set()
    for start in range(0, len(student_ids), 500):
        chunk = student_ids[start : start + 500]
        query = select(GuardianLink.student_id, GuardianLink.guardian_id)
        linked.update(
            (a, b) for a, b in session.execute(query.where(GuardianLink.student_id.in_(chunk)))
        )
    made = 0
    for student_id, guardian_id, relationship in chosen:
        if student_id == guardian_id or (student_id, guardian_id) in linked:
            continue
        linked.add((student_id, guardian_id))
        session.add(
            GuardianLink(
                student_id=student_id, guardian_id=guardian_id, relationship_label=relationship
            )
        )
        made += 1
        if made % _SLICE == 0:
            session.flush()
            session.expunge_all()
    return made


__all__ = [
    "GuardianInfo",
    "ImportCancelled",
    "ImportResult",
    "RosterComparison",
    "RosterError",
    "RosterPreview",
    "RosterRow",
    "RowError",
    "compare",
    "import_roster",
    "read_roster",
]
