"""The schema versions this release knows, so start-up can check a file without alembic.

A test keeps this list equal to the alembic chain in ``migrations/versions``.
"""

from __future__ import annotations

REVISIONS: tuple[str, ...] = (
    "0001_initial",
    "0002_search_index",
    "0003_profiles",
    "0004_person_directory_index",
    "0005_one_eligibility_screen",
    "0006_reference_indexes",
    "0007_incident_vocabulary",
    "0008_fidelity_surveys",
    "0009_sro_activity",
    "0010_hand_offs",
    "0011_foreign_key_indexes",
    "0012_search_by_kind",
    "0013_server_rules",
    "0014_server_roles",
    "0015_edit_versions",
    "0016_item_spanish_wording",
    "0017_schools",
    "0018_merges",
    "0019_consent_withdrawn",
    "0020_people_search_grams",
    "0021_open_items_by_due_date",
    "0022_search_words",
)
HEAD = REVISIONS[-1]

# Tables the migrations make that the models do not describe: SQLite's FTS5 search index and the
# shadow tables FTS5 keeps beside it, the people search's lists (``person_gram``, migration
# 0020, read through ``core/people/matching.py``) and, on a server only, the search index's
# word list (``search_word``, migration 0022, read through ``core/search/server.py``). All are
# kept by triggers, never written by the app, so merges and model comparisons must skip them.
SEARCH_INDEX = "search_index"
PEOPLE_SEARCH_INDEX = "person_gram"
SEARCH_WORDS = "search_word"
KEPT_BY_TRIGGERS = (SEARCH_INDEX, PEOPLE_SEARCH_INDEX, SEARCH_WORDS)  # plain tables on a server


def is_managed_table(name: str | None) -> bool:
    """Whether a table is described by the models (False for the search indexes and parts)."""
    if name is None:
        return True
    return name not in KEPT_BY_TRIGGERS and not name.startswith(f"{SEARCH_INDEX}_")
