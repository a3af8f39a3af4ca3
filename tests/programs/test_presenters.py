"""What pages show, built by programs/presenters.py from models, without a request."""

import datetime
import json

import pytest
from django.core.paginator import Paginator
from django.http import QueryDict

from programs import presenters
from programs.choices import FaqTopic, Outcome, SeasonEvent
from programs.filters import ProgramFilter
from programs.models import Program
from tests.factories import (
    FaqEntryFactory,
    ProgramFactory,
    ProgramSeasonDatesFactory,
    SeasonFactory,
    SpecialtyFactory,
    SpecialtyStatisticFactory,
)

pytestmark = pytest.mark.django_db


# --- Facts ------------------------------------------------------------------------------


def facts_by_label(section) -> dict[str, presenters.Fact]:
    return {fact.label: fact for fact in section.facts}


def test_facts_a_program_has_not_published_read_not_reported():
    facts = presenters.program_facts(ProgramFactory())
    visa = facts_by_label(facts.requirements[0])
    assert visa["Sponsors H-1B visas"].kind == "unknown"
    assert visa["Sponsors H-1B visas"].text == "Not reported"
    scores = facts_by_label(facts.requirements[1])
    assert scores["Step 2 CK minimum"].text == "Not reported"


def test_each_fact_section_carries_its_own_source_and_date():
    program = ProgramFactory(
        visa_source_label="Generated source",
        visa_source_url="https://example.org/visas",
        visa_verified_on=datetime.date(2026, 1, 2),
        step2_policy="preferred",
        step2_minimum=230,
    )
    visa, scores, eligibility = presenters.program_facts(program).requirements
    assert (visa.title, visa.source_label, visa.verified_on) == (
        "IMGs and visas",
        "Generated source",
        datetime.date(2026, 1, 2),
    )
    assert scores.source_label == "" and scores.verified_on is None
    assert facts_by_label(scores)["Step 2 CK minimum"].text == "230 preferred, not required"
    assert eligibility.slug == "eligibility"


def test_a_programs_dates_read_not_reported_until_it_publishes_them():
    season = SeasonFactory()
    empty = presenters.dates_section(None, season)
    assert empty.title == "Dates for Match 2027"
    assert {fact.kind for fact in empty.facts} == {"unknown"}
    dates = ProgramSeasonDatesFactory(
        season=season, application_deadline=datetime.date(2026, 10, 15), source_label="Generated"
    )
    section = presenters.dates_section(dates, season)
    assert facts_by_label(section)["Application deadline"].text == "October 15, 2026"
    assert section.source_label == "Generated"


def test_the_description_names_only_visas_known_to_be_sponsored():
    program = ProgramFactory(sponsors_j1="yes", sponsors_h1b="no", accepts_imgs="yes")
    program = Program.objects.for_listing().get(pk=program.pk)
    assert "Sponsors J-1 visas." in presenters.program_description(program)
    assert "H-1B" not in presenters.program_description(program)


# --- Fit notes --------------------------------------------------------------------------


def test_fit_notes_name_unknown_preferred_and_failed_requirements_only():
    ProgramFactory(name="A", step2_policy="preferred", step2_minimum=250)
    ProgramFactory(name="B", step2_policy="hard", step2_minimum=240, usce_policy="not_required")
    programs = {p.name: p for p in Program.objects.with_fit(step2=230, usce_months=2)}
    assert presenters.fit_notes(programs["A"]) == [
        presenters.FitNote("Prefers Step 2 CK 250 or more", Outcome.MET_WITH_WARNING),
        presenters.FitNote("US experience rule not reported", Outcome.UNKNOWN),
    ]
    assert presenters.fit_notes(programs["B"]) == [
        presenters.FitNote("Step 2 CK minimum 240", Outcome.NOT_MET)
    ]
    assert [note.badge for note in presenters.fit_notes(programs["A"])] == ["warning", "unknown"]


def test_no_fit_notes_when_nothing_was_asked():
    ProgramFactory()
    assert presenters.fit_notes(Program.objects.get()) == []


# --- Chips ------------------------------------------------------------------------------


def chips(query: str) -> list[presenters.Chip]:
    data = QueryDict(query)
    return presenters.filter_chips(ProgramFilter(data, queryset=Program.objects.all()), data)


def test_chip_labels_come_from_the_form_fields(settings):
    settings.STALE_AFTER_DAYS = 90
    SpecialtyFactory(name="Generated Surgery", slug="generated-surgery")
    labels = [
        chip.label
        for chip in chips(
            "q=lakeside&specialty=generated-surgery&state=TX&region=south&level=all"
            "&visa=j1&img=1&step2=230&yog=2015&usce=3&fit=1&deadline_after=2026-10-01"
            "&verified=1&setting=community&sort=name"
        )
    ]
    assert labels == [
        "Search: “lakeside”",
        "Generated Surgery",
        "Texas",
        "Region: South",
        "Level: Residencies and fellowships",
        "Setting: Community-based",
        "Sponsors J-1",
        "Known to accept IMGs",
        "Your Step 2 CK score: 230",
        "Year you graduated: 2015",
        "Months of US clinical experience: 3",
        "Only programs known to fit you",
        "Deadline on or after: Oct 1, 2026",
        "Verified in the last 90 days",
    ]


def test_a_chip_removes_its_own_value_and_the_page_and_keeps_the_rest():
    by_label = {c.label: c.remove_url for c in chips("state=TX&state=OH&step2=230&page=3")}
    assert by_label["Texas"] == "/programs/?state=OH&step2=230"
    assert by_label["Your Step 2 CK score: 230"] == "/programs/?state=TX&state=OH"


def test_invalid_values_get_no_chip():
    labels = [c.label for c in chips("step2=abc&state=ZZ&setting=community")]
    assert labels == ["Setting: Community-based"]


def test_page_note_explains_a_page_that_does_not_exist():
    page = Paginator(range(30), 25).get_page("999")
    assert presenters.page_note("999", page) == "There is no page “999”; showing page 2 of 2."
    assert presenters.page_note("2", page) == ""
    assert presenters.page_note("", page) == ""


def test_state_counts_are_sorted_by_the_states_name():
    rows = [{"state": "NY", "count": 1}, {"state": "CA", "count": 2}]
    assert [r["label"] for r in presenters.state_counts(rows)] == ["California", "New York"]


# --- NRMP figures -----------------------------------------------------------------------


def test_each_figure_comes_from_the_newest_report_that_has_it():
    specialty = SpecialtyFactory()
    old = SpecialtyStatisticFactory(
        specialty=specialty,
        year=2024,
        percent_filled="95.0",
        matched_total=95,
        matched_us_md=50,
        matched_us_do=20,
        matched_us_img=10,
        matched_non_us_img=15,
    )
    new = SpecialtyStatisticFactory(specialty=specialty, year=2026, step2_median_us_md=250)
    figures = presenters.match_figures(specialty.statistics.all())
    assert (figures.fill, figures.groups, figures.scores) == (old, old, new)
    assert figures.img_share == 26.3
    assert [bar.percent for bar in figures.composition] == [52.6, 21.1, 10.5, 15.8]


def test_no_figures_is_falsy():
    assert not presenters.match_figures([])


# --- Timeline, FAQ, structured data -----------------------------------------------------


def test_timeline_rows_count_days_from_today_in_date_order():
    season = SeasonFactory()
    rows = presenters.timeline_rows(season, today=datetime.date(2026, 9, 1))
    assert [row.event for row in rows][:2] == [
        SeasonEvent.ERAS_OPENS,
        SeasonEvent.APPLICANTS_SUBMIT,
    ]
    countdown = {row.event: row.countdown for row in rows}
    assert countdown[SeasonEvent.ERAS_OPENS] == "Passed"
    assert countdown[SeasonEvent.APPLICANTS_SUBMIT] == "Tomorrow"
    assert countdown[SeasonEvent.NRMP_REGISTRATION] == "14 days left"


def test_faq_topics_follow_the_declared_order_and_skip_empty_ones():
    site = FaqEntryFactory(topic=FaqTopic.THIS_SITE)
    visas = FaqEntryFactory(topic=FaqTopic.VISAS)
    groups = presenters.group_by_topic([site, visas])
    assert [(g.topic, g.entries) for g in groups] == [("visas", [visas]), ("this_site", [site])]


def test_json_ld_cannot_close_its_script_element():
    text = presenters.json_ld({"name": "</script><script>alert(1)</script> & more"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["name"] == "</script><script>alert(1)</script> & more"
