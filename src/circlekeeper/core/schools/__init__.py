"""The district's schools, and the one place that decides which school a record belongs to."""

from circlekeeper.core.schools.schools import (
    SchoolRow,
    find_school,
    laptop_school,
    laptop_school_name,
    list_schools,
    school_for_case,
    school_for_circle,
    school_for_person,
    school_named,
    school_names,
    tidy_school_name,
)

__all__ = [
    "SchoolRow",
    "find_school",
    "laptop_school",
    "laptop_school_name",
    "list_schools",
    "school_for_case",
    "school_for_circle",
    "school_for_person",
    "school_named",
    "school_names",
    "tidy_school_name",
]
