"""The program CSV format: what `import_programs` reads, what the directory's export writes,
and what fixtures/programs.csv holds. One row per program, keyed by ACGME ID.

Empty cells mean "not known". Choice columns take the stored codes (e.g. ``yes``, ``no``,
``unknown``); dates are ISO (YYYY-MM-DD). ``address`` may hold several lines.
"""

from programs.facts import FACT_GROUPS
from programs.models import ApplicationService, Program

# Columns that name a related record rather than a field: the specialty by its ACGME code,
# the sponsor by its ACGME code and name.
RELATED_COLUMNS = {
    "specialty": ("specialty_code",),
    "sponsor": ("sponsor_code", "sponsor_name"),
}

# Every fact group's fields in its order (programs.facts), then each group's source and dates.
COLUMNS = [
    *(
        column
        for definition in FACT_GROUPS
        for name in definition.fields
        for column in RELATED_COLUMNS.get(name, (name,))
    ),
    *(name for definition in FACT_GROUPS for name in definition.source_fields),
]

# Columns the directory's export adds for readers; the import accepts and ignores them, so
# an exported file imports back.
EXPORT_ONLY_COLUMNS = ["specialty_name", "application_service", "page_url"]

# Columns that are copied straight from a Program attribute of the same name.
PROGRAM_FIELD_COLUMNS = [
    c for c in COLUMNS if c not in {c for related in RELATED_COLUMNS.values() for c in related}
]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def inert_for_spreadsheets(value: str) -> str:
    """Prefix a quote to cells a spreadsheet would run as a formula (CSV injection)."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def from_spreadsheet(value: str) -> str:
    """Undo inert_for_spreadsheets, so an exported file imports back unchanged."""
    if value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def program_to_row(program: Program) -> dict[str, str]:
    """A program as a CSV row of strings in the import format (``for_listing()`` first)."""
    row = {
        "specialty_code": program.specialty.code,
        "sponsor_code": program.sponsor.code,
        "sponsor_name": program.sponsor.name,
    }
    for column in PROGRAM_FIELD_COLUMNS:
        row[column] = _cell(getattr(program, column))
    return row


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def export_only_cells(program: Program, *, site: str) -> dict[str, str]:
    """What the export adds for readers: the specialty's name, this season's application
    service (from ``with_application_service``) and the program's page on ``site``."""
    service = getattr(program, "application_service", None)
    return {
        "specialty_name": program.specialty.name,
        "application_service": ApplicationService(service).label if service else "",
        "page_url": site + program.get_absolute_url(),
    }
