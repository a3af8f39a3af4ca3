"""Accounts, the profile and the matches pages as a visitor and an applicant use them."""

import csv
import io
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from applicants import services
from applicants.models import Profile
from programs.models import ChartingOutcome
from programs.requirements import REQUIREMENTS
from tests.factories import ProgramFactory, SpecialtyFactory
from tests.pages import visible_text, without_csrf_token

pytestmark = pytest.mark.django_db

PASSWORD = "long-enough-phrase-7"


def sign_up(client, email="new@example.org", url=None):
    """Sign up, then follow the emailed link in the same browser."""
    client.post(
        url or reverse("applicants:signup"),
        {"email": email, "password1": PASSWORD, "password2": PASSWORD},
    )
    return client.get(emailed_link(email))


def emailed_link(email) -> str:
    body = [message for message in mail.outbox if message.to == [email]][-1].body
    return re.search(r"http://testserver(/accounts/signup/\S+/)", body)[1]


def log_in(client, email="applicant@example.org", password=PASSWORD):
    return client.post(reverse("applicants:login"), {"username": email, "password": password})


# Accounts ------------------------------------------------------------------------------


def test_signing_up_logs_in_and_asks_for_the_profile(client):
    response = sign_up(client)
    assert response.url == reverse("applicants:matches")
    response = client.get(response.url, follow=True)
    assert response.redirect_chain == [(reverse("applicants:profile"), 302)]
    assert "Tell us about yourself first" in visible_text(response)


def test_signing_up_from_a_login_asked_for_comes_back_to_the_page_asked_for(client):
    going_to = "/represent/find/"
    login_page = client.get(reverse("applicants:login"), {"next": going_to})
    link = f"{reverse('applicants:signup')}?next=/represent/find/"
    assert f'href="{link}"' in login_page.content.decode()
    signup_page = client.get(link)
    assert f'name="next" value="{going_to}"' in signup_page.content.decode()
    assert sign_up(client, url=link).url == going_to


@pytest.mark.parametrize("elsewhere", ["https://example.com/", "//example.com/x", "javascript:x"])
def test_signing_up_never_sends_anyone_off_the_site(client, elsewhere):
    response = sign_up(client, url=f"{reverse('applicants:signup')}?next={elsewhere}")
    assert response.url == reverse("applicants:matches")


def test_sign_up_answers_the_same_whether_or_not_an_account_has_the_email(
    client, django_user_model, applicant_user, mailoutbox
):
    def answer(email):
        response = Client().post(
            reverse("applicants:signup"),
            {"email": email, "password1": "another-phrase-9", "password2": "another-phrase-9"},
        )
        return response.status_code, sorted(response.cookies), without_csrf_token(response)

    assert answer("applicant@example.org") == answer("new@example.org")
    taken, new = mailoutbox
    assert taken.to == ["applicant@example.org"] and "already an account" in taken.body
    assert "/accounts/signup/" not in taken.body
    assert new.to == ["new@example.org"] and "/accounts/signup/" in new.body
    # Nothing about the existing account changed, and nothing is created before the link.
    assert django_user_model.objects.get(pk=applicant_user.pk).check_password(PASSWORD)
    assert not django_user_model.objects.filter(email="new@example.org").exists()


def test_a_sign_up_link_finishes_only_in_the_browser_that_signed_up_and_only_once(
    client, django_user_model, mailoutbox
):
    client.post(
        reverse("applicants:signup"),
        {"email": "new@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    link = emailed_link("new@example.org")
    elsewhere = Client().get(link)
    assert elsewhere.status_code == 400
    assert "begun in another browser" in visible_text(elsewhere)
    guessed = reverse("applicants:signup_finish", args=["a-guessed-token"])
    assert client.get(guessed).status_code == 400
    assert not django_user_model.objects.filter(email="new@example.org").exists()
    assert client.get(link).url == reverse("applicants:matches")
    assert django_user_model.objects.get(email="new@example.org").check_password(PASSWORD)
    client.post(reverse("applicants:logout"))
    assert client.get(link).status_code == 400


def test_logging_in_lands_on_the_matches_whatever_the_case_of_the_email(
    client, applicant_user, answers
):
    response = log_in(client, email="  APPLICANT@example.org ")
    assert response.status_code == 302 and response.url == reverse("applicants:matches")
    client.post(reverse("applicants:profile"), answers)
    assert client.get(reverse("applicants:matches")).status_code == 200


def test_a_wrong_password_says_so_and_keeps_the_email(client, applicant_user):
    response = log_in(client, password="wrong-password")
    assert response.status_code == 200
    assert "No account has that email and password." in visible_text(response)
    assert 'value="applicant@example.org"' in response.content.decode()


def test_log_out_is_a_post_and_returns_home(client, applicant_user):
    client.force_login(applicant_user)
    # Opening the address logs no one out (a link or a prefetch must not).
    client.get(reverse("applicants:logout"))
    assert client.get(reverse("applicants:account")).status_code == 200
    response = client.post(reverse("applicants:logout"))
    assert response.url == reverse("programs:home")
    assert client.get(reverse("applicants:account")).status_code == 302


def test_password_reset_mails_a_link_that_sets_a_new_password(client, applicant_user, mailoutbox):
    client.post(reverse("applicants:password_reset"), {"email": "applicant@example.org"})
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["applicant@example.org"]
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mailoutbox[0].body)
    assert "This link works once" in client.get(link[1]).content.decode()
    response = client.post(link[1], follow=True)
    new = "a-brand-new-phrase-3"
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert response.url == reverse("applicants:password_reset_complete")
    assert log_in(client, password=new).url == reverse("applicants:matches")


def test_password_reset_for_an_unknown_email_says_the_same_and_sends_nothing(client, mailoutbox):
    response = client.post(
        reverse("applicants:password_reset"), {"email": "nobody@example.org"}, follow=True
    )
    assert response.status_code == 200 and mailoutbox == []


def test_password_change(client, applicant_user):
    client.force_login(applicant_user)
    new = "a-brand-new-phrase-3"
    response = client.post(
        reverse("applicants:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.url == reverse("applicants:password_change_done")
    client.logout()
    assert log_in(client, password=new).status_code == 302


def test_deleting_the_account_deletes_the_profile(client, applicant_user, answers):
    client.force_login(applicant_user)
    client.post(reverse("applicants:profile"), answers)
    wrong = client.post(reverse("applicants:delete"), {"password": "not-it"})
    assert wrong.status_code == 200 and Profile.objects.filter(user=applicant_user).exists()
    response = client.post(reverse("applicants:delete"), {"password": PASSWORD})
    assert response.url == reverse("programs:home")
    assert not Profile.objects.exists()
    assert not type(applicant_user).objects.filter(pk=applicant_user.pk).exists()
    assert log_in(client).status_code == 200  # the account is gone


# Throttling ------------------------------------------------------------------------------


def test_logins_are_locked_out_after_repeated_failures_even_with_the_right_password(
    client, applicant_user, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, password="wrong-password")
    response = log_in(client)
    assert response.status_code == 429
    assert "logging in is paused for 1 hour" in visible_text(response)
    assert not client.get(reverse("applicants:account")).wsgi_request.user.is_authenticated


def test_the_lockout_holds_for_that_account_and_address_only(
    client, applicant_user, other_user, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, password="wrong-password")
    assert log_in(client, email="other@example.org").status_code == 302
    elsewhere = client.post(
        reverse("applicants:login"),
        {"username": "applicant@example.org", "password": PASSWORD},
        REMOTE_ADDR="203.0.113.9",
    )
    assert elsewhere.status_code == 302


def test_a_new_password_from_the_emailed_link_lifts_the_pause(
    client, applicant_user, settings, mailoutbox
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, password="wrong-password")
    assert log_in(client).status_code == 429
    client.post(reverse("applicants:password_reset"), {"email": "applicant@example.org"})
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mailoutbox[0].body)
    form = client.post(link[1], follow=True).redirect_chain[-1][0]
    new = "a-brand-new-phrase-3"
    client.post(form, {"new_password1": new, "new_password2": new})
    assert log_in(client, password=new).url == reverse("applicants:matches")


def test_the_admin_login_is_throttled_too(client, applicant_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("admin:login"), {"username": "applicant@example.org", "password": "wrong"}
        )
    response = client.post(
        reverse("admin:login"), {"username": "applicant@example.org", "password": PASSWORD}
    )
    assert response.status_code == 429


# The profile -----------------------------------------------------------------------------


def test_a_visitor_fills_the_profile_and_sees_matches_without_an_account(client, answers, programs):
    response = client.post(reverse("applicants:profile"), answers)
    assert response.url == reverse("applicants:matches")
    assert not Profile.objects.exists()
    text = visible_text(client.get(response.url))
    assert "3 programs in generated internal medicine in FL, NY, TX" in text
    assert "Generated Ohio IM" not in text


def test_a_bad_answer_keeps_every_other_answer(client, answers):
    response = client.post(reverse("applicants:profile"), {**answers, "step2_score": "400"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Step 2 CK scores run from 1 to 300." in html
    assert 'value="2020"' in html and 'value="400"' in html
    assert re.search(r'value="TX"[^>]*checked', html)


def test_missing_answers_say_what_to_choose_and_the_first_takes_the_focus(client, answers):
    response = client.post(
        reverse("applicants:profile"), {**answers, "applicant_type": "", "visa_needed": ""}
    )
    text = visible_text(response)
    assert "Choose what describes you." in text
    assert "Choose the visa you need" in text
    html = response.content.decode()
    assert re.search(r'name="applicant_type"[^>]*autofocus', html)
    assert not re.search(r'name="graduation_year"[^>]*autofocus', html)
    assert 'name="applicant_type" value=""' not in html  # no "choose one" radio button


def test_a_visitor_keeps_their_profile_on_signing_up(client, answers, programs):
    client.post(reverse("applicants:profile"), answers)
    sign_up(client)
    profile = Profile.objects.get(user__email="new@example.org")
    assert (profile.step2_score, profile.visa_needed, sorted(profile.states)) == (
        235,
        "h1b",
        ["FL", "NY", "TX"],
    )
    assert services.SESSION_KEY not in client.session
    assert client.get(reverse("applicants:matches")).status_code == 200


def test_logging_in_keeps_a_visitors_profile_unless_the_account_has_one(
    client, applicant_user, answers
):
    client.post(reverse("applicants:profile"), answers)
    log_in(client)
    assert Profile.objects.get(user=applicant_user).step2_score == 235

    client.post(reverse("applicants:logout"))
    client.post(reverse("applicants:profile"), {**answers, "step2_score": "250"})
    log_in(client)
    assert Profile.objects.get(user=applicant_user).step2_score == 235


def test_an_applicant_edits_their_profile(client, applicant_user, answers):
    client.force_login(applicant_user)
    client.post(reverse("applicants:profile"), answers)
    client.post(reverse("applicants:profile"), {**answers, "step2_score": "244"})
    assert Profile.objects.get(user=applicant_user).step2_score == 244
    html = client.get(reverse("applicants:profile")).content.decode()
    assert 'value="244"' in html


# Matches -------------------------------------------------------------------------------


def test_matches_count_each_verdict_and_give_reasons_with_both_values(client, answers, programs):
    client.post(reverse("applicants:profile"), answers)
    text = visible_text(client.get(reverse("applicants:matches")))
    assert "1 eligible" in text and "1 possibly eligible" in text and "1 not eligible" in text
    assert "240, a hard cutoff" in text and "you have 235" in text
    assert "Why “possibly eligible”: often unknown: Accepts IMGs (2 programs)" in text


def test_matches_list_eligible_programs_first_unless_sorted_otherwise(client, answers, programs):
    client.post(reverse("applicants:profile"), answers)
    text = visible_text(client.get(reverse("applicants:matches")))
    # Alphabetically Bronx, Houston, Miami; by verdict Houston, Bronx, Miami.
    assert text.index("Generated Houston IM") < text.index("Generated Bronx IM")
    assert text.index("Generated Bronx IM") < text.index("Generated Miami IM")
    by_name = visible_text(client.get(reverse("applicants:matches"), {"sort": "name"}))
    assert by_name.index("Generated Bronx IM") < by_name.index("Generated Houston IM")


def test_filters_that_empty_the_matches_name_the_profiles_limits(client, answers, programs):
    client.post(reverse("applicants:profile"), answers)
    text = visible_text(client.get(reverse("applicants:matches"), {"state": "CA"}))
    assert "Your matches are only programs of your profile" in text
    assert "states (FL, NY, TX)" in text


def test_matches_filter_by_verdict_and_keep_the_directory_filters(client, answers, programs):
    client.post(reverse("applicants:profile"), answers)
    text = visible_text(client.get(reverse("applicants:matches"), {"verdict": "not_eligible"}))
    assert "Generated Miami IM" in text and "Generated Houston IM" not in text
    text = visible_text(client.get(reverse("applicants:matches"), {"q": "Bronx"}))
    assert "Generated Bronx IM" in text and "Generated Miami IM" not in text
    bad = client.get(reverse("applicants:matches"), {"verdict": "maybe", "page": "x"})
    assert bad.status_code == 200


def test_matches_say_what_a_higher_score_would_open(client, answers, programs):
    client.post(reverse("applicants:profile"), answers)
    text = visible_text(client.get(reverse("applicants:matches")))
    assert (
        "With a Step 2 CK score of 240: would open 1 of the programs you are not eligible for now"
    ) in text
    assert "score of 245" not in text  # a bigger step that opens nothing more


def test_where_you_stand_uses_the_applicants_own_group(
    client, answers, programs, internal_medicine
):
    ChartingOutcome.objects.create(
        specialty=internal_medicine,
        nrmp_specialty="Internal Medicine",
        year=2026,
        applicant_group="non_us_img",
        matched=3392,
        not_matched=3600,
        step2_q1=240,
        step2_median=251,
        step2_q3=259,
        step2_not_matched_median=243,
        match_rate="48.5",
        source_label="NRMP, Charting Outcomes (generated test figures)",
    )
    client.post(reverse("applicants:profile"), answers)
    text = visible_text(client.get(reverse("applicants:matches")))
    assert "Your 235 is below the lower quartile (240) of non-US IMGs who matched" in text
    assert "Match rate of non-US IMGs 48.5% (3,392 of 6,992)" in text

    client.post(
        reverse("applicants:profile"),
        {**answers, "applicant_type": "us_do", "visa_needed": "none"},
    )
    text = visible_text(client.get(reverse("applicants:matches")))
    assert (
        "NRMP's Charting Outcomes also describe US DO seniors, with the scores of those who "
        "matched generated internal medicine, but this site does not hold those figures yet"
    ) in text
    assert "nothing is published" not in text

    client.post(
        reverse("applicants:profile"),
        {**answers, "applicant_type": "us_img", "visa_needed": "none"},
    )
    text = visible_text(client.get(reverse("applicants:matches")))
    assert (
        "also describe IMGs who are US citizens or permanent residents, with the scores"
    ) in text


def test_the_export_has_the_verdict_and_each_requirement(client, answers, programs):
    client.post(reverse("applicants:profile"), answers)
    response = client.get(reverse("applicants:matches_export"), {"verdict": "not_eligible"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["Program"] for r in rows] == ["Generated Miami IM"]
    assert rows[0]["Verdict"] == "Not eligible"
    assert rows[0]["Step 2 CK minimum"] == "not met"
    assert rows[0]["Accepts IMGs"] == "unknown"
    assert rows[0]["COMLEX Level 2 minimum"] == "does not apply to you"
    assert rows[0]["Oldest facts"] == "not dated"  # generated programs carry no dates
    assert rows[0]["Page"].startswith("http://testserver/programs/")


def test_the_program_page_shows_a_visitor_with_a_profile_their_verdict(client, answers, programs):
    client.post(reverse("applicants:profile"), answers)
    text = visible_text(client.get(programs["not"].get_absolute_url()))
    assert "Not eligible" in text and "you have 235" in text
    html = client.get(programs["possibly"].get_absolute_url()).content.decode()
    assert '<details class="reasons-all" open>' in html
    assert "Unknown or in doubt for now: Accepts IMGs, Visa" in visible_text(
        client.get(programs["possibly"].get_absolute_url())
    )


def test_matches_read_the_same_number_of_queries_for_few_or_many_programs(
    client, answers, internal_medicine, django_assert_max_num_queries
):
    client.post(reverse("applicants:profile"), answers)
    hard = {"step2_policy": "hard", "step2_minimum": 240}
    ProgramFactory(specialty=internal_medicine, state="TX", **hard)
    ProgramFactory.create_batch(2, specialty=internal_medicine, state="TX")
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("applicants:matches"))
    ProgramFactory.create_batch(20, specialty=internal_medicine, state="TX", **hard)
    ProgramFactory.create_batch(20, specialty=internal_medicine, state="NY", sponsors_h1b="yes")
    with django_assert_max_num_queries(40) as many:
        client.get(reverse("applicants:matches"))
    assert len(many.captured_queries) == len(few.captured_queries)


# Privacy ---------------------------------------------------------------------------------


PERSONAL = ["account", "profile", "matches", "matches_export", "delete"]


@pytest.mark.parametrize("name", ["account", "delete"])
def test_a_visitor_gets_the_login_page_for_the_account(client, name):
    response = client.get(reverse(f"applicants:{name}"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("applicants:login"))


@pytest.mark.parametrize("name", ["matches", "matches_export"])
def test_a_visitor_without_a_profile_is_asked_for_one_not_for_an_account(client, name):
    response = client.get(reverse(f"applicants:{name}"))
    assert response.status_code == 302 and response.url == reverse("applicants:profile")


def test_one_applicant_never_sees_anothers_profile_or_matches(
    client, applicant_user, other_user, answers, programs
):
    client.force_login(applicant_user)
    client.post(reverse("applicants:profile"), {**answers, "step2_score": "251"})
    client.force_login(other_user)
    html = client.get(reverse("applicants:profile")).content.decode()
    assert 'value="251"' not in html
    assert client.get(reverse("applicants:matches")).url == reverse("applicants:profile")

    # A visitor's session profile is not carried to someone else's browser either.
    other_browser = type(client)()
    assert other_browser.get(reverse("applicants:matches")).status_code == 302


@pytest.mark.parametrize("name", PERSONAL)
def test_personal_pages_are_never_cached(client, applicant_user, answers, name):
    client.force_login(applicant_user)
    client.post(reverse("applicants:profile"), answers)
    response = client.get(reverse(f"applicants:{name}"))
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_nothing_personal_goes_in_the_address(client, answers, programs):
    response = client.post(reverse("applicants:profile"), answers)
    assert response.url == reverse("applicants:matches")
    assert "235" not in response.url and "h1b" not in response.url


def test_a_directory_page_shown_with_a_verdict_is_not_shared_by_caches(client, answers, programs):
    client.post(reverse("applicants:profile"), answers)
    response = client.get(programs["not"].get_absolute_url())
    assert "no-store" in response.get("Cache-Control", "") or "Cookie" in response.get("Vary", "")


def test_the_profile_asks_for_every_specialty_by_name(client):
    SpecialtyFactory(name="Generated Dermatology", slug="generated-dermatology")
    assert "Generated Dermatology" in visible_text(client.get(reverse("applicants:profile")))


def test_every_requirement_asked_of_an_applicant_is_a_column_of_the_export(
    client, answers, programs
):
    client.post(reverse("applicants:profile"), answers)
    response = client.get(reverse("applicants:matches_export"))
    content = b"".join(response.streaming_content).decode()
    header = next(csv.reader(io.StringIO(content)))
    names = [r.name for r in REQUIREMENTS]
    assert header[6 : 6 + len(names)] == names
    rows = list(csv.DictReader(io.StringIO(content)))
    assert rows
    for requirement in REQUIREMENTS:
        words = set(requirement.words.values()) | {"not checked for you"}
        assert {row[requirement.name] for row in rows} <= words


def test_the_logout_address_opened_in_a_browser_asks_before_logging_out(client, applicant_user):
    client.force_login(applicant_user)
    asked = client.get(reverse("applicants:logout"))
    assert asked.status_code == 200 and "Log out" in visible_text(asked)
    client.post(reverse("applicants:logout"))
    gone = client.get(reverse("applicants:logout"))
    assert gone.status_code == 200 and "You are not logged in" in visible_text(gone)
