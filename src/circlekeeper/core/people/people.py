"""The people directory: students, staff, guardians, SROs and community members."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session, aliased, sessionmaker

from circlekeeper.core.audit import audit
from circlekeeper.core.audit.conflicts import check_version
from circlekeeper.core.domain.enums import PersonKind
from circlekeeper.core.i18n import _
from circlekeeper.core.operations import Context, as_context
from circlekeeper.core.people.matching import COUNT_LIMIT, Lookup, matching, typed_words
from circlekeeper.core.people.names import display_name
from circlekeeper.core.problems import InvalidInput, NotFound
from circlekeeper.core.profiles.viewer import DEMOGRAPHIC_FIELDS
from circlekeeper.core.roster.grades import canonical_grade
from circlekeeper.core.schools import find_school, school_for_person, school_named
from circlekeeper.core.store.models import GuardianLink, Person, School
from circlekeeper.core.store.types import utcnow
from circlekeeper.core.text import clean_name, fold, normalise_id


@dataclass
class PersonData:
    """The editable facts about a person, as plain values."""

    first_name: str
    last_name: str
    kind: str = PersonKind.STUDENT.value
    preferred_name: str | None = None
    pronouns: str | None = None
    grade: str | None = None
    school: str | None = None
    external_id: str | None = None
    birth_date: date | None = None
    email: str | None = None
    phone: str | None = None
    title: str | None = None
    gender: str | None = None
    race_ethnicity: str | None = None
    disability: bool | None = None
    english_learner: bool | None = None
    low_income: bool | None = None


PERSON_FIELDS = tuple(f.name for f in fields(PersonData))


class PersonRow(NamedTuple):
    """One line of the people list.

    A named tuple rather than a frozen dataclass: a page of 200 is made at every keystroke, and
    a frozen dataclass takes five times as long to make (its fields are set one by one through
    ``object.__setattr__``).
    """

    id: int
    uuid: str
    kind: str
    first_name: str
    last_name: str
    preferred_name: str | None
    pronouns: str | None
    grade: str | None
    school: str | None
    external_id: str | None
    archived: bool

    @property
    def display_name(self) -> str:
        """How the person is addressed: preferred name first, then family name."""
        return display_name(self.first_name, self.preferred_name, self.last_name)


@dataclass(frozen=True)
class PeopleCount:
    """How many people a search finds: exact up to ``COUNT_LIMIT``; past it, only "more".

    Counting every match of one letter would read most of the directory at each keystroke, so
    the count stops there; screens say "more than 1,000" rather than a number they were not
    given.
    """

    number: int  # the exact count, or COUNT_LIMIT when there are more
    more: bool = False  # more than ``number`` match


@dataclass(frozen=True)
class PeoplePage:
    """A first page of a search with the search's count (:meth:`PeopleService.page`)."""

    rows: list[PersonRow]
    count: PeopleCount


@dataclass(frozen=True)
class GuardianRow:
    link_id: int
    guardian: PersonRow
    relationship: str | None
    can_consent: bool


@dataclass
class PersonDetails:
    """A person with everything the edit form shows."""

    id: int
    uuid: str
    data: PersonData
    archived: bool
    guardians: list[GuardianRow] = field(default_factory=list)
    students: list[PersonRow] = field(default_factory=list)
    row_version: int = 1  # the version read: handed back with an edit (audit/conflicts.py)


def _row_columns(person: Any = Person) -> tuple[Any, ...]:
    """The columns of a PersonRow, read from ``person`` (the table or an alias of it)."""
    school = select(School.name).where(School.id == person.school_id).scalar_subquery()
    return (
        person.id,
        person.uuid,
        person.kind,
        person.first_name,
        person.last_name,
        person.preferred_name,
        person.pronouns,
        person.grade,
        school,
        person.external_id,
        person.archived_at.is_not(None),  # the mark, not the date: no date to convert
    )


def _row(values: Sequence[Any]) -> PersonRow:
    """A row of ``_row_columns`` as a PersonRow."""
    return PersonRow._make((*values[:-1], bool(values[-1])))


def _clean(data: PersonData) -> PersonData:
    values: dict[str, object] = {}
    for name in PERSON_FIELDS:
        value = getattr(data, name)
        if isinstance(value, str):
            # One rule for every path that saves a person (this form, the roster import):
            # no invisible or control characters, and IDs in their one normal form.
            value = (normalise_id(value) if name == "external_id" else clean_name(value)) or None
        values[name] = value
    cleaned = PersonData(**values)  # type: ignore[arg-type]
    if not cleaned.first_name:
        raise InvalidInput(_("First name is required."))
    if not cleaned.last_name:
        raise InvalidInput(_("Last name is required."))
    if cleaned.kind not in {k.value for k in PersonKind}:
        raise InvalidInput(
            _(
                "Unknown kind of person: {kind}.",
                kind=repr(cleaned.kind),
            )
        )
    if cleaned.grade is not None:
        grade = canonical_grade(cleaned.grade)
        if grade is None:
            raise InvalidInput(
                _(
                    "Grade {grade} is not a school grade (use PK, TK, K or 1 to 12).",
                    grade=repr(cleaned.grade),
                )
            )
        cleaned.grade = grade
    for name, limit in (("first_name", 100), ("last_name", 100), ("preferred_name", 100)):
        value = getattr(cleaned, name)
        if value and len(value) > limit:
            raise InvalidInput(
                _(
                    "{name} is too long.",
                    name=name.replace("_", " ").capitalize(),
                )
            )
    return cleaned


def is_minor(person: Person, on: date) -> bool:
    """Under 18 on the date by birth date; a student with no birth date on file counts as one.

    Minors need a guardian's consent to take part and a guardian's signature on agreements.
    """
    return minor_by(person.birth_date, person.kind, on)


def minor_by(born: date | None, kind: str, on: date) -> bool:
    """:func:`is_minor` from the two columns it reads, for a page that reads only columns."""
    if born is None:
        return kind == PersonKind.STUDENT.value
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return age < 18


def new_person(session: Session, data: PersonData) -> Person:
    """A new person from cleaned facts, at the school written for them or this laptop's."""
    values = {n: getattr(data, n) for n in PERSON_FIELDS if n != "school"}
    return Person(
        **values,
        school_id=school_for_person(session, data.school),
        search_text=search_text(data),
    )


def apply_person_data(
    session: Session, person: Person, data: PersonData, names: tuple[str, ...] | list[str]
) -> list[str]:
    """Write the ``names`` fields of ``data`` that differ onto ``person``; returns them.

    The school is compared as a school (any case or spacing of its name is the same one); an
    empty school leaves the person with none.
    """
    changed = []
    for name in names:
        if name == "school":
            wanted = find_school(session, data.school) if data.school else None
            if data.school and wanted is None:
                wanted = school_named(session, data.school)
            school_id = wanted.id if wanted is not None else None
            if school_id != person.school_id:
                person.school_id = school_id
                person.school_ref = wanted
                changed.append(name)
        elif getattr(person, name) != getattr(data, name):
            setattr(person, name, getattr(data, name))
            changed.append(name)
    return changed


def search_text(data: PersonData) -> str:
    external_id = normalise_id(data.external_id) if data.external_id else None
    parts = [data.first_name, data.preferred_name, data.last_name, external_id]
    return fold(" ".join(p for p in parts if p))


def people_by_ids(session: Session, ids: list[str]) -> dict[str, Person]:
    """The people holding these student/staff IDs, by normalised ID (see ``normalise_id``).

    IDs are saved normalised, so the unique index finds them; a row saved by an older release
    ("s 1234" beside "S1234") is found by one scan for IDs not yet in normal form.
    """
    wanted = {normalise_id(i) for i in ids if i and normalise_id(i)}
    found: dict[str, Person] = {}
    ordered = sorted(wanted)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        for person in session.scalars(select(Person).where(Person.external_id.in_(chunk))):
            found[person.external_id or ""] = person
    legacy = select(Person.id, Person.external_id).where(
        Person.external_id.is_not(None),
        (Person.external_id != func.upper(Person.external_id))
        | Person.external_id.contains(" ", autoescape=True),
    )
    for person_id, external_id in session.execute(legacy):
        key = normalise_id(external_id or "")
        if key in wanted and key not in found:
            legacy_person = session.get(Person, person_id)
            if legacy_person is not None:
                found[key] = legacy_person
    return found


def _found(tested: int, *, include_archived: bool) -> Select[Any]:
    """The ids of the people a search finds, in directory order: from the lists of
    ``core/people/matching.py`` when ``tested`` >= 0, else (nothing typed) the directory's own
    order, read from the covering index ix_person_directory."""
    if tested >= 0:
        return matching(tested, include_archived=include_archived)
    query = select(Person.id).order_by(Person.last_name, Person.first_name, Person.id)
    if not include_archived:
        query = query.where(Person.archived_at.is_(None))
    return query


@lru_cache(maxsize=64)
def _page(tested: int, *, include_archived: bool, kind: bool, counted: bool = False) -> Select[Any]:
    """One page of rows in one statement: the page's ids (``limit``, ``offset``), then each
    one's row by key; ``counted`` adds the search's capped count (:func:`_count`) as a last
    column, worked out once for the statement. Made once per shape; a search binds its
    values."""
    found = _found(tested, include_archived=include_archived)
    if kind:
        listed = next(iter(found.selected_columns))
        found = found.where(
            select(Person.id).where(Person.id == listed, Person.kind == bindparam("kind")).exists()
        )
    page = found.limit(bindparam("limit")).offset(bindparam("offset")).subquery()
    columns = _row_columns()
    if counted:
        columns += (_count(tested, include_archived=include_archived).scalar_subquery(),)
    return (
        select(*columns)
        .join_from(page, Person, Person.id == next(iter(page.c)))
        .order_by(Person.last_name, Person.first_name, Person.id)
    )


@lru_cache(maxsize=16)
def _count(tested: int, *, include_archived: bool) -> Select[Any]:
    """How many a search finds, counted no further than one past ``COUNT_LIMIT``."""
    found = _found(tested, include_archived=include_archived)
    return select(func.count()).select_from(found.limit(COUNT_LIMIT + 1).subquery())


def _capped(number: int) -> PeopleCount:
    """A count read no further than one past ``COUNT_LIMIT``, as the screens say it."""
    if number > COUNT_LIMIT:
        return PeopleCount(COUNT_LIMIT, more=True)
    return PeopleCount(number)


class PeopleService:
    """Create, find, edit and archive people, and link guardians to students."""

    def __init__(self, context: Context | sessionmaker[Session]) -> None:
        self.ctx = as_context(context)
        # The last search's choice of list (the count that follows a page reuses it) and the
        # sizes of the lists counted to choose (one more letter counts one more list). Which
        # list is walked decides only how quickly the matches are found, never which are.
        self._last_lookup: Lookup | None = None
        self._list_sizes: dict[str, int] = {}

    @property
    def sessions(self) -> sessionmaker[Session]:
        """The database this service works on (screens use it to find who is viewing)."""
        return self.ctx.sessions

    def search(
        self,
        text: str = "",
        *,
        limit: int = 200,
        offset: int = 0,
        include_archived: bool = False,
        kind: str | None = None,
    ) -> list[PersonRow]:
        """People matching the text, in directory order (family name, then first name)."""
        params: dict[str, object] = {"limit": limit, "offset": offset, "kind": kind}
        with self.ctx.read() as session:
            tested = self._looked_up(session, text, params)
            statement = _page(tested, include_archived=include_archived, kind=bool(kind))
            return [_row(r) for r in session.connection().execute(statement, params).all()]

    def page(
        self, text: str = "", *, limit: int = 200, include_archived: bool = False
    ) -> PeoplePage:
        """The first page of :meth:`search` and its :meth:`count`, in one statement: what the
        directory reads at each key typed (on a server a statement is a round trip)."""
        params: dict[str, object] = {"limit": limit, "offset": 0}
        with self.ctx.read() as session:
            tested = self._looked_up(session, text, params)
            statement = _page(tested, include_archived=include_archived, kind=False, counted=True)
            found = session.connection().execute(statement, params).all()
        number = int(found[0][-1]) if found else 0  # no first page: nothing matches
        return PeoplePage([_row(r[:-1]) for r in found], _capped(number))

    def count(self, text: str = "", *, include_archived: bool = False) -> PeopleCount:
        """How many people :meth:`search` finds for the text, up to ``COUNT_LIMIT``."""
        params: dict[str, object] = {}
        with self.ctx.read() as session:
            tested = self._looked_up(session, text, params)
            statement = _count(tested, include_archived=include_archived)
            number = int(session.connection().execute(statement, params).scalar() or 0)
        return _capped(number)

    def _looked_up(self, session: Session, text: str, params: dict[str, object]) -> int:
        """The list to read for ``text`` (its values added to ``params``): how many of the
        words' pieces each entry is tested against, or -1 when nothing is typed (the
        directory's own order)."""
        words = typed_words(text)
        if not words:
            return -1
        last = self._last_lookup
        if last is None or not last.serves(words):
            last = self._last_lookup = Lookup.of(session, words, self._list_sizes)
        params.update(last.params())
        return len(last.tested)

    def create(self, data: PersonData) -> PersonRow:
        data = _clean(data)
        with self.ctx.write("add a person") as session:
            self._check_external_id(session, data.external_id, None)
            person = new_person(session, data)
            session.add(person)
            session.flush()
            audit.record(session, "create", "person", person.uuid)
            return self._person_row(person)

    def update(
        self, person_id: int, data: PersonData, *, loaded_version: int | None = None
    ) -> PersonRow:
        """Save a person's facts; the equity fields only if the viewer may see them.

        ``loaded_version`` is the version the editor showed (``PersonDetails.row_version``):
        a save after someone else's is refused with an ``EditConflict``.

        An SRO's screen never holds the stored equity fields, so what it sends for them is
        ignored and the stored values are kept.
        """
        data = _clean(data)
        editable = PERSON_FIELDS
        if not self.ctx.viewer().can_see_demographics:
            editable = tuple(n for n in PERSON_FIELDS if n not in DEMOGRAPHIC_FIELDS)
        with self.ctx.write("edit a person") as session:
            person = self._get(session, person_id)
            check_version(self.ctx, session, person, loaded_version, _("This person's record"))
            self._check_external_id(session, data.external_id, person_id)
            data = replace(
                data, **{n: getattr(person, n) for n in PERSON_FIELDS if n not in editable}
            )
            changed = apply_person_data(session, person, data, editable)
            person.search_text = search_text(data)
            if changed:
                audit.record(session, "update", "person", person.uuid, fields=changed)
            return self._person_row(person)

    def set_archived(self, person_id: int, archived: bool) -> None:
        """Archive (hide from lists, keep every record) or bring back a person."""
        with self.ctx.write("archive a person") as session:
            person = self._get(session, person_id)
            if archived == (person.archived_at is not None):
                return
            person.archived_at = utcnow() if archived else None
            action = "archive" if archived else "restore"
            audit.record(session, action, "person", person.uuid)

    def details(self, person_id: int) -> PersonDetails:
        """A person with guardians and students; no equity fields for a viewer (an SRO) who
        may not see them."""
        viewer = self.ctx.viewer()
        with self.ctx.read() as session:
            person = self._get(session, person_id)
            data = viewer.without_demographics(
                PersonData(**{n: getattr(person, n) for n in PERSON_FIELDS})
            )
            guardian = aliased(Person)
            guardians = [
                GuardianRow(link_id, _row(tuple(rest)), rel, consent)
                for link_id, rel, consent, *rest in session.execute(
                    select(
                        GuardianLink.id,
                        GuardianLink.relationship_label,
                        GuardianLink.can_consent,
                        *_row_columns(guardian),
                    )
                    .join(guardian, guardian.id == GuardianLink.guardian_id)
                    .where(GuardianLink.student_id == person_id)
                    .order_by(guardian.last_name, guardian.first_name)
                )
            ]
            student = aliased(Person)
            students = [
                _row(tuple(r))
                for r in session.execute(
                    select(*_row_columns(student))
                    .join(GuardianLink, GuardianLink.student_id == student.id)
                    .where(GuardianLink.guardian_id == person_id)
                    .order_by(student.last_name, student.first_name)
                )
            ]
            return PersonDetails(
                person.id,
                person.uuid,
                data,
                person.archived_at is not None,
                guardians,
                students,
                person.row_version,
            )

    def link_guardian(
        self,
        student_id: int,
        guardian_id: int,
        relationship: str | None = None,
        *,
        can_consent: bool = True,
    ) -> None:
        if student_id == guardian_id:
            raise InvalidInput(_("A person cannot be their own guardian."))
        with self.ctx.write("link a guardian") as session:
            student = self._get(session, student_id)
            guardian = self._get(session, guardian_id)
            exists = session.scalar(
                select(GuardianLink.id).where(
                    GuardianLink.student_id == student_id, GuardianLink.guardian_id == guardian_id
                )
            )
            if exists:
                raise InvalidInput(
                    _(
                        "{first_name} {last_name} is already linked as a guardian.",
                        first_name=guardian.first_name,
                        last_name=guardian.last_name,
                    )
                )
            link = GuardianLink(
                student_id=student_id,
                guardian_id=guardian_id,
                relationship_label=(relationship or "").strip() or None,
                can_consent=can_consent,
            )
            session.add(link)
            session.flush()
            audit.record(
                session,
                "link_guardian",
                "person",
                student.uuid,
                guardian=guardian.uuid,
            )

    def unlink_guardian(self, link_id: int) -> None:
        with self.ctx.write("unlink a guardian") as session:
            link = session.get(GuardianLink, link_id)
            if link is None:
                raise NotFound(_("That guardian link no longer exists."))
            student = self._get(session, link.student_id)
            guardian = self._get(session, link.guardian_id)
            session.delete(link)
            audit.record(
                session,
                "unlink_guardian",
                "person",
                student.uuid,
                guardian=guardian.uuid,
            )

    def find_by_external_id(self, external_id: str) -> PersonRow | None:
        with self.ctx.read() as session:
            person = people_by_ids(session, [external_id]).get(normalise_id(external_id))
            return self._person_row(person) if person is not None else None

    @staticmethod
    def _get(session: Session, person_id: int) -> Person:
        person = session.get(Person, person_id)
        if person is None:
            raise NotFound(
                _(
                    "There is no person with id {person_id} in this database.",
                    person_id=person_id,
                )
            )
        return person

    @staticmethod
    def _check_external_id(session: Session, external_id: str | None, own_id: int | None) -> None:
        if not external_id:
            return
        other = people_by_ids(session, [external_id]).get(normalise_id(external_id))
        if other is not None and other.id != own_id:
            raise InvalidInput(
                _(
                    "Student/staff ID {external_id} already belongs to {first_name} {last_name}.",
                    external_id=external_id,
                    first_name=other.first_name,
                    last_name=other.last_name,
                )
            )

    @staticmethod
    def _person_row(person: Person) -> PersonRow:
        return PersonRow(
            person.id,
            person.uuid,
            person.kind,
            person.first_name,
            person.last_name,
            person.preferred_name,
            person.pronouns,
            person.grade,
            person.school,
            person.external_id,
            person.archived_at is not None,
        )
