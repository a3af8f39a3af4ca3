"""In a real Chromium, with htmx: a change the server refuses shows its message in place and
keeps what was typed, as it does without JavaScript."""

import pytest

from applicants import services
from tests.factories import ProgramFactory
from tests.pages import IN_A_BROWSER, look

pytestmark = IN_A_BROWSER

PASSWORD = "long-enough-phrase-7"


@pytest.mark.django_db(transaction=True)
def test_notes_refused_in_place_say_why_and_keep_the_text(page, live_server):
    user = services.create_account(email="notes@example.org", password=PASSWORD)
    program = ProgramFactory(name="Generated Lakeside IM")
    entry = services.save_to_shortlist(user=user, program=program)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "notes@example.org")
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Log in')")
    page.goto(f"{live_server.url}/me/shortlist/")

    notes = page.locator(f"#id_entry-{entry.pk}-notes")
    # Past the form's limit of 4,000 characters, which the textarea itself would stop.
    notes.evaluate(
        "(area, text) => { area.removeAttribute('maxlength'); area.value = text; }",
        "Generated note. " * 300,
    )
    with page.expect_response(lambda response: "/me/shortlist/" in response.url) as answer:
        page.click(f"#entry-{entry.pk} button:has-text('Save changes')")
    assert answer.value.status == 400
    message = page.locator(f"#entry-{entry.pk} .message-error")
    message.wait_for()
    assert "Your changes were not saved" in message.inner_text()
    assert page.locator(f"#id_entry-{entry.pk}-notes").input_value().startswith("Generated note.")
    look(page, "shortlist-notes-refused-in-place")
