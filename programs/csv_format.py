"""The program CSV format: what `import_programs` reads, what the directory's export writes,
and what fixtures/programs.csv holds. One row per program, keyed by ACGME ID.

Empty cells mean "not known". Choice columns take the stored codes (e.g. ``yes``, ``no``,
``unknown``); dates are ISO (YYYY-MM-DD). ``address`` may hold several lines.
"""

from programs.models import FactGroup, Program

FACT_SOURCE_COLUMNS = [
    f"{group}_{part}"
    for group in FactGroup
    for part in ("source_label", "source_url", "verified_on")
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
    "setting",
    "year1_positions",
    "participates_in_eras",
    "required_letters",
    "accepts_imgs",
    "sponsors_j1",
    "sponsors_h1b",
    "h1b_note",
    "step2_policy",
    "step2_minimum",
    "comlex_accepted",
    "comlex_minimum",
    "graduation_policy",
    "max_years_since_graduation",
    "usce_policy",
    "usce_months",
    "ecfmg_certified_by",
    *FACT_SOURCE_COLUMNS,
]

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
    """A program as a CSV row of strings (``select_related("specialty", "sponsor")`` first)."""
    row = {
        "specialty_code": program.specialty.code,
        "sponsor_code": program.sponsor.code,
        "sponsor_name": program.sponsor.name,
    }
    for column in PROGRAM_FIELD_COLUMNS:
        value = getattr(program, column)
        row[column] = "" if value is None else str(value)
    return row
