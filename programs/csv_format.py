"""The program CSV format: what `import_programs` reads, what the directory's export writes,
and what fixtures/programs.csv holds. One row per program, keyed by ACGME ID.

Empty cells mean "not known". Choice columns take the stored codes (e.g. ``yes``, ``no``,
``unknown``); dates are ISO (YYYY-MM-DD). ``address`` may hold several lines.
"""

from programs.models import ApplicationService, FactGroup, Program

FACT_SOURCE_COLUMNS = [
    f"{group}_{part}"
    for group in FactGroup
    for part in ("source_label", "source_url", "as_of", "verified_on")
]

COLUMNS = [
    "acgme_id",
    "name",
    "specialty_code",
    "sponsor_code",
    "sponsor_name",
    "address",
    "city",
    "state",
    "zip_code",
    "accreditation_status",
    "accreditation_effective_on",
    "originally_accredited_on",
    "length_years",
    "filled_positions",
    "website",
    "website_doubted",
    "setting",
    "year1_positions",
    "participates_in_eras",
    "required_letters",
    "accepts_imgs",
    "accepts_imgs_inferred",
    "sponsors_j1",
    "sponsors_h1b",
    "visa_answers_doubted",
    "h1b_note",
    "step2_policy",
    "step2_minimum",
    "step2_minimum_doubted",
    "comlex_accepted",
    "comlex_minimum",
    "graduation_policy",
    "max_years_since_graduation",
    "usce_policy",
    "usce_months",
    "ecfmg_certified_by",
    *FACT_SOURCE_COLUMNS,
]

# Columns the directory's export adds for readers; the import accepts and ignores them, so
# an exported file imports back.
EXPORT_ONLY_COLUMNS = ["specialty_name", "application_service", "page_url"]

# Columns that are copied straight from a Program attribute of the same name.
PROGRAM_FIELD_COLUMNS = [
    c for c in COLUMNS if c not in ("specialty_code", "sponsor_code", "sponsor_name")
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
