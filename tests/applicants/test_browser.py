"""A new applicant, in a real Chromium: fills the profile, sees their matches with reasons,
signs up and keeps them, filters by verdict and exports."""

import pytest

from tests.factories import ProgramFactory, SpecialtyFactory
from tests.pages import IN_A_BROWSER

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
    page.select_option("#id_school_country", "IN")
    page.fill("#id_graduation_year", "2020")
    page.fill("#id_step2_score", "235")
    page.check("text=H-1B (sponsored by the program)")
    page.check("text=Generated Internal Medicine")
    page.click("text=Save and see my matches")

    page.wait_for_selector("h1:has-text('Your matches')")
    counts = page.locator(".verdict-counts").inner_text()
    assert "1 not eligible" in counts and "1 possibly eligible" in counts
    houston = page.locator(".program-row", has_text="Generated Houston IM")
    assert "you have 235" in houston.inner_text()

    page.click("text=Create an account")
    page.fill("#id_email", "new@example.org")
    page.fill("#id_password1", "long-enough-phrase-7")
    page.fill("#id_password2", "long-enough-phrase-7")
    page.click("button:has-text('Create account')")
    page.wait_for_selector("h1:has-text('Your matches')")
    assert "1 not eligible" in page.locator(".verdict-counts").inner_text()

    page.click(".verdict-counts >> text=not eligible")
    page.wait_for_function("location.search.includes('verdict=not_eligible')")
    page.wait_for_selector(".program-row:has-text('Generated Houston IM')")
    assert page.locator(".program-row", has_text="Generated Bronx IM").count() == 0

    with page.expect_download() as download:
        page.click("text=Download this program")
    assert download.value.suggested_filename.startswith("my-matches-")
