"""How a person's name is shown: one rule for every screen, export and message."""


def display_name(first: str | None, preferred: str | None, last: str | None) -> str:
    """'Preferred Last' when a preferred name is given, else 'First Last'."""
    return " ".join(
        part for part in ((preferred or first or "").strip(), (last or "").strip()) if part
    )


def short_name(first: str | None, preferred: str | None) -> str:
    """The name a person is called by in a circle: the preferred name, else the first."""
    return (preferred or first or "").strip()
