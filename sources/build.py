"""Turn the raw reference files (../shared/data/raw/) and yearly.toml into the normalized
files in fixtures/.

Only what fixtures/README.md lists is taken; everything is deterministic, so running
``manage.py build_fixtures`` twice gives byte-identical files. Each rule that needs a
judgement (which FREIDA row wins, which NRMP label is which ACGME specialty) is an explicit
table or function in the module of its source (acgme, freida, nrmp_figures, nrmp_codes, lca),
so it can be reviewed; this module runs them all and adds the labels saying where each row
came from.
"""

from pathlib import Path

from programs.choices import (
    H1B_EVIDENCE_FROM,
    H1B_EVIDENCE_PERIOD,
    H1B_EVIDENCE_TO,
    MatchKind,
)
from programs.csv_format import COLUMNS as PROGRAM_COLUMNS
from sources import acgme, freida, lca, nrmp_codes, nrmp_figures, yearly
from sources.tables import BuildReport, read_csv, write_csv


def build_programs(raw_dir: Path, acgme_rows, report: BuildReport) -> list[dict[str, str]]:
    """The listing's programs, with the FREIDA 2016 facts of those FREIDA had."""
    programs = [acgme.program_from_acgme(row, report) for row in acgme_rows]
    freida.add_facts(raw_dir, programs, report)
    return sorted(programs, key=lambda p: p["acgme_id"])


# NRMP program codes and per-program Match results --------------------------------------

NRMP_CODE_COLUMNS = [*nrmp_codes.NRMP_CODE_COLUMNS, "source_label"]
NRMP_RESULT_COLUMNS = [
    *nrmp_codes.PROGRAM_RESULT_COLUMNS,
    "match",
    "source_label",
    "source_url",
]
NRMP_CODES_LABEL = "NRMP program codes, about the 2024 Match (wavegate/residency-match list)"
NRMP_FLORIDA_CODES_LABEL = "NRMP Program Results, 2026 Match (Florida programs)"


def build_nrmp_codes(raw_dir: Path, programs, report) -> list[dict[str, str]]:
    rows = nrmp_codes.build_nrmp_codes(raw_dir, programs, report.note)
    for row in rows:
        from_florida = row["match_rule"].startswith("fl-")
        row["source_label"] = NRMP_FLORIDA_CODES_LABEL if from_florida else NRMP_CODES_LABEL
    return rows


# The Florida file's tables: the match whose results each one reports.
FLORIDA_TABLE_MATCHES = {
    "Main": (MatchKind.NRMP_MAIN, "Main Residency Match"),
    "Specialty": (MatchKind.NRMP_SMS, "Specialties Matching Service"),
}


def build_program_results(raw_dir: Path, programs, codes) -> list[dict[str, str]]:
    """Florida's per-program results, each labelled with the match whose results report it,
    as the file's table says (a residency such as allergy and immunology is in the
    Specialties Matching Service)."""
    rows = nrmp_codes.build_program_results(raw_dir, programs, codes, lambda _: None)
    for row in rows:
        match, report = FLORIDA_TABLE_MATCHES[row.pop("table")]
        row["match"] = match.value
        row["source_label"] = f"NRMP Program Results, {report}"
        row["source_url"] = ""
    return rows


def florida_tables(raw_dir: Path) -> dict[str, set[str]]:
    """The three-digit specialty codes of the Florida file's program codes, per table."""
    tables: dict[str, set[str]] = {}
    for row in nrmp_codes.read_florida(raw_dir):
        tables.setdefault(row.table, set()).add(row.code[4:7])
    return tables


# H-1B filings by sponsoring institution (US Department of Labor) ------------------------

H1B_COLUMNS = [
    *lca.H1B_FILING_COLUMNS,
    "period",
    "filed_from",
    "filed_to",
    "source_label",
    "source_url",
]
LCA_ALIASES = Path(__file__).resolve().parent.parent / "fixtures" / "lca_employer_aliases.csv"
LCA_PERIOD = f"from {H1B_EVIDENCE_PERIOD}"
LCA_SOURCE_URL = "https://www.dol.gov/agencies/eta/foreign-labor/performance"


def build_h1b_filings(
    raw_dir: Path, sponsors: list[dict[str, str]], programs: list[dict[str, str]], report
) -> list[dict[str, str]]:
    rows = lca.build_h1b_filings(raw_dir, sponsors, programs, LCA_ALIASES, report.note)
    for row in rows:
        row.update(
            period=LCA_PERIOD,
            filed_from=H1B_EVIDENCE_FROM.isoformat(),
            filed_to=H1B_EVIDENCE_TO.isoformat(),
            source_label=lca.SOURCE_LABEL,
            source_url=LCA_SOURCE_URL,
        )
    return rows


# All of it ----------------------------------------------------------------------------


def build_fixtures(*, raw_dir: Path, out_dir: Path) -> BuildReport:
    """Read the raw files and yearly.toml, and write every file of fixtures/ except the
    reviewed alias table (an input) and content/ into out_dir."""
    report = BuildReport()
    facts = yearly.read_yearly()
    acgme_rows = read_csv(raw_dir / acgme.ACGME_FILE)
    programs = build_programs(raw_dir, acgme_rows, report)
    sponsors = acgme.build_sponsors(programs, acgme_rows)
    specialties = acgme.build_specialties(acgme_rows)
    codes = build_nrmp_codes(raw_dir, programs, report)
    results = build_program_results(raw_dir, programs, codes)
    report.note(
        f"NRMP results: {len(results)} program-years for "
        f"{len({r['acgme_id'] for r in results})} programs."
    )
    outputs = {
        "specialties.csv": (acgme.SPECIALTY_COLUMNS, specialties),
        "sponsors.csv": (acgme.SPONSOR_COLUMNS, sponsors),
        "programs.csv": (PROGRAM_COLUMNS, programs),
        "nrmp_statistics.csv": (
            nrmp_figures.STATISTIC_COLUMNS,
            nrmp_figures.build_statistics(raw_dir, programs, report),
        ),
        "nrmp_codes.csv": (NRMP_CODE_COLUMNS, codes),
        "nrmp_codes_unlisted.csv": (
            nrmp_codes.UNLISTED_COLUMNS,
            nrmp_codes.build_unlisted_codes(raw_dir, programs, report.note),
        ),
        "nrmp_program_results.csv": (NRMP_RESULT_COLUMNS, results),
        "acgme_positions.csv": (
            acgme.POSITION_COLUMNS,
            acgme.build_positions(raw_dir, programs, report),
        ),
        "h1b_filings.csv": (
            H1B_COLUMNS,
            build_h1b_filings(raw_dir, sponsors, programs, report),
        ),
        "charting_outcomes.csv": (
            nrmp_figures.CHARTING_OUTCOME_COLUMNS,
            nrmp_figures.build_charting_outcomes(raw_dir),
        ),
        "application_services.csv": (
            yearly.APPLICATION_SERVICE_COLUMNS,
            yearly.build_application_services(acgme_rows, facts),
        ),
        "seasons.csv": (yearly.SEASON_COLUMNS, yearly.build_seasons(facts)),
        "matches.csv": (yearly.MATCH_COLUMNS, yearly.build_matches(facts)),
        "event_kinds.csv": (yearly.EVENT_KIND_COLUMNS, yearly.build_event_kinds(facts)),
        "season_events.csv": (yearly.EVENT_COLUMNS, yearly.build_season_events(facts)),
        "specialty_matches.csv": (
            yearly.SPECIALTY_MATCH_COLUMNS,
            yearly.build_specialty_matches(acgme_rows, florida_tables(raw_dir), facts),
        ),
        "fees.csv": (yearly.FEE_COLUMNS, yearly.build_fees(facts)),
        "signals.csv": (yearly.SIGNAL_COLUMNS, yearly.build_signals(facts)),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    for filename, (columns, rows) in outputs.items():
        write_csv(out_dir / filename, columns, rows)
        report.note(f"{filename}: {len(rows)} rows.")
    return report
