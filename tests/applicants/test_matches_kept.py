"""An applicant's matches page is rendered once per change (applicants.kept) and kept for that
applicant alone: their own changes, the directory's, a message waiting or a profile kept
without an account each show at once."""

import dataclasses
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from applicants import kept, matching, services
from applicants.models import Profile, ShortlistEntry
from tests.factories import ProgramFactory
from tests.pages import csrf_tokens, signed_in, visible_text

pytestmark = pytest.mark.django_db

MATCHES = reverse("applicants:matches")
# The count of programs whose Step 2 CK minimum the applicant misses, as the page says it.
RULED_OUT = "1 not eligible a current"
NONE_RULED_OUT = "0 not eligible a current"


@pytest.fixture
def programs(internal_medicine):
    """A program the IMG's Step 2 CK of 235 meets, and one whose minimum of 240 it does not."""
    return {
        "met": ProgramFactory(
            name="Generated Houston IM", specialty=internal_medicine, step2_policy="none"
        ),
        "not_met": ProgramFactory(
            name="Generated Miami IM",
            specialty=internal_medicine,
            step2_policy="hard",
            step2_minimum=240,
        ),
    }


def user_of(client: Client):
    return get_user_model().objects.get(pk=client.session["_auth_user_id"])


def saved_mark(program) -> str:
    return f"Saved to your shortlist: {program.name}"


# As in production with a shared cache, where sessions are read from it.
@override_settings(SESSION_ENGINE="django.contrib.sessions.backends.cached_db")
def test_a_second_visit_reads_the_kept_page_in_one_query(
    img, programs, django_assert_max_num_queries
):
    applicant = signed_in("img@example.org", profile=img)
    with django_assert_max_num_queries(10) as first:
        applicant.get(MATCHES)
    # The account: whose page it is.
    with django_assert_max_num_queries(1):
        again = applicant.get(MATCHES)
    assert again.status_code == 200 and len(first) > 1
    assert "Generated Houston IM" in visible_text(again)


def test_each_applicant_sees_only_their_own_verdicts_and_shortlist(img, programs):
    scored = dataclasses.replace(img, step2_score=250)
    low, high = (
        signed_in("low@example.org", profile=img),
        signed_in("high@example.org", profile=scored),
    )
    ShortlistEntry.objects.create(user=user_of(low), program=programs["not_met"])
    # Even when two people's data happen to be at the same version.
    for client in (low, high):
        cache.set(kept.version_key(user_of(client).pk), 1, timeout=None)
    for _ in range(2):
        mine = visible_text(low.get(MATCHES))
        assert RULED_OUT in mine and saved_mark(programs["not_met"]) in mine
        theirs = visible_text(high.get(MATCHES))
        assert NONE_RULED_OUT in theirs and saved_mark(programs["not_met"]) not in theirs


def test_a_program_saved_shows_saved_on_the_next_visit(img, programs):
    applicant = signed_in("img@example.org", profile=img)
    assert saved_mark(programs["met"]) not in visible_text(applicant.get(MATCHES))
    save = reverse("applicants:shortlist_save", args=[programs["met"].acgme_id])
    applicant.post(save, headers={"HX-Request": "true"})
    assert saved_mark(programs["met"]) in visible_text(applicant.get(MATCHES))
    ShortlistEntry.objects.filter(user=user_of(applicant)).delete()
    assert saved_mark(programs["met"]) not in visible_text(applicant.get(MATCHES))


def test_a_profile_changed_shows_on_the_next_visit(img, programs, internal_medicine):
    other = ProgramFactory(name="Generated Boston FM", step2_policy="none")
    applicant = signed_in("img@example.org", profile=img)
    assert RULED_OUT in visible_text(applicant.get(MATCHES))
    profile = Profile.objects.get(user=user_of(applicant))
    profile.step2_score = 250
    profile.save()
    assert NONE_RULED_OUT in visible_text(applicant.get(MATCHES))
    profile.specialties.add(other.specialty)
    assert "Generated Boston FM" in visible_text(applicant.get(MATCHES))


def test_a_directory_change_shows_on_the_next_visit(img, programs):
    applicant = signed_in("img@example.org", profile=img)
    applicant.get(MATCHES)
    programs["met"].name = "Generated Houston IM, renamed"
    programs["met"].save()
    assert "Generated Houston IM, renamed" in visible_text(applicant.get(MATCHES))


def test_a_message_waiting_is_shown_rather_than_the_kept_page(img, programs):
    applicant = signed_in("img@example.org", profile=img)
    applicant.get(MATCHES)
    save = reverse("applicants:shortlist_save", args=[programs["met"].acgme_id])
    response = applicant.post(save, {"next": MATCHES}, follow=True)
    assert "Saved Generated Houston IM to your shortlist." in visible_text(response)
    assert "Saved Generated Houston IM to your shortlist." not in visible_text(
        applicant.get(MATCHES)
    )


def test_a_profile_kept_in_the_session_of_an_account_without_one_is_never_kept(img, programs):
    applicant = signed_in("no-profile@example.org", profile=None)
    session = applicant.session
    session[services.SESSION_KEY] = img.to_data()
    session.save()
    assert RULED_OUT in visible_text(applicant.get(MATCHES))
    session[services.SESSION_KEY] = dataclasses.replace(img, step2_score=250).to_data()
    session.save()
    assert NONE_RULED_OUT in visible_text(applicant.get(MATCHES))


def test_each_answer_carries_the_readers_own_csrf_token_and_it_passes_the_check(img, programs):
    applicant = signed_in("img@example.org", profile=img)
    seen = set()
    for _ in range(3):
        tokens = csrf_tokens(applicant.get(MATCHES).content.decode())
        assert len(tokens) == 1 and not tokens & seen
        seen |= tokens
    checked = Client(enforce_csrf_checks=True)
    checked.cookies = applicant.cookies
    save = reverse("applicants:shortlist_save", args=[programs["met"].acgme_id])
    response = checked.post(save, {"csrfmiddlewaretoken": tokens.pop(), "next": MATCHES})
    assert response.status_code == 302


def test_an_htmx_request_gets_the_results_not_the_kept_page(img, programs):
    applicant = signed_in("img@example.org", profile=img)
    applicant.get(MATCHES)
    response = applicant.get(MATCHES, headers={"HX-Request": "true", "HX-Target": "results"})
    assert b"<html" not in response.content and b'id="results"' in response.content


def test_the_kept_page_is_never_kept_by_a_browser(img, programs):
    applicant = signed_in("img@example.org", profile=img)
    applicant.get(MATCHES)
    assert "no-store" in applicant.get(MATCHES)["Cache-Control"]


def test_a_program_saved_does_not_summarize_the_same_answers_again(img, programs):
    applicant = signed_in("img@example.org", profile=img)
    applicant.get(MATCHES)
    ShortlistEntry.objects.create(user=user_of(applicant), program=programs["met"])
    with mock.patch("applicants.matching.summarize", wraps=matching.summarize) as summarize:
        page = visible_text(applicant.get(MATCHES))
    assert saved_mark(programs["met"]) in page and RULED_OUT in page
    assert not summarize.called
