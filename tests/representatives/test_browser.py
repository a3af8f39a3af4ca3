"""A program's coordinator, a curator and an applicant in a real Chromium: the coordinator
asks to represent the program, verifies the address by the emailed link, and once a curator
approves, proposes that the program now sponsors H-1B visas and gives its application
deadline; the curator approves both from the review queue, and the program's public page,
and an applicant's verdict, change with them. Each screen is looked at on a desktop and a
phone (screenshots under var/screenshots/, axe-core finding nothing serious)."""

import datetime
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from applicants.services import create_account
from programs.models import ProgramSeasonDates
from programs.services import create_curator
from representatives.models import Decision, Proposal, Representative
from tests.factories import ProgramFactory, SeasonFactory, SpecialtyFactory
from tests.pages import IN_A_BROWSER, look

pytestmark = IN_A_BROWSER

PASSWORD = "long-enough-phrase-7"
DEADLINE = datetime.date(2026, 12, 20)


def log_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('Log in')")
    page.wait_for_load_state()


def admin_action(page, base: str, model: str, action: str, pks) -> None:
    page.goto(f"{base}/admin/representatives/{model}/")
    for pk in pks:
        page.check(f"input[name=_selected_action][value='{pk}']")
    page.select_option("select[name=action]", action)
    page.click("button[name=index]")
    page.wait_for_selector(".decide")


def visa_reason(page):
    """The applicant's visa requirement on the program's page."""
    return page.locator(".your-fit .reasons-all li").filter(
        has=page.locator("strong", has_text=re.compile(r"^Visa$"))
    )


@pytest.mark.django_db(transaction=True)
def test_a_representative_corrects_the_visa_and_dates_through_a_curator(
    page, live_server, representatives_curators
):
    base = live_server.url
    SeasonFactory(match_year=2027, is_current=True)
    medicine = SpecialtyFactory(name="Generated Internal Medicine", slug="generated-im")
    program = ProgramFactory(
        name="Generated Riverside Internal Medicine",
        specialty=medicine,
        state="TX",
        website="https://im.med.example.edu/residency",
        accepts_imgs="yes",
        sponsors_h1b="no",
        visa_source_label="Generated program website",
        visa_source_url="https://im.med.example.edu/residency/visas",
        visa_as_of=datetime.date(2025, 1, 15),
        visa_verified_on=datetime.date(2025, 2, 1),
    )
    create_account(email="coordinator@example.com", password=PASSWORD)
    create_curator(username="generated-curator", email="curator@example.org", password=PASSWORD)
    browser = page.context.browser

    # An applicant who needs an H-1B, as a visitor: the program's visa answer fails them.
    applicant = browser.new_page(viewport={"width": 1280, "height": 900})
    applicant.goto(f"{base}/me/profile/")
    applicant.check("text=IMG who is not a US citizen or permanent resident")
    applicant.fill("#id_graduation_year", "2020")
    applicant.fill("#id_step2_score", "235")
    applicant.check("text=I have passed USMLE Step 3")
    applicant.check("text=H-1B (sponsored by the program)")
    applicant.check("text=Generated Internal Medicine")
    applicant.click("text=Save and see my matches")
    applicant.wait_for_selector("h1:has-text('Your matches')")
    applicant.goto(f"{base}{program.get_absolute_url()}")
    expect(visa_reason(applicant)).to_contain_text(re.compile(r"^not met"))

    # The coordinator asks, from the program's page.
    log_in(page, base, "coordinator@example.com")
    page.goto(f"{base}{program.get_absolute_url()}")
    page.click("text=For programs: keep your listing true")
    page.wait_for_selector("h1:has-text('Represent Generated Riverside Internal Medicine')")
    page.fill("#id_name", "Generated Coordinator")
    page.fill("#id_role", "Program coordinator")
    page.fill("#id_email", "coordinator@gmail.com")
    page.click("button:has-text('Send the request')")
    expect(page.locator(".errorlist")).to_contain_text(
        "Use your address at im.med.example.edu, med.example.edu or example.edu"
    )
    look(page, "representative-01-ask-refused")
    page.fill("#id_email", "coordinator@example.edu")
    page.click("button:has-text('Send the request')")
    expect(page.locator(".message")).to_contain_text("We sent a link to coordinator@example.edu")
    look(page, "representative-02-requests")

    # The emailed link.
    (message,) = mail.outbox
    link = re.search(r"https?://\S+/represent/verify/\S+/", message.body).group(0)
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Address verified")
    representative = Representative.objects.get()
    assert representative.email_verified_at is not None

    # The curator approves the request.
    curator = browser.new_page(viewport={"width": 1280, "height": 900})
    curator.goto(f"{base}/admin/")
    curator.fill("#id_username", "generated-curator")
    curator.fill("#id_password", PASSWORD)
    curator.click("input[type=submit]")
    curator.wait_for_selector("#content-main")
    admin_action(curator, base, "representative", "approve", [representative.pk])
    expect(curator.locator("#content-main")).to_contain_text("Address verified.")
    look(curator, "representative-03-curator-approves-request")
    curator.click("input[value='Approve 1']")
    expect(curator.locator(".messagelist")).to_contain_text("Approved: 1 request")
    representative.refresh_from_db()
    assert representative.status == Decision.APPROVED

    # The representative proposes H-1B "yes" and the application deadline.
    page.goto(f"{base}/represent/")
    page.click("text=Keep its listing true")
    page.wait_for_selector("h1:has-text('Generated Riverside Internal Medicine')")
    visa = page.locator("#group-visa")
    visa.locator("summary").click()
    visa.locator("#id_visa-sponsors_h1b").select_option("yes")
    expect(visa.locator("#id_visa-source_label")).to_have_value(
        "Generated Riverside Internal Medicine (program statement)"
    )
    look(page, "representative-04-proposes-visa")
    visa.locator("button:has-text('Send to a curator')").click()
    expect(page.locator(".message")).to_contain_text("a curator will review “IMGs and visas”")
    page.fill("#id_dates-application_deadline", DEADLINE.isoformat())
    page.locator("#dates button:has-text('Send to a curator')").click()
    expect(page.locator(".message")).to_contain_text("your dates for Match 2027")
    expect(page.locator("#proposals tbody tr")).to_have_count(2)
    look(page, "representative-05-sent")

    # The curator approves both from the review queue, side by side with the site.
    curator.goto(f"{base}/admin/representatives/proposal/?status__exact=pending")
    expect(curator.locator("#result_list tbody tr")).to_have_count(2)
    expect(curator.locator("#result_list")).to_contain_text("Sponsors H-1B: Yes")
    look(curator, "representative-06-curator-review-queue")
    curator.locator("#result_list tbody tr", has_text="IMGs and visas").locator("th a").click()
    expect(curator.locator(".proposal-changes")).to_contain_text("Sponsors H-1B")
    look(curator, "representative-07-curator-reads-a-proposal")
    proposals = list(Proposal.objects.values_list("pk", flat=True))
    admin_action(curator, base, "proposal", "approve", proposals)
    visa_change = curator.locator("table.proposal-changes", has_text="IMGs and visas")
    expect(visa_change.locator("tr", has_text="Sponsors H-1B").locator("td")).to_have_text(
        ["No", "Yes"]
    )
    expect(visa_change).to_contain_text("Generated program website")
    expect(curator.locator("table.proposal-changes", has_text="Dates")).to_contain_text(
        "December 20, 2026"
    )
    look(curator, "representative-08-curator-approves-proposals")
    curator.click("input[value='Approve 2']")
    expect(curator.locator(".messagelist")).to_contain_text("Approved: 2 proposals")

    # The public page, and the applicant's verdict.
    applicant.goto(f"{base}{program.get_absolute_url()}")
    visa_section = applicant.locator("section.fact-section", has_text="IMGs and visas")
    expect(visa_section.locator("dd").nth(2)).to_have_text("Yes")
    expect(visa_section.locator(".source")).to_contain_text(
        "Checked against Generated Riverside Internal Medicine (program statement) by a curator"
    )
    expect(applicant.locator("#dates").locator("xpath=..")).to_contain_text("December 20, 2026")
    expect(visa_reason(applicant)).to_contain_text(re.compile(r"^met"))
    look(applicant, "representative-09-public-page-after")
    assert ProgramSeasonDates.objects.get(program=program).application_deadline == DEADLINE
    applicant.close()
    curator.close()
