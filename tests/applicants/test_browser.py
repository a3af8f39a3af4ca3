"""A new applicant, in a real Chromium: fills the profile, sees their matches with reasons,
signs up and keeps them, filters by verdict and exports; then shortlists programs, compares
three, sees what applying costs and subscribes to their calendar."""

import datetime
import re

import pytest
from django.core import mail

from applicants import services
from programs.choices import MatchKind
from programs.models import Season, SpecialtyApplicationService
from tests.factories import (
    ProgramFactory,
    SpecialtyFactory,
    SpecialtyMatchFactory,
    season_event,
)
from tests.pages import IN_A_BROWSER, look

pytestmark = IN_A_BROWSER


@pytest.mark.django_db(transaction=True)
def test_profile_matches_sign_up_and_export(page, live_server):
    medicine = SpecialtyFactory(name="Generated Internal Medicine", slug="generated-im")
    ProgramFactory(
        name="Generated Houston IM",
        specialty=medicine,
        state="TX",
        step2_policy="hard",
        step2_minimum=240,
    )
    ProgramFactory(name="Generated Bronx IM", specialty=medicine, state="NY")

    page.goto(f"{live_server.url}/me/profile/")
    page.check("text=IMG who is not a US citizen or permanent resident")
    page.fill("#id_graduation_year", "2020")
    page.fill("#id_step2_score", "235")
    page.check("text=H-1B (sponsored by the program)")
    page.check("text=Generated Internal Medicine")
    look(page, "applicant-01-profile")
    page.click("text=Save and see my matches")

    page.wait_for_selector("h1:has-text('Your matches')")
    look(page, "applicant-02-matches-as-a-visitor")
    counts = page.locator(".verdict-counts").inner_text()
    assert "1 not eligible" in counts and "1 possibly eligible" in counts
    houston = page.locator(".program-row", has_text="Generated Houston IM")
    assert "you have 235" in houston.inner_text()

    page.click("text=Create an account")
    page.fill("#id_email", "new@example.org")
    page.fill("#id_password1", "long-enough-phrase-7")
    page.fill("#id_password2", "long-enough-phrase-7")
    look(page, "applicant-03-sign-up")
    page.click("button:has-text('Create account')")
    page.wait_for_selector("h1:has-text('Check your email')")
    link = re.search(r"https?://[^/\s]+(/accounts/signup/\S+/)", mail.outbox[-1].body)[1]
    page.goto(f"{live_server.url}{link}")
    page.wait_for_selector("h1:has-text('Your matches')")
    assert "1 not eligible" in page.locator(".verdict-counts").inner_text()

    page.click(".verdict-counts a.verdict-no")
    page.wait_for_url(re.compile("verdict=not_eligible$"))
    page.wait_for_selector(".program-row:has-text('Generated Houston IM')")
    assert page.locator(".program-row", has_text="Generated Bronx IM").count() == 0
    look(page, "applicant-04-not-eligible-with-reasons")

    with page.expect_download() as download:
        page.click("text=Download this program")
    assert download.value.suggested_filename.startswith("my-matches-")


@pytest.mark.django_db(transaction=True)
def test_shortlist_compare_costs_and_calendar(page, live_server, shipped_fees):
    medicine = SpecialtyFactory(name="Generated Internal Medicine", slug="generated-im")
    surgery = SpecialtyFactory(name="Generated Surgery", slug="generated-surgery")
    for specialty in (medicine, surgery):
        SpecialtyApplicationService.objects.create(
            specialty=specialty, service="eras", first_match_year=2025, source_label="Generated"
        )
        SpecialtyMatchFactory(specialty=specialty)
    season = Season.objects.get(match_year=2027)
    match_day = season_event(season, "match_day", datetime.date(2027, 3, 19))
    season_event(season, "match_day", None, owner=MatchKind.AUA)
    ProgramFactory.create_batch(6, specialty=medicine, state="TX", sponsors_h1b="yes")
    ProgramFactory.create_batch(2, specialty=medicine, state="TX", sponsors_h1b="no")
    ProgramFactory.create_batch(4, specialty=surgery, state="TX", sponsors_h1b="yes")
    services.create_account(email="plan@example.org", password="long-enough-phrase-7")

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "plan@example.org")
    page.fill("#id_password", "long-enough-phrase-7")
    page.click("button:has-text('Log in')")
    page.goto(f"{live_server.url}/me/profile/")
    page.check("text=IMG who is not a US citizen or permanent resident")
    page.fill("#id_graduation_year", "2020")
    page.fill("#id_step2_score", "235")
    page.check("text=H-1B (sponsored by the program)")
    page.check("text=Generated Internal Medicine")
    page.check("text=Generated Surgery")
    page.click("text=Save and see my matches")
    page.wait_for_selector("h1:has-text('Your matches')")

    # Save all twelve from the matches, in place (htmx).
    buttons = page.locator(".program-row .save-form button")
    assert buttons.count() == 12
    for index in range(12):
        page.locator(".program-row .save-form button").nth(index).click()
        page.wait_for_selector(f".program-row >> nth={index} >> .is-saved")
    page.goto(f"{live_server.url}/me/shortlist/")
    assert "12 programs saved" in page.locator(".lead").inner_text()
    look(page, "applicant-05-shortlist")

    for index in range(3):
        page.locator(".shortlist-entry input[form=compare-form]").nth(index).check()
    page.click("text=Compare the ticked programs")
    page.wait_for_selector("h1:has-text('Compare programs')")
    assert page.locator("table.compare thead th").count() == 3
    look(page, "applicant-06-compare")

    page.goto(f"{live_server.url}/me/costs/")
    total = page.locator("#total").inner_text()
    # ERAS: 8 × $11 and 4 × $11; transcript $80, ECFMG token $165, NRMP $70.
    assert total == "In all: $447"
    look(page, "applicant-07-costs")
    assert (
        "$22 of it pays for the 2 programs you are not eligible for"
        in page.locator(".cost-total").inner_text()
    )

    page.goto(f"{live_server.url}/me/calendar/")
    page.click("text=Make my calendar address")
    feed = page.input_value("#feed-url")
    look(page, "applicant-08-calendar")
    body = page.request.get(feed).text()
    assert body.startswith("BEGIN:VCALENDAR")
    assert f"SUMMARY:{match_day.label} (NRMP Main Match) (not yet confirmed)" in body
    assert "AUA" not in body
