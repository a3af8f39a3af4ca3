"""The named reads of programs/querysets.py, tested directly on generated data."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from programs.choices import Outcome
from programs.models import (
    FaqEntry,
    Guide,
    Level,
    NrmpTrack,
    OutdatedReport,
    Program,
    ProgramSeasonDates,
    ReportStatus,
    Season,
    Specialty,
    SpecialtyApplicationService,
    Sponsor,
    SponsorH1bFilings,
)
from tests.factories import (
    FaqEntryFactory,
    GuideFactory,
    ProgramFactory,
    ProgramSeasonDatesFactory,
    SeasonFactory,
    SpecialtyFactory,
    SponsorFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 10, 1)


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


# --- Order ------------------------------------------------------------------------------


def test_programs_sort_by_name_without_regard_to_case_then_by_acgme_id():
    ProgramFactory(acgme_id="9900000003", name="AMITA Generated Program")
    ProgramFactory(acgme_id="9900000002", name="Generated Same Name")
    ProgramFactory(acgme_id="9900000001", name="Generated Same Name")
    ProgramFactory(acgme_id="9900000004", name="Abbott Generated Program")
    assert list(Program.objects.values_list("acgme_id", flat=True)) == [
        "9900000004",
        "9900000003",
        "9900000001",
        "9900000002",
    ]


def test_sponsors_and_specialties_sort_without_regard_to_case():
    SponsorFactory(name="AMITA Generated Sponsor")
    SponsorFactory(name="Abbott Generated Sponsor")
    SpecialtyFactory(name="Generated ZZ specialty")
    SpecialtyFactory(name="generated aa specialty")
    assert [s.name[:5] for s in Sponsor.objects.all()] == ["Abbot", "AMITA"]
    assert [s.name for s in Specialty.objects.all()][0] == "generated aa specialty"


# --- Specialties and sponsors -----------------------------------------------------------


def test_program_count_leaves_out_withdrawn_programs_unless_asked():
    specialty = SpecialtyFactory()
    ProgramFactory(specialty=specialty)
    ProgramFactory(specialty=specialty, accreditation_status="withdrawn")
    assert Specialty.objects.with_program_count().get().program_count == 1
    assert Specialty.objects.with_program_count(include_withdrawn=True).get().program_count == 2
    assert Sponsor.objects.with_program_count().count() == 2


def test_program_count_keeps_the_default_order():
    for name in ("Generated C", "Generated A", "Generated B"):
        ProgramFactory(specialty=SpecialtyFactory(name=name))
    names = [s.name for s in Specialty.objects.with_program_count()]
    assert names == ["Generated A", "Generated B", "Generated C"]


def test_largest_lists_residency_specialties_with_the_most_programs():
    small, large = (
        SpecialtyFactory(name="Generated Small"),
        SpecialtyFactory(name="Generated Large"),
    )
    fellowship = SpecialtyFactory(level=Level.FELLOWSHIP)
    SpecialtyFactory(name="Generated Empty")
    ProgramFactory(specialty=small)
    ProgramFactory.create_batch(2, specialty=large)
    ProgramFactory.create_batch(3, specialty=fellowship)
    assert [s.name for s in Specialty.objects.largest(5)] == ["Generated Large", "Generated Small"]


def test_subspecialties_of_a_core_specialty_are_those_with_programs():
    core = SpecialtyFactory()
    busy = SpecialtyFactory(level=Level.FELLOWSHIP, parent=core)
    SpecialtyFactory(level=Level.FELLOWSHIP, parent=core)
    ProgramFactory(specialty=busy)
    assert list(Specialty.objects.subspecialties_of(core)) == [busy]


# --- Seasons and dates ------------------------------------------------------------------


def test_the_current_season_and_its_match_year():
    assert Season.objects.current() is None
    assert Season.objects.current_match_year() == timezone.localdate().year + 1
    SeasonFactory(match_year=2026, is_current=False)
    current = SeasonFactory(match_year=2027, is_current=True)
    assert Season.objects.current() == current
    assert Season.objects.current_match_year() == 2027


def test_upcoming_deadlines_are_the_current_seasons_within_the_days_soonest_first():
    season = SeasonFactory(is_current=True)
    old = SeasonFactory(match_year=2026, is_current=False)
    soon, later, past, closed, elsewhen = (
        ProgramSeasonDatesFactory(season=season, application_deadline=days(5)),
        ProgramSeasonDatesFactory(season=season, application_deadline=days(31)),
        ProgramSeasonDatesFactory(season=season, application_deadline=days(-1)),
        ProgramSeasonDatesFactory(
            season=season,
            application_deadline=days(2),
            program=ProgramFactory(accreditation_status="withdrawn"),
        ),
        ProgramSeasonDatesFactory(season=old, application_deadline=days(3)),
    )
    first = ProgramSeasonDatesFactory(season=season, application_deadline=days(1))
    assert list(ProgramSeasonDates.objects.upcoming(days=30)) == [first, soon]
    assert later in ProgramSeasonDates.objects.upcoming(days=31)
    assert {past, closed, elsewhen}.isdisjoint(ProgramSeasonDates.objects.upcoming(days=365))


def test_a_programs_dates_for_a_season():
    season = SeasonFactory()
    dates = ProgramSeasonDatesFactory(season=season)
    assert ProgramSeasonDates.objects.for_program(dates.program, season) == dates
    assert ProgramSeasonDates.objects.for_program(ProgramFactory(), season) is None
    assert ProgramSeasonDates.objects.for_program(dates.program, None) is None


def test_current_deadline_is_the_current_seasons():
    old = SeasonFactory(match_year=2026, is_current=False)
    current = SeasonFactory(match_year=2027, is_current=True)
    program = ProgramFactory()
    ProgramSeasonDatesFactory(program=program, season=old, application_deadline=TODAY)
    assert Program.objects.with_current_deadline().get().current_deadline is None
    ProgramSeasonDatesFactory(program=program, season=current, application_deadline=days(9))
    assert Program.objects.with_current_deadline().get().current_deadline == days(9)


# --- FAQ, guides, reports ---------------------------------------------------------------


def test_published_faq_entries_carry_only_published_guides():
    shown, hidden = GuideFactory(), GuideFactory(is_published=False)
    entry = FaqEntryFactory()
    entry.related_guides.set([shown, hidden])
    FaqEntryFactory(is_published=False)
    assert [list(e.related_guides.all()) for e in FaqEntry.objects.published()] == [[shown]]
    assert list(Guide.objects.published()) == [shown]


def test_faq_search_needs_every_word_in_the_question_or_the_answer():
    wanted = FaqEntryFactory(question="Generated: J-1 waiver?", answer="Two years home.")
    FaqEntryFactory(question="Generated: H-1B waiver?")
    assert list(FaqEntry.objects.search("waiver home")) == [wanted]
    assert FaqEntry.objects.search("   ").count() == 2


def test_reports_awaiting_review_are_the_new_ones():
    program = ProgramFactory()
    new = OutdatedReport.objects.create(program=program, message="Generated new report")
    OutdatedReport.objects.create(
        program=program, message="Generated fixed report", status=ReportStatus.FIXED
    )
    assert list(OutdatedReport.objects.awaiting_review()) == [new]


# --- Programs: freshness and counts -----------------------------------------------------


def test_verification_age_groups(settings):
    settings.STALE_AFTER_DAYS = 100
    fresh = ProgramFactory(visa_verified_on=days(-99))
    old = ProgramFactory(visa_verified_on=days(-101))
    never = ProgramFactory()
    assert list(Program.objects.recently_verified()) == [fresh]
    assert list(Program.objects.verified_long_ago()) == [old]
    assert list(Program.objects.never_verified()) == [never]
    assert set(Program.objects.stale()) == {old, never}


def test_counts_by_state_and_specialty_and_visa_totals():
    a, b = SpecialtyFactory(name="Generated A"), SpecialtyFactory(name="Generated B")
    ProgramFactory(state="TX", specialty=a, sponsors_j1="yes", accepts_imgs="yes")
    ProgramFactory(state="TX", specialty=b, sponsors_h1b="yes", accepts_imgs="yes")
    ProgramFactory(state="OH", specialty=b, sponsors_h1b="no")
    programs = Program.objects.all()
    assert programs.totals_by_state()["by_state"] == [
        {"state": "OH", "count": 1},
        {"state": "TX", "count": 2},
    ]
    totals = programs.visa_totals()
    assert totals["total"] == 3
    assert [totals[kind].count for kind in ("j1", "h1b", "img", "reported")] == [1, 1, 2, 2]
    assert [(r["specialty__name"], r["count"]) for r in programs.count_by_specialty()] == [
        ("Generated A", 1),
        ("Generated B", 2),
    ]
    assert programs.states() == ["OH", "TX"]


def test_visa_totals_give_the_sources_and_years_each_count_rests_on():
    in_2016, in_2026 = datetime.date(2016, 2, 28), datetime.date(2026, 3, 1)
    freida = {"visa_as_of": in_2016, "visa_source_label": "FREIDA, 2016"}
    ProgramFactory(sponsors_h1b="yes", **freida)
    ProgramFactory(sponsors_h1b="yes", sponsors_j1="yes", **freida)
    ProgramFactory(
        sponsors_j1="yes",
        visa_source_label="Generated program website",
        visa_as_of=in_2026,
        visa_verified_on=in_2026,
    )
    ProgramFactory(sponsors_h1b="no", **freida)
    totals = Program.objects.visa_totals()
    h1b, j1, img = totals["h1b"], totals["j1"], totals["img"]
    assert (h1b.count, h1b.when, h1b.source_names) == (2, "in 2016", "FREIDA, 2016")
    assert (j1.count, j1.when) == (2, "between 2016 and 2026")
    assert j1.source_names == "FREIDA, 2016; Generated program website"
    assert (img.count, img.when) == (0, "")
    assert totals["reported"].count == 3


def test_visa_totals_count_the_listings_too_as_listed_does():
    in_2022, in_2026 = datetime.date(2022, 7, 1), datetime.date(2026, 3, 1)
    acgme = {"listing_source_label": "ACGME, 2021-22", "listing_as_of": in_2022}
    ProgramFactory(sponsors_h1b="yes", visa_source_label="FREIDA, 2016", **acgme)
    ProgramFactory(sponsors_j1="yes", visa_source_label="Generated program website", **acgme)
    ProgramFactory(
        listing_source_label="Generated listing",
        listing_as_of=in_2022,
        listing_verified_on=in_2026,
    )
    listed = Program.objects.visa_totals()["listed"]
    assert (listed.count, listed.when) == (3, "between 2022 and 2026")
    assert listed.source_names == "ACGME, 2021-22; Generated listing"
    assert listed == Program.objects.listed()


def test_totals_by_state_count_each_state_once_across_sources():
    ProgramFactory(state="TX", sponsors_h1b="yes", visa_source_label="FREIDA, 2016")
    ProgramFactory(state="TX", sponsors_j1="yes", visa_source_label="Generated program website")
    ProgramFactory(state="OH", listing_source_label="Generated listing")
    programs = Program.objects.all()
    totals = programs.totals_by_state()
    assert totals["by_state"] == [{"state": "OH", "count": 1}, {"state": "TX", "count": 2}]
    assert totals == {**programs.visa_totals(), "by_state": totals["by_state"]}


def test_a_count_of_undated_answers_says_so():
    ProgramFactory(sponsors_h1b="yes")
    assert Program.objects.visa_totals()["h1b"].when == "at no recorded date"


# --- Programs: how they fit an applicant ------------------------------------------------


def fit(annotation: str, **applicant) -> dict[str, str]:
    """Each program's outcome for one requirement, by program name."""
    return {p.name: getattr(p, annotation) for p in Program.objects.with_fit(**applicant)}


def test_step2_fit():
    ProgramFactory(name="Hard 240", step2_policy="hard", step2_minimum=240)
    ProgramFactory(name="Hard 230", step2_policy="hard", step2_minimum=230)
    ProgramFactory(name="Preferred 250", step2_policy="preferred", step2_minimum=250)
    ProgramFactory(name="Preferred 220", step2_policy="preferred", step2_minimum=220)
    ProgramFactory(name="None", step2_policy="none")
    ProgramFactory(name="Unknown")
    assert fit("fit_step2", step2=230) == {
        "Hard 240": Outcome.NOT_MET,
        "Hard 230": Outcome.MET,
        "Preferred 250": Outcome.MET_WITH_WARNING,
        "Preferred 220": Outcome.MET,
        "None": Outcome.MET,
        "Unknown": Outcome.UNKNOWN,
    }


def test_comlex_fit():
    ProgramFactory(name="Refuses", comlex_accepted="no")
    ProgramFactory(name="Minimum 500", comlex_minimum=500)
    ProgramFactory(name="Minimum 400", comlex_accepted="yes", comlex_minimum=400)
    ProgramFactory(name="Accepts", comlex_accepted="yes")
    ProgramFactory(name="Unknown")
    assert fit("fit_comlex", comlex=450) == {
        "Refuses": Outcome.NOT_MET,
        "Minimum 500": Outcome.NOT_MET,
        "Minimum 400": Outcome.MET,
        "Accepts": Outcome.MET,
        "Unknown": Outcome.UNKNOWN,
    }


def test_graduation_fit_counts_years_to_the_match():
    ProgramFactory(name="Within 3", graduation_policy="limit", max_years_since_graduation=3)
    ProgramFactory(name="Within 5", graduation_policy="limit", max_years_since_graduation=5)
    ProgramFactory(name="No limit", graduation_policy="none")
    ProgramFactory(name="Unknown")
    assert fit("fit_graduation", graduated=2022, match_year=2027) == {
        "Within 3": Outcome.NOT_MET,
        "Within 5": Outcome.MET,
        "No limit": Outcome.MET,
        "Unknown": Outcome.UNKNOWN,
    }


def test_graduation_fit_uses_the_current_season_by_default():
    SeasonFactory(match_year=2030, is_current=True)
    ProgramFactory(name="Within 5", graduation_policy="limit", max_years_since_graduation=5)
    assert fit("fit_graduation", graduated=2024) == {"Within 5": Outcome.NOT_MET}


def test_usce_fit():
    ProgramFactory(name="Needs 6", usce_policy="required", usce_months=6)
    ProgramFactory(name="Needs 2", usce_policy="required", usce_months=2)
    ProgramFactory(name="Prefers 4", usce_policy="preferred", usce_months=4)
    ProgramFactory(name="Prefers some", usce_policy="preferred")
    ProgramFactory(name="Not required", usce_policy="not_required")
    ProgramFactory(name="Unknown")
    assert fit("fit_usce", usce_months=3) == {
        "Needs 6": Outcome.NOT_MET,
        "Needs 2": Outcome.MET,
        "Prefers 4": Outcome.MET_WITH_WARNING,
        "Prefers some": Outcome.MET,
        "Not required": Outcome.MET,
        "Unknown": Outcome.UNKNOWN,
    }
    assert fit("fit_usce", usce_months=0)["Prefers some"] == Outcome.MET_WITH_WARNING


def test_visa_fit_is_met_by_any_accepted_visa_and_refused_only_by_all():
    ProgramFactory(name="J-1 only", sponsors_j1="yes", sponsors_h1b="no", accepts_imgs="yes")
    ProgramFactory(name="Neither", sponsors_j1="no", sponsors_h1b="no")
    ProgramFactory(name="H-1B unknown", sponsors_j1="no")
    assert fit("fit_visa", visa="h1b") == {
        "J-1 only": Outcome.NOT_MET,
        "Neither": Outcome.NOT_MET,
        "H-1B unknown": Outcome.UNKNOWN,
    }
    assert fit("fit_visa", visa=["j1", "h1b"]) == {
        "J-1 only": Outcome.MET,
        "Neither": Outcome.NOT_MET,
        "H-1B unknown": Outcome.UNKNOWN,
    }


def test_img_fit_only_asks_graduates_from_abroad():
    ProgramFactory(name="Yes", accepts_imgs="yes")
    ProgramFactory(name="No", accepts_imgs="no")
    ProgramFactory(name="Unknown")
    assert fit("fit_img", is_img=True) == {
        "Yes": Outcome.MET,
        "No": Outcome.NOT_MET,
        "Unknown": Outcome.UNKNOWN,
    }
    assert set(fit("fit_img", is_img=False).values()) == {Outcome.MET}


def test_fit_counts_failed_unknown_and_warned_requirements_that_were_asked():
    ProgramFactory(
        name="Mixed",
        step2_policy="preferred",
        step2_minimum=250,
        usce_policy="required",
        usce_months=6,
    )
    program = Program.objects.with_fit(step2=230, usce_months=3, graduated=2020).get()
    assert (program.fit_failed, program.fit_unknown, program.fit_warnings) == (1, 1, 1)
    assert not hasattr(program, "fit_comlex")
    nothing_asked = Program.objects.with_fit().get()
    assert (nothing_asked.fit_failed, nothing_asked.fit_unknown) == (0, 0)


def test_unknown_is_never_not_met():
    ProgramFactory()
    program = Program.objects.with_fit(
        step2=1, comlex=9, graduated=1950, usce_months=0, visa="h1b", is_img=True
    ).get()
    assert program.fit_failed == 0
    assert program.fit_unknown == 6


def test_fit_is_one_query_however_many_programs(django_assert_num_queries):
    ProgramFactory.create_batch(30, step2_policy="hard", step2_minimum=220)
    with django_assert_num_queries(1):
        programs = list(
            Program.objects.for_listing().with_fit(
                step2=230,
                comlex=500,
                graduated=2020,
                usce_months=3,
                visa="j1",
                is_img=True,
                match_year=2027,
            )
        )
    assert len(programs) == 30
    assert {p.fit_step2 for p in programs} == {Outcome.MET}


# --- Text search ------------------------------------------------------------------------

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text and trigram search need PostgreSQL"
)


@pytest.fixture
def programs():
    cardiology = SpecialtyFactory(name="Generated Cardiology", slug="generated-cardiology")
    ProgramFactory(
        name="Generated Lakeside Medical Center Program",
        sponsor=SponsorFactory(name="Generated Lakeside Health"),
        city="Riverton",
    )
    ProgramFactory(
        name="Generated Hilltop Program",
        specialty=cardiology,
        sponsor=SponsorFactory(name="Generated Hilltop University"),
        city="Lakeside",
    )
    ProgramFactory(name="Generated Unrelated Program", city="Nowhere")


def found(q):
    return [p.name for p in Program.objects.search(q)]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Hilltop", {"Generated Hilltop Program"}),
        ("riverton", {"Generated Lakeside Medical Center Program"}),
        ("cardiology", {"Generated Hilltop Program"}),
        ("Lakeside Health", {"Generated Lakeside Medical Center Program"}),
    ],
)
def test_search_looks_at_name_sponsor_city_and_specialty(programs, q, expected):
    assert set(found(q)) == expected


def test_blank_search_keeps_everything(programs):
    assert len(found("   ")) == 3


@postgres_only
def test_a_name_match_ranks_above_a_city_match(programs):
    assert found("Lakeside")[:2] == [
        "Generated Lakeside Medical Center Program",
        "Generated Hilltop Program",
    ]


def test_a_misspelt_name_is_still_found(programs):
    assert found("Lakesde Medical Centre")[0] == "Generated Lakeside Medical Center Program"


def test_a_misspelling_does_not_match_everything(programs):
    assert "Generated Unrelated Program" not in found("Lakesde Medical")


def test_a_correctly_spelt_word_is_not_widened_to_similar_words(programs):
    ProgramFactory(name="Generated Lakeview Program")
    assert "Generated Lakeview Program" not in found("Lakeside")


def test_a_search_for_an_acgme_id_or_an_nrmp_code_finds_its_program(programs):
    program = ProgramFactory(acgme_id="1409911111", name="Generated Coded Program")
    NrmpTrack.objects.create(program=program, code="9999140C0", source_label="Generated")
    assert found("1409911111") == ["Generated Coded Program"]
    assert found("9999140c0") == ["Generated Coded Program"]


def test_a_readers_word_for_a_specialty_also_finds_it_by_its_name():
    heart = SpecialtyFactory(name="Generated cardiovascular disease", slug="generated-cvd")
    kids = SpecialtyFactory(name="Generated pediatric cardiology", slug="generated-peds-cardio")
    ProgramFactory(name="Generated Heart Program", specialty=heart)
    ProgramFactory(name="Generated Kids Heart Program", specialty=kids)
    ProgramFactory(name="Generated Other Program")
    assert set(found("cardiology")) == {"Generated Heart Program", "Generated Kids Heart Program"}


def test_search_follows_renamed_programs_sponsors_and_specialties(programs):
    program = Program.objects.get(name="Generated Unrelated Program")
    program.name = "Generated Brookfield Program"
    program.save()
    Sponsor.objects.filter(pk=program.sponsor_id).update(name="Generated Ashmoor Health")
    specialty = program.specialty
    specialty.name = "Generated Zymurgy"
    specialty.save()
    assert found("Brookfield") == ["Generated Brookfield Program"]
    assert found("Ashmoor") == ["Generated Brookfield Program"]
    assert found("Zymurgy") == ["Generated Brookfield Program"]
    assert found("Unrelated") == []


@postgres_only
def test_search_is_served_by_the_stored_documents_indexes(programs):
    """The plan can answer a search from the GIN indexes alone (sequential scans are priced
    out here only because a handful of rows would otherwise never use an index)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        # A misspelt word is read at its closest spellings among the directory's names.
        respelt = Program.objects.search("Lakesde Medical").explain()
        # A word of letters with no close spelling leaves only comparing names by spelling.
        unreadable = Program.objects.search("Qzxwvy Medical").explain()
    assert "program_search_document" in respelt and "trgm" not in respelt
    assert "program_search_document" in unreadable
    assert "program_search_names_trgm" in unreadable


@postgres_only
def test_the_planner_is_told_what_checking_a_spelling_costs():
    """Set after every migrate; at pg_trgm's own cost of 1 the planner checks every
    program's spelling rather than use the index (tests/real_data/test_search_plans.py)."""
    from programs.search import TRIGRAM_MATCH_COST

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT procost FROM pg_proc WHERE proname IN"
            " ('strict_word_similarity_op', 'strict_word_similarity_commutator_op')"
        )
        assert cursor.fetchall() == [(TRIGRAM_MATCH_COST,)]


@postgres_only
def test_the_misspelling_threshold_is_the_databases():
    from programs.search import SIMILARITY_THRESHOLD

    with connection.cursor() as cursor:
        cursor.execute("SHOW pg_trgm.strict_word_similarity_threshold")
        assert float(cursor.fetchone()[0]) == SIMILARITY_THRESHOLD


def test_faq_search_ignores_hyphens_and_case():
    entry = FaqEntryFactory(question="Generated: does it sponsor the H-1B visa?")
    FaqEntryFactory(question="Generated: J-1 waiver?")
    for q in ("h1b", "H-1B", "H1B visa"):
        assert list(FaqEntry.objects.search(q)) == [entry]


def test_doubted_facts_never_decide_a_fit():
    ProgramFactory(
        name="Doubted",
        step2_policy="hard",
        step2_minimum=123,
        step2_minimum_doubted=True,
        sponsors_j1="no",
        sponsors_h1b="no",
        visa_answers_doubted=True,
    )
    program = Program.objects.with_fit(step2=100, visa="j1").get()
    assert (program.fit_step2, program.fit_visa) == (Outcome.DOUBTFUL, Outcome.DOUBTFUL)
    assert program.fit_failed == 0
    assert list(Program.objects.doubted()) == [program]


def test_the_application_service_in_force_for_a_match():
    specialty = SpecialtyFactory()
    ProgramFactory(specialty=specialty)
    for service, year in (("eras", 2025), ("residencycas", 2026)):
        SpecialtyApplicationService.objects.create(
            specialty=specialty, service=service, first_match_year=year, source_label="G"
        )
    services = SpecialtyApplicationService.objects
    assert services.in_force(specialty=specialty, match_year=2027).service == "residencycas"
    assert services.in_force(specialty=specialty, match_year=2025).service == "eras"
    assert services.in_force(specialty=specialty, match_year=2024) is None
    assert Program.objects.with_application_service(2025).get().application_service == "eras"
    assert Program.objects.with_application_service(2024).get().application_service is None


def test_programs_of_institutions_that_filed_h1b_applications():
    filed = ProgramFactory()
    ProgramFactory()
    SponsorH1bFilings.objects.create(
        sponsor=filed.sponsor, filings=3, period="generated period", source_label="G"
    )
    assert list(Program.objects.with_h1b_filings()) == [filed]


def test_outcome_counts_count_each_requirement_asked_about():
    ProgramFactory.create_batch(2, sponsors_h1b="yes", step2_policy="none")
    ProgramFactory(sponsors_h1b="no", step2_policy="hard", step2_minimum=250)
    fitted = Program.objects.with_fit(step2=240, visa="h1b", graduated=2020, match_year=2027)
    assert fitted.outcome_counts(Outcome.NOT_MET) == {
        "fit_visa": 1,
        "fit_step2": 1,
        "fit_graduation": 0,
    }
    assert fitted.outcome_counts(Outcome.UNKNOWN)["fit_graduation"] == 3


def test_a_misspelt_word_lists_its_closest_spelling_first():
    # "rochestr" is close to both names; Rochester is closer and comes first on every
    # database (SQLite too, which orders the rest by name, where Chester would lead).
    # Chester's has the word twice, which ranks it higher as text.
    ProgramFactory(
        name="Generated Chester Program",
        city="Chester",
        sponsor=SponsorFactory(name="Generated Chester Hospital"),
    )
    ProgramFactory(name="Generated Rochester Program")
    assert found("rochestr")[0] == "Generated Rochester Program"
