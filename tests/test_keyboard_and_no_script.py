"""The filter form, the report form and the shortlist used with the keyboard alone; the list
on a phone without JavaScript; and every aria-describedby naming help that is on the page."""

import re

import pytest
from playwright.sync_api import expect

from applicants import services
from applicants.models import ShortlistEntry
from programs.models import OutdatedReport
from tests.factories import ProgramFactory, SpecialtyFactory
from tests.pages import CHROMIUM, IN_A_BROWSER, SCREENSHOTS


def in_a_browser(test):
    for mark in [*IN_A_BROWSER, pytest.mark.django_db(transaction=True)]:
        test = mark(test)
    return test


def tab_to(page, selector: str, *, limit: int = 150, key: str = "Tab") -> None:
    """Press Tab until ``selector`` has the focus, as a keyboard user would; fail when it
    is not reached."""
    target = page.locator(selector)
    for _ in range(limit):
        page.keyboard.press(key)
        if target.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"{selector} was not reached with {key} in {limit} presses")


@pytest.fixture
def programs():
    surgery = SpecialtyFactory(name="Generated Surgery", slug="generated-surgery")
    made = ProgramFactory.create_batch(
        3, name="Generated Keyboard Program", specialty=surgery, state="TX", sponsors_h1b="yes"
    )
    ProgramFactory.create_batch(2, name="Generated Other Program", state="NY")
    return made


@in_a_browser
def test_the_filter_form_with_the_keyboard_alone(page, live_server, programs):
    page.goto(f"{live_server.url}/programs/")
    tab_to(page, "#id_q")
    page.keyboard.type("Keyboard")
    expect(page.locator(".results-count")).to_have_text(re.compile(r"^\s*3 programs"))
    tab_to(page, "input[name=visa][value=h1b]")
    page.keyboard.press("Space")
    page.wait_for_url(re.compile("visa=h1b"))
    expect(page.locator(".results-count")).to_have_text(re.compile(r"^\s*3 programs"))
    # A chip removes its filter from the keyboard, and the focus goes to the results.
    tab_to(page, ".chip:has-text('Sponsors H-1B')")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "visa=" not in url)
    expect(page.locator("#results-heading")).to_be_focused()


@in_a_browser
def test_the_report_form_with_the_keyboard_alone(page, live_server, programs):
    page.goto(f"{live_server.url}{programs[0].get_absolute_url()}")
    tab_to(page, "#report textarea")
    page.keyboard.type("Generated: the deadline here is last year's.")
    tab_to(page, "#report button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("#report-sent")).to_be_focused()
    assert OutdatedReport.objects.count() == 1


@in_a_browser
def test_the_shortlist_with_the_keyboard_alone(page, live_server, programs):
    services.create_account(email="keys@generated.invalid", password="long-enough-phrase-7")
    page.goto(f"{live_server.url}/accounts/login/")
    tab_to(page, "#id_username")
    page.keyboard.type("keys@generated.invalid")
    page.keyboard.press("Tab")
    page.keyboard.type("long-enough-phrase-7")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile("/me/"))
    page.goto(f"{live_server.url}/programs/?q=Keyboard")
    first_save = ".program-row >> nth=0 >> .save-form button"
    tab_to(page, first_save)
    page.keyboard.press("Enter")
    saved = page.locator(".program-row").first.locator(".is-saved")
    expect(saved).to_be_visible()
    # The focus stays on the control that replaced the one pressed.
    expect(page.locator(".program-row").first.locator(":focus")).to_have_count(1)
    page.goto(f"{live_server.url}/me/shortlist/")
    tab_to(page, ".shortlist-entry .entry-form select")
    page.keyboard.press("ArrowDown")
    tab_to(page, ".shortlist-entry button:has-text('Save changes')")
    page.keyboard.press("Enter")
    expect(page.locator(".shortlist-entry").first).to_contain_text("Saved.")
    assert ShortlistEntry.objects.get().status == "applying"
    # A signal is given the same way, and the focus stays in the block that replaced it.
    tab_to(page, ".shortlist-entry .signal-form select")
    page.keyboard.press("ArrowDown")
    tab_to(page, ".shortlist-entry button:has-text('Save signal')")
    page.keyboard.press("Enter")
    expect(page.locator(".entry-signal")).to_contain_text("Signal saved.")
    expect(page.locator(".entry-signal :focus")).to_have_count(1)
    assert ShortlistEntry.objects.get().signal == "signal"


@in_a_browser
def test_a_phone_without_javascript_reaches_the_results_and_nothing_overflows(
    live_server, programs
):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
        )
        page = browser.new_context(
            java_script_enabled=False, viewport={"width": 390, "height": 844}
        ).new_page()
        for path in [
            "/programs/",
            "/programs/?q=Keyboard&state=TX",
            programs[0].get_absolute_url(),
        ]:
            page.goto(f"{live_server.url}{path}")
            widest = max(box["x"] + box["width"] for box in _boxes(page))
            assert widest <= 390 + 1, f"{path} is {widest:.0f} px wide on a 390 px phone"
        page.goto(f"{live_server.url}/programs/")
        skip = page.locator(".to-results a")
        expect(skip).to_be_visible()
        assert skip.bounding_box()["y"] < 844, "the link past the filters is on the first screen"
        skip.click()
        assert page.url.endswith("#results-heading")
        heading = page.locator("#results-heading").bounding_box()
        assert 0 <= heading["y"] < 844, "the results are on screen after the link"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "no-javascript-list-phone.png"), full_page=True)
        browser.close()


def _boxes(page):
    """Every element's box on the page, read without the page's own JavaScript."""
    boxes = []
    for element in page.locator("body *").all():
        if element.is_visible() and (box := element.bounding_box()):
            boxes.append(box)
    return boxes


@pytest.mark.django_db
def test_every_aria_describedby_names_help_on_the_page(client, programs):
    SpecialtyFactory()
    pages = [
        "/programs/",
        "/programs/?step2=abc",
        programs[0].get_absolute_url(),
        "/me/profile/",
        "/accounts/signup/",
        "/accounts/login/",
        "/accounts/password/reset/",
    ]
    for path in pages:
        html = client.get(path).content.decode()
        ids = set(re.findall(r'\sid="([^"]+)"', html))
        for described in re.findall(r'aria-describedby="([^"]+)"', html):
            missing = [name for name in described.split() if name not in ids]
            assert not missing, f"{path}: aria-describedby names {missing}, not on the page"
