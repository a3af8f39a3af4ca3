"""The models: the database itself refuses data that breaks the directory's rules (how
full_clean explains each rule is in test_rules.py), and what a program says of itself."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.utils import timezone

from programs.models import (
    FactGroup,
    Level,
    MatchEvent,
    Program,
    ProgramSeasonDates,
    ScorePolicy,
    SignalAllowance,
    Specialty,
    SpecialtyStatistic,
    Sponsor,
    Tri,
)
from tests.factories import (
    MatchEventFactory,
    ProgramFactory,
    ProgramSeasonDatesFactory,
    SeasonFactory,
    SpecialtyFactory,
    SpecialtyStatisticFactory,
)

pytestmark = pytest.mark.django_db


def refused(model, pk, **values) -> bool:
    """True when the database refuses setting ``values`` on the row (bypassing save())."""
    try:
        with transaction.atomic():
            model.objects.filter(pk=pk).update(**values)
    except (IntegrityError, DataError):  # PostgreSQL refuses over-long values as DataError
        return True
    return False


@pytest.fixture
def program():
    return ProgramFactory()


def test_duplicate_acgme_id_is_refused(program):
    with pytest.raises(IntegrityError), transaction.atomic():
        Program.objects.create(
            acgme_id=program.acgme_id,
            name="Generated duplicate",
            specialty=program.specialty,
            sponsor=program.sponsor,
            state="IL",
        )


@pytest.mark.parametrize("acgme_id", ["123456789", "12345678901", "14024111A9", ""])
def test_acgme_id_that_is_not_ten_digits_is_refused(program, acgme_id):
    assert refused(Program, program.pk, acgme_id=acgme_id)


@pytest.mark.parametrize("state", ["", "Massachusetts", "ma", "XX"])
def test_state_that_is_not_a_usps_code_is_refused(program, state):
    assert refused(Program, program.pk, state=state)


def test_territory_codes_are_accepted(program):
    assert not refused(Program, program.pk, state="PR")
    assert not refused(Program, program.pk, state="GU")


@pytest.mark.parametrize("zip_code", ["2114", "02114-26", "ABCDE", "02114 2621"])
def test_malformed_zip_code_is_refused(program, zip_code):
    assert refused(Program, program.pk, zip_code=zip_code)


def test_zip_plus_four_is_accepted(program):
    assert not refused(Program, program.pk, zip_code="02114-2621")


def test_blank_program_name_is_refused(program):
    assert refused(Program, program.pk, name="   ")


@pytest.mark.parametrize("years", [0, 11])
def test_length_outside_1_to_10_years_is_refused(program, years):
    assert refused(Program, program.pk, length_years=years)


def test_accreditation_dates_out_of_order_are_refused(program):
    assert refused(
        Program,
        program.pk,
        originally_accredited_on=datetime.date(2020, 7, 1),
        accreditation_effective_on=datetime.date(2019, 7, 1),
    )


def test_implausible_year1_positions_and_letters_are_refused(program):
    assert refused(Program, program.pk, year1_positions=501)
    assert refused(Program, program.pk, required_letters=11)


@pytest.mark.parametrize("score", [0, 301])
def test_step2_minimum_out_of_range_is_refused(program, score):
    assert refused(Program, program.pk, step2_policy=ScorePolicy.HARD, step2_minimum=score)


def test_step2_minimum_inconsistent_with_policy_is_refused(program):
    assert refused(Program, program.pk, step2_policy=ScorePolicy.NONE, step2_minimum=220)
    assert refused(Program, program.pk, step2_policy=ScorePolicy.UNKNOWN, step2_minimum=220)
    assert not refused(Program, program.pk, step2_policy=ScorePolicy.PREFERRED, step2_minimum=230)


def test_comlex_minimum_out_of_range_or_not_accepted_is_refused(program):
    assert refused(Program, program.pk, comlex_minimum=1000)
    assert refused(Program, program.pk, comlex_accepted=Tri.NO, comlex_minimum=450)
    assert not refused(Program, program.pk, comlex_accepted=Tri.UNKNOWN, comlex_minimum=450)


def test_graduation_limit_inconsistent_with_policy_is_refused(program):
    assert refused(Program, program.pk, graduation_policy="none", max_years_since_graduation=5)
    assert refused(Program, program.pk, graduation_policy="limit", max_years_since_graduation=61)


def test_usce_months_inconsistent_with_policy_is_refused(program):
    assert refused(Program, program.pk, usce_policy="not_required", usce_months=3)
    assert refused(Program, program.pk, usce_policy="required", usce_months=61)
    assert not refused(Program, program.pk, usce_policy="preferred", usce_months=None)


def test_h1b_note_on_a_program_refusing_h1b_is_refused(program):
    assert refused(Program, program.pk, sponsors_h1b=Tri.NO, h1b_note="Step 3 by April")


def test_visa_sponsor_that_refuses_imgs_is_refused(program):
    assert refused(Program, program.pk, sponsors_j1=Tri.YES, accepts_imgs=Tri.NO)
    assert refused(Program, program.pk, sponsors_h1b=Tri.YES, accepts_imgs=Tri.NO)


def test_specialty_code_and_sponsor_code_shapes_are_enforced():
    specialty = SpecialtyFactory()
    assert refused(Specialty, specialty.pk, code="14")
    sponsor = ProgramFactory().sponsor
    assert refused(Sponsor, sponsor.pk, code="24039")


def test_only_fellowships_have_a_parent_specialty():
    core = SpecialtyFactory()
    other = SpecialtyFactory()
    assert refused(Specialty, other.pk, parent=core, level=Level.RESIDENCY)
    assert not refused(Specialty, other.pk, parent=core, level=Level.FELLOWSHIP)


@pytest.mark.parametrize("percent", ["-0.1", "100.1"])
def test_percent_filled_outside_0_to_100_is_refused(percent):
    statistic = SpecialtyStatisticFactory()
    assert refused(SpecialtyStatistic, statistic.pk, percent_filled=percent)


def test_statistic_step2_medians_out_of_range_and_overmatching_are_refused():
    statistic = SpecialtyStatisticFactory()
    assert refused(SpecialtyStatistic, statistic.pk, step2_median_us_md=301)
    assert refused(SpecialtyStatistic, statistic.pk, step2_median_non_us_img=0)
    assert refused(SpecialtyStatistic, statistic.pk, positions_offered=10, matched_total=11)


def test_two_statistics_for_one_label_and_year_are_refused():
    statistic = SpecialtyStatisticFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        SpecialtyStatisticFactory(nrmp_specialty=statistic.nrmp_specialty, year=statistic.year)


def test_season_events_that_break_their_rules_are_refused():
    event = MatchEventFactory(date=datetime.date(2027, 3, 15))
    assert refused(MatchEvent, event.pk, end_date=datetime.date(2027, 3, 14))
    assert refused(MatchEvent, event.pk, status="confirmed", checked_on=None)
    assert refused(MatchEvent, event.pk, match=None, service="")
    assert refused(MatchEvent, event.pk, service="eras")
    assert refused(MatchEvent, event.pk, source_label=" ")


def test_one_event_per_kind_and_detail_even_without_a_specialty():
    event = MatchEventFactory(match=None, service="eras")
    with pytest.raises(IntegrityError), transaction.atomic():
        MatchEventFactory(season=event.season, match=None, service="eras", kind=event.kind)
    MatchEventFactory(
        season=event.season, match=None, service="eras", kind=event.kind, detail="Round 2"
    )


def test_a_second_current_season_is_refused():
    SeasonFactory(match_year=2027, is_current=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        SeasonFactory(match_year=2028, is_current=True)


def test_program_dates_out_of_order_are_refused():
    dates = ProgramSeasonDatesFactory()
    assert refused(
        ProgramSeasonDates,
        dates.pk,
        applications_open=datetime.date(2026, 10, 1),
        application_deadline=datetime.date(2026, 9, 1),
    )
    assert refused(
        ProgramSeasonDates,
        dates.pk,
        interviews_start=datetime.date(2026, 12, 1),
        interviews_end=datetime.date(2026, 11, 1),
    )


# A CHECK constraint passes when it evaluates to NULL, so a policy that needs a number
# must refuse a missing one explicitly.
def test_hard_step2_policy_without_a_score_is_refused(program):
    assert refused(Program, program.pk, step2_policy=ScorePolicy.HARD, step2_minimum=None)


def test_graduation_limit_without_years_is_refused(program):
    assert refused(Program, program.pk, graduation_policy="limit", max_years_since_graduation=None)


def test_required_usce_without_months_is_refused(program):
    assert refused(Program, program.pk, usce_policy="required", usce_months=None)


def test_last_verified_is_the_newest_date_of_any_fact_group():
    program = ProgramFactory(
        visa_verified_on=datetime.date(2025, 1, 1), scores_verified_on=datetime.date(2026, 3, 1)
    )
    assert program.last_verified_on == datetime.date(2026, 3, 1)
    assert program.verified_on(FactGroup.VISA) == datetime.date(2025, 1, 1)
    assert program.verified_on(FactGroup.OVERVIEW) is None


def test_a_groups_facts_are_as_old_as_the_newer_of_their_source_and_the_check():
    program = ProgramFactory(
        visa_as_of=datetime.date(2016, 2, 28),
        scores_as_of=datetime.date(2016, 2, 28),
        scores_verified_on=datetime.date(2026, 3, 1),
    )
    assert program.facts_date(FactGroup.VISA) == datetime.date(2016, 2, 28)
    assert program.facts_date(FactGroup.SCORES) == datetime.date(2026, 3, 1)
    assert program.facts_date(FactGroup.ELIGIBILITY) is None


def test_a_program_is_stale_when_no_curator_checked_it_within_the_period(settings):
    settings.STALE_AFTER_DAYS = 30
    today = timezone.localdate()
    assert ProgramFactory().is_stale()
    assert ProgramFactory(visa_verified_on=today - datetime.timedelta(days=31)).is_stale()
    assert not ProgramFactory(visa_verified_on=today - datetime.timedelta(days=29)).is_stale()
    assert ProgramFactory(visa_as_of=today).is_stale()  # a fresh source is not a check


def test_a_check_or_a_source_date_in_the_future_is_refused():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    program = ProgramFactory()
    program.visa_source_label = "Generated website"
    program.visa_verified_on = tomorrow
    program.scores_as_of = tomorrow
    with pytest.raises(ValidationError) as caught:
        program.full_clean()
    assert caught.value.message_dict["visa_verified_on"] == ["This date is in the future."]
    assert caught.value.message_dict["scores_as_of"] == ["This date is in the future."]


def test_a_check_before_its_source_published_is_refused(program):
    assert refused(
        Program,
        program.pk,
        visa_source_label="Generated website",
        visa_as_of=datetime.date(2026, 3, 1),
        visa_verified_on=datetime.date(2026, 2, 1),
    )


# Signal allowances -------------------------------------------------------------------------


@pytest.fixture
def allowance():
    return SignalAllowance.objects.create(
        season=SeasonFactory(),
        specialty=SpecialtyFactory(),
        gold=3,
        silver=12,
        published_for=2025,
        source_label="Generated signal table",
    )


def test_an_allowance_is_one_kind_or_gold_and_silver(allowance):
    assert allowance.limits == {"gold": 3, "silver": 12}
    assert allowance.counts_text == "3 gold + 12 silver"
    assert refused(SignalAllowance, allowance.pk, signals=5)  # both at once
    assert refused(SignalAllowance, allowance.pk, gold=None)  # silver without gold
    assert not refused(SignalAllowance, allowance.pk, gold=None, silver=None, signals=5)
    allowance.refresh_from_db()
    assert allowance.limits == {"signal": 5}
    allowance.gold = 2
    with pytest.raises(ValidationError) as problem:
        allowance.full_clean()
    assert "Give either a number of signals of one kind" in str(problem.value.message_dict)


@pytest.mark.parametrize("name", ["gold", "silver"])
@pytest.mark.parametrize("count", [0, 101])
def test_implausible_signal_counts_are_refused(allowance, name, count):
    assert refused(SignalAllowance, allowance.pk, **{name: count})
    setattr(allowance, name, count)
    with pytest.raises(ValidationError) as problem:
        allowance.full_clean()
    assert problem.value.message_dict[name] == ["Give between 1 and 100 signals."]


def test_an_allowance_needs_its_source_and_one_per_specialty_and_season(allowance):
    assert refused(SignalAllowance, allowance.pk, source_label=" ")
    assert refused(SignalAllowance, allowance.pk, published_for=1999)
    twin = SignalAllowance(
        season=allowance.season,
        specialty=allowance.specialty,
        signals=3,
        published_for=2025,
        source_label="Generated",
    )
    with pytest.raises(ValidationError) as problem:
        twin.full_clean()
    assert "The season already has signals for that specialty." in str(problem.value)


def test_whether_a_program_takes_signals_is_unknown_until_said():
    dates = ProgramSeasonDatesFactory()
    assert dates.takes_signals == "unknown"
    assert refused(ProgramSeasonDates, dates.pk, takes_signals="maybe")


def test_a_program_read_without_some_columns_has_each_value_it_read_in_its_place():
    """Each set of columns read places its values by name, whatever the set before it."""
    made = ProgramFactory(name="Generated Placement Program", city="Generated Placeville")
    whole = Program.objects.get(pk=made.pk)  # without the stored search and step columns
    assert (whole.name, whole.city, whole.state) == (made.name, made.city, made.state)
    assert {"search_document", "name"} & whole.get_deferred_fields() == {"search_document"}
    for columns in (["city", "name"], ["name", "city"], ["state"]):
        some = Program.objects.only(*columns).get(pk=made.pk)
        assert [getattr(some, column) for column in columns] == [
            getattr(made, column) for column in columns
        ]
        assert "website" in some.get_deferred_fields()
        assert some.website == made.website  # a column not read is read when asked for


def test_a_program_and_a_specialty_have_the_address_reverse_gives_under_any_script_prefix():
    from django.urls import get_script_prefix, reverse, set_script_prefix

    made = ProgramFactory()
    was = get_script_prefix()
    try:
        for prefix in ("/", "/directory/", "/other/"):
            set_script_prefix(prefix)
            assert made.get_absolute_url() == reverse("programs:detail", args=[made.acgme_id])
            assert made.get_absolute_url().startswith(prefix)
            specialty = made.specialty
            assert specialty.get_absolute_url() == reverse(
                "programs:specialty", args=[specialty.slug]
            )
    finally:
        set_script_prefix(was)
