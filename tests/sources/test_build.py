"""Turning the raw files into fixtures: the judgement calls, and that fixtures/ is current."""

import filecmp

import pytest
from django.conf import settings

from programs.models import ScorePolicy, Setting, Tri
from sources import build

RAW_DIR = settings.BASE_DIR.parent / "shared" / "data" / "raw"
needs_raw = pytest.mark.skipif(not RAW_DIR.is_dir(), reason="the raw files are not on this machine")

J1 = build.FREIDA_COLUMNS["j1"]
H1B = build.FREIDA_COLUMNS["h1b"]
STEP2_REQUIRED = build.FREIDA_COLUMNS["step2_required"]
STEP2_MINIMUM = build.FREIDA_COLUMNS["step2_minimum"]
STEP1_MINIMUM = build.FREIDA_STEP_PREFIX + "Step 1 Minimum Score"


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
    assert build.normalize_zip(raw) == expected


def test_parenthesised_core_specialty_becomes_the_parent():
    cores = {"anesthesiology": "040", "internal medicine": "140"}
    assert build.parent_code("045", "Critical care medicine (Anesthesiology)", cores) == "040"
    assert build.parent_code("221", "Female pelvic medicine (OBGYN)", cores) == "220"


def test_multidisciplinary_fellowships_get_no_parent():
    assert build.parent_code("520", "Sleep medicine (multidisciplinary)", {}) == ""
    assert build.parent_code("186", "Neurodevelopmental disabilities", {}) == ""


def test_internal_medicine_family_comes_from_the_reviewed_table():
    assert build.parent_code("141", "Cardiovascular disease", {}) == "140"


def test_freida_visa_answers_map_and_no_answer_stays_unknown():
    facts = build.freida_facts({J1: "Yes", H1B: "No Answer"})
    assert facts["visa"] == {
        "sponsors_j1": Tri.YES,
        "accepts_imgs": Tri.YES,
        "accepts_imgs_inferred": "true",
    }


def test_a_refused_visa_never_becomes_a_refusal_of_imgs():
    facts = build.freida_facts({J1: "No", H1B: "No"})
    assert facts["visa"] == {"sponsors_j1": Tri.NO, "sponsors_h1b": Tri.NO}
    assert "accepts_imgs" not in facts["visa"]


def test_step2_minimum_becomes_a_hard_cutoff_and_step1_is_never_taken():
    facts = build.freida_facts({STEP2_REQUIRED: "Yes", STEP2_MINIMUM: "220", STEP1_MINIMUM: "230"})
    assert facts["scores"] == {"step2_policy": ScorePolicy.HARD, "step2_minimum": "220"}
    assert "230" not in str(facts)


def test_a_step2_minimum_below_any_recent_passing_score_is_doubted():
    low = build.freida_facts({STEP2_REQUIRED: "Yes", STEP2_MINIMUM: "123"})
    assert low["scores"]["step2_minimum_doubted"] == "true"
    passing = build.freida_facts({STEP2_REQUIRED: "Yes", STEP2_MINIMUM: "194"})
    assert "step2_minimum_doubted" not in passing["scores"]


IMG_OPTIONS = [build.FREIDA_COLUMNS[k] for k in ("j1", "h1b", "f1", "citizen", "resident")]


def test_no_to_every_img_option_even_citizenship_makes_the_visa_answers_doubtful():
    facts = build.freida_facts(dict.fromkeys(IMG_OPTIONS, "No"))
    assert facts["visa"]["visa_answers_doubted"] == "true"
    citizens_welcome = build.freida_facts(
        {**dict.fromkeys(IMG_OPTIONS, "No"), IMG_OPTIONS[3]: "Yes"}
    )
    assert "visa_answers_doubted" not in citizens_welcome["visa"]


@pytest.mark.parametrize(
    ("url", "retired"),
    [
        ("http://www.northshorelij.com/residency", "northshorelij.com"),
        ("http://njms.umdnj.edu/gme", "umdnj.edu"),
        ("http://www.massgeneral.org/medicine", ""),
        ("http://notnorthshorelij.com/", ""),
    ],
)
def test_websites_on_retired_domains_are_doubted(url, retired):
    assert build.retired_domain(url) == retired
    website = build.FREIDA_COLUMNS["website"]
    facts = build.freida_facts({website: url})
    assert (facts["overview"].get("website_doubted") == "true") == bool(retired)


def test_freida_facts_are_dated_as_of_2016_never_checked():
    program = {}
    build.apply_freida(program, {"visa": {"sponsors_j1": Tri.YES}}, "https://example.org")
    assert program["visa_as_of"] == "2016-02-28"
    assert "visa_verified_on" not in program


def test_application_services_come_from_the_reviewed_exceptions():
    rows = build.build_application_services(
        [
            {"SpecialtyNumericCode": code, "IsSubspecialty": level}
            for code, level in (("110", "0"), ("140", "0"), ("705", "0"), ("141", "1"))
        ]
    )
    assert [(r["specialty_code"], r["service"], r["first_match_year"]) for r in rows] == [
        ("110", "eras", "2025"),
        ("110", "residencycas", "2026"),
        ("140", "eras", "2025"),
    ]


def test_step2_required_without_a_score_stays_unknown():
    assert build.freida_facts({STEP2_REQUIRED: "Yes"}) == {}


def test_program_setting_maps_to_the_setting_choices():
    column = build.FREIDA_COLUMNS["setting"]
    facts = build.freida_facts({column: "Community-based university affiliated hospital"})
    assert facts["overview"]["setting"] == Setting.COMMUNITY_UNIVERSITY


def test_duplicate_freida_rows_keep_the_fullest_then_the_first():
    sparse = {"Program Id": "1402411169", J1: "Yes"}
    full = {"Program Id": "1402411169", J1: "Yes", H1B: "No"}
    later_equal = {"Program Id": "1402411169", J1: "No", H1B: "Yes"}
    assert build.pick_freida_rows([sparse, full, later_equal])["1402411169"] is full


@needs_raw
def test_shipped_fixtures_are_what_the_raw_files_build(tmp_path):
    build.build_fixtures(raw_dir=RAW_DIR, out_dir=tmp_path)
    shipped = settings.BASE_DIR / "fixtures"
    names = sorted(path.name for path in tmp_path.glob("*.csv"))
    assert "programs.csv" in names and "h1b_filings.csv" in names
    match, mismatch, errors = filecmp.cmpfiles(shipped, tmp_path, names, shallow=False)
    assert (mismatch, errors) == ([], [])


@needs_raw
def test_dermatology_2025_do_typo_is_left_empty():
    report = build.BuildReport()
    programs = build.read_csv(settings.BASE_DIR / "fixtures" / "programs.csv")
    rows = build.build_statistics(RAW_DIR, programs, report)
    dermatology = next(
        r for r in rows if r["nrmp_specialty"] == "Dermatology" and r["year"] == "2025"
    )
    assert dermatology["matched_us_do"] == ""
    assert dermatology["matched_us_md"] == "24"


@needs_raw
def test_nrmp_labels_counting_a_small_part_of_their_specialty_never_head_it():
    programs = build.read_csv(settings.BASE_DIR / "fixtures" / "programs.csv")
    rows = build.build_statistics(RAW_DIR, programs, build.BuildReport())
    partial = {r["nrmp_specialty"] for r in rows if r["covers_part_only"]}
    assert {"Preventive Medicine", "Dermatology", "Radiology-Diagnostic"} <= partial
    assert "Internal Medicine (Categorical)" not in partial
    assert {r["positions_scope"] for r in rows if r["year"] == "2024"} == {"PGY-1"}
    assert not [r for r in rows if r["year"] == "2026" and r["covers_part_only"]]


@needs_raw
def test_georgia_positions_keep_the_programs_of_the_listing():
    programs = build.read_csv(settings.BASE_DIR / "fixtures" / "programs.csv")
    rows = build.build_positions(RAW_DIR, programs, build.BuildReport())
    emory = [r for r in rows if r["acgme_id"] == "1401221105"]
    assert [(r["as_of"], r["approved"], r["filled"]) for r in emory][0] == (
        "2024-02-01",
        "177",
        "170",
    )
    assert len({r["acgme_id"] for r in rows}) == 248


@needs_raw
def test_charting_outcomes_take_step2_figures_per_group_and_nothing_suppressed():
    rows = build.build_charting_outcomes(RAW_DIR)
    medicine = {r["applicant_group"]: r for r in rows if r["nrmp_specialty"] == "Internal Medicine"}
    img = medicine["non_us_img"]
    assert (img["specialty_code"], img["matched"], img["not_matched"]) == ("140", "3392", "3600")
    assert (img["step2_q1"], img["step2_median"], img["step2_q3"]) == ("240", "251", "259")
    assert (img["step2_not_matched_median"], img["match_rate"]) == ("243", "48.5")
    assert medicine["us_md_senior"]["applicants_per_position"] == ""
    assert {r["applicant_group"] for r in rows} == {"non_us_img", "us_md_senior"}
    assert all(r["source_label"].startswith("NRMP, Charting Outcomes") for r in rows)
