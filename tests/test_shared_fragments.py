"""What every reader sees the same is rendered once per change of the directory and reused
(programs.fragments); what is the asker's own (Saved, their verdict, the invitation to give
a profile, the CSRF token) is added around it for each asker, never kept in it."""

import datetime
import re
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applicants.matching import Applicant
from applicants.models import ShortlistEntry
from programs import fragments, timeline
from programs.shared import generation
from programs.views import directory
from tests.at_once import AtOnce
from tests.factories import (
    MatchEventFactory,
    ProgramFactory,
    ProgramSeasonDatesFactory,
    SeasonFactory,
    SpecialtyFactory,
    SpecialtyMatchFactory,
)
from tests.pages import csrf_tokens, signed_in, visible_text

pytestmark = pytest.mark.django_db

LIST = reverse("programs:list")


@pytest.fixture
def program():
    """A program with all a page shows: its specialty's match, the season's dates, its own."""
    specialty = SpecialtyFactory(name="Generated internal medicine", slug="generated-im")
    SpecialtyMatchFactory(specialty=specialty)
    season = SeasonFactory()
    MatchEventFactory(season=season)
    program = ProgramFactory(
        name="Generated Miami IM", specialty=specialty, step2_policy="hard", step2_minimum=240
    )
    ProgramSeasonDatesFactory(program=program, season=season)
    return program


@pytest.fixture
def img(program):
    return Applicant(
        applicant_type="non_us_img",
        graduation_year=2020,
        visa_needed="h1b",
        step2_score=235,
        usce_months=3,
        specialty_ids=(program.specialty_id,),
    )


def test_a_changed_program_shows_on_the_next_render_of_its_page_and_its_row(client, program):
    client.get(program.get_absolute_url())
    client.get(LIST)
    program.name = "Generated Miami IM, renamed"
    program.year1_positions = 17
    program.save()
    page = visible_text(client.get(program.get_absolute_url()))
    assert "Generated Miami IM, renamed" in page
    row = visible_text(client.get(LIST))
    assert "Generated Miami IM, renamed" in row and "17 first-year positions" in row


def test_a_changed_specialty_shows_on_the_next_render_of_its_page(client, program):
    specialty = program.specialty
    client.get(specialty.get_absolute_url())
    specialty.typical_length_years = 5
    specialty.save()
    assert "usually 5 years" in visible_text(client.get(specialty.get_absolute_url()))


def test_one_readers_saved_program_is_never_shown_saved_to_another(program):
    saver = signed_in("saver@example.org")
    ShortlistEntry.objects.create(user=_user(saver), program=program)
    other = signed_in("other@example.org")
    for address in (LIST, program.get_absolute_url()):
        assert "Saved to your shortlist" in visible_text(saver.get(address))
        text = visible_text(other.get(address))
        assert "Saved to your shortlist" not in text
        assert f"Save {program.name} to your shortlist" in text


def _user(client: Client):
    return get_user_model().objects.get(pk=client.session["_auth_user_id"])


def test_one_readers_verdict_is_never_shown_to_another(program, img):
    applicant = signed_in("img@example.org", profile=img)
    assert "You and this program" in visible_text(applicant.get(program.get_absolute_url()))
    for other in (Client(), signed_in("no-profile@example.org")):
        text = visible_text(other.get(program.get_absolute_url()))
        assert "You and this program" not in text and "you have 235" not in text
        assert "Tell us about yourself" in text


def test_the_list_invites_only_readers_without_a_profile_whoever_came_first(program, img):
    invitation = "tell us about yourself once"
    applicant = signed_in("img@example.org", profile=img)
    assert invitation not in visible_text(applicant.get(LIST))
    assert invitation in visible_text(Client().get(LIST))
    assert invitation not in visible_text(applicant.get(LIST))


def test_a_page_from_shared_fragments_still_gives_each_reader_their_own_csrf_token(program):
    first, second = signed_in("first@example.org"), signed_in("second@example.org")
    for address in (program.get_absolute_url(), LIST):
        first.get(address)
        mine = csrf_tokens(first.get(address).content.decode())
        theirs = csrf_tokens(second.get(address).content.decode())
        assert mine and theirs and not mine & theirs
        # Each is a mask of the reader's own secret, which their CSRF cookie holds: a POST
        # with it passes the check.
        report = reverse("programs:report", args=[program.acgme_id])
        checked = Client(enforce_csrf_checks=True)
        checked.cookies = second.cookies
        response = checked.post(report, {"csrfmiddlewaretoken": theirs.pop(), "message": ""})
        assert response.status_code != 403


def test_a_program_page_seen_before_reads_at_most_two_queries(
    client, program, django_assert_max_num_queries
):
    client.get(program.get_absolute_url())
    with django_assert_max_num_queries(2):
        assert client.get(program.get_absolute_url()).status_code == 200


# As in production with a shared cache, where sessions are read from it.
@override_settings(SESSION_ENGINE="django.contrib.sessions.backends.cached_db")
def test_a_program_page_seen_before_reads_at_most_six_queries_for_a_signed_in_applicant(
    program, img, django_assert_max_num_queries
):
    applicant = signed_in("img@example.org", profile=img)
    ShortlistEntry.objects.create(user=_user(applicant), program=program)
    Client().get(program.get_absolute_url())
    with django_assert_max_num_queries(6):
        assert applicant.get(program.get_absolute_url()).status_code == 200


def test_a_first_visit_reads_only_the_records_its_program_holds(client, program):
    """Most programs have no NRMP code, Match results, ACGME positions, FAQ, dates or
    contact for applicants of their own: their page reads none of those tables (what a page
    holds shows: test_directory, and for a contact the test below)."""
    bare = ProgramFactory(specialty=program.specialty)
    client.get(program.get_absolute_url())  # the figures every page shares, read once
    with CaptureQueriesContext(connection) as queries:
        assert client.get(bare.get_absolute_url()).status_code == 200
    # The table of each query's first column.
    read = {query["sql"].split('"', 2)[1] for query in queries}
    assert "programs_program" in read
    holdings = {"nrmptrack", "programmatchresult", "programpositions", "faqentry"}
    assert not read & {f"programs_{name}" for name in (*holdings, "programseasondates")}
    assert "representatives_programcontact" not in read


def test_what_a_program_page_shows_of_its_specialty_is_rendered_once_for_all_its_programs(
    client, program
):
    other = ProgramFactory(name="Generated Tampa IM", specialty=program.specialty)
    match = program.specialty.matches.get()
    with mock.patch.object(directory.timeline, "how_to_apply", wraps=timeline.how_to_apply) as how:
        first = visible_text(client.get(program.get_absolute_url()))
        second = visible_text(client.get(other.get_absolute_url()))
    assert how.call_count == 1
    for page in (first, second):
        assert f"Match {match.match.name} for every generated internal medicine program" in page
    # Changed, it shows on every program's page at once.
    match.source_label = "Generated newer match source"
    match.save()
    for each in (program, other):
        assert "Generated newer match source" in visible_text(client.get(each.get_absolute_url()))


def test_after_the_shared_cache_is_emptied_no_generation_is_used_again(client):
    """Each worker keeps the fragments it read under keys naming the generation: were an
    emptied cache (Redis restarted, say) to count generations from the start again, a worker
    would serve what it kept from the same number before."""
    used = []
    for _ in range(3):
        used.append(generation())
        ProgramFactory()
        used.append(generation())
        cache.clear()
    assert len(set(used)) == len(used)


def test_a_new_release_of_the_site_renders_its_own_fragments(client, program):
    client.get(program.get_absolute_url())
    with mock.patch("programs.fragments.render_to_string", wraps=render_to_string) as renders:
        client.get(program.get_absolute_url())
        assert not renders.called
        with mock.patch("programs.fragments.release", return_value="next-release"):
            client.get(program.get_absolute_url())
    assert renders.called


def test_one_readers_about_you_answers_are_never_in_another_readers_filters(program):
    answered = Client()
    answered.post(reverse("programs:about_you"), {"step2": "231", "yog": "2011"})
    assert 'value="231"' in answered.get(LIST).content.decode()
    html = Client().get(LIST).content.decode()
    assert 'value="231"' not in html and 'value="2011"' not in html


# --- The list's filters, kept a group of fields at a time --------------------------------


def _checked(html: str, name: str) -> set[str]:
    """The values of the checked boxes named ``name``."""
    tags = [tag for tag in re.findall(r"<input[^>]*>", html) if f'name="{name}"' in tag]
    return {re.search(r'value="([^"]*)"', tag)[1] for tag in tags if re.search(r"\schecked", tag)}


def test_each_group_of_filters_shows_its_own_values_whichever_list_kept_it_first(program):
    Client().get(LIST, {"state": "FL"})
    html = Client().get(LIST, {"state": "FL", "img": "1"}).content.decode()
    assert _checked(html, "state") == {"FL"} and _checked(html, "img") == {"1"}
    html = Client().get(LIST, {"img": "1"}).content.decode()
    assert _checked(html, "state") == set() and _checked(html, "img") == {"1"}


def test_the_specialties_offered_follow_each_lists_level(program):
    SpecialtyFactory(name="Generated cardiology", slug="generated-cardio", level="fellowship")
    assert 'value="generated-cardio"' not in Client().get(LIST).content.decode()
    fellowships = Client().get(LIST, {"level": "fellowship"}).content.decode()
    assert 'value="generated-cardio"' in fellowships


def test_a_new_specialty_is_offered_by_the_lists_rendered_after_it(program):
    Client().get(LIST)
    SpecialtyFactory(name="Generated nephrology", slug="generated-nephro")
    assert 'value="generated-nephro"' in Client().get(LIST, {"img": "1"}).content.decode()


def test_the_search_and_the_sort_asked_show_after_others_were_kept(program):
    Client().get(LIST)
    html = Client().get(LIST, {"q": "Miami", "sort": "state"}).content.decode()
    search = [tag for tag in re.findall(r"<input[^>]*>", html) if 'id="id_q"' in tag]
    assert 'value="Miami"' in search[0] and '<option value="state" selected>' in html


def test_a_readers_answers_show_to_them_after_blank_ones_were_kept_for_everyone(program):
    Client().get(LIST)
    answered = Client()
    answered.post(reverse("programs:about_you"), {"step2": "231", "yog": "2011"})
    html = answered.get(LIST).content.decode()
    assert 'value="231"' in html and 'value="2011"' in html


# --- Whole pages for a reader who brings nothing of their own ------------------------------


def test_a_page_for_every_reader_is_rendered_once_and_read_with_no_query(
    program, django_assert_num_queries
):
    for address in (LIST, program.get_absolute_url(), program.specialty.get_absolute_url()):
        Client().get(address)
        with django_assert_num_queries(0):
            assert Client().get(address).status_code == 200


def test_each_reader_of_a_kept_page_gets_their_own_csrf_token_and_it_passes_the_check(program):
    report = reverse("programs:report", args=[program.acgme_id])
    seen = set()
    for _ in range(3):
        reader = Client(enforce_csrf_checks=True)
        tokens = csrf_tokens(reader.get(program.get_absolute_url()).content.decode())
        assert len(tokens) == 1 and not tokens & seen
        seen |= tokens
        response = reader.post(report, {"csrfmiddlewaretoken": tokens.pop(), "message": ""})
        assert response.status_code != 403


def test_a_signed_in_reader_never_gets_the_page_kept_for_readers_who_bring_nothing(program):
    Client().get(program.get_absolute_url())
    saver = signed_in("saver@example.org")
    assert "Log out" in visible_text(saver.get(program.get_absolute_url()))
    assert "Log out" not in visible_text(Client().get(program.get_absolute_url()))


def test_a_message_waiting_for_a_reader_is_shown_to_them_alone(program):
    Client().get(program.get_absolute_url())
    reporter = Client()
    report = reverse("programs:report", args=[program.acgme_id])
    reporter.post(report, {"message": "The website moved to another address last month."})
    assert "The curators have your report" in visible_text(reporter.get(program.get_absolute_url()))
    assert "The curators have your report" not in visible_text(
        Client().get(program.get_absolute_url())
    )


def test_a_new_contact_for_applicants_shows_on_the_kept_program_page(program):
    from representatives.models import ProgramContact

    Client().get(program.get_absolute_url())
    ProgramContact.objects.create(
        program=program, email="apply@example.org", source_label="The program's representative"
    )
    assert "apply@example.org" in visible_text(Client().get(program.get_absolute_url()))


def test_a_page_asked_for_by_htmx_is_never_taken_from_the_kept_whole_pages(program):
    Client().get(LIST)
    response = Client().get(LIST, headers={"HX-Request": "true", "HX-Target": "results"})
    assert b"<html" not in response.content and b'id="results"' in response.content


def test_a_page_asked_for_by_two_readers_at_once_is_rendered_once():
    at_once = AtOnce()
    factory = RequestFactory()

    def ask(body):
        render = lambda: HttpResponse(at_once.compute(body))  # noqa: E731
        return fragments.kept_page(factory.get("/at-once/"), "/at-once/", render).content

    answers = at_once.run(lambda: ask(b"first's"), lambda: ask(b"second's"))
    assert at_once.calls == [b"first's"]
    assert answers == {"first": b"first's", "second": b"first's"}


def test_a_page_that_cannot_be_kept_is_rendered_for_each_reader_asking_at_once():
    at_once = AtOnce()
    factory = RequestFactory()

    def ask(body):
        def render():
            response = HttpResponse(at_once.compute(body))
            response.set_cookie("own", body.decode())
            return response

        return fragments.kept_page(factory.get("/at-once/"), "/at-once/", render).content

    answers = at_once.run(lambda: ask(b"first's"), lambda: ask(b"second's"))
    assert answers == {"first": b"first's", "second": b"second's"}


def test_rows_alike_in_badges_and_freshness_render_them_once_a_day(client):
    """A row's badges and freshness show its values alone: rendered once per value and day,
    however many programs share them, and again the next day (a fact may turn stale)."""
    checked = {"visa_as_of": datetime.date(2025, 3, 1), "sponsors_j1": "yes"}
    ProgramFactory.create_batch(3, **checked)

    def parts_rendered(query: str) -> list[str]:
        cache.clear()
        fragments._kept.clear()
        with mock.patch("programs.listing.render_to_string", wraps=render_to_string) as renders:
            assert client.get(f"{LIST}?{query}").status_code == 200
        return sorted(call.args[0].partition("#")[2] for call in renders.call_args_list)

    assert parts_rendered("sort=name") in (["badges", "freshness"], [])
    assert parts_rendered("sort=state") == []
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with mock.patch("django.utils.timezone.localdate", return_value=tomorrow):
        assert parts_rendered("sort=-positions") == ["badges", "freshness"]
