"""A reader searches, filters and opens a program in a real Chromium."""

import pytest

from tests.factories import ProgramFactory, SpecialtyFactory
from tests.pages import IN_A_BROWSER

pytestmark = IN_A_BROWSER


@pytest.mark.django_db(transaction=True)
def test_search_filter_and_open_a_program(page, live_server):
    surgery = SpecialtyFactory(name="Generated Surgery", slug="generated-surgery")
    ProgramFactory(
        name="Generated Lakeside Program", specialty=surgery, sponsors_h1b="yes", accepts_imgs="yes"
    )
    ProgramFactory(name="Generated Lakeside North Program", specialty=surgery)
    ProgramFactory(name="Generated Hilltop Program")

    page.goto(f"{live_server.url}/programs/")
    assert page.locator(".results-count").inner_text().startswith("3 programs")

    page.fill("#id_q", "Lakeside")
    page.wait_for_function("document.querySelector('.results-count').innerText.startsWith('2')")
    assert "q=Lakeside" in page.url  # htmx keeps the address bar in step

    page.check("text=Sponsors H-1B")
    page.wait_for_function("document.querySelector('.results-count').innerText.startsWith('1 ')")
    assert "visa=h1b" in page.url
    assert page.locator(".chip", has_text="Sponsors H-1B").is_visible()

    page.click("text=Generated Lakeside Program")
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == "Generated Lakeside Program"
    assert page.locator("#report-heading").is_visible()

    page.go_back()
    page.wait_for_selector(".results-count")
    assert page.locator(".results-count").inner_text().startswith("1 ")
