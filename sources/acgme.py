"""The ACGME program listing, academic year 2021–22: specialties, sponsors and programs; and
the approved and filled positions of Georgia's programs, 2024, from ACGME's public pages."""

import datetime
import re
from collections import Counter, defaultdict
from pathlib import Path

from django.utils.text import slugify

from programs.choices import Accreditation, Level, ScorePolicy, Setting, Tri
from programs.csv_format import COLUMNS as PROGRAM_COLUMNS
from programs.states import STATE_BY_NAME
from sources.tables import BuildReport, read_csv

ACGME_FILE = "acgme_program_listing_ay2021_22/ProgramListingAY20212022.csv"

ACGME_LABEL = "ACGME, 2021–22"
ACGME_URL = "https://apps.acgme.org/ads/Public"
ACGME_AS_OF = "2022-06-03"  # the newest date the listing holds (an original accreditation)

SPECIALTY_COLUMNS = ["code", "name", "slug", "level", "parent_code", "typical_length_years"]
SPONSOR_COLUMNS = ["code", "name", "city", "state"]

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
