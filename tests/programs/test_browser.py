"""A reader in a real Chromium: searches, filters and opens a program; walks every page type."""

import re

import factory
import pytest
from playwright.sync_api import expect

from programs.choices import MatchKind
from tests.factories import (
    FaqEntryFactory,
    GuideFactory,
    MatchFactory,
    ProgramFactory,
    SpecialtyFactory,
    SpecialtyMatchFactory,
    season_around_today,
    season_event,
)
from tests.pages import IN_A_BROWSER, look

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
    expect(page.locator(".results-count")).to_have_text(re.compile(r"^\s*2 programs"))
    assert "q=Lakeside" in page.url  # htmx keeps the address bar in step

    page.check("text=Sponsors H-1B")
    expect(page.locator(".results-count")).to_have_text(re.compile(r"^\s*1 program"))
    assert "visa=h1b" in page.url
    assert page.locator(".chip", has_text="Sponsors H-1B").is_visible()

    page.click("text=Generated Lakeside Program")
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == "Generated Lakeside Program"
    assert page.locator("#report-heading").is_visible()

    page.go_back()
    page.wait_for_selector(".results-count")
    assert page.locator(".results-count").inner_text().startswith("1 ")


@pytest.mark.django_db(transaction=True)
def test_a_reader_walks_the_directory(page, live_server):
    """Home, a misspelt search, filters, page two, a program and its report form, the FAQ,
    a guide and the timeline: each looked at on a desktop and a phone (screenshots, and
    axe-core finding nothing serious), and nothing refused by the security policy."""
    season_around_today()
    surgery = SpecialtyFactory(name="Generated Surgery", slug="generated-surgery")
    ProgramFactory.create_batch(
        30,
        name=factory.Sequence(lambda n: f"Generated Lakeside Program {n:02d}"),
        specialty=surgery,
        state="TX",
        sponsors_h1b="yes",
        accepts_imgs="yes",
    )
    ProgramFactory.create_batch(5, name="Generated Hilltop Program", state="NY")
    FaqEntryFactory(question="Generated: do programs sponsor visas?")
    guide = GuideFactory(title="Generated guide to applying")
    base = live_server.url

    page.goto(f"{base}/")
    look(page, "reader-01-home")

    page.goto(f"{base}/programs/?q=Lakesde")
    assert page.locator(".results-count").inner_text().startswith("30 programs")
    look(page, "reader-02-typo-search")

    page.goto(f"{base}/programs/")
    page.click("#filters summary:has-text('Specialty')")
    page.check("#filters >> text=Generated Surgery")
    page.wait_for_url(re.compile("specialty=generated-surgery"))
    page.click("#filters summary:has-text('State')")
    page.check("#filters >> text=Texas")
    page.wait_for_url(re.compile("state=TX"))
    page.check("#filters >> text=Sponsors H-1B")
    expect(page.locator(".results-count")).to_have_text(re.compile(r"^\s*30 programs"))
    look(page, "reader-03-filtered")

    page.click(".pagination >> text=Next →")
    page.wait_for_url(re.compile("page=2"))
    assert page.locator(".program-row").count() == 5
    look(page, "reader-04-page-two")

    page.locator(".program-row a").first.click()
    page.wait_for_selector("#report-heading")
    look(page, "reader-05-program")
    page.fill("#report textarea", "Generated: the deadline on this page is last year's.")
    page.click("#report >> text=Send report")
    page.wait_for_selector("#report-sent")
    sent = page.locator("#report-sent").inner_text()
    assert "The curators have your report in their review list" in sent
    look(page, "reader-06-report-sent")

    page.goto(f"{base}/faq/")
    expect(page.locator("text=Generated: do programs sponsor visas?").first).to_be_visible()
    look(page, "reader-07-faq")
    page.goto(f"{base}{guide.get_absolute_url()}")
    look(page, "reader-08-guide")
    page.goto(f"{base}/timeline/")
    look(page, "reader-09-timeline")

    # The other page types a reader meets.
    others = {
        "reader-10-specialty": surgery.get_absolute_url(),
        "reader-11-specialties": "/specialties/",
        "reader-12-state": "/states/TX/",
        "reader-12-sponsor": f"/sponsors/{surgery.programs.first().sponsor.code}/",
        "reader-13-guides": "/guides/",
        "reader-14-not-found": "/programs/0000000000/",
        "reader-15-log-in": "/accounts/login/",
    }
    for name, path in others.items():
        page.goto(f"{base}{path}")
        look(page, name)


@pytest.mark.django_db(transaction=True)
def test_a_reader_sees_each_matchs_own_dates(page, live_server):
    """A urology program shows the AUA Urology Match's dates and none of the Main Match's;
    the timeline shows every match's calendar. Looked at on a desktop and a phone."""
    season = season_around_today()
    season_event(season, "soap_round", None, detail="Round 1", source_label="Generated SOAP")
    season_event(
        season,
        "registration_opens",
        season.events.get(kind__slug="match_day").date,
        owner=MatchKind.AUA,
    )
    season_event(season, "match_day", None, owner=MatchKind.AUA, source_label="Generated AUA")
    urology = SpecialtyFactory(name="Generated Urology", slug="generated-urology")
    SpecialtyMatchFactory(specialty=urology, match=MatchFactory(kind=MatchKind.AUA))
    program = ProgramFactory(name="Generated Urology Program", specialty=urology)

    page.goto(f"{live_server.url}{program.get_absolute_url()}")
    apply = page.locator("section[aria-labelledby=apply]")
    expect(apply).to_contain_text("AUA Urology Residency Match")
    expect(apply).to_contain_text("Date not published yet")
    expect(apply).not_to_contain_text("NRMP Main Match")
    look(page, "matches-01-urology-program")

    page.goto(f"{live_server.url}/timeline/")
    expect(page.locator("#calendar-aua")).to_be_visible()
    expect(page.locator("#nrmp-main-soap-round-round-1")).to_contain_text("Date not published")
    look(page, "matches-02-timeline")
