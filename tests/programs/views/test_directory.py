"""The directory's pages as a reader sees them (programs/views/directory.py), on generated
programs: the list and its export, a program's page and its report form, specialty, state
and home pages, robots.txt."""

import csv
import datetime
import io
import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from programs.choices import MatchKind
from programs.csv_format import COLUMNS, from_spreadsheet
from programs.facts import long_date
from programs.filters import ABOUT_YOU
from programs.models import (
    Level,
    NrmpTrack,
    OutdatedReport,
    ProgramMatchResult,
    ProgramPositions,
    ReportStatus,
    SpecialtyApplicationService,
    SponsorH1bFilings,
)
from tests.factories import (
    FaqEntryFactory,
    ProgramFactory,
    ProgramSeasonDatesFactory,
    SeasonFactory,
    SpecialtyFactory,
    SpecialtyMatchFactory,
    SpecialtyStatisticFactory,
    season_event,
)
from tests.pages import page_text as text
from tests.pages import visible_text

pytestmark = pytest.mark.django_db

LIST = reverse("programs:list")


def about_you(client, **answers):
    """Give the list's "About you" answers as the page does: posted to the session."""
    return client.post(reverse("programs:about_you"), answers)


def split_about_you(client, query: dict) -> dict:
    """Post ``query``'s "About you" answers to the session; the rest, for the address."""
    about_you(client, **{k: v for k, v in query.items() if k in ABOUT_YOU})
    return {k: v for k, v in query.items() if k not in ABOUT_YOU}


EXPORT = reverse("programs:export")


def many_programs(n, **kwargs):
    return ProgramFactory.create_batch(n, **kwargs)


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


# --- The list ---------------------------------------------------------------------------


def row(page: str, name: str) -> str:
    """One program's row of the list."""
    start = page.index(f">{name}</a>")
    return page[start : page.index("</li>", start)]


def test_list_shows_the_count_and_rows_with_visa_badges_and_freshness(client):
    ProgramFactory(
        name="Generated Visa Program",
        sponsors_h1b="yes",
        accepts_imgs="yes",
        visa_verified_on=days_ago(3),
    )
    ProgramFactory(name="Generated Old Program", visa_verified_on=days_ago(800))
    ProgramFactory(name="Generated Silent Program")
    page = text(client.get(LIST))
    assert "3 programs" in page
    fresh = row(page, "Generated Visa Program")
    assert f"H-1B: yes ({days_ago(3).year})" in fresh and "J-1 (ECFMG): not reported" in fresh
    assert f"IMGs: yes ({days_ago(3).year})" in fresh
    assert (
        "Oldest facts: Checked against Generated source by a curator on "
        f'<time datetime="{days_ago(3):%Y-%m-%d}">'
    ) in fresh
    assert "May be outdated" not in fresh
    assert "May be outdated" in row(page, "Generated Old Program")
    silent = row(page, "Generated Silent Program")
    assert "Oldest facts: Source: not recorded." in silent
    assert "May be outdated" not in silent


def test_filters_show_as_removable_chips(client):
    specialty = SpecialtyFactory(name="Generated Surgery", slug="generated-surgery")
    ProgramFactory(specialty=specialty, state="TX", sponsors_j1="yes", accepts_imgs="yes")
    response = client.get(LIST, {"specialty": "generated-surgery", "state": ["TX", "OH"]})
    chips = response.context["chips"]
    assert [c.label for c in chips] == ["Generated Surgery", "Texas", "Ohio"]
    texas = next(c for c in chips if c.label == "Texas")
    assert texas.remove_url == "/programs/?specialty=generated-surgery&state=OH"
    assert f'href="{texas.remove_url.replace("&", "&amp;")}"' in response.content.decode()


def test_pagination_keeps_the_filters(client):
    many_programs(30, state="TX")
    response = client.get(LIST, {"state": "TX", "sort": "name"})
    assert 'href="?state=TX&amp;sort=name&amp;page=2"' in response.content.decode()
    second = client.get(LIST, {"state": "TX", "sort": "name", "page": "2"})
    assert len(second.context["page"].object_list) == 5


def test_a_page_past_the_end_falls_back_to_the_last_page_and_says_so(client):
    many_programs(30)
    response = client.get(LIST, {"page": "999999"})
    assert response.status_code == 200
    assert response.context["page"].number == 2
    assert "There is no page “999999”; showing page 2 of 2." in text(response)


@pytest.mark.parametrize(
    ("page", "shown", "rows", "note"),
    [
        ("", 1, 25, ""),
        ("2", 2, 5, ""),
        ("999999", 2, 5, "There is no page “999999”; showing page 2 of 2."),
        ("x", 1, 25, "There is no page “x”; showing page 1 of 2."),
    ],
)
def test_a_search_counts_its_matches_with_the_page_it_shows(client, page, shown, rows, note):
    many_programs(30)
    response = client.get(LIST, {"q": "Generated Program", "page": page})
    assert response.context["paginator"].count == 30
    assert response.context["page"].number == shown
    assert len(response.context["page"].object_list) == rows
    assert note in text(response)


def test_a_search_that_finds_nothing_counts_none(client):
    many_programs(3)
    response = client.get(LIST, {"q": "Zyxwvut"})
    assert response.context["paginator"].count == 0
    assert response.context["page"].object_list == []


@pytest.mark.parametrize(
    "query",
    [
        {"step2": "abc"},
        {"state": "ZZ"},
        {"page": "999999"},
        {"page": "-1"},
        {"yog": "x", "deadline_after": "2026-02-30", "sort": "evil"},
        {"q": "x" * 5000},
        {"q": "'; drop table programs_program; --"},
        {"q": "&|!():*"},
    ],
)
def test_bad_values_never_give_a_server_error(client, query):
    ProgramFactory()
    assert client.get(LIST, split_about_you(client, query)).status_code == 200


def test_a_bad_value_is_explained(client):
    about_you(client, step2="abc")
    page = text(client.get(LIST))
    assert "Some filters could not be used" in page
    assert "Your Step 2 CK score: Enter a whole number." in page


def test_a_switch_given_a_value_it_does_not_know_is_explained_and_left_off(client):
    ProgramFactory(name="Generated Kept Program", accepts_imgs="no")
    page = text(client.get(LIST, {"img": "maybe", "verified": "2"}))
    assert "Known to accept IMGs: “maybe” is neither 1 (on) nor 0 (off)." in page
    assert "“2” is neither 1 (on) nor 0 (off)." in page
    assert "Generated Kept Program" in page
    assert "Generated Kept Program" not in text(client.get(LIST, {"img": "1"}))
    assert "Generated Kept Program" in text(client.get(LIST, {"img": "0"}))


def test_unknown_parameters_are_ignored(client):
    ProgramFactory(name="Generated Kept Program")
    response = client.get(LIST, {"utm_source": "mail", "colour": "blue"})
    assert "Generated Kept Program" in text(response)
    assert not response.context["form"].errors


def test_empty_state_suggests_which_filter_to_loosen(client):
    ProgramFactory(state="OH")
    page = text(client.get(LIST, {"state": "TX", "visa": "j1"}))
    assert "No programs match all of these filters" in page
    assert "Remove: Texas" in page and "Remove: Accepts J-1 (ECFMG-sponsored)" in page


def test_rows_mark_unknown_limits_when_filtering_by_them(client):
    ProgramFactory()
    assert "Step 2 CK minimum not reported" not in text(client.get(LIST))
    about_you(client, step2="230", usce="2")
    page = text(client.get(LIST))
    assert "Step 2 CK minimum not reported" in page
    assert "US experience rule not reported" in page


def test_rows_say_when_the_reader_is_below_a_preferred_minimum(client):
    ProgramFactory(
        step2_policy="preferred", step2_minimum=250, scores_as_of=datetime.date(2016, 2, 28)
    )
    about_you(client, step2="230")
    page = text(client.get(LIST))
    assert '<span class="badge badge-warning">Prefers Step 2 CK 250 or more (2016)</span>' in page


def test_a_rows_visa_badges_and_positions_name_the_year_of_the_answer(client):
    ProgramFactory(
        name="Generated 2016 Program",
        sponsors_j1="yes",
        sponsors_h1b="yes",
        visa_as_of=datetime.date(2016, 2, 28),
        year1_positions=12,
        overview_as_of=datetime.date(2016, 2, 28),
    )
    old = row(text(client.get(LIST)), "Generated 2016 Program")
    assert "J-1 (ECFMG): yes (2016)" in old
    assert "H-1B: yes (2016)" in old
    assert "12 first-year positions (2016)" in old


def test_the_fit_switch_says_while_no_programs_limits_are_recorded(client):
    ProgramFactory()
    none_yet = "limit on years since graduation or on US clinical experience is recorded yet"
    assert none_yet in text(client.get(LIST))
    ProgramFactory(graduation_policy="none")
    assert none_yet not in text(client.get(LIST))


def test_the_fit_toggle_shows_as_a_chip_and_explains_an_empty_list(client):
    ProgramFactory()
    about_you(client, step2="230", fit="1")
    page = text(client.get(LIST))
    assert "Only programs known to fit you" in page
    assert "also leaves out programs that have not published one of the limits" in page


def test_htmx_request_gets_only_the_results(client):
    ProgramFactory(name="Generated Partial Program")
    response = client.get(
        LIST,
        {"q": "Partial"},
        headers={"HX-Request": "true", "HX-Target": "results", "HX-Trigger": "filters"},
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="results"')
    assert "Generated Partial Program" in body
    assert "<html" not in body and 'id="filters"' not in body


def test_htmx_chip_click_also_redraws_the_filter_form(client):
    response = client.get(
        LIST, {"state": "TX"}, headers={"HX-Request": "true", "HX-Target": "results"}
    )
    assert 'id="filters"' in response.content.decode()
    assert 'hx-swap-oob="true"' in response.content.decode()


def test_the_page_works_without_javascript(client):
    body = client.get(LIST).content.decode()
    assert '<form id="filters" class="filters" method="get" action="/programs/"' in body
    assert '<button type="submit">Show programs</button>' in body


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"q": "generated", "state": ["TX", "IL"], "visa": ["j1", "h1b"], "img": "1"},
        {"step2": "230", "yog": "2015", "usce": "3", "deadline_after": "2026-01-01", "fit": "1"},
        {"sort": "deadline", "verified": "1", "region": "midwest", "level": "all"},
        {"specialty": ["generated-specialty-a", "generated-specialty-b"], "page": "2"},
    ],
)
def test_list_query_count_does_not_grow(client, django_assert_max_num_queries, query):
    SeasonFactory()
    specialties = [
        SpecialtyFactory(slug="generated-specialty-a"),
        SpecialtyFactory(slug="generated-specialty-b"),
    ]
    # Programs every case keeps: known to fit the applicant of the third, recently checked
    # for the fourth, more than a page of them for the fifth.
    for n in range(40):
        ProgramFactory(
            specialty=specialties[n % 2],
            state="IL",
            sponsors_j1="yes",
            accepts_imgs="yes",
            step2_policy="none",
            graduation_policy="none",
            usce_policy="not_required",
            visa_verified_on=days_ago(10),
        )
    # Two of these build SQLite's spelling vocabulary for a search; PostgreSQL needs neither.
    query = split_about_you(client, query)
    with django_assert_max_num_queries(8):
        response = client.get(LIST, query)
    assert response.status_code == 200
    assert response.content.decode().count('<li class="program-row') > 0


# --- One program ------------------------------------------------------------------------


def test_unknown_facts_read_not_reported(client):
    program = ProgramFactory()
    page = text(client.get(program.get_absolute_url()))
    assert page.count("Not reported") >= 10
    assert 'Sponsors H-1B</dt> <dd><span class="badge badge-unknown">Not reported' in page


def section(page: str, heading_id: str) -> str:
    """One fact section of a program's page, from its heading to its source line."""
    start = page.index(f'id="{heading_id}"')
    return page[start : page.index("</section>", start)]


def test_each_group_shows_its_source_and_a_stale_mark(client):
    program = ProgramFactory(
        visa_source_label="Generated source",
        visa_source_url="https://example.org/visas",
        visa_verified_on=days_ago(0),
        scores_source_label="Generated old source",
        scores_verified_on=days_ago(400),
    )
    page = text(client.get(program.get_absolute_url()))
    visa = section(page, "visa")
    assert (
        '<a href="https://example.org/visas" rel="noopener nofollow">Generated source</a>' in visa
    )
    assert "May be outdated" not in visa
    scores = section(page, "scores")
    assert "Checked against Generated old source by a curator" in scores
    assert "May be outdated" in scores
    eligibility = section(page, "eligibility")
    assert "Source: not recorded." in eligibility
    assert "May be outdated" not in eligibility


def test_a_stale_group_is_marked_after_the_configured_days(client, settings):
    settings.STALE_AFTER_DAYS = 30
    program = ProgramFactory(visa_verified_on=days_ago(29), scores_verified_on=days_ago(31))
    page = text(client.get(program.get_absolute_url()))
    assert "May be outdated" not in section(page, "visa")
    assert "May be outdated" in section(page, "scores")


def test_withdrawn_program_page_answers_and_says_so(client):
    program = ProgramFactory(accreditation_status="voluntary_withdrawal")
    response = client.get(program.get_absolute_url())
    assert response.status_code == 200
    assert "Withdrawn: this program no longer takes residents." in text(response)


def test_program_page_has_current_season_dates(client):
    season = SeasonFactory(is_current=True)
    program = ProgramFactory()
    ProgramSeasonDatesFactory(
        program=program,
        season=season,
        application_deadline=datetime.date(2026, 10, 15),
        source_label="Generated program page",
    )
    page = text(client.get(program.get_absolute_url()))
    assert "This program&#x27;s dates for Match 2027" in page
    assert "October 15, 2026" in page
    assert 'Applications open</dt> <dd><span class="badge badge-unknown">Not published' in page


def test_program_page_shows_nrmp_figures_with_their_year(client):
    specialty = SpecialtyFactory()
    SpecialtyStatisticFactory(
        specialty=specialty,
        year=2024,
        positions_offered=100,
        percent_filled="95.0",
        matched_total=95,
        matched_us_md=50,
        matched_us_do=20,
        matched_us_img=10,
        matched_non_us_img=15,
    )
    SpecialtyStatisticFactory(
        specialty=specialty, year=2026, step2_median_us_md=250, step2_median_non_us_img=248
    )
    program = ProgramFactory(specialty=specialty)
    page = text(client.get(program.get_absolute_url()))
    assert "95.0%" in page
    assert "26.3%" in page  # (10 + 15) / 95 matched by IMGs
    assert "Source: NRMP, 2024" in page and "Source: NRMP, 2026" in page


def test_program_page_lists_its_published_faq_entries(client):
    program = ProgramFactory()
    FaqEntryFactory(program=program, question="Generated published question?")
    FaqEntryFactory(program=program, question="Generated draft question?", is_published=False)
    page = text(client.get(program.get_absolute_url()))
    assert "Generated published question?" in page
    assert "Generated draft question?" not in page


def test_program_page_has_canonical_url_and_json_ld(client, settings):
    settings.SITE_URL = "https://residency.example"
    program = ProgramFactory(name="Generated JSON Program", length_years=3)
    body = client.get(program.get_absolute_url()).content.decode()
    canonical = f"https://residency.example/programs/{program.acgme_id}/"
    assert f'<link rel="canonical" href="{canonical}">' in body
    data = json.loads(body.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert data["@type"] == "EducationalOccupationalProgram"
    assert data["name"] == "Generated JSON Program"
    assert data["url"] == canonical
    assert data["timeToComplete"] == "P3Y"


def test_json_ld_cannot_close_its_script_tag(client):
    program = ProgramFactory(name="Generated </script><script>alert(1)</script>")
    body = client.get(program.get_absolute_url()).content.decode()
    assert "</script><script>alert(1)" not in body
    data = json.loads(body.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert data["name"] == "Generated </script><script>alert(1)</script>"


# --- The export -------------------------------------------------------------------------


def export(client, query=None):
    response = client.get(EXPORT, query or {})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_export_has_the_import_columns_and_every_match_not_one_page(client):
    for _ in range(30):
        ProgramFactory(state="TX")
    ProgramFactory(state="OH")
    rows = export(client, {"state": "TX"})
    assert list(rows[0]) == [*COLUMNS, "specialty_name", "application_service", "page_url"]
    assert len(rows) == 30
    assert rows[0]["specialty_name"].startswith("Generated specialty")
    assert rows[0]["page_url"] == f"http://testserver/programs/{rows[0]['acgme_id']}/"


def test_the_list_links_to_the_export_of_its_filters_without_the_page(client):
    many_programs(30, state="TX")
    body = client.get(LIST, {"state": "TX", "page": "2"}).content.decode()
    assert f'href="{EXPORT}?state=TX" download' in body


def test_export_matches_the_list(client):
    ProgramFactory(name="Generated B", sponsors_h1b="yes", accepts_imgs="yes", year1_positions=2)
    ProgramFactory(name="Generated A", sponsors_h1b="yes", accepts_imgs="yes", year1_positions=9)
    ProgramFactory(name="Generated C")
    query = {"visa": "h1b", "sort": "-positions"}
    listed = [p.acgme_id for p in client.get(reverse("programs:list"), query).context["page"]]
    assert [row["acgme_id"] for row in export(client, query)] == listed


def test_export_makes_formulas_inert(client):
    ProgramFactory(name='=HYPERLINK("http://evil")', city="+Springfield")
    row = export(client)[0]
    assert row["name"] == '\'=HYPERLINK("http://evil")'
    assert row["city"] == "'+Springfield"
    assert from_spreadsheet(row["name"]) == '=HYPERLINK("http://evil")'


def test_unknown_facts_export_as_unknown_not_no(client):
    ProgramFactory()
    row = export(client)[0]
    assert row["sponsors_j1"] == "unknown"
    assert row["year1_positions"] == ""


def test_export_query_count_is_constant(client, django_assert_max_num_queries):
    for _ in range(60):
        ProgramFactory()
    query = split_about_you(client, {"step2": "230", "deadline_after": "2026-01-01"})
    # One of them reads the session that holds the "About you" answer.
    with django_assert_max_num_queries(5):
        export(client, query)


def test_export_with_a_bad_value_still_answers(client):
    ProgramFactory()
    assert len(export(client, split_about_you(client, {"step2": "abc", "page": "x"}))) == 1


# --- Reporting outdated information ------------------------------------------------------


def report_url(program):
    return reverse("programs:report", args=[program.acgme_id])


def test_a_report_lands_in_the_review_queue_and_the_reader_is_thanked(client):
    program = ProgramFactory()
    response = client.post(
        report_url(program),
        {"message": "The H-1B policy changed this year.", "email": "a@example.org"},
        follow=True,
    )
    report = OutdatedReport.objects.get()
    assert report.program == program
    assert report.status == ReportStatus.NEW
    assert report.email == "a@example.org"
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == program.get_absolute_url()
    sent = body[body.index('id="report-sent"') - 40 : body.index('id="report-sent"') + 300]
    assert "Thank you. The curators have your report in their review list." in sent
    assert 'tabindex="-1" autofocus' in sent
    assert body.count("Thank you. The curators have your report") == 1


@pytest.mark.parametrize(
    ("message", "error"),
    [
        ("", "This field is required."),
        ("short", "Please write at least 10 characters"),
        ("x" * 2001, "Ensure this value has at most 2000 characters"),
    ],
)
def test_a_bad_message_is_explained_and_not_saved(client, message, error):
    program = ProgramFactory()
    response = client.post(report_url(program), {"message": message})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not OutdatedReport.objects.exists()


def test_the_honeypot_thanks_bots_but_saves_nothing(client):
    program = ProgramFactory()
    response = client.post(
        report_url(program),
        {"message": "Buy cheap things at example dot com", "website": "http://spam"},
    )
    assert response.status_code == 302
    assert not OutdatedReport.objects.exists()


def test_reports_are_rate_limited_per_client(client):
    program = ProgramFactory()
    for _ in range(5):
        client.post(report_url(program), {"message": "Something is out of date here."})
    response = client.post(report_url(program), {"message": "Something is out of date here."})
    assert response.status_code == 429
    assert "several reports from you in the last hour" in response.content.decode()
    assert OutdatedReport.objects.count() == 5


def test_the_form_needs_a_csrf_token():
    program = ProgramFactory()
    client = Client(enforce_csrf_checks=True)
    response = client.post(report_url(program), {"message": "Something is out of date here."})
    assert response.status_code == 403
    assert not OutdatedReport.objects.exists()


def test_reloading_the_report_address_lands_on_the_form(client):
    program = ProgramFactory()
    response = client.get(report_url(program))
    assert response.status_code == 302
    assert response.url == program.get_absolute_url() + "#report"


def test_an_empty_report_is_explained_next_to_the_field_and_focused(client):
    program = ProgramFactory()
    response = client.post(report_url(program), {"message": ""})
    body = text(response)
    field = body[body.index('<label for="id_message">') : body.index("</textarea>")]
    assert "This field is required." in field
    assert "autofocus" in field and 'aria-invalid="true"' in field
    assert f'action="{report_url(program)}"' in body
    assert body.count('id="id_message_error"') == 1


# --- Specialties, states, home ----------------------------------------------------------


def test_specialty_list_shows_counts_and_nrmp_figures(client, django_assert_max_num_queries):
    for n in range(5):
        specialty = SpecialtyFactory()
        many_programs(2, specialty=specialty)
        SpecialtyStatisticFactory(specialty=specialty, percent_filled="90.0", year=2024 - n)
    with django_assert_max_num_queries(4):
        response = client.get(reverse("programs:specialties"))
    page = text(response)
    assert "90.0%" in page
    assert '<td class="num">2</td>' in page


def test_specialty_page_has_bars_and_links_into_the_list(client, django_assert_max_num_queries):
    specialty = SpecialtyFactory(slug="generated-bars")
    SpecialtyStatisticFactory(
        specialty=specialty,
        percent_filled="80.0",
        positions_offered=10,
        matched_total=8,
        matched_us_md=4,
        matched_us_do=2,
        matched_us_img=1,
        matched_non_us_img=1,
    )
    many_programs(3, specialty=specialty, state="TX", sponsors_j1="yes", accepts_imgs="yes")
    ProgramFactory(specialty=specialty, state="TX", accreditation_status="withdrawn")
    FaqEntryFactory(specialty=specialty, question="Generated specialty question?")
    with django_assert_max_num_queries(9):
        response = client.get(specialty.get_absolute_url())
    body = response.content.decode()
    assert 'class="bar-fill w-80"' in body
    assert 'href="/programs/?specialty=generated-bars&amp;state=TX"' in body
    assert 'href="/programs/?specialty=generated-bars&amp;visa=j1">3 reported accepting J-1' in body
    assert "3 programs taking residents" in text(response)
    assert "Generated specialty question?" in body


def test_a_specialty_page_read_first_reads_at_most_six_queries(
    client, django_assert_max_num_queries
):
    seen = SpecialtyFactory()
    first = SpecialtyFactory(parent=seen, level=Level.FELLOWSHIP)
    for specialty in (seen, first):
        many_programs(2, specialty=specialty, sponsors_j1="yes")
        SpecialtyStatisticFactory(specialty=specialty)
        FaqEntryFactory(specialty=specialty)
    client.get(seen.get_absolute_url())
    with django_assert_max_num_queries(6):
        response = client.get(first.get_absolute_url())
    assert "2 reported accepting J-1" in visible_text(response)


def test_a_specialty_pages_h1b_count_names_the_year_it_was_reported(client):
    specialty = SpecialtyFactory(slug="generated-dated")
    freida = {"visa_as_of": datetime.date(2016, 2, 28), "visa_source_label": "FREIDA, 2016"}
    many_programs(2, specialty=specialty, sponsors_h1b="yes", **freida)
    ProgramFactory(specialty=specialty, sponsors_h1b="no", **freida)
    response = client.get(specialty.get_absolute_url())
    page = visible_text(response)
    assert "2 reported sponsoring H-1B in 2016" in page
    assert "as the programs reported them in 2016 (FREIDA, 2016)" in page
    description = response.content.decode().split('<meta name="description" content="')[1]
    assert "answers as reported in 2016 (FREIDA, 2016)" in description.split('">')[0]
    ProgramFactory(
        specialty=specialty,
        sponsors_h1b="yes",
        visa_source_label="Generated program website",
        visa_as_of=datetime.date(2026, 3, 1),
        visa_verified_on=datetime.date(2026, 3, 1),
    )
    page = visible_text(client.get(specialty.get_absolute_url()))
    assert "3 reported sponsoring H-1B between 2016 and 2026" in page


def test_fellowship_specialty_links_ask_for_fellowships(client):
    specialty = SpecialtyFactory(slug="generated-fellowship", level=Level.FELLOWSHIP)
    body = client.get(specialty.get_absolute_url()).content.decode()
    assert 'href="/programs/?specialty=generated-fellowship&amp;level=fellowship"' in body


def test_state_page_lists_programs_by_specialty(client, django_assert_max_num_queries):
    a = SpecialtyFactory(name="Generated A")
    b = SpecialtyFactory(name="Generated B")
    many_programs(3, specialty=a, state="TX")
    many_programs(3, specialty=b, state="TX")
    fellowship = SpecialtyFactory(name="Generated Fellowship", level=Level.FELLOWSHIP)
    ProgramFactory(specialty=fellowship, state="TX")
    ProgramFactory(name="Generated Ohio Program", state="OH")
    with django_assert_max_num_queries(3):
        response = client.get(reverse("programs:state", args=["TX"]))
    page = text(response)
    assert "Residency programs in Texas" in page
    assert "6 residency programs in 2 specialties" in page
    assert page.index('id="generated-specialty') < page.index("Generated Fellowship")
    assert f'href="/programs/?state=TX&amp;specialty={a.slug}"' in page
    assert f"state=TX&amp;specialty={fellowship.slug}&amp;level=fellowship" in page
    assert "Generated Ohio Program" not in page


def test_a_state_pages_visa_badges_name_the_year_of_the_answer(client):
    ProgramFactory(state="TX", sponsors_h1b="yes", visa_as_of=datetime.date(2016, 2, 28))
    ProgramFactory(state="TX", sponsors_j1="yes")
    page = text(client.get(reverse("programs:state", args=["TX"])))
    assert "H-1B: yes (2016)" in page
    assert "J-1 (ECFMG): yes (undated)" in page


def test_a_state_page_tells_a_no_from_an_answer_never_given(client):
    in_2016 = datetime.date(2016, 2, 28)
    ProgramFactory(state="TX", sponsors_h1b="no", sponsors_j1="unknown", visa_as_of=in_2016)
    ProgramFactory(state="TX", sponsors_h1b="unknown", sponsors_j1="unknown")
    page = visible_text(client.get(reverse("programs:state", args=["TX"])))
    assert page.count("H-1B: no (2016)") == 1
    assert "J-1 (ECFMG): no" not in page
    assert "without an H-1B or J-1 badge has not reported whether it sponsors" in page


def test_state_code_is_case_insensitive_and_bad_codes_404(client):
    assert client.get("/states/tx/").url == "/states/TX/"
    assert client.get("/states/ZZ/").status_code == 404


def test_home_has_search_shortcuts_quick_links_and_timeline(client, django_assert_max_num_queries):
    season = SeasonFactory(is_current=True)
    deadline = season_event(season, "rank_list_deadline", datetime.date(2099, 3, 3))
    season_event(season, "match_day", datetime.date(2099, 3, 19), owner=MatchKind.AUA)
    specialty = SpecialtyFactory(name="Generated Popular")
    many_programs(3, specialty=specialty)
    with django_assert_max_num_queries(6):
        response = client.get("/")
    page = text(response)
    assert 'name="q"' in page
    assert f'href="/programs/?specialty={specialty.slug}">Generated Popular' in page
    assert 'href="/programs/?visa=h1b"' in page and 'href="/programs/?img=1"' in page
    assert "Deadlines in the next 30 days" not in page  # no program has published one
    assert "Match 2027: the season at a glance" in page
    assert f"<strong>{deadline.label}</strong>: <time" in page and "Projected" in page
    assert "2099-03-19" not in page  # the AUA Urology Match's date is not the Main Match's


def test_home_lists_deadlines_in_the_next_30_days(client):
    season = SeasonFactory(is_current=True)
    soon = ProgramFactory(name="Generated Soon Program")
    later = ProgramFactory(name="Generated Later Program")
    today = datetime.date.today()
    ProgramSeasonDatesFactory(
        program=soon, season=season, application_deadline=today + datetime.timedelta(days=5)
    )
    ProgramSeasonDatesFactory(
        program=later, season=season, application_deadline=today + datetime.timedelta(days=60)
    )
    page = text(client.get("/"))
    assert "Generated Soon Program" in page
    assert "Generated Later Program" not in page
    today, until = timezone.localdate(), timezone.localdate() + datetime.timedelta(days=30)
    link = f"/programs/?deadline_after={today:%Y-%m-%d}&amp;deadline_before={until:%Y-%m-%d}"
    assert f'href="{link}&amp;sort=deadline">Deadlines in the next 30 days' in page
    listed = client.get(LIST, {"deadline_after": f"{today}", "deadline_before": f"{until}"})
    assert [p.name for p in listed.context["page"].object_list] == ["Generated Soon Program"]


def test_a_passed_projected_date_reads_passed_was_projected_on_the_home_page(client):
    season = SeasonFactory(is_current=True, match_year=2026)
    season_event(season, "match_day", datetime.date(2026, 3, 20))
    season_event(season, "rank_list_deadline", datetime.date(2026, 3, 4), status="confirmed")
    page = text(client.get("/"))
    match_day = page[page.index('<time datetime="2026-03-20">') :].split("</li>")[0]
    assert "Passed (was projected)</span>" in match_day
    assert "Projected</span>" not in match_day
    deadline = page[page.index('<time datetime="2026-03-04">') :].split("</li>")[0]
    assert "Passed</span>" in deadline and "was projected" not in deadline


def test_robots_txt_keeps_crawlers_out_of_the_admin_and_points_to_the_sitemap(client):
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in robots
    assert "Disallow: /admin/" in robots
    assert f"Disallow: {EXPORT}" in robots


# --- What the data we hold adds to a program's page --------------------------------------


def test_the_program_page_names_the_listing_and_the_2016_facts_as_of_their_sources(client):
    program = ProgramFactory(
        listing_source_label="ACGME, 2021–22",
        listing_as_of=datetime.date(2022, 6, 3),
        visa_source_label="FREIDA, 2016",
        visa_as_of=datetime.date(2016, 2, 28),
        sponsors_j1="yes",
        accepts_imgs="yes",
        accepts_imgs_inferred=True,
    )
    page = visible_text(client.get(program.get_absolute_url()))
    assert "ACGME listing" in page
    assert "As of Jun 2022 (ACGME, 2021–22); not checked by a curator since." in page
    assert "As of Feb 2016 (FREIDA, 2016); not checked by a curator since." in page
    assert "Inferred: it accepts a visa only IMGs need." in page
    assert "Accepts J-1 (ECFMG-sponsored) Yes" in page


def test_a_no_to_h1b_that_newer_filings_contradict_says_so_in_words_of_its_own(client):
    program = ProgramFactory(sponsors_h1b="no", visa_as_of=datetime.date(2016, 2, 28))
    SponsorH1bFilings.objects.create(
        sponsor=program.sponsor,
        filings=33,
        period="from September 2024 to March 2025",
        filed_to=datetime.date(2025, 3, 31),
        source_label="Generated Department of Labor extract",
    )
    page = visible_text(client.get(program.get_absolute_url()))
    assert "Sponsors H-1B No, but newer filings say otherwise" in page
    assert (
        "Its sponsoring institution filed 33 H-1B applications for residents and fellows from "
        "September 2024 to March 2025 (US Department of Labor data), after this answer: it may "
        "sponsor H-1B now. Ask the program."
    ) in page


def test_institution_h1b_filings_stand_beside_the_programs_own_policy(client):
    program = ProgramFactory(sponsors_h1b="no")
    SponsorH1bFilings.objects.create(
        sponsor=program.sponsor,
        filings=39,
        specialties="Internal Medicine; Pediatrics",
        wage_from=60000,
        wage_to=75000,
        period="from September 2024 to March 2025",
        source_label="US Department of Labor, H-1B LCA disclosure data, FY2025 Q2",
    )
    page = visible_text(client.get(program.get_absolute_url()))
    assert "filed 39 H-1B applications (Labor Condition Applications) for residents" in page
    assert "Offered pay: $60,000 to $75,000 a year." in page
    assert "Sponsors H-1B No" in page
    assert "not a promise by this program" in page
    sponsor_page = visible_text(client.get(program.sponsor.get_absolute_url()))
    assert "39 H-1B applications" in sponsor_page and program.name in sponsor_page


def test_no_h1b_filings_is_never_read_as_a_refusal(client):
    page = visible_text(client.get(ProgramFactory().get_absolute_url()))
    assert "That is not evidence that it does not sponsor H-1B" in page


def test_the_program_page_shows_its_nrmp_codes_and_match_history(client):
    program = ProgramFactory()
    NrmpTrack.objects.create(
        program=program, code="1111140C0", track_name="Generated track", source_label="G"
    )
    ProgramMatchResult.objects.create(
        program=program,
        nrmp_code="1111140C0",
        year=2025,
        positions_offered=12,
        matched=11,
        source_label="Generated results",
    )
    ProgramPositions.objects.create(
        program=program, as_of=datetime.date(2024, 2, 1), approved=30, filled=28, source_label="G"
    )
    page = visible_text(client.get(program.get_absolute_url()))
    assert "1111140C0 · Categorical" in page
    assert "2025 12 11" in page
    assert "28 of 30 approved positions filled" in page


def test_how_to_apply_gives_the_service_and_its_season_wide_dates(client):
    season = SeasonFactory(is_current=True)
    program = ProgramFactory()
    SpecialtyApplicationService.objects.create(
        specialty=program.specialty,
        service="residencycas",
        first_match_year=2026,
        source_label="Generated service source",
    )
    SpecialtyMatchFactory(specialty=program.specialty, source_label="Generated match source")
    deadline = season_event(season, "rank_list_deadline", datetime.date(2027, 3, 3))
    season_event(season, "applicants_submit", datetime.date(2026, 9, 2), owner="eras")
    season_event(season, "match_day", None, owner=MatchKind.AUA)
    page = visible_text(client.get(program.get_absolute_url()))
    assert "Application service ResidencyCAS" in page
    assert "Match NRMP Main Residency Match for every" in page
    assert "Source: Generated match source" in page
    assert f"{deadline.label} (NRMP Main Match): {long_date(deadline.date)}" in page
    assert "(ERAS)" not in page
    assert "AUA" not in page
    assert "(recorded from Match 2026 on)" in page
    assert "since Match" not in page


def test_doubted_values_read_as_looking_wrong_and_not_confirmed_on_the_page(client):
    program = ProgramFactory(
        step2_policy="hard",
        step2_minimum=123,
        step2_minimum_doubted=True,
        website="http://www.generated-gone.example/residency",
        website_doubted=True,
    )
    page = visible_text(client.get(program.get_absolute_url()))
    assert "Reported as 123: looks wrong; not confirmed" in page
    assert "that domain is gone" in page
    assert "being checked" not in page
    assert (
        'href="http://www.generated-gone.example'
        not in client.get(program.get_absolute_url()).content.decode()
    )


def test_the_specialty_filter_offers_the_level_listed(client):
    SpecialtyFactory(name="Generated Residency Specialty")
    SpecialtyFactory(name="Generated Fellowship Specialty", level=Level.FELLOWSHIP)
    residencies = client.get(LIST).content.decode()
    assert "Generated Residency Specialty" in residencies
    assert "Generated Fellowship Specialty" not in residencies
    fellowships = client.get(LIST, {"level": "fellowship"}).content.decode()
    assert "Generated Fellowship Specialty" in fellowships
    assert "Generated Residency Specialty" not in fellowships


def test_the_list_filters_on_institution_h1b_filings(client):
    filed = ProgramFactory(name="Generated Filed Program")
    ProgramFactory(name="Generated Quiet Program")
    SponsorH1bFilings.objects.create(
        sponsor=filed.sponsor, filings=2, period="generated", source_label="G"
    )
    response = client.get(LIST, {"h1b_filed": "1"})
    assert [p.name for p in response.context["page"].object_list] == ["Generated Filed Program"]
    assert "Institution filed H-1B applications for residents" in text(response)
    assert "September 2024 to March 2025" in text(response)


def test_a_search_that_finds_only_fellowships_offers_them(client):
    fellowship = SpecialtyFactory(level=Level.FELLOWSHIP)
    ProgramFactory(name="Generated Heart Program", specialty=fellowship)
    page = text(client.get(LIST, {"q": "heart"}))
    assert "1 fellowship matches: show it" in page
    assert 'href="/programs/?q=heart&amp;level=fellowship"' in page


# --- Browsers, caches and small courtesies -----------------------------------------------


@pytest.mark.parametrize("url", ["/", LIST, "/specialties/", "/timeline/", "/robots.txt"])
def test_head_requests_are_answered(client, url):
    assert client.head(url).status_code == 200


def test_the_list_tells_caches_that_htmx_gets_another_answer(client):
    response = client.get(LIST)
    assert {"HX-Request", "HX-Target"} <= {h.strip() for h in response["Vary"].split(",")}


def test_a_new_level_redraws_the_filter_form_with_its_specialties(client):
    SpecialtyFactory(name="Generated Fellowship Specialty", level=Level.FELLOWSHIP)
    headers = {"HX-Request": "true", "HX-Target": "results", "HX-Trigger": "filters"}
    plain = client.get(LIST, {"level": "fellowship"}, headers=headers).content.decode()
    assert 'id="filters"' not in plain
    redrawn = client.get(
        LIST, {"level": "fellowship"}, headers={**headers, "HX-Redraw-Filters": "true"}
    ).content.decode()
    assert 'id="filters"' in redrawn and "Generated Fellowship Specialty" in redrawn


@pytest.mark.parametrize("requested", ["0", "-1"])
def test_a_page_before_the_first_shows_the_first(client, requested):
    many_programs(30)
    assert client.get(LIST, {"page": requested}).context["page"].number == 1


def test_a_search_for_a_visa_points_to_the_filter(client):
    ProgramFactory()
    page = text(client.get(LIST, {"q": "h1b"}))
    assert "Looking for programs that reported sponsoring H-1B visas? The filter lists them" in page
    assert 'href="/programs/?visa=h1b"' in page


def test_the_h1b_filter_points_to_the_institutions_filings_for_a_contradicted_no(client):
    said_no = ProgramFactory(name="Generated Said No", sponsors_h1b="no", state="TX")
    SponsorH1bFilings.objects.create(
        sponsor=said_no.sponsor,
        filings=3,
        period="from September 2024 to March 2025",
        filed_to=datetime.date(2025, 3, 31),
        source_label="Generated Department of Labor extract",
    )
    response = client.get(LIST, {"visa": "h1b", "state": "TX"})
    assert "Generated Said No" not in text(response)
    assert "A program that said “no” to H-1B before its institution filed" in text(response)
    assert response.context["h1b_filed_url"] == "/programs/?state=TX&h1b_filed=1"
    assert "Generated Said No" in text(client.get(response.context["h1b_filed_url"]))
    assert client.get(LIST, {"visa": "j1"}).context["h1b_filed_url"] == ""


def test_the_favicon_is_served(client):
    assert client.get("/favicon.ico").url.endswith("favicon.svg")


def test_an_unanswered_2016_eras_question_is_left_out_where_the_service_is_known(client):
    season = SeasonFactory(is_current=True)
    program = ProgramFactory()
    SpecialtyApplicationService.objects.create(
        specialty=program.specialty,
        service="residencycas",
        first_match_year=season.match_year,
        source_label="G",
    )
    page = visible_text(client.get(program.get_absolute_url()))
    assert "through ERAS" not in page
    assert "Application service ResidencyCAS" in page


def test_the_sponsor_page_speaks_of_the_institution_not_of_a_program(client):
    program = ProgramFactory()
    SponsorH1bFilings.objects.create(
        sponsor=program.sponsor, filings=2, period="generated period", source_label="G"
    )
    body = client.get(program.sponsor.get_absolute_url()).content.decode()
    assert "not a promise by any of its programs" in body
    assert "this program" not in body
    assert '<h2 id="h1b-evidence">' in body


def test_a_doubted_minimum_reads_as_not_confirmed_in_the_list(client):
    ProgramFactory(step2_policy="hard", step2_minimum=150, step2_minimum_doubted=True)
    about_you(client, step2="230")
    page = text(client.get(LIST))
    assert "Step 2 CK minimum looks wrong; not confirmed (undated)" in page


def test_program_counts_say_which_listing_and_when(client):
    specialty = SpecialtyFactory(slug="generated-listed")
    for _ in range(2):
        ProgramFactory(
            specialty=specialty,
            state="VT",
            listing_source_label="Generated ACGME listing",
            listing_as_of=datetime.date(2022, 6, 3),
        )
    said = "as the ACGME listed them in 2022 (Generated ACGME listing)"
    assert f"2 US residency programs {said}" in visible_text(client.get(reverse("programs:home")))
    assert f"2 programs taking residents {said}" in visible_text(
        client.get(specialty.get_absolute_url())
    )
    state = visible_text(client.get(reverse("programs:state", args=["VT"])))
    assert f"2 residency programs in 1 specialty, {said}" in state


def test_a_search_matching_more_programs_than_are_ranked_says_so_and_ranks_the_first_found(
    client, monkeypatch
):
    from programs import listing

    monkeypatch.setattr(listing, "RANKED_AT_MOST", 3)
    for n in range(5):
        ProgramFactory(name=f"Generated Harbor Program {n}", city="Generated Porthaven")
    ProgramFactory(name="Generated Harbor Clinic Program", city="Generated Inland")
    broad = client.get(reverse("programs:list"), {"q": "harbor"})
    page = visible_text(broad)
    assert "More than 3 programs" in page and "only the first 3 found are ranked" in page
    assert len(broad.context["rows"]) == 3
    narrow = visible_text(client.get(reverse("programs:list"), {"q": "harbor clinic"}))
    assert "1 program" in narrow and "only the first" not in narrow


def test_the_first_found_of_a_broad_search_are_read_by_one_array_of_keys(client, monkeypatch):
    """Thousands of keys, one parameter each, cost more to write and send than to rank."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from programs import listing

    monkeypatch.setattr(listing, "RANKED_AT_MOST", 3)
    for n in range(5):
        ProgramFactory(name=f"Generated Harbor Program {n}")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("programs:list"), {"q": "harbor"})
    ranked = [q["sql"] for q in queries if "ts_rank" in q["sql"]]
    # One array, not a list of keys (a subquery of the page's keys is no list).
    assert ranked and all(
        " = ANY(" in sql and not re.search(r" IN \((%s|\d)", sql) for sql in ranked
    )
    assert len(page.context["rows"]) == 3


@pytest.mark.parametrize("read_by_keys_above, by_keys", [(3, True), (4, False)])
def test_sort_by_deadline_reads_only_the_page_of_a_long_list_in_full(
    client, monkeypatch, read_by_keys_above, by_keys
):
    """Sorted by deadline, a long list finds the page's programs on narrow queries of their
    keys and reads only those programs' rows, rather than every listed program's to sort
    them; a short one (here, up to ``read_by_keys_above`` programs) is sorted whole."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from programs import listing

    monkeypatch.setattr(listing, "PAGE_SIZE", 2)
    monkeypatch.setattr(listing, "READ_BY_KEYS_ABOVE", read_by_keys_above)
    season = SeasonFactory(is_current=True)
    for day, name in (
        (3, "Zebra Deadline Third"),
        (1, "Zebra Deadline First"),
        (2, "Zebra Deadline Second"),
    ):
        ProgramSeasonDatesFactory(
            program=ProgramFactory(name=name),
            season=season,
            application_deadline=datetime.date(2026, 10, day),
        )
    ProgramFactory(name="Aardvark")
    with CaptureQueriesContext(connection) as queries:
        page = text(client.get(LIST, {"sort": "deadline", "page": "2"}))
    assert page.index("Zebra Deadline Third") < page.index("Aardvark")
    assert "Zebra Deadline First" not in page
    full_rows = [q["sql"] for q in queries if '"programs_program"."website"' in q["sql"]]
    assert full_rows
    assert all('"programs_program"."id" IN (' in sql for sql in full_rows) == by_keys
