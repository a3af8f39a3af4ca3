"""What each filter of the program list keeps and drops, on generated programs."""

import datetime

import pytest
from django.utils import timezone

from programs.filters import ProgramFilter
from programs.models import Level, Program
from tests.factories import (
    ProgramFactory,
    ProgramSeasonDatesFactory,
    SeasonFactory,
    SpecialtyFactory,
)

pytestmark = pytest.mark.django_db


def names(data):
    filterset = ProgramFilter(data, queryset=Program.objects.open_to_applicants().for_listing())
    return {p.name for p in filterset.qs}


def test_visa_keeps_only_known_yes_and_means_any_of_the_chosen():
    ProgramFactory(name="J1", sponsors_j1="yes", accepts_imgs="yes")
    ProgramFactory(name="H1B", sponsors_h1b="yes", accepts_imgs="yes")
    ProgramFactory(name="Refuses", sponsors_j1="no", sponsors_h1b="no")
    ProgramFactory(name="Silent")
    assert names({"visa": ["h1b"]}) == {"H1B"}
    assert names({"visa": ["j1", "h1b"]}) == {"J1", "H1B"}


def test_unknown_visa_is_not_counted_as_no():
    ProgramFactory(name="Silent")
    assert names({}) == {"Silent"}
    assert names({"visa": ["j1"]}) == set()


def test_img_keeps_only_programs_known_to_accept_imgs():
    ProgramFactory(name="Yes", accepts_imgs="yes")
    ProgramFactory(name="No", accepts_imgs="no")
    ProgramFactory(name="Unknown")
    assert names({"img": "1"}) == {"Yes"}
    assert names({"img": "0"}) == {"Yes", "No", "Unknown"}


def test_step2_drops_only_a_known_hard_minimum_above_the_score():
    ProgramFactory(name="Hard 240", step2_policy="hard", step2_minimum=240)
    ProgramFactory(name="Hard 220", step2_policy="hard", step2_minimum=220)
    ProgramFactory(name="Preferred 250", step2_policy="preferred", step2_minimum=250)
    ProgramFactory(name="Unknown")
    assert names({"step2": "230"}) == {"Hard 220", "Preferred 250", "Unknown"}


def test_yog_counts_years_to_the_current_match():
    SeasonFactory(match_year=2027, is_current=True)
    ProgramFactory(name="Within 3", graduation_policy="limit", max_years_since_graduation=3)
    ProgramFactory(name="Within 5", graduation_policy="limit", max_years_since_graduation=5)
    ProgramFactory(name="No limit", graduation_policy="none")
    ProgramFactory(name="Unknown")
    # Graduated 2022: 5 years before Match 2027.
    assert names({"yog": "2022"}) == {"Within 5", "No limit", "Unknown"}


def test_usce_drops_programs_known_to_require_more_months():
    ProgramFactory(name="Needs 6", usce_policy="required", usce_months=6)
    ProgramFactory(name="Needs 2", usce_policy="required", usce_months=2)
    ProgramFactory(name="Preferred", usce_policy="preferred")
    ProgramFactory(name="Unknown")
    assert names({"usce": "3"}) == {"Needs 2", "Preferred", "Unknown"}


def test_fit_keeps_only_programs_known_to_meet_every_limit_given():
    ProgramFactory(name="Meets", step2_policy="hard", step2_minimum=220)
    ProgramFactory(name="Prefers more", step2_policy="preferred", step2_minimum=250)
    ProgramFactory(name="Too high", step2_policy="hard", step2_minimum=240)
    ProgramFactory(name="Unknown")
    assert names({"step2": "230"}) == {"Meets", "Prefers more", "Unknown"}
    assert names({"step2": "230", "fit": "1"}) == {"Meets", "Prefers more"}


def test_fit_needs_every_given_limit_to_be_known():
    ProgramFactory(name="Score only", step2_policy="none")
    ProgramFactory(name="Both", step2_policy="none", usce_policy="not_required")
    assert names({"step2": "230", "usce": "0", "fit": "1"}) == {"Both"}


def test_fit_without_any_limit_given_leaves_the_list_alone():
    ProgramFactory(name="Unknown")
    assert names({"fit": "1"}) == {"Unknown"}


def test_the_verified_filter_reads_the_configured_period(settings):
    settings.STALE_AFTER_DAYS = 90
    assert (
        ProgramFilter({}).form.fields["verified"].label
        == "Checked by a curator in the last 90 days"
    )
    settings.STALE_AFTER_DAYS = 730
    assert (
        ProgramFilter({}).form.fields["verified"].label
        == "Checked by a curator in the last 24 months"
    )


def test_deadline_after_keeps_programs_without_a_known_deadline():
    season = SeasonFactory(is_current=True)
    early = ProgramFactory(name="Early")
    late = ProgramFactory(name="Late")
    ProgramFactory(name="No dates")
    ProgramSeasonDatesFactory(
        program=early, season=season, application_deadline=datetime.date(2026, 9, 1)
    )
    ProgramSeasonDatesFactory(
        program=late, season=season, application_deadline=datetime.date(2026, 11, 1)
    )
    assert names({"deadline_after": "2026-10-01"}) == {"Late", "No dates"}


def test_deadline_of_a_past_season_is_not_the_current_deadline():
    old = SeasonFactory(match_year=2026, is_current=False)
    SeasonFactory(match_year=2027, is_current=True)
    program = ProgramFactory(name="Old dates only")
    ProgramSeasonDatesFactory(
        program=program, season=old, application_deadline=datetime.date(2025, 9, 1)
    )
    assert names({"deadline_after": "2026-01-01"}) == {"Old dates only"}


def test_state_and_region_filters():
    ProgramFactory(name="Texas", state="TX")
    ProgramFactory(name="Ohio", state="OH")
    ProgramFactory(name="Puerto Rico", state="PR")
    assert names({"state": ["TX", "OH"]}) == {"Texas", "Ohio"}
    assert names({"region": "territories"}) == {"Puerto Rico"}
    assert names({"region": "south"}) == {"Texas"}


def test_level_defaults_to_residencies_unless_a_specialty_says_otherwise():
    fellowship = SpecialtyFactory(level=Level.FELLOWSHIP, slug="generated-fellowship")
    ProgramFactory(name="Residency")
    ProgramFactory(name="Fellowship", specialty=fellowship)
    assert names({}) == {"Residency"}
    assert names({"level": "fellowship"}) == {"Fellowship"}
    assert names({"level": "all"}) == {"Residency", "Fellowship"}
    assert names({"specialty": ["generated-fellowship"]}) == {"Fellowship"}


def test_specialty_is_repeatable_by_slug():
    a, b, c = (SpecialtyFactory(slug=f"generated-{x}") for x in "abc")
    ProgramFactory(name="A", specialty=a)
    ProgramFactory(name="B", specialty=b)
    ProgramFactory(name="C", specialty=c)
    assert names({"specialty": ["generated-a", "generated-c"]}) == {"A", "C"}


def test_setting_filter():
    ProgramFactory(name="University", setting="university")
    ProgramFactory(name="Community", setting="community")
    assert names({"setting": "community"}) == {"Community"}


def test_verified_keeps_programs_checked_within_the_period(settings):
    settings.STALE_AFTER_DAYS = 100
    today = timezone.localdate()
    ProgramFactory(name="Fresh", visa_verified_on=today - datetime.timedelta(days=99))
    ProgramFactory(name="Old", visa_verified_on=today - datetime.timedelta(days=101))
    ProgramFactory(name="Never")
    assert names({"verified": "1"}) == {"Fresh"}


def test_withdrawn_programs_are_hidden_from_the_list():
    ProgramFactory(name="Open")
    ProgramFactory(name="Gone", accreditation_status="withdrawn")
    assert names({}) == {"Open"}


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Alpha", "Beta", "Gamma"]),
        ("", ["Alpha", "Beta", "Gamma"]),
        ("-positions", ["Beta", "Alpha", "Gamma"]),
        ("state", ["Gamma", "Alpha", "Beta"]),
        ("-verified", ["Gamma", "Beta", "Alpha"]),
    ],
)
def test_sort_orders_with_missing_values_last(sort, expected):
    ProgramFactory(name="Alpha", state="NY", year1_positions=5)
    ProgramFactory(
        name="Beta", state="TX", year1_positions=20, visa_verified_on=datetime.date(2025, 1, 1)
    )
    ProgramFactory(name="Gamma", state="CA", visa_verified_on=datetime.date(2025, 6, 1))
    filterset = ProgramFilter({"sort": sort}, queryset=Program.objects.all())
    assert [p.name for p in filterset.qs] == expected


def test_ties_in_a_sort_fall_back_to_the_name_then_the_acgme_id():
    ProgramFactory(acgme_id="9900000002", name="Generated Same", state="TX")
    ProgramFactory(acgme_id="9900000001", name="generated same", state="TX")
    ProgramFactory(acgme_id="9900000003", name="Generated Alpha", state="TX")
    filterset = ProgramFilter({"sort": "state"}, queryset=Program.objects.all())
    assert [p.acgme_id for p in filterset.qs] == ["9900000003", "9900000001", "9900000002"]


def test_sort_by_deadline_puts_unknown_deadlines_last():
    season = SeasonFactory(is_current=True)
    later, sooner = ProgramFactory(name="Later"), ProgramFactory(name="Sooner")
    ProgramFactory(name="Unknown")
    for program, day in ((later, 20), (sooner, 10)):
        ProgramSeasonDatesFactory(
            program=program, season=season, application_deadline=datetime.date(2026, 10, day)
        )
    filterset = ProgramFilter({"sort": "deadline"}, queryset=Program.objects.all())
    assert [p.name for p in filterset.qs] == ["Sooner", "Later", "Unknown"]


@pytest.mark.parametrize(
    "data",
    [
        {"step2": "abc"},
        {"step2": "999"},
        {"state": ["ZZ"]},
        {"yog": "nineteen"},
        {"deadline_after": "tomorrow"},
        {"sort": "price"},
        {"region": "moon"},
        {"visa": ["o1"]},
        {"specialty": ["no-such-specialty"]},
    ],
)
def test_a_bad_value_is_reported_and_left_out(data):
    ProgramFactory(name="Kept")
    filterset = ProgramFilter(data, queryset=Program.objects.all())
    assert list(filterset.form.errors) == list(data)
    assert {p.name for p in filterset.qs} == {"Kept"}


def test_the_specialties_chosen_are_checked_without_reading_them_from_the_database():
    """Every specialty is kept in the shared cache: a list filtered by specialty reads its
    programs, never the specialties chosen, which come in the specialties' order."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    a = SpecialtyFactory(slug="generated-a", name="Generated Anatomy")
    b = SpecialtyFactory(slug="generated-b", name="Generated Biology")
    ProgramFactory(name="A", specialty=a)
    ProgramFactory(name="B", specialty=b)
    assert names({"specialty": ["generated-b"]}) == {"B"}  # every specialty now kept
    with CaptureQueriesContext(connection) as queries:
        filterset = ProgramFilter(
            {"specialty": ["generated-b", "generated-a"]}, queryset=Program.objects.all()
        )
        assert filterset.is_valid()
        chosen = filterset.form.cleaned_data["specialty"]
    assert [s.slug for s in chosen] == ["generated-a", "generated-b"]
    assert [(s.pk, str(s), s.level) for s in chosen] == [(x.pk, x.name, x.level) for x in (a, b)]
    assert not [q for q in queries if '"programs_specialty"' in q["sql"]]
    # Any other value of a chosen specialty is its own, read when asked for.
    assert [s.code for s in chosen] == [a.code, b.code]


def test_a_bad_value_does_not_drop_the_good_ones():
    ProgramFactory(name="Texas", state="TX")
    ProgramFactory(name="Ohio", state="OH")
    assert names({"state": ["TX"], "step2": "abc"}) == {"Texas"}


def test_sort_by_deadline_reads_every_page_as_the_whole_sorted_list_has_it():
    """The page reader (programs with a deadline from the season's dates, then the others by
    name) gives each window of rows the sorted list gives, across the boundary too."""
    old = SeasonFactory(match_year=2026, is_current=False)
    season = SeasonFactory(match_year=2027, is_current=True)
    programs = {
        # Deadline ties are broken by the name without regard to case, then the ACGME ID.
        "9900000009": ("Same", datetime.date(2026, 10, 1)),
        "9900000001": ("same", datetime.date(2026, 10, 1)),
        "9900000005": ("Alpha", datetime.date(2026, 10, 1)),
        "9900000002": ("Zulu", datetime.date(2026, 9, 1)),
        "9900000003": ("Beta", None),  # this season's dates, without a deadline
        "9900000008": ("beta", "old"),  # a deadline of a past season only
        "9900000004": ("Beta", "none"),  # no dates at all
        "9900000006": ("Aardvark", "none"),
        "9900000007": ("Yak", "none"),
    }
    for acgme_id, (name, deadline) in programs.items():
        program = ProgramFactory(acgme_id=acgme_id, name=name)
        if deadline == "old":
            ProgramSeasonDatesFactory(
                program=program, season=old, application_deadline=datetime.date(2025, 9, 1)
            )
        elif deadline != "none":
            ProgramSeasonDatesFactory(program=program, season=season, application_deadline=deadline)
    filterset = ProgramFilter({"sort": "deadline"}, queryset=Program.objects.all())
    read = filterset.page_reader()
    expected = [
        *("9900000002", "9900000005", "9900000001", "9900000009"),
        *("9900000006", "9900000003", "9900000004", "9900000008", "9900000007"),
    ]
    assert [p.acgme_id for p in filterset.qs] == expected
    for bottom in range(len(expected)):
        for top in range(bottom, len(expected) + 1):
            rows = [p.acgme_id for p in read(bottom, top)]
            assert rows == expected[bottom:top], (bottom, top)


def test_sort_by_deadline_without_a_current_season_reads_pages_by_name():
    SeasonFactory(is_current=False)
    for acgme_id, name in (("9900000002", "b"), ("9900000001", "B"), ("9900000003", "a")):
        ProgramFactory(acgme_id=acgme_id, name=name)
    read = ProgramFilter({"sort": "deadline"}, queryset=Program.objects.all()).page_reader()
    assert [p.acgme_id for p in read(1, 3)] == ["9900000001", "9900000002"]


def annotations(data) -> set[str]:
    queryset = Program.objects.open_to_applicants().for_listing()
    return set(ProgramFilter(data, queryset=queryset).qs.query.annotations)


def test_the_deadline_is_read_only_by_a_list_sorted_or_filtered_by_it():
    assert "current_deadline" not in annotations({})
    assert "current_deadline" not in annotations({"sort": "-positions", "img": "1"})
    assert "current_deadline" in annotations({"sort": "deadline"})
    assert "current_deadline" in annotations({"deadline_before": "2026-10-01"})
    # A date that is not one filters nothing, and so needs no deadline.
    assert "current_deadline" not in annotations({"deadline_after": "soon"})


def test_the_fit_is_read_only_by_a_list_asked_about_the_reader():
    assert not {name for name in annotations({}) if name.startswith("fit_")}
    assert "fit_step2" in annotations({"step2": "230"})
    assert "fit_failed" in annotations({"fit": "1"})


def test_each_list_filters_with_filters_of_its_own():
    ProgramFactory(name="Accepts", accepts_imgs="yes")
    ProgramFactory(name="Silent")
    queryset = Program.objects.open_to_applicants().for_listing()
    first = ProgramFilter({"img": "1"}, queryset=queryset)
    second = ProgramFilter({}, queryset=queryset)
    assert first.filters["img"] is not second.filters["img"]
    assert first.filters["img"].parent is first and second.filters["img"].parent is second
    assert {p.name for p in first.qs} == {"Accepts"}
    assert {p.name for p in second.qs} == {"Accepts", "Silent"}
