"""Turning the raw files into fixtures: the judgement calls, and that fixtures/ is current."""

import filecmp

import pytest
from django.conf import settings

from programs import raw_data
from programs.models import ScorePolicy, Setting, Tri

RAW_DIR = settings.BASE_DIR.parent / "shared" / "data" / "raw"
needs_raw = pytest.mark.skipif(not RAW_DIR.is_dir(), reason="the raw files are not on this machine")

J1 = raw_data.FREIDA_COLUMNS["j1"]
H1B = raw_data.FREIDA_COLUMNS["h1b"]
STEP2_REQUIRED = raw_data.FREIDA_COLUMNS["step2_required"]
STEP2_MINIMUM = raw_data.FREIDA_COLUMNS["step2_minimum"]
STEP1_MINIMUM = raw_data.FREIDA_STEP_PREFIX + "Step 1 Minimum Score"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("02114-2621", "02114-2621"),
        ("82601", "82601"),
        ("37560001", "03756-0001"),  # Excel dropped the leading zero of a ZIP+4
        ("9365067", "00936-5067"),
        ("77030-", "77030"),
        ("WV", ""),
        ("315-464-4363", ""),
    ],
)
def test_zip_codes_are_repaired_or_dropped(raw, expected):
    assert raw_data.normalize_zip(raw) == expected


def test_parenthesised_core_specialty_becomes_the_parent():
    cores = {"anesthesiology": "040", "internal medicine": "140"}
    assert raw_data.parent_code("045", "Critical care medicine (Anesthesiology)", cores) == "040"
    assert raw_data.parent_code("221", "Female pelvic medicine (OBGYN)", cores) == "220"


def test_multidisciplinary_fellowships_get_no_parent():
    assert raw_data.parent_code("520", "Sleep medicine (multidisciplinary)", {}) == ""
    assert raw_data.parent_code("186", "Neurodevelopmental disabilities", {}) == ""


def test_internal_medicine_family_comes_from_the_reviewed_table():
    assert raw_data.parent_code("141", "Cardiovascular disease", {}) == "140"


def test_freida_visa_answers_map_and_no_answer_stays_unknown():
    facts = raw_data.freida_facts({J1: "Yes", H1B: "No Answer"})
    assert facts["visa"] == {"sponsors_j1": Tri.YES, "accepts_imgs": Tri.YES}


def test_a_refused_visa_never_becomes_a_refusal_of_imgs():
    facts = raw_data.freida_facts({J1: "No", H1B: "No"})
    assert facts["visa"] == {"sponsors_j1": Tri.NO, "sponsors_h1b": Tri.NO}
    assert "accepts_imgs" not in facts["visa"]


def test_step2_minimum_becomes_a_hard_cutoff_and_step1_is_never_taken():
    facts = raw_data.freida_facts(
        {STEP2_REQUIRED: "Yes", STEP2_MINIMUM: "220", STEP1_MINIMUM: "230"}
    )
    assert facts["scores"] == {"step2_policy": ScorePolicy.HARD, "step2_minimum": "220"}
    assert "230" not in str(facts)


def test_step2_required_without_a_score_stays_unknown():
    assert raw_data.freida_facts({STEP2_REQUIRED: "Yes"}) == {}


def test_program_setting_maps_to_the_setting_choices():
    column = raw_data.FREIDA_COLUMNS["setting"]
    facts = raw_data.freida_facts({column: "Community-based university affiliated hospital"})
    assert facts["overview"]["setting"] == Setting.COMMUNITY_UNIVERSITY


def test_duplicate_freida_rows_keep_the_fullest_then_the_first():
    sparse = {"Program Id": "1402411169", J1: "Yes"}
    full = {"Program Id": "1402411169", J1: "Yes", H1B: "No"}
    later_equal = {"Program Id": "1402411169", J1: "No", H1B: "Yes"}
    assert raw_data.pick_freida_rows([sparse, full, later_equal])["1402411169"] is full


@needs_raw
def test_shipped_fixtures_are_what_the_raw_files_build(tmp_path):
    raw_data.build_fixtures(raw_dir=RAW_DIR, out_dir=tmp_path)
    shipped = settings.BASE_DIR / "fixtures"
    names = [
        "specialties.csv",
        "sponsors.csv",
        "programs.csv",
        "nrmp_statistics.csv",
        "seasons.csv",
    ]
    match, mismatch, errors = filecmp.cmpfiles(shipped, tmp_path, names, shallow=False)
    assert (mismatch, errors) == ([], [])


@needs_raw
def test_dermatology_2025_do_typo_is_left_empty():
    report = raw_data.BuildReport()
    rows = raw_data.build_statistics(RAW_DIR, report)
    dermatology = next(
        r for r in rows if r["nrmp_specialty"] == "Dermatology" and r["year"] == "2025"
    )
    assert dermatology["matched_us_do"] == ""
    assert dermatology["matched_us_md"] == "24"
