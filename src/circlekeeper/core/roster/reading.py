"""Reading a roster: a CSV file or an Excel workbook exported from the student information system.

Reading and importing are two steps so a person sees exactly what will happen (which system
the file came from, how each column is used, which rows have problems and on which line)
before anything is saved: this module reads the file and saves nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path

from circlekeeper.core.domain.enums import PersonKind
from circlekeeper.core.i18n import _
from circlekeeper.core.people.people import PersonData, _clean
from circlekeeper.core.problems import InvalidInput
from circlekeeper.core.roster.dates import DateReading, read_date
from circlekeeper.core.roster.grades import canonical_grade
from circlekeeper.core.roster.presets import (
    FIELDS,
    PRESETS,
    apply_mapping,
    guess_mapping,
    header_key,
    recognise,
)
from circlekeeper.core.roster.rows import (
    PERSON_FIELD_NAMES,
    GuardianInfo,
    RosterError,
    RosterPreview,
    RosterRow,
    RowError,
)
from circlekeeper.core.roster.sources import open_table
from circlekeeper.core.text import clean_name, fold, normalise_id

REQUIRED = {"external_id": "student ID", "first_name": "first name", "last_name": "last name"}

_LIMITS = {
    "first_name": 100, "last_name": 100, "preferred_name": 100, "pronouns": 40, "grade": 20,
    "school": 200, "external_id": 64, "email": 200, "phone": 40, "title": 100, "gender": 40,
    "race_ethnicity": 80, "guardian_name": 201, "guardian_first_name": 100,
    "guardian_last_name": 100, "guardian_phone": 40, "guardian_email": 200,
    "guardian_relationship": 60, "full_name": 201,
}  # fmt: skip

# OneRoster's roles and the everyday words, as the people directory's kinds.
_KINDS = {
    "student": "student", "staff": "staff", "teacher": "staff", "administrator": "staff",
    "aide": "staff", "proctor": "staff", "counselor": "staff", "guardian": "guardian",
    "parent": "guardian", "relative": "guardian", "sro": "sro", "community": "community",
}  # fmt: skip

_YES = {"y", "yes", "true", "1", "x"}

_NO = {"n", "no", "false", "0"}

_BOOLEANS = ("disability", "english_learner", "low_income")


def read_roster(
    path: Path,
    *,
    mapping: Mapping[str, str] | None = None,
    saved: Mapping[str, Mapping[str, str]] | None = None,
    sheet: str | None = None,
) -> RosterPreview:
    """Read and check a roster file; nothing is saved.

    The header says which system made the file (``presets.recognise``) and so how its
    columns are guessed. ``saved`` holds the column choices kept per system (see
    ``queries.saved_mappings``); ``mapping`` is the person's own choices now (column -> field,
    or "" for not used), put over both. ``sheet`` names a workbook's sheet. Raises
    :class:`RosterError` (or ``SheetChoiceNeeded``) when the file or a choice cannot be used.
    """
    table = open_table(path, sheet)
    columns = table.header
    preset = recognise(columns)
    guessed = guess_mapping(columns, preset)
    kept = dict((saved or {}).get(preset.key, {}))
    if kept:
        guessed = apply_mapping(columns, guessed, kept, saved_for=preset.label)
    chosen = {**kept, **(mapping or {})}
    final = apply_mapping(columns, guessed, mapping) if mapping else guessed
    names = set(final.values())
    missing = [
        label
        for name, label in REQUIRED.items()
        if name not in names and not (name != "external_id" and "full_name" in names)
    ]
    if missing:
        found = ", ".join(repr(c) for c in columns if c) or "none"
        raise RosterError(
            _(
                "{name} has no column for the {missing}. "
                "Columns found: {found}. Choose which column holds it (in the import window, "
                "or with --map COLUMN=FIELD) or rename the column in the file, and read it again.",
                name=path.name,
                missing=" or the ".join(missing),
                found=found,
            )
        )
    unmapped = [c for c in columns if c not in final]
    preview = RosterPreview(
        path, table.encoding, table.delimiter, columns, final, unmapped,
        source=preset.key, source_label=preset.label, chosen=chosen, sheet=table.sheet,
    )  # fmt: skip
    index = {name: columns.index(column) for column, name in final.items()}
    seen: dict[str, int] = {}
    bad: set[int] = set()
    dates: list[tuple[RosterRow, str, DateReading]] = []
    evidence: dict[str, int] = {}
    contact_only = 0
    agents = _AgentColumns(columns) if preset.key == "oneroster" else None
    for item in table.lines:
        if isinstance(item, RowError):
            preview.errors.append(item)
            bad.add(item.line_number)
            continue
        start, values = item
        if not any(v.strip() for v in values):
            continue  # blank lines are common at the end of exports
        row, problems, reading = _read_row(start, values, columns, index)
        position = index["external_id"]
        external_id = normalise_id(values[position]) if position < len(values) else ""
        if external_id and external_id in seen:
            first = seen[external_id]
            problems.append(
                _(
                    "student ID {external_id} is also on line {first}; each person must be on "
                    "one line only.",
                    external_id=external_id,
                    first=first,
                )
            )
            if first not in bad:
                preview.errors.append(
                    RowError(first, f"student ID {external_id} appears again on line {start}.")
                )
                bad.add(first)
        elif external_id:
            seen[external_id] = start
        if external_id:
            preview.ids.add(external_id)
        for problem in problems:
            preview.errors.append(RowError(start, problem))
        if problems:
            bad.add(start)
        elif row is not None:
            preview.rows.append(row)
            if reading is not None and reading.ambiguous:
                dates.append((row, _value(values, index, "birth_date"), reading))
            elif reading is not None and reading.day_first is None:
                evidence.setdefault("month_first", start)
            elif reading is not None and reading.month_first is None:
                evidence.setdefault("day_first", start)
            if agents is not None:
                agents.note(row, values)
            elif row.guardian is None and _has_contact(values, index):
                contact_only += 1
    _settle_dates(preview, dates, evidence, bad)
    if agents is not None:
        agents.link(preview)
    preview.rows = [r for r in preview.rows if r.line_number not in bad]
    preview.errors.sort(key=lambda e: e.line_number)
    if contact_only:
        preview.notes.append(
            f"{contact_only} row{'s have' if contact_only != 1 else ' has'} a guardian phone "
            "or email but no guardian name; those contacts are not saved. Add a column with "
            "the guardian's name to keep them."
        )
    return preview


class _AgentColumns:
    """OneRoster lists guardians as rows of their own, named in a student's agentSourcedIds.

    Those rows become the guardian (and link) of the students that name them, as a guardian
    column would in other systems, instead of people of their own with an ID.
    """

    def __init__(self, columns: list[str]) -> None:
        keys = [header_key(c) for c in columns]
        self.key = keys.index("sourcedid") if "sourcedid" in keys else None
        self.agent = keys.index("agentsourcedids") if "agentsourcedids" in keys else None
        self.guardians: dict[str, RosterRow] = {}
        self.wanted: list[tuple[RosterRow, list[str]]] = []

    def note(self, row: RosterRow, values: list[str]) -> None:
        if self.key is None or self.agent is None:
            return
        if row.data.kind == PersonKind.GUARDIAN.value and self.key < len(values):
            self.guardians[values[self.key].strip()] = row
        elif self.agent < len(values) and values[self.agent].strip():
            wanted = [a.strip() for a in values[self.agent].replace(";", ",").split(",")]
            self.wanted.append((row, [a for a in wanted if a]))

    def link(self, preview: RosterPreview) -> None:
        if not self.guardians:
            return
        for row, agents in self.wanted:
            found = next((self.guardians[a] for a in agents if a in self.guardians), None)
            if found is not None and row.guardian is None:
                data = found.data
                row.guardian = GuardianInfo(data.first_name, data.last_name, data.phone,
                                            data.email, None)  # fmt: skip
        lines = {r.line_number for r in self.guardians.values()}
        preview.rows = [r for r in preview.rows if r.line_number not in lines]


def source_label(key: str) -> str:
    """The name of the system a preset key stands for ("PowerSchool")."""
    preset = PRESETS.get(key)
    return preset.label if preset is not None else key


def _value(values: list[str], index: dict[str, int], name: str) -> str:
    position = index.get(name)
    return values[position].strip() if position is not None and position < len(values) else ""


def _has_contact(values: list[str], index: dict[str, int]) -> bool:
    return bool(_value(values, index, "guardian_phone") or _value(values, index, "guardian_email"))


def _settle_dates(
    preview: RosterPreview,
    dates: list[tuple[RosterRow, str, DateReading]],
    evidence: dict[str, int],
    bad: set[int],
) -> None:
    """Decide dates like 04/03/2012 by how the rest of the file writes its dates.

    ``evidence`` holds the first line whose date reads only month first (3/14/2013) and the
    first that reads only day first (14/03/2013).
    """
    if not dates:
        return
    month_first = evidence.get("month_first")
    day_first = evidence.get("day_first")
    if day_first is not None and month_first is not None:
        for row, text, reading in dates:
            assert reading.month_first is not None and reading.day_first is not None
            preview.errors.append(
                RowError(
                    row.line_number,
                    f"birth date {text!r} could be {_long(reading.month_first)} or "
                    f"{_long(reading.day_first)}, and this file writes dates both ways "
                    f"(month first on line {month_first}, day first on line {day_first}); "
                    "write it as year-month-day (2012-04-03).",
                )
            )
            bad.add(row.line_number)
        return
    for row, _text, reading in dates:
        row.data.birth_date = reading.day_first if day_first is not None else reading.month_first
    if day_first is not None:
        preview.notes.append(
            f"This file writes dates day first (line {day_first}), so dates such as "
            f"{dates[0][1]!r} on line {dates[0][0].line_number} were read day first too."
        )


def _long(value: date) -> str:
    return f"{value:%B} {value.day}, {value.year}"


def _read_row(
    line: int, values: list[str], columns: list[str], index: dict[str, int]
) -> tuple[RosterRow | None, list[str], DateReading | None]:
    problems: list[str] = []
    if len(values) > len(columns) and any(v.strip() for v in values[len(columns) :]):
        problems.append(
            _(
                "it has {values_count} values but the header has {columns_count} columns; "
                "check for a separator inside a value that is not in quotes.",
                values_count=len(values),
                columns_count=len(columns),
            )
        )
        return None, problems, None
    raw: dict[str, str] = {}
    for name, position in index.items():
        value = values[position] if position < len(values) else ""
        raw[name] = clean_name(value)  # the guardian's name too, before it is split
    if raw.get("full_name") and not (raw.get("first_name") and raw.get("last_name")):
        parts = split_name(raw["full_name"])
        if parts is None:
            problems.append(
                _(
                    "the name {full_name} needs both a first and a family name "
                    "('Lopez, Maria' or 'Maria Lopez').",
                    full_name=repr(raw["full_name"]),
                )
            )
        else:
            raw.setdefault("first_name", "")
            raw.setdefault("last_name", "")
            raw["first_name"] = raw["first_name"] or parts[0]
            raw["last_name"] = raw["last_name"] or parts[1]
    for name, label in REQUIRED.items():
        if not raw.get(name) and not (problems and name != "external_id"):
            column = _column(columns, index, name if name in index else "full_name")
            problems.append(
                _(
                    "the {label} is empty (column {column}).",
                    label=label,
                    column=repr(column),
                )
            )
    for name, limit in _LIMITS.items():
        value = raw.get(name, "")
        if len(value) > limit:
            problems.append(
                _(
                    "the {field} is {value_count} characters long; at most {limit} fit.",
                    field=FIELDS[name],
                    value_count=len(value),
                    limit=limit,
                )
            )
    values_out: dict[str, object] = {
        n: (v or None) for n, v in raw.items() if n in PERSON_FIELD_NAMES
    }
    if raw.get("grade"):
        grade = canonical_grade(raw["grade"])
        if grade is None:
            problems.append(
                _(
                    "grade {grade} is not a school grade (use PK, TK, K or 1 to 12).",
                    grade=repr(raw["grade"]),
                )
            )
        values_out["grade"] = grade
    reading = None
    if raw.get("birth_date"):
        reading = read_date(raw["birth_date"])
        born = reading.only or reading.month_first
        if not reading.readable:
            problems.append(
                _(
                    "birth date {birth_date} is not a date this roster can read; "
                    "write it as 2010-03-04 or 03/04/2010 (month/day/year).",
                    birth_date=repr(raw["birth_date"]),
                )
            )
        elif not all(
            date(1900, 1, 1) <= d <= date.today()
            for d in (reading.month_first, reading.day_first)
            if d is not None
        ):
            problems.append(
                _(
                    "birth date {birth_date} is not a possible birth date.",
                    birth_date=repr(raw["birth_date"]),
                )
            )
        values_out["birth_date"] = born
    if raw.get("kind"):
        kind = _KINDS.get(fold(raw["kind"]))
        if kind is None:
            problems.append(
                _(
                    "kind {kind} is not one of: student, staff, guardian, sro, community.",
                    kind=repr(raw["kind"]),
                )
            )
        values_out["kind"] = kind or PersonKind.STUDENT.value
    for name in _BOOLEANS:
        if raw.get(name):
            answer = raw[name].lower()
            if answer not in _YES | _NO:
                problems.append(
                    _(
                        "{field} {raw} should be yes or no.",
                        field=FIELDS[name],
                        raw=repr(raw[name]),
                    )
                )
            values_out[name] = answer in _YES
    guardian = None
    if raw.get("guardian_name") or raw.get("guardian_first_name") or raw.get("guardian_last_name"):
        guardian = _guardian(raw, problems)
    if problems:
        return None, problems, None
    try:
        data = _clean(PersonData(**values_out))  # type: ignore[arg-type]
    except InvalidInput as exc:
        return None, [str(exc)], None
    return RosterRow(line, data, guardian), problems, reading


def _column(columns: list[str], index: dict[str, int], name: str) -> str:
    return columns[index[name]]


def split_name(text: str) -> tuple[str, str] | None:
    """(first, family) from one combined name: "Lopez, Maria J" or "Maria Lopez".

    With a comma the family name comes first (as Skyward and PowerSchool's LastFirst write
    it) and a trailing middle initial is left out; without one the last word is the family
    name. None when either part would be empty.
    """
    if "," in text:
        last, _ignored, first = (p.strip() for p in text.partition(","))
        words = first.split()
        if len(words) > 1 and len(words[-1].rstrip(".")) == 1:
            first = " ".join(words[:-1])
    else:
        first, _ignored2, last = text.strip().rpartition(" ")
    first, last = first.strip(), last.strip()
    return (first, last) if first and last else None


def _guardian(raw: dict[str, str], problems: list[str]) -> GuardianInfo | None:
    first, last = raw.get("guardian_first_name", ""), raw.get("guardian_last_name", "")
    if not (first and last) and raw.get("guardian_name"):
        parts = split_name(raw["guardian_name"])
        if parts is None:
            problems.append(
                _(
                    "guardian name {guardian_name} needs both a first and a family name "
                    "('Maria Lopez' or 'Lopez, Maria').",
                    guardian_name=repr(raw["guardian_name"]),
                )
            )
            return None
        first, last = parts
    if not first or not last:
        problems.append(
            _("the guardian needs both a first and a family name; one of the two columns is empty.")
        )
        return None
    return GuardianInfo(
        first,
        last,
        raw.get("guardian_phone") or None,
        raw.get("guardian_email") or None,
        raw.get("guardian_relationship") or None,
    )


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
