"""How the student information systems schools use name their export columns.

A preset says, for one system, which of its columns fills which field, in order of preference
(the district-wide ID before a school's own number), and how to recognise its files from their
header. The generic preset knows the everyday spellings ("Student ID", "First Name", ...) and
fills whatever a system's preset leaves open. The guess is only a start: the person can change
any column's field (the import dialog's table, ``--map COLUMN=FIELD``), and that choice is
saved per system for the next file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from circlekeeper.core.i18n import _
from circlekeeper.core.roster.rows import RosterError
from circlekeeper.core.text import fold

# Every field a column can fill, with the words messages use for it.
FIELDS: dict[str, str] = {
    "external_id": "student ID",
    "first_name": "first name",
    "last_name": "last name",
    "full_name": "full name (Last, First or First Last)",
    "preferred_name": "preferred name",
    "pronouns": "pronouns",
    "kind": "kind of person",
    "grade": "grade",
    "school": "school",
    "birth_date": "birth date",
    "email": "email",
    "phone": "phone",
    "title": "job title",
    "gender": "gender",
    "race_ethnicity": "race or ethnicity",
    "disability": "disability",
    "english_learner": "English learner",
    "low_income": "low income",
    "guardian_name": "guardian name",
    "guardian_first_name": "guardian first name",
    "guardian_last_name": "guardian last name",
    "guardian_phone": "guardian phone",
    "guardian_email": "guardian email",
    "guardian_relationship": "guardian relationship",
}

# What a person writes in --map (or a saved mapping holds) for a column that is not used.
NOT_USED = ("", "none", "-", "ignore", "skip")


def header_key(column: str) -> str:
    """A column name compared without case, accents, spaces or punctuation."""
    return "".join(c for c in fold(column) if c.isalnum())


@dataclass(frozen=True)
class Preset:
    """One system's export: how to recognise it and which column fills which field."""

    key: str
    label: str
    # Each signature is a set of column names (lower case, as written); a header holding
    # every name of one signature is this system's.
    signatures: tuple[frozenset[str], ...]
    # field -> header keys (see header_key) in order of preference.
    fields: dict[str, tuple[str, ...]] = field(default_factory=dict)


GENERIC = Preset(
    "generic",
    "a generic roster",
    (),
    {
        # A district-wide ID before a school's own number, when a file has both.
        "external_id": (
            "districtid", "districtstudentid", "permid", "permanentid", "studentid", "id",
            "studentnumber", "localid", "studentno", "studentidnumber", "localstudentid",
            "sisid", "idnumber", "personid", "staffid", "employeeid", "schoolstudentid",
        ),
        "first_name": ("firstname", "givenname", "legalfirstname", "first", "fname"),
        "last_name": ("lastname", "surname", "familyname", "legallastname", "last", "lname"),
        "full_name": ("studentname", "fullname", "name", "lastfirst", "namelastfirst"),
        "preferred_name": ("preferredname", "nickname", "preferredfirstname", "goesby"),
        "pronouns": ("pronouns", "pronoun", "preferredpronouns"),
        "grade": ("grade", "gradelevel", "gr", "grd", "currentgrade", "yearlevel", "grades"),
        "school": ("school", "schoolname", "building", "campus", "site"),
        "birth_date": ("birthdate", "dob", "dateofbirth", "birthday"),
        "email": ("email", "emailaddress", "studentemail", "email1"),
        "phone": ("phone", "phonenumber", "studentphone", "telephone"),
        "title": ("title", "jobtitle", "position"),
        "kind": ("kind", "persontype", "type", "role"),
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
        "guardian_first_name": ("guardianfirstname", "parentfirstname", "contactfirstname"),
        "guardian_last_name": ("guardianlastname", "parentlastname", "contactlastname"),
        "guardian_phone": (
            "guardianphone", "parentphone", "parentguardianphone", "contactphone", "homephone",
        ),
        "guardian_email": ("guardianemail", "parentemail", "parentguardianemail", "contactemail"),
        "guardian_relationship": (
            "guardianrelationship", "relationship", "relationtostudent", "contactrelationship",
        ),
    },
)  # fmt: skip

POWERSCHOOL = Preset(
    "powerschool",
    "PowerSchool",
    (frozenset({"student_number", "grade_level"}), frozenset({"student_number", "lastfirst"})),
    {
        # Student_Number is the district's; State_StudentNumber only when it is missing.
        "external_id": ("studentnumber", "statestudentnumber"),
        "first_name": ("firstname",),
        "last_name": ("lastname",),
        "full_name": ("lastfirst",),
        "grade": ("gradelevel",),
        "school": ("schoolname",),
        "birth_date": ("dob",),
        "gender": ("gender",),
        "race_ethnicity": ("fedethnicity", "ethnicity"),
        "email": ("studentemail", "studentwebemail"),
        "guardian_name": ("guardian", "mother", "father"),
        "guardian_phone": ("homephone", "motherdayphone", "fatherdayphone"),
        "guardian_email": ("guardianemail", "motheremail", "fatheremail"),
    },
)

INFINITE_CAMPUS = Preset(
    "infinite_campus",
    "Infinite Campus",
    (frozenset({"student.studentnumber", "student.lastname"}),),
    {
        "external_id": ("studentstudentnumber", "studentstateid"),
        "first_name": ("studentfirstname",),
        "last_name": ("studentlastname",),
        "preferred_name": ("studentalias",),
        "grade": ("studentgrade",),
        "school": ("studentschoolname", "calendarschoolname"),
        "birth_date": ("studentbirthdate",),
        "gender": ("studentgender",),
        "race_ethnicity": ("studentraceethnicityfed", "studentraceethnicity"),
        "email": ("studentemail",),
        "guardian_first_name": ("contactsfirstname", "guardianfirstname"),
        "guardian_last_name": ("contactslastname", "guardianlastname"),
        "guardian_phone": ("contactscellphone", "contactshomephone", "studenthomephone"),
        "guardian_email": ("contactsemail",),
        "guardian_relationship": ("contactsrelationship",),
    },
)

SKYWARD = Preset(
    "skyward",
    "Skyward",
    (frozenset({"other id", "student name"}), frozenset({"name id", "student name"})),
    {
        # "Other ID" is the district's student number; "Name ID" is Skyward's own key.
        "external_id": ("otherid", "studentid", "stateid"),
        "full_name": ("studentname",),
        "grade": ("grade", "gradelevel"),
        "school": ("entityname", "entity", "school"),
        "birth_date": ("birthdate", "dateofbirth"),
        "gender": ("gender",),
        "race_ethnicity": ("fedraceethnicity", "fedrace", "ethnicity"),
        "guardian_name": ("primaryguardian", "guardian1name", "guardianname"),
        "guardian_phone": ("primaryphone", "guardian1phone", "homephone"),
        "guardian_email": ("guardian1email", "guardianemail", "familyemail"),
        "guardian_relationship": ("guardian1relationship", "guardianrelationship"),
    },
)

AERIES = Preset(
    "aeries",
    "Aeries",
    (
        frozenset({"ln", "fn", "gr"}),
        frozenset({"stu.ln", "stu.fn"}),
        frozenset({"perm id", "student number"}),
    ),
    {
        # The Perm ID (STU.ID) is district-wide; the Student Number (STU.SN) is a school's.
        "external_id": ("permid", "stuid", "id", "studentnumber", "stusn", "sn"),
        "last_name": ("ln", "stuln", "lastname"),
        "first_name": ("fn", "stufn", "firstname"),
        "grade": ("gr", "stugr", "grade"),
        "birth_date": ("bd", "stubd", "birthdate"),
        "gender": ("sx", "stusx", "gn", "stugn", "sex", "gender"),
        "email": ("sem", "stusem", "studentemail"),
        "guardian_name": ("pg", "stupg", "parentguardianname", "parentguardian"),
        "guardian_phone": ("tl", "stutl", "telephone"),
        "guardian_email": ("pem", "stupem", "parentemail"),
    },
)

ONEROSTER = Preset(
    "oneroster",
    "OneRoster (Clever, ClassLink)",
    (frozenset({"sourcedid", "givenname", "familyname", "role"}),),
    {
        # identifier is the district's student number; sourcedId is an opaque key.
        "external_id": ("identifier", "sourcedid"),
        "first_name": ("givenname",),
        "last_name": ("familyname",),
        "preferred_name": ("preferredfirstname",),
        "grade": ("grades",),
        "kind": ("role",),
        "email": ("email",),
        "phone": ("phone", "sms"),
    },
)

PRESETS: dict[str, Preset] = {
    p.key: p for p in (POWERSCHOOL, INFINITE_CAMPUS, SKYWARD, AERIES, ONEROSTER, GENERIC)
}


def recognise(columns: Iterable[str]) -> Preset:
    """The system a header comes from, by its column names; the generic preset otherwise."""
    names = {c.strip().lower() for c in columns}
    for preset in PRESETS.values():
        if any(signature <= names for signature in preset.signatures):
            return preset
    return GENERIC


def guess_mapping(columns: list[str], preset: Preset) -> dict[str, str]:
    """Which field each column fills (column as written -> field), by the preset's guess."""
    by_key: dict[str, str] = {}
    for column in columns:
        by_key.setdefault(header_key(column), column)
    mapping: dict[str, str] = {}
    sources = [preset.fields] if preset is GENERIC else [preset.fields, GENERIC.fields]
    for fields_ in sources:
        for name, keys in fields_.items():
            if name in mapping.values():
                continue
            for key in keys:
                found = by_key.get(key)
                if found is not None and found not in mapping:
                    mapping[found] = name
                    break
    return _without_redundant(mapping)


def _without_redundant(mapping: dict[str, str]) -> dict[str, str]:
    # A combined name is only used when the file has no separate first and last names.
    chosen = set(mapping.values())
    drop = set()
    if {"first_name", "last_name"} <= chosen:
        drop.add("full_name")
    if {"guardian_first_name", "guardian_last_name"} <= chosen:
        drop.add("guardian_name")
    return {c: f for c, f in mapping.items() if f not in drop}


def field_named(text: str) -> str | None:
    """The field a person means by ``text`` ("grade", "Guardian email", "guardian_email")."""
    wanted = header_key(text)
    for name, label in FIELDS.items():
        if wanted in (header_key(name), header_key(label)):
            return name
    return None


def apply_mapping(
    columns: list[str], guessed: dict[str, str], chosen: Mapping[str, str], *, saved_for: str = ""
) -> dict[str, str]:
    """The guess with the person's choices (column -> field or NOT_USED) put over it.

    Every bad choice is refused with a plain message: a column the file does not have (for a
    saved mapping, ``saved_for`` names the system it was saved for), a field that does not
    exist, or two columns for one field.
    """
    by_name = {c.strip().lower(): c for c in columns}
    found = ", ".join(repr(c) for c in columns if c) or "none"
    mapping = dict(guessed)
    picked: dict[str, str] = {}
    for column_text, field_text in chosen.items():
        column = by_name.get(column_text.strip().lower())
        if column is None:
            if saved_for:
                raise RosterError(
                    _(
                        "The column choices saved for {saved_for} files name the column "
                        "{column_text}, which this file does not have, so nothing was read. "
                        "Its columns are: {found}. Choose the columns again (or forget the "
                        "saved choices) and read the file again.",
                        saved_for=saved_for,
                        column_text=repr(column_text),
                        found=found,
                    )
                )
            raise RosterError(
                _(
                    "There is no column {column_text} in the file, so nothing was read. "
                    "Its columns are: {found}.",
                    column_text=repr(column_text),
                    found=found,
                )
            )
        if field_text.strip().lower() in NOT_USED:
            mapping.pop(column, None)
            continue
        name = field_named(field_text)
        if name is None:
            raise RosterError(
                _(
                    "{field_text} is not a field a roster can fill, so nothing was read. "
                    "The fields are: {fields}.",
                    field_text=repr(field_text),
                    fields=", ".join(FIELDS),
                )
            )
        if name in picked and picked[name] != column:
            raise RosterError(
                _(
                    "The columns {picked} and {column} are both chosen for the "
                    "{field}, so nothing was read. Choose one column for each field.",
                    picked=repr(picked[name]),
                    column=repr(column),
                    field=FIELDS[name],
                )
            )
        picked[name] = column
        mapping[column] = name
    # A field the person gave a column to is no longer filled from the guessed one.
    for column, name in list(mapping.items()):
        if name in picked and picked[name] != column:
            del mapping[column]
    return mapping
