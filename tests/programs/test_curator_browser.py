"""A curator in a real Chromium: logs in, corrects a visa fact, records a check against a
named source, sees it on the public page and in the program's history, reviews a reader's
report and tries an import with a bad row. Each screen is looked at on a desktop and a
phone (screenshots under var/screenshots/, axe-core finding nothing serious)."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from programs.models import OutdatedReport, Program
from tests.factories import ProgramFactory, SpecialtyFactory, csv_text, row
from tests.pages import IN_A_BROWSER, look

pytestmark = IN_A_BROWSER

PASSWORD = "generated-curator-password"


@pytest.mark.django_db(transaction=True)
def test_a_curator_corrects_checks_reviews_and_imports(page, live_server, curators_group):
    SpecialtyFactory(code="640", name="Generated Imports", slug="generated-imports")
    program = ProgramFactory(name="Generated Riverside Program", sponsors_h1b="unknown")
    OutdatedReport.objects.create(
        program=program, message="Generated: the program says it sponsors H-1B now."
    )
    curator = get_user_model().objects.create_user(
        "generated-curator", "curator@generated.invalid", PASSWORD, is_staff=True
    )
    curator.groups.add(curators_group)
    base = live_server.url

    page.goto(f"{base}/admin/")
    page.fill("#id_username", "generated-curator")
    page.fill("#id_password", PASSWORD)
    look(page, "curator-01-login")
    page.click("input[type=submit]")
    page.wait_for_selector("#content-main")
    look(page, "curator-02-admin-home")

    # The reader's report, reviewed.
    page.goto(f"{base}/admin/programs/outdatedreport/")
    expect(page.locator("h1")).to_contain_text("1 new")
    look(page, "curator-03-reports")
    page.locator("#result_list tbody th a").first.click()
    page.select_option("#id_status", "fixed")
    page.fill("#id_reviewer_note", "Generated: corrected from the program's website.")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("changed successfully")
    assert OutdatedReport.objects.get().status == "fixed"

    # The visa fact, corrected with its source.
    page.goto(f"{base}/admin/programs/program/{program.pk}/change/")
    page.select_option("#id_sponsors_h1b", "yes")
    # Without a new source and its date the change is refused, saying why.
    page.click("input[name=_continue]")
    expect(page.locator(".errorlist").first).to_contain_text(
        "name the source that says the new value"
    )
    page.fill("#id_visa_source_label", "Generated program website")
    page.fill("#id_visa_source_url", "https://example.org/generated-visas")
    page.fill("#id_visa_as_of", "2026-11-30")
    look(page, "curator-04-edit-program")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_contain_text("changed successfully")
    program.refresh_from_db()
    assert program.sponsors_h1b == "yes"

    # The check, recorded against a named source.
    page.goto(f"{base}/admin/programs/program/?q=Riverside")
    page.check(f"input[name=_selected_action][value='{program.pk}']")
    page.select_option("select[name=action]", "record_check")
    page.click("button[name=index]")
    page.wait_for_selector("text=Record a curator's check")
    page.check("text=IMGs and visas")
    page.fill("#id_source_label", "Generated program website")
    look(page, "curator-05-record-check")
    page.click("input[value='Record the check']")
    expect(page.locator(".messagelist")).to_contain_text("Recorded the check of 1 program")
    program.refresh_from_db()
    assert program.visa_verified_on is not None

    # On the public page, and in the history.
    page.goto(f"{base}{program.get_absolute_url()}")
    expect(page.locator(".badge", has_text="H-1B: yes").first).to_be_visible()
    expect(page.locator("body")).to_contain_text("Generated program website")
    look(page, "curator-06-public-page")
    page.goto(f"{base}/admin/programs/program/{program.pk}/history/")
    expect(page.locator("#content-main")).to_contain_text("generated-curator")
    look(page, "curator-07-history")

    # An import with a bad row: refused whole, the row named.
    bad = csv_text([row(1), row(2, state="Nowhere")])
    page.goto(f"{base}/admin/programs/program/import/")
    page.set_input_files(
        "#id_file", {"name": "generated.csv", "mimeType": "text/csv", "buffer": bad.encode()}
    )
    page.click("input[value=Preview]")
    problem = page.locator(".import-errors tbody tr")
    expect(problem).to_have_count(1)
    expect(problem.locator("td").first).to_have_text("3")
    expect(problem).to_contain_text("'Nowhere' is not a USPS state code")
    expect(page.locator("#content-main")).to_contain_text(re.compile("Nothing has been"))
    look(page, "curator-08-import-refused")
    assert not Program.objects.filter(acgme_id__startswith="64099").exists()
