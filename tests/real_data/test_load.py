"""The shipped fixtures load into the database and hold the real directory."""

import datetime
import io
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count, Q

from programs.choices import EventStatus, MatchKind
from programs.loaders import load_directory
from programs.models import (
    ChartingOutcome,
    FaqEntry,
    Fee,
    Guide,
    Level,
    MatchEvent,
    Program,
    ProgramMatchResult,
    ProgramPositions,
    ScorePolicy,
    Season,
    Specialty,
    SpecialtyApplicationService,
    SpecialtyStatistic,
    Sponsor,
    SponsorH1bFilings,
    Tri,
)

FIXTURES = settings.BASE_DIR / "fixtures"

pytestmark = pytest.mark.django_db


def test_loading_reports_what_it_created(real_directory):
    assert "programs: 12711 created, 0 updated, 0 unchanged (saved)" in real_directory
    assert "specialties: 158 created" in real_directory
    assert "Directory loaded in" in real_directory


def test_every_program_specialty_and_sponsor_is_loaded():
    assert Program.objects.residencies().count() == 5579
    assert Program.objects.fellowships().count() == 7132
    assert Sponsor.objects.count() == 804
    assert Specialty.objects.count() == 158


def test_the_shipped_faq_and_guides_are_loaded_with_the_directory():
    assert Guide.objects.published().count() == 7
    assert FaqEntry.objects.published().count() >= 11


def test_withdrawn_programs_are_kept_but_hidden_from_applicants():
    withdrawn = Program.objects.filter(is_withdrawn=True).count()
    assert withdrawn == 34
    assert Program.objects.open_to_applicants().count() == 12711 - withdrawn


def test_mgh_internal_medicine_carries_its_acgme_and_freida_2016_facts():
    program = Program.objects.select_related("sponsor", "specialty").get(acgme_id="1402411169")
    assert program.name == "Massachusetts General Hospital Program"
    assert (program.city, program.state, program.zip_code) == ("Boston", "MA", "02114-2621")
    assert program.address.splitlines()[-1] == "55 Fruit Street"
    assert program.specialty.code == "140"
    assert program.filled_positions == 193
    assert program.originally_accredited_on == datetime.date(1956, 3, 13)
    assert (program.sponsors_j1, program.sponsors_h1b) == (Tri.YES, Tri.NO)
    assert program.accepts_imgs == Tri.YES
    assert program.year1_positions == 64
    assert program.visa_source_label == "FREIDA, 2016"
    assert program.visa_source_url.endswith("pgmNumber=1402411169")
    assert program.accepts_imgs_inferred


def test_snapshot_dates_are_as_of_dates_never_a_curators_check():
    program = Program.objects.get(acgme_id="1402411169")
    assert program.visa_as_of == datetime.date(2016, 2, 28)
    assert (program.listing_source_label, program.listing_as_of) == (
        "ACGME, 2021–22",
        datetime.date(2022, 6, 3),
    )
    assert program.last_verified_on is None
    assert not Program.objects.filter(last_verified_on__isnull=False).exists()


def test_doubtful_2016_values_are_flagged_for_curators():
    assert Program.objects.filter(step2_minimum_doubted=True).count() == 581
    assert not Program.objects.filter(step2_minimum_doubted=True, step2_minimum__gte=194).exists()
    assert Program.objects.get(step2_minimum=123).step2_minimum_doubted
    doubted_visas = Program.objects.filter(visa_answers_doubted=True)
    assert doubted_visas.exists()
    assert set(doubted_visas.values_list("sponsors_j1", "sponsors_h1b").distinct()) == {
        ("no", "no")
    }
    websites = Program.objects.filter(website_doubted=True).values_list("website", flat=True)
    assert websites and all(
        "northshorelij" in w or "umdnj" in w or "presencehealth" in w or "stjohnprovidence" in w
        for w in websites
    )


def test_em_and_obgyn_apply_through_residencycas_and_others_through_eras():
    services = SpecialtyApplicationService.objects
    assert (
        services.in_force(specialty=Specialty.objects.get(code="110"), match_year=2027).service
        == "residencycas"
    )
    assert (
        services.in_force(specialty=Specialty.objects.get(code="110"), match_year=2025).service
        == "eras"
    )
    assert (
        services.in_force(specialty=Specialty.objects.get(code="220"), match_year=2027).service
        == "residencycas"
    )
    assert (
        services.in_force(specialty=Specialty.objects.get(code="140"), match_year=2027).service
        == "eras"
    )
    assert services.in_force(specialty=Specialty.objects.get(code="141"), match_year=2027) is None


def test_nrmp_rows_covering_part_of_a_specialty_are_marked_and_pgy1_rows_say_so():
    preventive = SpecialtyStatistic.objects.get(nrmp_specialty="Preventive Medicine", year=2020)
    assert preventive.covers_part_only
    assert (
        SpecialtyStatistic.objects.get(
            nrmp_specialty="Internal Medicine (Categorical)", year=2024
        ).positions_scope
        == "PGY-1"
    )
    assert not SpecialtyStatistic.objects.filter(covers_part_only=True, year=2026).exists()


def test_georgia_positions_and_h1b_filings_are_loaded():
    emory_im = ProgramPositions.objects.get(
        program__acgme_id="1401221105", as_of=datetime.date(2024, 2, 1)
    )
    assert (emory_im.approved, emory_im.filled) == (177, 170)
    upmc = SponsorH1bFilings.objects.get(sponsor__code="418024")
    assert upmc.filings == 88
    assert "Internal Medicine" in upmc.specialties
    # MGH's filings are its physician organization's and Mass General Brigham's, at its
    # address; the MGH pages show them.
    mgh = SponsorH1bFilings.objects.get(sponsor__code="240394")
    assert mgh.filings == 35
    assert "Massachusetts General Physicians Organization" in mgh.employers


def test_no_program_is_said_to_refuse_imgs():
    assert not Program.objects.filter(accepts_imgs=Tri.NO).exists()


def test_freida_facts_are_labelled_wherever_they_are_filled():
    assert (
        Program.objects.exclude(sponsors_j1=Tri.UNKNOWN)
        .exclude(visa_source_label="FREIDA, 2016")
        .count()
        == 0
    )
    assert (
        Program.objects.filter(step2_policy=ScorePolicy.HARD)
        .exclude(scores_source_label="FREIDA, 2016")
        .count()
        == 0
    )


def test_fellowships_have_parents_only_where_defensible():
    assert Specialty.objects.get(code="045").parent.code == "040"
    assert Specialty.objects.get(code="141").parent.code == "140"
    assert Specialty.objects.get(code="520").parent is None
    assert not Specialty.objects.filter(level=Level.RESIDENCY, parent__isnull=False).exists()


def test_nrmp_statistics_are_attributed_and_linked():
    im_2024 = SpecialtyStatistic.objects.get(
        nrmp_specialty="Internal Medicine (Categorical)", year=2024
    )
    assert im_2024.specialty.code == "140"
    assert im_2024.source_label == "NRMP, Results and Data: 2024 Main Residency Match"
    im_2025 = SpecialtyStatistic.objects.get(
        nrmp_specialty="Internal Medicine (Categorical)", year=2025
    )
    assert im_2025.matched_non_us_img == 3573
    im_2026 = SpecialtyStatistic.objects.get(nrmp_specialty="Internal Medicine", year=2026)
    assert (im_2026.step2_median_us_md, im_2026.step2_median_non_us_img) == (254, 251)
    assert not SpecialtyStatistic.objects.filter(source_label="").exists()


def test_every_confirmed_fee_says_when_its_source_published_it():
    confirmed = Fee.objects.filter(confirmed=True)
    assert confirmed.exists()
    undated = [
        (fee.kind, fee.source_label)
        for fee in confirmed
        if not fee.as_of and not re.search(r"\b20\d\d\b", fee.source_label)
    ]
    assert undated == []


def test_match_2027_is_current_and_every_date_is_projected():
    season = Season.objects.get(is_current=True)
    assert season.name == "Match 2027"
    main = season.events.filter(match__kind=MatchKind.NRMP_MAIN, specialty=None)
    assert main.get(kind__slug="match_day").date == datetime.date(2027, 3, 19)
    assert not season.events.filter(status=EventStatus.CONFIRMED).exists()
    assert not season.events.filter(source_label="").exists()


def test_match_2027_holds_every_date_that_matters_for_the_main_match_and_eras():
    season = Season.objects.get(is_current=True)
    kinds = set(
        season.events.filter(Q(match__kind=MatchKind.NRMP_MAIN) | Q(service="eras")).values_list(
            "kind__slug", flat=True
        )
    )
    assert kinds == {
        "applications_open",
        "applicants_submit",
        "programs_review",
        "registration_opens",
        "registration_deadline",
        "rank_list_opens",
        "rank_list_deadline",
        "match_week",
        "soap_round",
        "match_day",
        "training_starts",
    }
    assert season.events.filter(kind__slug="soap_round").count() == 4


def test_the_early_matches_borrow_no_main_match_date():
    season = Season.objects.get(is_current=True)
    for kind in (MatchKind.AUA, MatchKind.SF_MATCH, MatchKind.NRMP_SMS):
        events = season.events.filter(match__kind=kind)
        assert events.filter(kind__slug="match_day").exists()
        assert set(events.values_list("date", flat=True)) == {None}


def test_match_2026_keeps_its_secondary_source_deadline_unconfirmed():
    main = MatchEvent.objects.filter(season__match_year=2026, match__kind=MatchKind.NRMP_MAIN)
    assert main.get(kind__slug="match_day").status == EventStatus.CONFIRMED
    assert main.get(kind__slug="rank_list_deadline").status == EventStatus.PROJECTED


def test_every_residency_specialty_maps_to_its_match():
    residencies = Specialty.objects.filter(level="residency")
    assert not residencies.filter(matches=None).exists()
    programs = Program.objects.residencies().with_match(2027)
    counts = dict(
        programs.values_list("match_kind").annotate(n=Count("pk")).values_list("match_kind", "n")
    )
    assert counts[MatchKind.AUA] == 148
    assert counts[MatchKind.NRMP_SMS] == 84 + 67 + 75 + 45
    assert MatchKind.MILITARY not in counts


def test_results_are_labelled_with_the_match_that_reported_them():
    allergy = ProgramMatchResult.objects.filter(program__specialty__code="020")
    assert allergy.exists()
    assert set(allergy.values_list("match__kind", "source_label")) == {
        (MatchKind.NRMP_SMS, "NRMP Program Results, Specialties Matching Service")
    }
    assert not ProgramMatchResult.objects.filter(match=None).exists()


def test_loading_again_changes_nothing():
    summary = dict(load_directory(fixtures_dir=FIXTURES))
    assert summary["programs"].startswith("0 created, 0 updated, 12711 unchanged")
    assert summary["specialties"] == "0 created, 0 updated, 158 unchanged"


def test_load_directory_if_empty_does_nothing_when_programs_exist():
    out = io.StringIO()
    call_command("load_directory", "--if-empty", stdout=out)
    assert "already loaded" in out.getvalue()


def test_charting_outcomes_are_loaded_per_specialty_and_group():
    assert ChartingOutcome.objects.count() == 47
    medicine = ChartingOutcome.objects.get(
        specialty__slug="internal-medicine", applicant_group="non_us_img"
    )
    assert (medicine.year, medicine.step2_q1, medicine.step2_median) == (2026, 240, 251)
    unmatched = ChartingOutcome.objects.filter(specialty__isnull=True)
    assert list(unmatched.values_list("nrmp_specialty", flat=True)) == [
        "Public Health and Preventive Medicine"  # no one ACGME specialty is all of it
    ]
