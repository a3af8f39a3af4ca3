"""Turn the raw reference files (../shared/data/raw/) into the normalized files in fixtures/.

Only what fixtures/README.md lists is taken; everything here is deterministic, so running
``manage.py build_fixtures`` twice gives byte-identical files. Each rule that needs a
judgement (which FREIDA row wins, which NRMP label is which ACGME specialty) is an explicit
table or function below, so it can be reviewed.
"""

import csv
import datetime
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.text import slugify

from programs.choices import (
    H1B_EVIDENCE_PERIOD,
    STEP2_DOUBTFUL_BELOW,
    WITHDRAWN_STATUSES,
    Accreditation,
    ApplicantGroup,
    ApplicationService,
    Level,
    ScorePolicy,
    Setting,
    Tri,
)
from programs.csv_format import COLUMNS as PROGRAM_COLUMNS
from programs.states import STATE_BY_NAME
from sources import lca, nrmp_codes

ACGME_FILE = "acgme_program_listing_ay2021_22/ProgramListingAY20212022.csv"
FREIDA_DETAILS_FILE = "freida_scrape_2016/freida_2016_program_details.csv"
FREIDA_INDEX_FILE = "freida_scrape_2016/freida_2016_program_index.csv"
NRMP_2020_2024_FILE = (
    "nrmp_pgy1_by_specialty_2020_2024/nrmp_pgy1_positions_by_specialty_2020_2024.csv"
)
NRMP_2025_FILE = (
    "nrmp_2025_pgy1_by_applicant_type/nrmp_2025_pgy1_applicants_matches_by_type_and_specialty.csv"
)
NRMP_2026_US_MD_FILE = (
    "nrmp_charting_outcomes_2026/usmd_seniors_step2ck_by_preferred_specialty_2026.csv"
)
NRMP_2026_IMG_FILE = (
    "nrmp_charting_outcomes_2026/non_us_img_by_preferred_specialty_2026_summary.csv"
)

FREIDA_LABEL = "FREIDA, 2016"
FREIDA_AS_OF = "2016-02-28"  # the scrape's commit date
ACGME_LABEL = "ACGME, 2021–22"
ACGME_URL = "https://apps.acgme.org/ads/Public"
ACGME_AS_OF = "2022-06-03"  # the newest date the listing holds (an original accreditation)

SPECIALTY_COLUMNS = ["code", "name", "slug", "level", "parent_code", "typical_length_years"]
SPONSOR_COLUMNS = ["code", "name", "city", "state"]
STATISTIC_COLUMNS = [
    "nrmp_specialty",
    "specialty_code",
    "year",
    "programs",
    "positions_offered",
    "percent_filled",
    "matched_total",
    "matched_us_md",
    "matched_us_do",
    "matched_us_img",
    "matched_non_us_img",
    "unfilled_positions",
    "step2_median_us_md",
    "step2_median_non_us_img",
    "positions_scope",
    "covers_part_only",
    "source_label",
    "source_url",
]
SEASON_EVENTS = [
    "eras_opens",
    "applicants_submit",
    "programs_review",
    "nrmp_registration",
    "rank_list_deadline",
    "match_day",
    "training_starts",
]
SEASON_COLUMNS = [
    "name",
    "match_year",
    "is_current",
    *[column for event in SEASON_EVENTS for column in (event, f"{event}_confirmed")],
    "source_label",
    "source_url",
    "notes",
]

ACCREDITATION_BY_NAME = {label: value for value, label in Accreditation.choices}

# Fellowships whose ACGME name does not name their core specialty in parentheses, but which
# clearly build on one core specialty. Multidisciplinary fellowships (100, 190, 404, 520-550)
# and those entered from several cores (186 Neurodevelopmental disabilities) get no parent.
PARENT_BY_FELLOWSHIP_CODE = {
    **dict.fromkeys(["041", "042", "043", "046"], "040"),  # Anesthesiology
    **dict.fromkeys(["081", "082"], "080"),  # Dermatology
    "112": "110",  # Emergency medicine
    "131": "130",  # Medical genetics and genomics
    **dict.fromkeys([f"{n}" for n in range(141, 160) if n not in (157,)], "140"),  # IM
    **dict.fromkeys(["184", "187", "188"], "180"),  # Neurology
    **dict.fromkeys(["225", "230", "235"], "220"),  # Obstetrics and gynecology
    "241": "240",  # Ophthalmology
    **dict.fromkeys(["261", "262", "265", "267", "268", "269", "270"], "260"),  # Orthopaedics
    **dict.fromkeys(["286", "288"], "280"),  # Otolaryngology
    **dict.fromkeys(["301", "305", "306", "307", "310", "311", "314", "315", "316"], "300"),
    **dict.fromkeys([f"{n}" for n in range(321, 340)], "320"),  # Pediatrics
    **dict.fromkeys(["345", "346"], "340"),  # Physical medicine and rehabilitation
    "361": "360",  # Plastic surgery
    **dict.fromkeys(["401", "405", "406", "407", "409"], "400"),  # Psychiatry
    **dict.fromkeys(["415", "421", "423", "424", "425", "426"], "420"),  # Radiology
    **dict.fromkeys(["442", "445", "446", "450"], "440"),  # Surgery
    "466": "460",  # Thoracic surgery
    "485": "480",  # Urology
}

# Names used inside ACGME's parentheses that differ from the core specialty's own name.
CORE_NAME_ALIASES = {
    "obgyn": "220",
    "pathology": "300",
    "radiology": "420",
}

# NRMP specialty labels that are clearly the same specialty as one ACGME code. Preliminary,
# primary-care and combined tracks (other than Medicine-Pediatrics) stay unlinked.
ACGME_CODE_BY_NRMP_LABEL = {
    "Anesthesiology": "040",
    "Child Neurology": "185",
    "Dermatology": "080",
    "Emergency Medicine": "110",
    "Family Medicine": "120",
    "Internal Medicine": "140",
    "Internal Medicine (Categorical)": "140",
    "Internal Medicine/Pediatrics": "700",
    "Medicine-Pediatrics": "700",
    "Interventional Radiology (Integrated)": "416",
    "Neurodevelopmental Disabilities": "186",
    "Neurological Surgery": "160",
    "Neurology": "180",
    "Obstetrics-Gynecology": "220",
    "Obstetrics and Gynecology": "220",
    "Orthopedic Surgery": "260",
    "Orthopaedic Surgery": "260",
    "Osteo Neuromusculoskeletal Med": "275",
    "Otolaryngology": "280",
    "Otolaryngology (ENT)": "280",
    "Pathology": "300",
    "Pathology (Anatomic and Clinical)": "300",
    "Pediatrics": "320",
    "Pediatrics (Categorical)": "320",
    "Physical Medicine & Rehab": "340",
    "Physical Medicine and Rehabilitation": "340",
    "Plastic Surgery (Integrated)": "362",
    "Psychiatry": "400",
    "Radiation Oncology": "430",
    "Radiology-Diagnostic": "420",
    "Radiology (Diagnostic)": "420",
    "Surgery (Categorical)": "440",
    "Surgery (General)": "440",
    # NRMP's PGY-1 positions in these two are the integrated (PGY-1 entry) programs.
    "Thoracic Surgery": "461",
    "Thoracic Surgery (Integrated)": "461",
    "Vascular Surgery": "451",
    "Vascular Surgery (Integrated)": "451",
    "Transitional (PGY-1 Only)": "999",
    "Preventive Medicine": "380",
}

# The non-US IMG Charting Outcomes report spells some labels differently from the US MD
# report of the same year; both medians go on one row under the US MD report's label.
CHARTING_OUTCOMES_2026_LABELS = {
    "Pathology-Anatomic and Clinical": "Pathology (Anatomic and Clinical)",
    "Radiology-Diagnostic": "Radiology (Diagnostic)",
    "Surgery-General": "Surgery (General)",
    "Otolaryngology": "Otolaryngology (ENT)",
}

NRMP_SOURCES = {
    2020: ("NRMP, Results and Data: 2020 Main Residency Match", ""),
    2021: ("NRMP, Results and Data: 2021 Main Residency Match", ""),
    2022: ("NRMP, Results and Data: 2022 Main Residency Match", ""),
    2023: ("NRMP, Results and Data: 2023 Main Residency Match", ""),
    2024: ("NRMP, Results and Data: 2024 Main Residency Match", ""),
    2025: (
        "NRMP, Advance Data Tables: 2025 Main Residency Match",
        "https://www.nrmp.org/wp-content/uploads/2025/03/Advance_Data_Tables_2025.pdf",
    ),
    2026: (
        "NRMP, Charting Outcomes: 2026 Main Residency Match (U.S. MD seniors; non-U.S. IMGs)",
        "",
    ),
}

SEASONS = [
    {
        "name": "Match 2027",
        "match_year": "2027",
        "is_current": "true",
        "eras_opens": ("2026-06-03", False),
        "applicants_submit": ("2026-09-02", False),
        "programs_review": ("2026-09-23", False),
        "nrmp_registration": ("2026-09-15", False),
        "rank_list_deadline": ("2027-03-03", False),
        "match_day": ("2027-03-19", False),
        "training_starts": ("2027-07-01", False),
        "source_label": "Projected from the AAMC ERAS and NRMP yearly calendar",
        "source_url": "",
        "notes": (
            "Projected from the yearly pattern: ERAS opens in the first week of June (reported "
            "as 3 June 2026 by quantaprep.com), applicants submit from the first Wednesday of "
            "September, programs review three weeks later, NRMP applicant registration opens "
            "mid-September, the rank order list deadline is in early March and Match Day is the "
            "third Friday of March. Confirm each date against students-residents.aamc.org and "
            "nrmp.org when they are published."
        ),
    },
    {
        "name": "Match 2026",
        "match_year": "2026",
        "is_current": "false",
        "eras_opens": ("2025-06-04", True),
        "applicants_submit": ("2025-09-03", True),
        "programs_review": ("2025-09-24", True),
        "nrmp_registration": ("2025-09-15", True),
        "rank_list_deadline": ("2026-03-04", False),
        "match_day": ("2026-03-20", True),
        "training_starts": ("2026-07-01", False),
        "source_label": "AAMC ERAS 2026 timeline; NRMP 2026 Main Residency Match calendar",
        "source_url": "",
        "notes": (
            "ERAS dates from the AAMC ERAS timeline (students-residents.aamc.org). NRMP "
            "applicant registration and Match Day from NRMP's 2025-26 Illuminator newsletters "
            "and its 2026 results release. The rank order list deadline (4 March 2026, 9 pm ET) "
            "is from a secondary source (insidermedicaladmissions.com) and the 1 July start is "
            "the usual pattern, so both stay unconfirmed."
        ),
    },
]


# Fees of the 2026 season, from ../shared/domain/facts.md. Each band is (first, last, amount,
# per program); a last of None has no end. The current season's fees are these until their
# sources publish new amounts, and say so.
FEE_SEASON = "2026"
FEES = [
    {
        "kind": "eras_residency",
        "specialty_code": "",
        "confirmed": True,
        "source_label": "AAMC, Fees for 2026 ERAS Season",
        "notes": "Counted per specialty: the bands start again for each specialty you apply in.",
        "bands": [(1, 30, 11, True), (31, None, 30, True)],
    },
    {
        "kind": "eras_fellowship",
        "specialty_code": "",
        "confirmed": True,
        "source_label": "AAMC, Fees for 2026 ERAS Season (fellowship fees unchanged)",
        "notes": "Counted per specialty.",
        "bands": [
            (1, 10, 115, False),
            (11, 20, 17, True),
            (21, 30, 20, True),
            (31, None, 27, True),
        ],
    },
    {
        "kind": "residencycas",
        "specialty_code": "110",
        "confirmed": True,
        "source_label": "SAEM, RAMS ResidencyCAS infographics, 2025–26",
        "notes": "Fee waivers go to those who had AMCAS or AACOM fee waivers.",
        "bands": [(1, 18, 99, False), (19, 30, 18, True), (31, None, 23, True)],
    },
    {
        "kind": "usmle_transcript",
        "specialty_code": "",
        "confirmed": True,
        "source_label": "AAMC, ERAS fees (transcripts)",
        "notes": "Charged once per season.",
        "bands": [(1, 1, 80, False)],
    },
    {
        "kind": "comlex_transcript",
        "specialty_code": "",
        "confirmed": True,
        "source_label": "AAMC, ERAS fees (transcripts)",
        "notes": "Charged once per season.",
        "bands": [(1, 1, 80, False)],
    },
    {
        "kind": "ecfmg_token",
        "specialty_code": "",
        "confirmed": False,
        "source_label": "ECFMG, ERAS support services (ERAS 2024 season)",
        "notes": "Non-refundable. Published for the ERAS 2024 season and not confirmed since.",
        "bands": [(1, 1, 165, False)],
    },
    {
        "kind": "nrmp_registration",
        "specialty_code": "",
        "confirmed": False,
        "source_label": "NRMP, Match fees; NRMP Illuminator, February 2023",
        "notes": (
            "Covers up to 20 ranked programs. The amount is a $120 late total less the $50 "
            "late fee; confirm the current fee at nrmp.org."
        ),
        "bands": [(1, 1, 70, False)],
    },
    {
        "kind": "nrmp_extra_ranks",
        "specialty_code": "",
        "confirmed": False,
        "source_label": "NRMP, Match fees (an earlier version of the page)",
        "notes": "Non-refundable; confirm the current fee at nrmp.org.",
        "bands": [(21, None, 30, True)],
    },
]


@dataclass
class BuildReport:
    """What a build dropped or decided, for the command to print and the README to state."""

    notes: list[str] = field(default_factory=list)

    def note(self, message: str) -> None:
        self.notes.append(message)


def read_csv(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(newline="", encoding=encoding) as handle:
        return list(csv.DictReader(handle))


def write_csv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _null(value: str) -> str:
    value = (value or "").strip()
    return "" if value == "NULL" else value


def _most_common(values) -> str:
    """The most common value; ties go to the smallest, so the result never depends on order."""
    counts = Counter(values)
    return min(counts, key=lambda v: (-counts[v], v)) if counts else ""


def tidy_specialty_name(name: str) -> str:
    """ACGME writes a few names in Title Case with spaced hyphens ("Plastic Surgery -
    Integrated"); use sentence case and a comma. Parenthesised core names keep their case."""
    name = name.strip().replace(" - ", ", ")
    if "(" not in name:
        name = name[0] + name[1:].lower()
    return name


# Specialties --------------------------------------------------------------------------


def build_specialties(acgme_rows: list[dict[str, str]]) -> list[dict[str, str]]:
    by_code: dict[str, dict[str, str]] = {}
    lengths: dict[str, list[str]] = defaultdict(list)
    for row in acgme_rows:
        code = row["SpecialtyNumericCode"]
        by_code.setdefault(
            code,
            {
                "code": code,
                "name": tidy_specialty_name(row["SpecialtyName"]),
                "level": Level.FELLOWSHIP if row["IsSubspecialty"] == "1" else Level.RESIDENCY,
            },
        )
        if length := _null(row["ProgramLengthofTraining"]):
            lengths[code].append(length)

    core_by_name = {
        s["name"].lower(): code for code, s in by_code.items() if s["level"] == Level.RESIDENCY
    }
    rows = []
    for code in sorted(by_code):
        specialty = by_code[code]
        rows.append(
            {
                **specialty,
                "slug": slugify(specialty["name"]),
                "parent_code": (
                    parent_code(code, specialty["name"], core_by_name)
                    if specialty["level"] == Level.FELLOWSHIP
                    else ""
                ),
                "typical_length_years": _most_common(lengths[code]),
            }
        )
    return rows


def parent_code(code: str, name: str, core_by_name: dict[str, str]) -> str:
    """The core specialty a fellowship builds on: named in parentheses, or from the table."""
    if match := re.search(r"\(([^)]+)\)\s*$", name):
        named = match.group(1).lower()
        if named == "multidisciplinary":
            return ""
        if named in core_by_name:
            return core_by_name[named]
        if named in CORE_NAME_ALIASES:
            return CORE_NAME_ALIASES[named]
    return PARENT_BY_FELLOWSHIP_CODE.get(code, "")


# Sponsors -----------------------------------------------------------------------------


def build_sponsors(programs: list[dict[str, str]], acgme_rows) -> list[dict[str, str]]:
    """Every sponsor by code, located at the most common city and state of its programs."""
    names: dict[str, list[str]] = defaultdict(list)
    locations: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in acgme_rows:
        names[row["SponsorCode"]].append(row["SponsorName"].strip())
    for program in programs:
        locations[program["sponsor_code"]].append((program["state"], program["city"]))
    rows = []
    for code in sorted(names):
        state, city = _most_common(locations[code])
        rows.append({"code": code, "name": _most_common(names[code]), "city": city, "state": state})
    return rows


# Programs -----------------------------------------------------------------------------


def normalize_zip(raw: str) -> str:
    """ZIP or ZIP+4. Excel dropped leading zeros of ZIP+4 codes too (03756-0001 became
    37560001), so 6 to 8 digits are padded back to 9; anything else is not a ZIP code."""
    value = raw.strip().rstrip("-")
    if re.fullmatch(r"[0-9]{5}-[0-9]{4}", value):
        return value
    if not value.isdigit() or len(value) > 9:
        return ""
    if len(value) <= 5:
        return value.zfill(5)
    value = value.zfill(9)
    return f"{value[:5]}-{value[5:]}"


def _us_date(value: str) -> str:
    value = _null(value)
    return datetime.datetime.strptime(value, "%m/%d/%Y").date().isoformat() if value else ""


def program_from_acgme(row: dict[str, str], report: BuildReport) -> dict[str, str]:
    code = row["ProgramCode"]
    effective = _us_date(row["ProgramAccreditationEffective"])
    original = _null(row["ProgramOriginalAccreditationDate"])
    if original and effective and original > effective:
        report.note(
            f"{code}: original accreditation {original} is after the effective date "
            f"{effective}; the original date was left empty."
        )
        original = ""
    zip_code = normalize_zip(_null(row["ProgramPostalCode"]))
    if not zip_code and _null(row["ProgramPostalCode"]):
        report.note(f"{code}: postal code {row['ProgramPostalCode']!r} is not a ZIP; left empty.")
    address = "\n".join(
        line for line in (_null(row[f"ProgramAddressLine{n}"]) for n in (1, 2, 3)) if line
    )
    program = dict.fromkeys(PROGRAM_COLUMNS, "")
    program.update(
        {
            "acgme_id": code,
            "name": row["ProgramName"].strip(),
            "specialty_code": row["SpecialtyNumericCode"],
            "sponsor_code": row["SponsorCode"],
            "sponsor_name": row["SponsorName"].strip(),
            "address": address,
            "city": _null(row["ProgramCity"]),
            "state": STATE_BY_NAME[row["ProgramStateName"].strip().lower()],
            "zip_code": zip_code,
            "accreditation_status": ACCREDITATION_BY_NAME[row["ProgramAccreditationName"]],
            "accreditation_effective_on": effective,
            "originally_accredited_on": original,
            "length_years": _null(row["ProgramLengthofTraining"]),
            "filled_positions": _null(row["PositionsFilledTotal"]),
            "listing_source_label": ACGME_LABEL,
            "listing_source_url": ACGME_URL,
            "listing_as_of": ACGME_AS_OF,
            "setting": Setting.UNKNOWN,
            "participates_in_eras": Tri.UNKNOWN,
            "accepts_imgs": Tri.UNKNOWN,
            "sponsors_j1": Tri.UNKNOWN,
            "sponsors_h1b": Tri.UNKNOWN,
            "step2_policy": ScorePolicy.UNKNOWN,
            "comlex_accepted": Tri.UNKNOWN,
            "graduation_policy": "unknown",
            "usce_policy": "unknown",
            "ecfmg_certified_by": "unknown",
        }
    )
    return program


# FREIDA 2016 --------------------------------------------------------------------------

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


def build_programs(raw_dir: Path, acgme_rows, report: BuildReport) -> list[dict[str, str]]:
    programs = [program_from_acgme(row, report) for row in acgme_rows]
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
    return sorted(programs, key=lambda p: p["acgme_id"])


# NRMP statistics ----------------------------------------------------------------------


def _statistic(label: str, year: int, **values: str) -> dict[str, str]:
    source_label, source_url = NRMP_SOURCES[year]
    row = dict.fromkeys(STATISTIC_COLUMNS, "")
    row.update(
        nrmp_specialty=label,
        specialty_code=ACGME_CODE_BY_NRMP_LABEL.get(label, ""),
        year=str(year),
        source_label=source_label,
        source_url=source_url,
    )
    row.update({k: (v or "").strip() for k, v in values.items()})
    return row


def _median(value: str) -> str:
    value = (value or "").strip()
    return str(round(float(value))) if value else ""


# An NRMP label whose programs are fewer than this share of the ACGME specialty's programs
# counts only part of it (e.g. dermatology's PGY-1 positions, most of whose positions start
# at PGY-2), so its figures never head the specialty.
PART_OF_SPECIALTY_BELOW = 0.5


def build_statistics(
    raw_dir: Path, programs: list[dict[str, str]], report: BuildReport
) -> list[dict[str, str]]:
    rows: dict[tuple[str, int], dict[str, str]] = {}
    for raw in read_csv(raw_dir / NRMP_2020_2024_FILE):
        if raw["specialty"] == "Total PGY-1":
            continue
        year = int(raw["match_year"])
        positions, matched = int(raw["positions_offered"]), int(raw["total_matches"])
        rows[(raw["specialty"], year)] = _statistic(
            raw["specialty"],
            year,
            programs=raw["num_programs"],
            positions_offered=raw["positions_offered"],
            percent_filled=raw["pct_filled_total"],
            matched_total=raw["total_matches"],
            matched_us_md=raw["us_md_senior_matches"],
            matched_us_do=raw["us_do_senior_matches"],
            unfilled_positions=str(positions - matched),
            positions_scope="PGY-1",
        )
    for raw in read_csv(raw_dir / NRMP_2025_FILE):
        label = raw["specialty"]
        values = {
            "matched_us_md": raw["matches_us_md_seniors"],
            "matched_us_do": raw["matches_us_do_seniors"],
            "matched_us_img": raw["matches_us_citizen_imgs"],
            "matched_non_us_img": raw["matches_non_us_citizen_imgs"],
            "unfilled_positions": raw["unfilled_positions"],
            "positions_scope": "PGY-1",
        }
        if label == "Dermatology":
            values["matched_us_do"] = ""
            report.note(
                "NRMP 2025 Dermatology: the DO matches cell (30) is a known typo; left empty."
            )
        rows[(label, 2025)] = _statistic(label, 2025, **values)
    for raw in read_csv(raw_dir / NRMP_2026_US_MD_FILE):
        label = raw["specialty"]
        rows[(label, 2026)] = _statistic(
            label, 2026, step2_median_us_md=_median(raw["matched_step2ck_median"])
        )
    for raw in read_csv(raw_dir / NRMP_2026_IMG_FILE):
        label = CHARTING_OUTCOMES_2026_LABELS.get(raw["specialty"], raw["specialty"])
        row = rows.setdefault((label, 2026), _statistic(label, 2026))
        row["step2_median_non_us_img"] = _median(raw["step2ck_matched_median"])
    _mark_partial_labels(rows, programs, report)
    return [rows[key] for key in sorted(rows)]


def _mark_partial_labels(rows, programs, report: BuildReport) -> None:
    """Flag the position rows of labels that count only part of their ACGME specialty."""
    withdrawn = {status.value for status in WITHDRAWN_STATUSES}
    taking = Counter(
        p["specialty_code"] for p in programs if p["accreditation_status"] not in withdrawn
    )
    nrmp_programs: dict[str, int] = defaultdict(int)
    for (label, _year), row in rows.items():
        if row["programs"]:
            nrmp_programs[label] = max(nrmp_programs[label], int(row["programs"]))
    partial = sorted(
        label
        for label, count in nrmp_programs.items()
        if (code := ACGME_CODE_BY_NRMP_LABEL.get(label))
        and taking[code]
        and count < PART_OF_SPECIALTY_BELOW * taking[code]
    )
    for (label, _year), row in rows.items():
        row["covers_part_only"] = "true" if label in partial and row["positions_scope"] else ""
    report.note(
        "NRMP labels counting under half of their specialty's programs (not headline figures): "
        + ", ".join(partial)
    )


# ACGME approved and filled positions (Georgia, 2024) -------------------------------------

GEORGIA_POSITIONS_FILE = "acgme_georgia_positions_2024/GA_programs_approved_filled_2024.csv"
POSITION_COLUMNS = ["acgme_id", "as_of", "approved", "filled", "source_label", "source_url"]
GEORGIA_SOURCE = (
    "ACGME ADS public data, compiled by the Georgia Higher Education Healthcare Initiative",
    "https://apps.acgme.org/ads/Public",
)
# The workbook's two counts, by the month each was taken.
GEORGIA_COUNTS = {
    "2024-02-01": ("ApprovedPositions_2024_02", "FilledPositions_2024_02"),
    "2024-09-01": ("ApprovedPositions_2024_09", "FilledPositions_2024_09"),
}


def build_positions(
    raw_dir: Path, programs: list[dict[str, str]], report: BuildReport
) -> list[dict[str, str]]:
    """Approved and filled positions of Georgia's programs, February and September 2024, for
    the programs the 2021–22 listing holds."""
    known = {p["acgme_id"] for p in programs}
    rows, unknown = [], 0
    for raw in read_csv(raw_dir / GEORGIA_POSITIONS_FILE, encoding="utf-8-sig"):
        acgme_id = raw["ProgramCode"].strip().zfill(10)
        if acgme_id not in known:
            unknown += 1
            continue
        for as_of, (approved, filled) in GEORGIA_COUNTS.items():
            if raw[approved].strip().isdigit() and raw[filled].strip().isdigit():
                rows.append(
                    {
                        "acgme_id": acgme_id,
                        "as_of": as_of,
                        "approved": raw[approved].strip(),
                        "filled": raw[filled].strip(),
                        "source_label": GEORGIA_SOURCE[0],
                        "source_url": GEORGIA_SOURCE[1],
                    }
                )
    report.note(
        f"Georgia positions: {len(rows)} counts for {len({r['acgme_id'] for r in rows})} "
        f"programs; {unknown} programs newer than the 2021–22 listing left out."
    )
    return sorted(rows, key=lambda r: (r["acgme_id"], r["as_of"]))


# NRMP program codes and per-program Match results --------------------------------------

NRMP_CODE_COLUMNS = [*nrmp_codes.NRMP_CODE_COLUMNS, "source_label"]
NRMP_RESULT_COLUMNS = [*nrmp_codes.PROGRAM_RESULT_COLUMNS, "source_label", "source_url"]
NRMP_CODES_LABEL = "NRMP program codes, about the 2024 Match (wavegate/residency-match list)"
NRMP_FLORIDA_CODES_LABEL = "NRMP Program Results, 2026 Match (Florida programs)"


def build_nrmp_codes(raw_dir: Path, programs, report) -> list[dict[str, str]]:
    rows = nrmp_codes.build_nrmp_codes(raw_dir, programs, report.note)
    for row in rows:
        from_florida = row["match_rule"].startswith("fl-")
        row["source_label"] = NRMP_FLORIDA_CODES_LABEL if from_florida else NRMP_CODES_LABEL
    return rows


def build_program_results(raw_dir: Path, programs, codes, specialties) -> list[dict[str, str]]:
    """Florida's per-program results, labelled by the NRMP report each year's figures are in:
    the Main Residency Match for residencies, the Specialties Matching Service for
    fellowships."""
    level = {s["code"]: s["level"] for s in specialties}
    specialty = {p["acgme_id"]: p["specialty_code"] for p in programs}
    rows = nrmp_codes.build_program_results(raw_dir, programs, codes, lambda _: None)
    for row in rows:
        fellowship = level[specialty[row["acgme_id"]]] == Level.FELLOWSHIP
        report = "Specialties Matching Service" if fellowship else "Main Residency Match"
        row["source_label"] = f"NRMP Program Results, {report}"
        row["source_url"] = ""
    return rows


# H-1B filings by sponsoring institution (US Department of Labor) ------------------------

H1B_COLUMNS = [*lca.H1B_FILING_COLUMNS, "period", "source_label", "source_url"]
LCA_ALIASES = Path(__file__).resolve().parent.parent / "fixtures" / "lca_employer_aliases.csv"
LCA_PERIOD = f"from {H1B_EVIDENCE_PERIOD}"
LCA_SOURCE_URL = "https://www.dol.gov/agencies/eta/foreign-labor/performance"


def build_h1b_filings(
    raw_dir: Path, sponsors: list[dict[str, str]], programs: list[dict[str, str]], report
) -> list[dict[str, str]]:
    rows = lca.build_h1b_filings(raw_dir, sponsors, programs, LCA_ALIASES, report.note)
    for row in rows:
        row.update(period=LCA_PERIOD, source_label=lca.SOURCE_LABEL, source_url=LCA_SOURCE_URL)
    return rows


# Charting Outcomes: how applicants like you fared ---------------------------------------

NRMP_2026_IMG_DISTRIBUTIONS_FILE = (
    "nrmp_charting_outcomes_2026/non_us_img_measure_distributions_2026.csv"
)
CHARTING_OUTCOME_COLUMNS = [
    "nrmp_specialty",
    "specialty_code",
    "year",
    "applicant_group",
    "matched",
    "not_matched",
    "step2_q1",
    "step2_median",
    "step2_q3",
    "step2_not_matched_median",
    "match_rate",
    "applicants_per_position",
    "source_label",
    "source_url",
]
CHARTING_OUTCOME_SOURCES = {
    ApplicantGroup.US_MD_SENIOR: "NRMP, Charting Outcomes: Characteristics of U.S. MD Seniors "
    "Who Matched to Their Preferred Specialty, 2026 Main Residency Match (Table 5)",
    ApplicantGroup.NON_US_IMG: "NRMP, Charting Outcomes: Non-U.S. IMGs, 2026 Appointment Year",
}


def _rate(matched: str, not_matched: str) -> str:
    """Matched among the report's applicants who preferred the specialty, in percent."""
    if not (matched and not_matched):
        return ""
    total = int(matched) + int(not_matched)
    return f"{100 * int(matched) / total:.1f}" if total else ""


def build_charting_outcomes(raw_dir: Path) -> list[dict[str, str]]:
    """Per specialty and applicant group: the Step 2 CK quartiles of those who matched, the
    median of those who did not, the match rate among the report's respondents and the
    applicants per position. Only these figures are taken, never the report's tables."""
    rows = []

    def outcome(label: str, group: ApplicantGroup, **values: str) -> dict[str, str]:
        row = dict.fromkeys(CHARTING_OUTCOME_COLUMNS, "")
        row.update(
            nrmp_specialty=label,
            specialty_code=ACGME_CODE_BY_NRMP_LABEL.get(label, ""),
            year="2026",
            applicant_group=group.value,
            source_label=CHARTING_OUTCOME_SOURCES[group],
        )
        row.update({k: (v or "").strip() for k, v in values.items()})
        return row

    for raw in read_csv(raw_dir / NRMP_2026_US_MD_FILE):
        rows.append(
            outcome(
                raw["specialty"],
                ApplicantGroup.US_MD_SENIOR,
                matched=raw["matched_n"],
                not_matched=raw["not_matched_n"],
                step2_q1=_median(raw["matched_step2ck_q1"]),
                step2_median=_median(raw["matched_step2ck_median"]),
                step2_q3=_median(raw["matched_step2ck_q3"]),
                step2_not_matched_median=_median(raw["not_matched_step2ck_median"]),
                match_rate=_rate(raw["matched_n"], raw["not_matched_n"]),
            )
        )
    quartiles = {
        raw["specialty"]: raw
        for raw in read_csv(raw_dir / NRMP_2026_IMG_DISTRIBUTIONS_FILE)
        if raw["measure"] == "step2ck" and raw["cohort"] == "matched" and raw["suppressed"] == "0"
    }
    for raw in read_csv(raw_dir / NRMP_2026_IMG_FILE):
        spread = quartiles.get(raw["specialty"], {})
        rows.append(
            outcome(
                CHARTING_OUTCOMES_2026_LABELS.get(raw["specialty"], raw["specialty"]),
                ApplicantGroup.NON_US_IMG,
                matched=raw["img_matched"],
                not_matched=raw["img_not_matched"],
                step2_q1=_median(spread.get("q1", "")),
                step2_median=_median(raw["step2ck_matched_median"]),
                step2_q3=_median(spread.get("q3", "")),
                step2_not_matched_median=_median(raw["step2ck_not_matched_median"]),
                match_rate=raw["img_match_rate_pct_derived"],
                applicants_per_position=raw["all_applicants_per_position"],
            )
        )
    return sorted(rows, key=lambda r: (r["nrmp_specialty"], r["applicant_group"]))


# Application services -----------------------------------------------------------------

APPLICATION_SERVICE_COLUMNS = [
    "specialty_code",
    "service",
    "first_match_year",
    "source_label",
    "source_url",
]
ERAS_SOURCE = ("AAMC, ERAS residency application timeline, 2026 season", "")
RESIDENCYCAS_SOURCE = (
    "Liaison, ResidencyCAS Quick Start; SAEM (emergency medicine and OB/GYN, 2025–26)",
    "",
)
# The specialties that do not apply through ERAS, by ACGME code: (service, first Match,
# source). Emergency medicine moved to ResidencyCAS for the 2025–26 season (Match 2026),
# obstetrics and gynecology for 2024–25 (Match 2025); ophthalmology matches through SF Match.
SERVICE_EXCEPTIONS = {
    "110": [
        (ApplicationService.ERAS, 2025, ERAS_SOURCE),
        (ApplicationService.RESIDENCYCAS, 2026, RESIDENCYCAS_SOURCE),
    ],
    "220": [(ApplicationService.RESIDENCYCAS, 2025, RESIDENCYCAS_SOURCE)],
    "240": [
        (
            ApplicationService.SF_MATCH,
            2025,
            ("SF Match: ophthalmology residency match, with the CAS application", ""),
        )
    ],
}
# Combined programs that include emergency medicine: no source says which service they use.
SERVICE_UNKNOWN = {"705", "725", "795", "796"}
FIRST_RECORDED_MATCH = 2025


def build_application_services(acgme_rows) -> list[dict[str, str]]:
    """Which service each residency specialty applies through, from Match 2025 on: ERAS
    except the specialties above. Fellowships are left out: their services vary."""
    codes = sorted({r["SpecialtyNumericCode"] for r in acgme_rows if r["IsSubspecialty"] == "0"})
    rows = []
    for code in codes:
        if code in SERVICE_UNKNOWN:
            continue
        default = [(ApplicationService.ERAS, FIRST_RECORDED_MATCH, ERAS_SOURCE)]
        for service, year, (label, url) in SERVICE_EXCEPTIONS.get(code, default):
            rows.append(
                {
                    "specialty_code": code,
                    "service": service.value,
                    "first_match_year": str(year),
                    "source_label": label,
                    "source_url": url,
                }
            )
    return rows


# Seasons ------------------------------------------------------------------------------


def build_seasons() -> list[dict[str, str]]:
    rows = []
    for season in SEASONS:
        row = {key: value for key, value in season.items() if key not in SEASON_EVENTS}
        for event in SEASON_EVENTS:
            date, confirmed = season[event]
            row[event] = date
            row[f"{event}_confirmed"] = "true" if confirmed else "false"
        rows.append(row)
    return sorted(rows, key=lambda r: r["match_year"])


# Fees ---------------------------------------------------------------------------------

FEE_COLUMNS = [
    "match_year",
    "kind",
    "specialty_code",
    "confirmed",
    "source_label",
    "source_url",
    "notes",
    "first",
    "last",
    "amount",
    "each",
]


def build_fees() -> list[dict[str, str]]:
    """One row per band: the 2026 fees as published, and the same amounts for every later
    season until their sources publish new ones, unconfirmed and saying so."""
    rows = []
    for season in sorted(s["match_year"] for s in SEASONS):
        later = season != FEE_SEASON
        for fee in FEES:
            notes = fee["notes"]
            if later:
                notes = f"The latest published amount: the {season} one is not out yet. {notes}"
            for first, last, amount, each in fee["bands"]:
                rows.append(
                    {
                        "match_year": season,
                        "kind": fee["kind"],
                        "specialty_code": fee["specialty_code"],
                        "confirmed": "true" if fee["confirmed"] and not later else "false",
                        "source_label": fee["source_label"],
                        "source_url": "",
                        "notes": notes,
                        "first": str(first),
                        "last": "" if last is None else str(last),
                        "amount": str(amount),
                        "each": "true" if each else "false",
                    }
                )
    return rows


# All of it ----------------------------------------------------------------------------


def build_fixtures(*, raw_dir: Path, out_dir: Path) -> BuildReport:
    """Read the raw files and write specialties, sponsors, programs, NRMP statistics and
    seasons as CSV into out_dir."""
    report = BuildReport()
    acgme_rows = read_csv(raw_dir / ACGME_FILE)
    programs = build_programs(raw_dir, acgme_rows, report)
    sponsors = build_sponsors(programs, acgme_rows)
    specialties = build_specialties(acgme_rows)
    codes = build_nrmp_codes(raw_dir, programs, report)
    results = build_program_results(raw_dir, programs, codes, specialties)
    report.note(
        f"NRMP results: {len(results)} program-years for "
        f"{len({r['acgme_id'] for r in results})} programs."
    )
    outputs = {
        "specialties.csv": (SPECIALTY_COLUMNS, specialties),
        "sponsors.csv": (SPONSOR_COLUMNS, sponsors),
        "programs.csv": (PROGRAM_COLUMNS, programs),
        "nrmp_statistics.csv": (
            STATISTIC_COLUMNS,
            build_statistics(raw_dir, programs, report),
        ),
        "nrmp_codes.csv": (NRMP_CODE_COLUMNS, codes),
        "nrmp_program_results.csv": (NRMP_RESULT_COLUMNS, results),
        "acgme_positions.csv": (POSITION_COLUMNS, build_positions(raw_dir, programs, report)),
        "h1b_filings.csv": (
            H1B_COLUMNS,
            build_h1b_filings(raw_dir, sponsors, programs, report),
        ),
        "charting_outcomes.csv": (CHARTING_OUTCOME_COLUMNS, build_charting_outcomes(raw_dir)),
        "application_services.csv": (
            APPLICATION_SERVICE_COLUMNS,
            build_application_services(acgme_rows),
        ),
        "seasons.csv": (SEASON_COLUMNS, build_seasons()),
        "fees.csv": (FEE_COLUMNS, build_fees()),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    for filename, (columns, rows) in outputs.items():
        write_csv(out_dir / filename, columns, rows)
        report.note(f"{filename}: {len(rows)} rows.")
    return report
