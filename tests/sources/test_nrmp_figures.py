"""NRMP figures by specialty from the raw tables: the known typo, the labels that count
only part of a specialty, and the Charting Outcomes figures taken."""

from django.conf import settings

from sources import nrmp_figures
from sources.tables import BuildReport, read_csv


def test_dermatology_2025_do_typo_is_left_empty(raw_dir):
    report = BuildReport()
    programs = read_csv(settings.BASE_DIR / "fixtures" / "programs.csv")
    rows = nrmp_figures.build_statistics(raw_dir, programs, report)
    dermatology = next(
        r for r in rows if r["nrmp_specialty"] == "Dermatology" and r["year"] == "2025"
    )
    assert dermatology["matched_us_do"] == ""
    assert dermatology["matched_us_md"] == "24"


def test_nrmp_labels_counting_a_small_part_of_their_specialty_never_head_it(raw_dir):
    programs = read_csv(settings.BASE_DIR / "fixtures" / "programs.csv")
    rows = nrmp_figures.build_statistics(raw_dir, programs, BuildReport())
    partial = {r["nrmp_specialty"] for r in rows if r["covers_part_only"]}
    assert {"Preventive Medicine", "Dermatology", "Radiology-Diagnostic"} <= partial
    assert "Internal Medicine (Categorical)" not in partial
    assert {r["positions_scope"] for r in rows if r["year"] == "2024"} == {"PGY-1"}
    assert not [r for r in rows if r["year"] == "2026" and r["covers_part_only"]]


def test_charting_outcomes_take_step2_figures_per_group_and_nothing_suppressed(raw_dir):
    rows = nrmp_figures.build_charting_outcomes(raw_dir)
    medicine = {r["applicant_group"]: r for r in rows if r["nrmp_specialty"] == "Internal Medicine"}
    img = medicine["non_us_img"]
    assert (img["specialty_code"], img["matched"], img["not_matched"]) == ("140", "3392", "3600")
    assert (img["step2_q1"], img["step2_median"], img["step2_q3"]) == ("240", "251", "259")
    assert (img["step2_not_matched_median"], img["match_rate"]) == ("243", "48.5")
    assert medicine["us_md_senior"]["applicants_per_position"] == ""
    assert {r["applicant_group"] for r in rows} == {"non_us_img", "us_md_senior"}
    assert all(r["source_label"].startswith("NRMP, Charting Outcomes") for r in rows)
