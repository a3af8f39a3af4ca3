"""NRMP figures by specialty: Match statistics 2020–2026 and Charting Outcomes 2026."""

from collections import Counter, defaultdict
from pathlib import Path

from programs.choices import WITHDRAWN_STATUSES, ApplicantGroup
from sources.tables import BuildReport, read_csv

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
NRMP_2026_IMG_DISTRIBUTIONS_FILE = (
    "nrmp_charting_outcomes_2026/non_us_img_measure_distributions_2026.csv"
)

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


# Match statistics ---------------------------------------------------------------------


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


# Charting Outcomes: how applicants like you fared ---------------------------------------

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
