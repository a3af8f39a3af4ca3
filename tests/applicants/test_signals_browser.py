"""An applicant plans their program signals on the shortlist in a real Chromium: gives
signals within the specialty's limit, is warned about a program they are not eligible for,
and is refused one more signal, in place, with the rest kept."""

import pytest

from applicants import services
from applicants.matching import Applicant
from applicants.models import ShortlistEntry
from programs.models import SignalAllowance, SpecialtyApplicationService
from tests.factories import ProgramFactory, SeasonFactory, SpecialtyFactory
from tests.pages import IN_A_BROWSER, look

pytestmark = IN_A_BROWSER


@pytest.mark.django_db(transaction=True)
def test_signals_within_the_limit_and_one_more_refused(page, live_server, shipped_fees):
    medicine = SpecialtyFactory(name="Generated Internal Medicine", slug="generated-im")
    SpecialtyApplicationService.objects.create(
        specialty=medicine, service="eras", first_match_year=2025, source_label="Generated"
    )
    SignalAllowance.objects.create(
        season=SeasonFactory(match_year=2027),
        specialty=medicine,
        signals=2,
        published_for=2025,
        source_label="Generated signal table",
    )
    houston = ProgramFactory(name="Generated Houston IM", specialty=medicine, state="TX")
    miami = ProgramFactory(
        name="Generated Miami IM",
        specialty=medicine,
        state="FL",
        step2_policy="hard",
        step2_minimum=240,
    )
    bronx = ProgramFactory(name="Generated Bronx IM", specialty=medicine, state="NY")
    user = services.create_account(email="signals@example.org", password="long-enough-phrase-7")
    services.save_profile(
        user=user,
        applicant=Applicant(
            applicant_type="non_us_img",
            graduation_year=2020,
            visa_needed="h1b",
            step2_score=235,
            specialty_ids=(medicine.pk,),
        ),
    )
    entries = {
        p.name: services.save_to_shortlist(user=user, program=p) for p in (houston, miami, bronx)
    }

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "signals@example.org")
    page.fill("#id_password", "long-enough-phrase-7")
    page.click("button:has-text('Log in')")
    page.goto(f"{live_server.url}/me/shortlist/")
    plan = page.locator("#signal-plan")
    assert "0 of 2 signals given" in plan.inner_text()
    assert "The Match 2027 counts are not confirmed" in plan.inner_text()

    def give(name: str) -> None:
        block = f"#signal-{entries[name].pk}"
        page.select_option(f"{block} select", "signal")
        page.click(f"{block} button")

    give("Generated Houston IM")
    page.wait_for_selector(f"#signal-{entries['Generated Houston IM'].pk} >> text=Signal saved.")
    assert "1 of 2 signals given" in plan.inner_text()
    give("Generated Miami IM")
    miami_block = page.locator(f"#signal-{entries['Generated Miami IM'].pk}")
    miami_block.locator("text=Signal saved.").wait_for()
    assert "You are not eligible for this program" in miami_block.inner_text()
    assert "2 of 2 signals given" in plan.inner_text()
    look(page, "signals-01-two-of-two")

    give("Generated Bronx IM")
    bronx_block = page.locator(f"#signal-{entries['Generated Bronx IM'].pk}")
    alert = bronx_block.locator("[role=alert]")
    alert.wait_for()
    assert "You have no signals left in Generated Internal Medicine" in alert.inner_text()
    assert bronx_block.locator("select").input_value() == ""
    assert "2 of 2 signals given" in plan.inner_text()
    bronx_block.scroll_into_view_if_needed()
    look(page, "signals-02-one-more-refused")

    given = dict(ShortlistEntry.objects.values_list("program__name", "signal"))
    assert given == {
        "Generated Houston IM": "signal",
        "Generated Miami IM": "signal",
        "Generated Bronx IM": "",
    }
