"""In a real Chromium: unsaving a program that holds a status and notes asks first, in place
with htmx and on a page of its own without JavaScript, and keeping it loses nothing; a
visitor prices emergency medicine programs through ResidencyCAS with the fees paid once a
season, and the cost tables fit a phone."""

import pytest

from applicants import services
from applicants.models import ShortlistEntry
from programs.models import Specialty, SpecialtyApplicationService
from tests.factories import ProgramFactory, SpecialtyFactory
from tests.pages import IN_A_BROWSER, SCREENSHOTS, WIDTHS, look

pytestmark = [*IN_A_BROWSER, pytest.mark.django_db(transaction=True)]

PASSWORD = "long-enough-phrase-7"


def log_in(page, url, email):
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Log in')")
    page.wait_for_selector("text=Log out")


def shoot(page, name):
    """Screenshots at each width of a page without JavaScript, where axe-core cannot run."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width, size in WIDTHS.items():
        page.set_viewport_size({"width": size[0], "height": size[1]})
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": WIDTHS["desktop"][0], "height": WIDTHS["desktop"][1]})


def assert_the_cost_tables_fit_a_phone(page):
    """On a phone every cell of the cost tables is on screen, "not confirmed" included."""
    width = WIDTHS["phone"][0]
    page.set_viewport_size({"width": width, "height": WIDTHS["phone"][1]})
    cells = page.locator(".costs th, .costs td, .costs .badge")
    assert cells.count() > 6
    for index in range(cells.count()):
        box = cells.nth(index).bounding_box()
        if box is not None and box["width"] > 1:
            inside = box["x"] >= 0 and box["x"] + box["width"] <= width + 1
            assert inside, cells.nth(index).inner_text()
    assert page.locator(".costs .badge-projected").first.is_visible()
    page.set_viewport_size({"width": WIDTHS["desktop"][0], "height": WIDTHS["desktop"][1]})


def kept(user, program):
    entry = ShortlistEntry.objects.filter(user=user, program=program).first()
    return entry and (entry.status, entry.notes)


def test_unsaving_an_applied_program_with_notes_asks_first(page, live_server, shipped_fees):
    medicine = SpecialtyFactory(name="Generated Internal Medicine", slug="generated-im")
    program = ProgramFactory(name="Generated Houston IM", specialty=medicine, state="TX")
    user = services.create_account(email="notes@example.org", password=PASSWORD)
    entry = services.save_to_shortlist(user=user, program=program)
    services.update_entry(entry=entry, status="applied", notes="Emailed the coordinator")
    written = ("applied", "Emailed the coordinator")

    # With htmx: the question takes the button's place; keeping it changes nothing.
    log_in(page, live_server.url, "notes@example.org")
    page.goto(f"{live_server.url}{program.get_absolute_url()}")
    page.click(".save-form button.is-saved")
    question = page.locator(".unsave-question")
    question.wait_for()
    assert "Marked Applied, with your notes. Remove it and lose both?" in question.inner_text()
    assert page.url.endswith(program.get_absolute_url())
    look(page, "notes-01-asked-in-place")
    assert kept(user, program) == written
    question.locator("button:has-text('Keep it')").click()
    page.wait_for_selector(".save-form button.is-saved")
    assert kept(user, program) == written

    # The shortlist's cost table, six columns wide on a desktop, fits a phone.
    page.goto(f"{live_server.url}/me/costs/")
    assert_the_cost_tables_fit_a_phone(page)
    look(page, "notes-03-shortlist-costs")

    # Without JavaScript: a page asks, and "Keep it" goes back with nothing lost.
    context = page.context.browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    plain = context.new_page()
    log_in(plain, live_server.url, "notes@example.org")
    plain.goto(f"{live_server.url}/programs/")
    plain.click(".save-form button.is-saved")
    plain.wait_for_selector("h1:has-text('Remove Generated Houston IM and what you wrote?')")
    text = plain.locator("main").inner_text()
    assert "its status, Applied" in text and "Emailed the coordinator" in text
    shoot(plain, "notes-02-asked-without-javascript")
    assert kept(user, program) == written
    plain.click("text=Keep it")
    plain.wait_for_selector(".save-form button.is-saved")
    assert kept(user, program) == written

    # Saying yes removes it, with what was written.
    plain.click(".save-form button.is-saved")
    plain.click("button:has-text('Remove it and what I wrote')")
    plain.wait_for_selector(
        "text=Removed Generated Houston IM from your shortlist, with what you wrote on it"
    )
    assert kept(user, program) is None
    context.close()

    # With htmx, saying yes in place swaps back to "Save".
    entry = services.save_to_shortlist(user=user, program=program)
    services.update_entry(entry=entry, status="applied", notes="Second try")
    page.goto(f"{live_server.url}{program.get_absolute_url()}")
    page.click(".save-form button.is-saved")
    page.click(".unsave-question button:has-text('Remove')")
    page.wait_for_selector(".save-form button[aria-pressed=false]")
    assert kept(user, program) is None


def test_a_visitor_prices_twelve_emergency_medicine_programs(page, live_server, shipped_fees):
    emergency = Specialty.objects.get(code="110")
    medicine = SpecialtyFactory(name="Generated Internal Medicine", slug="generated-im")
    SpecialtyApplicationService.objects.create(
        specialty=emergency, service="residencycas", first_match_year=2025, source_label="Test"
    )
    ProgramFactory(name="Generated Houston EM", specialty=emergency, state="TX")

    page.goto(f"{live_server.url}/")
    assert "No account needed for your profile" in page.locator(".home-account").inner_text()
    page.goto(f"{live_server.url}/me/profile/")
    page.check("text=IMG who is not a US citizen or permanent resident")
    page.fill("#id_graduation_year", "2020")
    page.fill("#id_step2_score", "235")
    page.check("text=H-1B (sponsored by the program)")
    page.check(f"text={medicine.name}")
    page.click("text=Save and see my matches")
    page.wait_for_selector("h1:has-text('Your matches')")

    page.goto(f"{live_server.url}/me/costs/")
    page.select_option("#id_specialty", label="Emergency medicine (generated)")
    page.fill("#id_programs", "12")
    page.click("button:has-text('Work it out')")
    answer = page.locator(".what-if-answer")
    answer.wait_for()
    text = answer.inner_text()
    assert "through ResidencyCAS: $99" in text
    assert "flat price ends at 18" in text and "30-program mark" not in text
    assert "ECFMG token for ERAS" not in text and "USMLE transcript" not in text
    assert "the fees ResidencyCAS charges for sending USMLE or COMLEX transcripts" in text
    assert "In all: $169: $99 to apply and $70 paid once a season." in text
    look(page, "costs-01-visitor-what-if")

    assert_the_cost_tables_fit_a_phone(page)
