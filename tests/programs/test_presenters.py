"""What pages show, built by programs/presenters.py from models, without a request."""

import datetime
import json

import pytest
from django.core.paginator import Paginator
from django.http import QueryDict
from django.utils import timezone

from programs import figures as program_figures
from programs import listing, presenters, timeline
from programs.choices import ApplicationService, FactGroup, FaqTopic, MatchKind, Outcome
from programs.facts import Fact, eras_fact, step2_fact
from programs.filters import ProgramFilter
from programs.models import Program, ProgramMatchResult, SpecialtyApplicationService
from tests.factories import (
    FaqEntryFactory,
    MatchEventFactory,
    MatchFactory,
    ProgramFactory,
    ProgramSeasonDatesFactory,
    SeasonFactory,
    SpecialtyFactory,
    SpecialtyMatchFactory,
    SpecialtyStatisticFactory,
    season_around_today,
    season_event,
)

pytestmark = pytest.mark.django_db


# --- Facts ------------------------------------------------------------------------------


def facts_by_label(section) -> dict[str, Fact]:
    return {fact.label: fact for fact in section.facts}


def test_facts_a_program_has_not_published_read_not_reported():
    facts = presenters.program_facts(ProgramFactory())
    visa = facts_by_label(facts.requirements[0])
    assert visa["Sponsors H-1B"].kind == "unknown"
    assert visa["Sponsors H-1B"].text == "Not reported"
    assert visa["Accepts J-1 (ECFMG-sponsored)"].kind == "unknown"
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
    assert (visa.title, visa.freshness.source_label, visa.freshness.verified_on) == (
        "IMGs and visas",
        "Generated source",
        datetime.date(2026, 1, 2),
    )
    assert scores.freshness == presenters.Freshness()
    assert facts_by_label(scores)["Step 2 CK minimum"].text == "230 preferred, not required"
    assert eligibility.slug == "eligibility"


def test_a_programs_dates_read_not_published_until_a_curator_enters_them():
    season = SeasonFactory()
    empty = presenters.dates_section(None, season)
    assert empty.title == "This program's dates for Match 2027"
    assert {(fact.kind, fact.text) for fact in empty.facts} == {("unknown", "Not published")}
    dates = ProgramSeasonDatesFactory(
        season=season, application_deadline=datetime.date(2026, 10, 15), source_label="Generated"
    )
    section = presenters.dates_section(dates, season)
    assert facts_by_label(section)["Application deadline"].text == "October 15, 2026"
    assert section.freshness.source_label == "Generated"
    assert facts_by_label(section)["Takes program signals"].text == "Not published"


def test_a_program_that_takes_no_signals_says_no_with_its_dates_source():
    season = SeasonFactory()
    dates = ProgramSeasonDatesFactory(season=season, takes_signals="no", source_label="Generated")
    section = presenters.dates_section(dates, season)
    fact = facts_by_label(section)["Takes program signals"]
    assert (fact.kind, fact.text) == ("no", "No")
    assert section.freshness.source_label == "Generated"


def test_the_description_names_only_visas_known_to_be_sponsored():
    program = ProgramFactory(sponsors_j1="yes", sponsors_h1b="no", accepts_imgs="yes")
    program = Program.objects.for_listing().get(pk=program.pk)
    description = presenters.program_description(program)
    assert "Reported to accept J-1 visas (sponsored by ECFMG) (undated)." in description
    assert "H-1B" not in description


def test_the_description_and_json_ld_date_or_leave_out_the_2016_answers():
    program = ProgramFactory(
        sponsors_h1b="yes",
        accepts_imgs="yes",
        year1_positions=12,
        visa_as_of=datetime.date(2016, 2, 28),
        visa_source_label="FREIDA, 2016",
    )
    program = Program.objects.for_listing().get(pk=program.pk)
    assert "Reported to sponsor H-1B visas (FREIDA, 2016)." in presenters.program_description(
        program
    )
    data = json.loads(presenters.program_json_ld(program, "https://generated.example/", None))
    assert "maximumEnrollment" not in data
    program.visa_source_label = "Generated program website"
    program.visa_verified_on = datetime.date(2026, 3, 1)
    assert "(Generated program website, checked 2026)." in presenters.program_description(program)


# --- Fit notes --------------------------------------------------------------------------


def test_fit_notes_name_unknown_preferred_and_failed_requirements_only():
    in_2016 = datetime.date(2016, 2, 28)
    ProgramFactory(name="A", step2_policy="preferred", step2_minimum=250, scores_as_of=in_2016)
    ProgramFactory(
        name="B",
        step2_policy="hard",
        step2_minimum=240,
        usce_policy="not_required",
        scores_as_of=in_2016,
        scores_verified_on=datetime.date(2026, 3, 1),
    )
    programs = {p.name: p for p in Program.objects.with_fit(step2=230, usce_months=2)}
    assert presenters.fit_notes(programs["A"]) == [
        presenters.FitNote("Prefers Step 2 CK 250 or more (2016)", Outcome.MET_WITH_WARNING),
        presenters.FitNote("US experience rule not reported", Outcome.UNKNOWN),
    ]
    assert presenters.fit_notes(programs["B"]) == [
        presenters.FitNote("Step 2 CK minimum 240 (2026)", Outcome.NOT_MET)
    ]
    assert [note.badge for note in presenters.fit_notes(programs["A"])] == ["warning", "unknown"]


def test_no_fit_notes_when_nothing_was_asked():
    ProgramFactory()
    assert presenters.fit_notes(Program.objects.get()) == []


# --- Chips ------------------------------------------------------------------------------


def chips(query: str) -> list[listing.Chip]:
    data = QueryDict(query)
    filterset = ProgramFilter(data, queryset=Program.objects.all())
    return listing.filter_chips(filterset, data, path="/programs/")


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
        "Accepts J-1 (ECFMG-sponsored)",
        "Known to accept IMGs",
        "Your Step 2 CK score: 230",
        "Year you graduated: 2015",
        "Months of US clinical experience: 3",
        "Only programs known to fit you",
        "Deadline on or after: Oct 1, 2026",
        "Checked by a curator in the last 90 days",
    ]


def test_a_chip_removes_its_own_value_and_the_page_and_keeps_the_rest():
    by_label = {c.label: c.remove_url for c in chips("state=TX&state=OH&img=1&page=3")}
    assert by_label["Texas"] == "/programs/?state=OH&img=1"
    assert by_label["Known to accept IMGs"] == "/programs/?state=TX&state=OH"


def test_an_about_you_chip_forgets_its_answer_rather_than_linking():
    (chip,) = chips("step2=230")
    assert (chip.label, chip.remove_url, chip.clear) == ("Your Step 2 CK score: 230", "", "step2")


def test_invalid_values_get_no_chip():
    labels = [c.label for c in chips("step2=abc&state=ZZ&setting=community")]
    assert labels == ["Setting: Community-based"]


def test_page_note_explains_a_page_that_does_not_exist():
    page = Paginator(range(30), 25).get_page("999")
    assert listing.page_note("999", page) == "There is no page “999”; showing page 2 of 2."
    assert listing.page_note("2", page) == ""
    assert listing.page_note("", page) == ""


def test_state_counts_are_sorted_by_the_states_name():
    rows = [{"state": "NY", "count": 1}, {"state": "CA", "count": 2}]
    assert [r["label"] for r in listing.state_counts(rows)] == ["California", "New York"]


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
    figures = program_figures.match_figures(specialty.statistics.all())
    assert (figures.fill, figures.groups, figures.scores) == (old, old, new)
    assert figures.img_share == 26.3
    assert [bar.percent for bar in figures.composition] == [52.6, 21.1, 10.5, 15.8]


def test_no_figures_is_falsy():
    assert not program_figures.match_figures([])
    assert program_figures.match_figures([SpecialtyStatisticFactory(percent_filled="95.0")])


# --- Timeline, FAQ, structured data -----------------------------------------------------


def test_timeline_rows_count_days_from_today_in_date_order():
    season = season_around_today()
    today = timezone.localdate()
    rows = timeline.rows_of(season.events.all(), today=today)
    assert [row.event.kind.slug for row in rows][:3] == [
        "applications_open",
        "applicants_submit",
        "registration_opens",
    ]
    countdown = {row.event.kind.slug: row.countdown for row in rows}
    assert countdown["applications_open"] == "Passed"
    assert countdown["applicants_submit"] == "Today"
    assert countdown["registration_opens"] == "Tomorrow"
    assert countdown["rank_list_deadline"] == "30 days left"


def test_a_date_not_published_comes_last_and_says_so():
    season = SeasonFactory()
    unpublished = MatchEventFactory(season=season, date=None)
    published = season_event(season, "rank_list_deadline", datetime.date(2027, 3, 3))
    rows = timeline.rows_of([unpublished, published], today=TODAY_)
    assert [row.event for row in rows] == [published, unpublished]
    assert rows[1].status == "date not published yet"
    assert rows[1].countdown == "Not published yet"
    assert not rows[1].has_passed


def test_faq_topics_follow_the_declared_order_and_skip_empty_ones():
    site = FaqEntryFactory(topic=FaqTopic.THIS_SITE)
    visas = FaqEntryFactory(topic=FaqTopic.VISAS)
    groups = presenters.group_by_topic([site, visas])
    assert [(g.topic, g.entries) for g in groups] == [("visas", [visas]), ("this_site", [site])]


def test_json_ld_cannot_close_its_script_element():
    text = presenters.json_ld({"name": "</script><script>alert(1)</script> & more"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["name"] == "</script><script>alert(1)</script> & more"


# --- Sources, ages and doubts -----------------------------------------------------------


def test_a_snapshot_date_and_a_curators_check_are_kept_apart():
    program = ProgramFactory(
        visa_source_label="FREIDA, 2016",
        visa_as_of=datetime.date(2016, 2, 28),
        scores_as_of=datetime.date(2016, 2, 28),
        scores_verified_on=datetime.date(2026, 3, 1),
    )
    visa = presenters.Freshness.of(program, FactGroup.VISA)
    assert (visa.as_of, visa.verified_on, visa.date, visa.stale) == (
        datetime.date(2016, 2, 28),
        None,
        datetime.date(2016, 2, 28),
        True,
    )
    scores = presenters.Freshness.of(program, FactGroup.SCORES)
    assert scores.date == datetime.date(2026, 3, 1)
    assert not presenters.Freshness().stale  # nothing known is not "outdated"


def test_a_list_row_summarizes_the_oldest_dated_group():
    program = ProgramFactory(
        listing_as_of=datetime.date(2022, 6, 3),
        visa_as_of=datetime.date(2016, 2, 28),
        scores_verified_on=datetime.date(2026, 3, 1),
    )
    assert presenters.oldest_freshness(program).as_of == datetime.date(2016, 2, 28)


def test_doubted_values_are_shown_as_reported_and_not_confirmed():
    program = ProgramFactory(
        step2_policy="hard",
        step2_minimum=123,
        step2_minimum_doubted=True,
        sponsors_j1="no",
        sponsors_h1b="no",
        visa_answers_doubted=True,
        visa_as_of=datetime.date(2016, 2, 28),
    )
    step2 = step2_fact(program)
    assert (step2.kind, step2.text) == ("doubt", "Reported as 123: looks wrong; not confirmed")
    visa = facts_by_label(presenters.program_facts(program).requirements[0])
    assert visa["Accepts J-1 (ECFMG-sponsored)"].kind == "doubt"
    assert visa["Sponsors H-1B"].text == "Reported as no: looks wrong; not confirmed"
    assert visa["Sponsors H-1B"].note.startswith("In 2016 it answered “no”")
    assert [b.text for b in presenters.visa_badges(program)] == [
        "Visa answers look wrong; not confirmed (2016)",
        "IMGs: not reported",
    ]


def test_an_inferred_yes_says_it_is_inferred():
    program = ProgramFactory(
        sponsors_j1="yes",
        accepts_imgs="yes",
        accepts_imgs_inferred=True,
        visa_as_of=datetime.date(2016, 2, 28),
    )
    accepts = facts_by_label(presenters.program_facts(program).requirements[0])["Accepts IMGs"]
    assert accepts.kind == "yes" and accepts.note.startswith("Inferred")
    assert "IMGs: yes (inferred, 2016)" in [b.text for b in presenters.visa_badges(program)]


def test_visa_badges_name_the_year_of_the_answer_or_of_the_curators_check():
    program = ProgramFactory(
        sponsors_j1="yes", sponsors_h1b="no", visa_as_of=datetime.date(2016, 2, 28)
    )
    assert [b.text for b in presenters.visa_badges(program)] == [
        "J-1 (ECFMG): yes (2016)",
        "H-1B: no (2016)",
        "IMGs: not reported",
    ]
    program.visa_verified_on = datetime.date(2026, 3, 1)
    assert presenters.visa_badges(program)[0].text == "J-1 (ECFMG): yes (2026)"
    program.visa_as_of = program.visa_verified_on = None
    assert presenters.visa_badges(program)[0].text == "J-1 (ECFMG): yes (undated)"


def test_the_2016_eras_answer_is_dated_and_notes_a_move_to_another_service():
    program = ProgramFactory(participates_in_eras="yes", overview_as_of=datetime.date(2016, 2, 28))
    fact = eras_fact(program, ApplicationService.RESIDENCYCAS)
    assert fact.label == "Took applications through ERAS (2016)"
    assert fact.note == "The specialty has applied through ResidencyCAS since."
    assert eras_fact(program, ApplicationService.ERAS).note == ""


def test_a_specialtys_dates_are_its_own_matchs_and_services_never_another_matchs():
    season = SeasonFactory()
    urology, internal = SpecialtyFactory(), SpecialtyFactory()
    aua = SpecialtyMatchFactory(specialty=urology, match=MatchFactory(kind=MatchKind.AUA))
    main = SpecialtyMatchFactory(specialty=internal, match=MatchFactory(kind=MatchKind.NRMP_MAIN))
    eras = SpecialtyApplicationService.objects.create(
        specialty=urology, service="eras", first_match_year=2025, source_label="G"
    )
    season_event(season, "applicants_submit", datetime.date(2026, 9, 2), owner="eras")
    season_event(season, "match_day", datetime.date(2027, 3, 19))
    season_event(season, "match_day", None, owner=MatchKind.AUA)
    season_event(season, "match_day", datetime.date(2027, 1, 15), owner=MatchKind.SF_MATCH)
    how = timeline.how_to_apply(season, specialty=urology, service=eras, match=aua, today=TODAY_)
    assert [(row.owner, row.event.kind.slug, row.date) for row in how.rows] == [
        ("ERAS", "applicants_submit", datetime.date(2026, 9, 2)),
        ("AUA Urology Match", "match_day", None),
    ]
    how = timeline.how_to_apply(season, specialty=internal, service=None, match=main, today=TODAY_)
    assert [(row.owner, row.date) for row in how.rows] == [
        ("NRMP Main Match", datetime.date(2027, 3, 19))
    ]


def test_a_fellowships_own_calendar_shows_only_on_that_fellowship():
    season = SeasonFactory()
    sms = MatchFactory(kind=MatchKind.NRMP_SMS)
    cardiology, nephrology = SpecialtyFactory(), SpecialtyFactory()
    season_event(
        season,
        "match_day",
        datetime.date(2026, 12, 2),
        owner=MatchKind.NRMP_SMS,
        specialty=cardiology,
    )
    for specialty, expected in ((cardiology, 1), (nephrology, 0)):
        match = SpecialtyMatchFactory(specialty=specialty, match=sms)
        how = timeline.how_to_apply(
            season, specialty=specialty, service=None, match=match, today=TODAY_
        )
        assert len(how.rows) == expected


@pytest.mark.parametrize(
    ("date", "status", "expected"),
    [
        (datetime.date(2026, 3, 20), "projected", "passed (was projected)"),
        (datetime.date(2026, 3, 20), "confirmed", "passed"),
        (datetime.date(2027, 3, 19), "projected", "projected"),
        (datetime.date(2027, 3, 19), "confirmed", "confirmed"),
        (None, "projected", "date not published yet"),
    ],
)
def test_a_season_date_says_projected_confirmed_passed_or_not_published(date, status, expected):
    event = MatchEventFactory(date=date, status=status)
    assert timeline.EventRow(event, TODAY_).status == expected


TODAY_ = datetime.date(2026, 11, 25)


def test_rows_covering_part_of_a_specialty_never_head_its_figures():
    specialty = SpecialtyFactory()
    SpecialtyStatisticFactory(
        specialty=specialty, year=2024, percent_filled="100.0", covers_part_only=True
    )
    whole = SpecialtyStatisticFactory(specialty=specialty, year=2023, percent_filled="90.0")
    assert program_figures.match_figures(specialty.statistics.all()).fill == whole


def test_a_programs_match_history_adds_its_tracks_per_year_newest_first():
    program = ProgramFactory()
    for code, year, offered, matched in [
        ("1111140C0", 2025, 10, 10),
        ("1111140P0", 2025, 4, 2),
        ("1111140C0", 2024, 10, 9),
    ]:
        ProgramMatchResult.objects.create(
            program=program,
            nrmp_code=code,
            year=year,
            positions_offered=offered,
            matched=matched,
            source_label="Generated results",
        )
    history = program_figures.match_history(program.match_results.all())
    assert [(y.year, y.offered, y.matched, y.percent) for y in history.years] == [
        (2025, 14, 12, 85.7),
        (2024, 10, 9, 90.0),
    ]
    assert history.codes == ["1111140C0", "1111140P0"]
    assert program_figures.match_history([]) is None


def test_a_search_that_finds_no_residency_offers_the_fellowships_it_finds():
    fellowship = SpecialtyFactory(name="Generated cardiac fellowship", level="fellowship")
    ProgramFactory(name="Generated Heart Program", specialty=fellowship)
    data = QueryDict("q=heart")
    hint = listing.fellowship_hint(ProgramFilter(data, queryset=Program.objects.all()))
    assert hint.count == 1
    assert hint.url == "/programs/?q=heart&level=fellowship"
    chosen = QueryDict("q=heart&level=all")
    assert listing.fellowship_hint(ProgramFilter(chosen, queryset=Program.objects.all())) is None


@pytest.mark.parametrize(
    ("freshness", "words"),
    [
        (
            presenters.Freshness("FREIDA, 2016", "", datetime.date(2016, 2, 1), None),
            "as of Feb 2016 (FREIDA, 2016), not checked since",
        ),
        (
            presenters.Freshness("Program website", "", None, datetime.date(2026, 11, 2)),
            "checked by a curator on 2026-11-02 (Program website)",
        ),
        (presenters.Freshness("ACGME", "", None, None), "source: ACGME, not checked"),
        (presenters.Freshness(), "not dated"),
    ],
)
def test_freshness_in_words_for_files(freshness, words):
    assert freshness.words == words


def test_match_history_names_the_match_each_year_comes_from():
    program = ProgramFactory()
    main, sms = MatchFactory(kind=MatchKind.NRMP_MAIN), MatchFactory(kind=MatchKind.NRMP_SMS)
    for code, match in (("1111140C0", main), ("1111141F0", sms)):
        ProgramMatchResult.objects.create(
            program=program,
            nrmp_code=code,
            year=2026,
            positions_offered=4,
            matched=4,
            match=match,
            source_label="Generated results",
        )
    history = program_figures.match_history(program.match_results.select_related("match"))
    assert history.matches == [main.name, sms.name]
    assert history.several_matches
    assert sorted((y.year, y.match, y.offered) for y in history.years) == [
        (2026, main.name, 4),
        (2026, sms.name, 4),
    ]
