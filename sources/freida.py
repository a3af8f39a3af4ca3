"""AMA FREIDA, scraped about February 2016: the program facts taken from it, and the doubts
about them."""

from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from programs.choices import STEP2_DOUBTFUL_BELOW, ScorePolicy, Setting, Tri
from sources.tables import BuildReport, read_csv

FREIDA_DETAILS_FILE = "freida_scrape_2016/freida_2016_program_details.csv"
FREIDA_INDEX_FILE = "freida_scrape_2016/freida_2016_program_index.csv"

FREIDA_LABEL = "FREIDA, 2016"
FREIDA_AS_OF = "2016-02-28"  # the scrape's commit date

FREIDA_IMG_PREFIX = (
    "General Information - IMGs should have, among other qualifications, one or more of the "
    "following.  Contact the program for additional information. - "
)
FREIDA_STEP_PREFIX = (
    "General Information - USMLE Step 1 and Step 2 requirements for interview consideration - "
)
FREIDA_COMLEX_PREFIX = (
    "General Information - COMLEX Level 1 and 2 requirements for interview consideration "
    "(DOs only) - "
)
FREIDA_COLUMNS = {
    "website": "Basic Information - Information - Web Address",
    "eras": "Basic Information - Information - Participates in ERAS",
    "setting": "General Information - Program best described as",
    "year1": "General Information - Total program size - Year 1",
    "letters": "General Information - Required letters of recommendation",
    "j1": FREIDA_IMG_PREFIX + "J-1 visa",
    "h1b": FREIDA_IMG_PREFIX + "H1-B visa",
    # Read only to judge the visa answers, never shipped.
    "f1": FREIDA_IMG_PREFIX + "F-1 visa",
    "citizen": FREIDA_IMG_PREFIX + "US citizenship",
    "resident": FREIDA_IMG_PREFIX + "US permanent resident",
    "step2_required": FREIDA_STEP_PREFIX + "Step 2 Required",
    "step2_minimum": FREIDA_STEP_PREFIX + "Step 2 Minimum Score",
    "comlex2_required": FREIDA_COMLEX_PREFIX + "Level 2 Required",
    "comlex2_minimum": FREIDA_COMLEX_PREFIX + "Level 2 Minimum Score",
}

FREIDA_SETTINGS = {
    "University-based": Setting.UNIVERSITY,
    "Community-based university affiliated hospital": Setting.COMMUNITY_UNIVERSITY,
    "Community-based": Setting.COMMUNITY,
    "Military-based": Setting.MILITARY,
    "Other": Setting.OTHER,
}
FREIDA_YES_NO = {"Yes": Tri.YES, "No": Tri.NO}

_url_validator = URLValidator(schemes=["http", "https"])


def _valid_url(value: str) -> str:
    value = value.strip()
    if not value or len(value) > 500:
        return ""
    try:
        _url_validator(value)
    except ValidationError:
        return ""
    return value


def _whole_number(value: str, low: int, high: int) -> str:
    value = value.strip()
    return value if value.isdigit() and low <= int(value) <= high else ""


def freida_facts(row: dict[str, str]) -> dict[str, dict[str, str]]:
    """The plain facts taken from one FREIDA row, by fact group; groups with nothing known
    are left out. Unclear answers ("No answer", blanks) stay unknown, never "no"."""
    cell = {key: row.get(column, "").strip() for key, column in FREIDA_COLUMNS.items()}
    website = _valid_url(cell["website"])
    overview = {
        "website": website,
        "website_doubted": "true" if retired_domain(website) else "",
        "setting": FREIDA_SETTINGS.get(cell["setting"], ""),
        "year1_positions": _whole_number(cell["year1"], 0, 500),
        "participates_in_eras": FREIDA_YES_NO.get(cell["eras"], ""),
        "required_letters": _whole_number(cell["letters"], 0, 10),
    }
    visa = {
        "sponsors_j1": FREIDA_YES_NO.get(cell["j1"], ""),
        "sponsors_h1b": FREIDA_YES_NO.get(cell["h1b"], ""),
    }
    if Tri.YES in visa.values():
        # Accepting a visa only IMGs need implies accepting IMGs; said so wherever shown.
        visa.update(accepts_imgs=Tri.YES, accepts_imgs_inferred="true")
    if all(cell[key] == "No" for key in ("j1", "h1b", "f1", "citizen", "resident")):
        # "No" even to US citizens: the question was most likely left unanswered.
        visa["visa_answers_doubted"] = "true"

    scores: dict[str, str] = {}
    step2_minimum = _whole_number(cell["step2_minimum"], 1, 300)
    if cell["step2_required"] == "Yes" and step2_minimum:
        scores.update(step2_policy=ScorePolicy.HARD, step2_minimum=step2_minimum)
        if int(step2_minimum) < STEP2_DOUBTFUL_BELOW:
            scores["step2_minimum_doubted"] = "true"
    elif cell["step2_required"] == "No" and not cell["step2_minimum"]:
        scores["step2_policy"] = ScorePolicy.NONE
    if cell["comlex2_required"] == "Yes":
        scores["comlex_accepted"] = Tri.YES
        if comlex_minimum := _whole_number(cell["comlex2_minimum"], 9, 999):
            scores["comlex_minimum"] = comlex_minimum
    elif cell["comlex2_required"] == "USMLE only":
        scores["comlex_accepted"] = Tri.NO

    groups = {"overview": overview, "visa": visa, "scores": scores}
    return {
        name: {k: v for k, v in facts.items() if v}
        for name, facts in groups.items()
        if any(facts.values())
    }


def _filled_cells(row: dict[str, str]) -> int:
    return sum(1 for column in FREIDA_COLUMNS.values() if row.get(column, "").strip())


def pick_freida_rows(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    """One row per Program Id: the one with the most of the taken cells filled; among equals,
    the first in the file."""
    chosen: dict[str, dict[str, str]] = {}
    for row in rows:
        program_id = row["Program Id"].strip().zfill(10)
        if program_id not in chosen or _filled_cells(row) > _filled_cells(chosen[program_id]):
            chosen[program_id] = row
    return chosen


def freida_urls(index_rows: list[dict[str, str]]) -> dict[str, str]:
    """FREIDA page per program (the first valid URL listed for an ID)."""
    urls: dict[str, str] = {}
    for row in index_rows:
        program_id = row["acgme_program_id"].strip().zfill(10)
        if program_id not in urls and (url := _valid_url(row["freida_url"])):
            urls[program_id] = url
    return urls


def apply_freida(program: dict[str, str], facts: dict[str, dict[str, str]], url: str) -> None:
    """The facts, dated as FREIDA published them: a 2016 snapshot is never a curator's check."""
    for group, values in facts.items():
        program.update(values)
        program[f"{group}_source_label"] = FREIDA_LABEL
        program[f"{group}_source_url"] = url
        program[f"{group}_as_of"] = FREIDA_AS_OF


# Websites on domains of institutions that have since been renamed or dissolved: the 2021–22
# ACGME listing already names each successor, so these 2016 addresses are likely gone.
RETIRED_DOMAINS = {
    "northshorelij.com": "North Shore-LIJ Health System, since renamed Northwell Health "
    "(ACGME 2021–22: Zucker School of Medicine at Hofstra/Northwell)",
    "presencehealth.org": "Presence Health, whose hospitals are now Ascension Illinois "
    "(ACGME 2021–22: Ascension Illinois)",
    "umdnj.edu": "University of Medicine and Dentistry of New Jersey, dissolved into Rutgers "
    "(ACGME 2021–22: Rutgers Health)",
    "stjohnprovidence.org": "St. John Providence, now Ascension (ACGME 2021–22: Ascension "
    "St John Hospital, Ascension Providence)",
}


def retired_domain(url: str) -> str:
    """The retired domain a website is on, or ""."""
    host = (urlsplit(url).hostname or "").lower()
    return next((d for d in RETIRED_DOMAINS if host == d or host.endswith("." + d)), "")


def add_facts(raw_dir: Path, programs: list[dict[str, str]], report: BuildReport) -> None:
    """Give each program the FREIDA facts of its row, where FREIDA has one."""
    details = read_csv(raw_dir / FREIDA_DETAILS_FILE, encoding="latin-1")
    chosen = pick_freida_rows(details)
    urls = freida_urls(read_csv(raw_dir / FREIDA_INDEX_FILE))
    duplicates = len(details) - len(chosen)
    report.note(
        f"FREIDA: {len(details)} rows, {len(chosen)} distinct IDs ({duplicates} duplicate rows "
        "set aside: the row with most of the taken cells filled wins, the first on a tie)."
    )
    with_facts = 0
    for program in programs:
        if (row := chosen.get(program["acgme_id"])) and (facts := freida_facts(row)):
            apply_freida(program, facts, urls.get(program["acgme_id"], ""))
            with_facts += 1
    report.note(f"FREIDA facts applied to {with_facts} of {len(programs)} programs.")
