"""What someone from a program sees: asking, the emailed link, their program's page, and
what stays closed to everyone else."""

import datetime
import re
import time

import pytest
from django.core import mail, signing
from django.urls import reverse

from representatives import limits, services
from representatives.models import Decision, Proposal, Representative
from tests.pages import visible_text
from tests.representatives.conftest import approved

pytestmark = pytest.mark.django_db

ASK = {
    "name": "Generated Coordinator",
    "role": "Program coordinator",
    "email": "coordinator@example.edu",
    "note": "",
}


def ask_url(program):
    return reverse("representatives:ask", args=[program.acgme_id])


def emailed_link() -> str:
    return re.search(r"https?://\S+/represent/verify/\S+/", mail.outbox[-1].body).group(0)


def test_asking_needs_an_account(client, program):
    response = client.get(ask_url(program))
    assert response.status_code == 302
    assert response.url.startswith(reverse("applicants:login"))


def test_an_address_at_the_programs_parent_domain_is_accepted_and_mailed_a_link(
    client, asker, program
):
    client.force_login(asker)
    response = client.post(ask_url(program), ASK)
    assert response.status_code == 302
    representative = Representative.objects.get()
    assert representative.domain_verifiable and representative.email_verified_at is None
    assert mail.outbox[-1].to == ["coordinator@example.edu"]
    assert program.name in mail.outbox[-1].subject
    assert "coordinator@example.edu" not in emailed_link()  # the link holds no address


def test_an_address_elsewhere_is_refused_naming_the_accepted_domains(client, asker, program):
    client.force_login(asker)
    response = client.post(ask_url(program), {**ASK, "email": "coordinator@gmail.com"})
    assert response.status_code == 200
    text = visible_text(response)
    assert "Use your address at im.med.example.edu, med.example.edu or example.edu" in text
    assert not Representative.objects.exists() and not mail.outbox


def test_a_program_without_a_website_goes_to_curators_as_not_verifiable(
    client, asker, other_program
):
    other_program.website = ""
    other_program.save()
    client.force_login(asker)
    page = visible_text(client.get(ask_url(other_program)))
    assert "a curator must verify your request by other means" in page
    response = client.post(ask_url(other_program), {**ASK, "email": "someone@anywhere.test"})
    assert response.status_code == 302
    assert Representative.objects.get().domain_verifiable is False
    assert "domain not verifiable" in page
    assert "by other means" in visible_text(client.get(reverse("representatives:start")))


def test_asking_twice_for_the_same_program_is_refused(client, asker, program):
    client.force_login(asker)
    client.post(ask_url(program), ASK)
    response = client.post(ask_url(program), ASK)
    assert "You have already asked to represent this program." in visible_text(response)
    assert Representative.objects.count() == 1


def test_the_emailed_link_verifies_the_address_without_logging_in(client, asker, program):
    client.force_login(asker)
    client.post(ask_url(program), ASK)
    client.logout()
    response = client.get(emailed_link())
    assert response.status_code == 200
    assert "Address verified" in visible_text(response)
    assert Representative.objects.get().email_verified_at is not None


def test_an_expired_link_verifies_nothing(client, asker, program, monkeypatch):
    client.force_login(asker)
    client.post(ask_url(program), ASK)
    later = time.time() + services.VERIFY_MAX_AGE.total_seconds() + 60
    monkeypatch.setattr(signing.time, "time", lambda: later)
    response = client.get(emailed_link())
    assert response.status_code == 410
    assert "This link has expired" in visible_text(response)
    assert Representative.objects.get().email_verified_at is None


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # the signature
        lambda token: str(int(token.split(":")[0]) + 1) + token[token.index(":") :],  # the id
    ],
    ids=["signature", "request"],
)
def test_an_altered_link_verifies_nothing(client, asker, program, tamper):
    client.force_login(asker)
    client.post(ask_url(program), ASK)
    token = emailed_link().rstrip("/").rsplit("/", 1)[1]
    response = client.get(reverse("representatives:verify", args=[tamper(token)]))
    assert response.status_code == 400
    assert "This link does not work" in visible_text(response)
    assert Representative.objects.get().email_verified_at is None


def test_requests_answer_429_after_the_hourly_limit(client, asker, program, monkeypatch):
    monkeypatch.setattr(limits, "REQUESTS_PER_HOUR", 2)
    client.force_login(asker)
    statuses = [
        client.post(ask_url(program), {**ASK, "email": "other@gmail.com"}).status_code
        for _ in range(3)
    ]
    assert statuses == [200, 200, 429]
    assert "Please try again later" in visible_text(client.post(ask_url(program), ASK))
    assert not Representative.objects.exists()


def test_verification_emails_answer_429_after_the_limit_per_recipient(client, asker, program):
    client.force_login(asker)
    client.post(ask_url(program), ASK)
    representative = Representative.objects.get()
    resend = reverse("representatives:resend", args=[representative.pk])
    statuses = [
        client.post(resend).status_code for _ in range(limits.EMAILS_PER_RECIPIENT_PER_HOUR)
    ]
    assert statuses == [302] * (limits.EMAILS_PER_RECIPIENT_PER_HOUR - 1) + [429]
    assert len(mail.outbox) == limits.EMAILS_PER_RECIPIENT_PER_HOUR


# --- The program's page, for its approved representatives only ------------------------------


def program_url(program):
    return reverse("representatives:program", args=[program.acgme_id])


def test_an_approved_representative_sees_their_program_prefilled(
    representative_client, program, season
):
    response = representative_client.get(program_url(program))
    assert response.status_code == 200
    text = visible_text(response)
    assert program.name in text and "Propose a change" in text
    assert f"{program.name} (program statement)" in response.content.decode()


def test_a_visitor_is_sent_to_log_in(client, program):
    response = client.get(program_url(program))
    assert response.status_code == 302
    assert response.url.startswith(reverse("applicants:login"))


def test_a_request_not_yet_approved_opens_nothing(client, asker, program):
    services.ask_to_represent(
        user=asker,
        program=program,
        name="Generated Asker",
        role="Coordinator",
        email="asker@example.edu",
    )
    client.force_login(asker)
    assert client.get(program_url(program)).status_code == 404
    url = reverse("representatives:facts", args=[program.acgme_id, "visa"])
    assert client.post(url, {}).status_code == 404


def test_a_representative_of_another_program_gets_404(
    client, program, other_program, curator, season
):
    from applicants.services import create_account

    stranger = create_account(email="someone@example.org", password="long-enough-phrase-7")
    approved(
        stranger,
        other_program,
        name="Generated Surgeon",
        email="s@surgery.example.org",
        curator=curator,
    )
    client.force_login(stranger)
    assert client.get(program_url(other_program)).status_code == 200
    for url in (
        program_url(program),
        reverse("representatives:facts", args=[program.acgme_id, "visa"]),
        reverse("representatives:confirm", args=[program.acgme_id, "visa"]),
        reverse("representatives:dates", args=[program.acgme_id]),
        reverse("representatives:contact", args=[program.acgme_id]),
    ):
        method = client.get if url == program_url(program) else client.post
        assert method(url).status_code == 404, url
    assert not Proposal.objects.exists()


def visa_form(program, **overrides):
    data = {
        "visa-accepts_imgs": program.accepts_imgs,
        "visa-sponsors_j1": program.sponsors_j1,
        "visa-sponsors_h1b": program.sponsors_h1b,
        "visa-h1b_note": program.h1b_note,
        "visa-h1b_step3_by": "",
        "visa-source_label": f"{program.name} (program statement)",
        "visa-source_url": "",
        "visa-as_of": "2026-01-05",
    }
    return {**data, **{f"visa-{name}": value for name, value in overrides.items()}}


def test_a_changed_fact_without_a_source_or_date_is_refused(representative_client, program):
    url = reverse("representatives:facts", args=[program.acgme_id, "visa"])
    response = representative_client.post(
        url, visa_form(program, sponsors_h1b="yes", source_label="", as_of="")
    )
    assert response.status_code == 400
    text = visible_text(response)
    assert "name the source that says the new value" in text
    assert "give the date the source says it" in text
    assert not Proposal.objects.exists()


def test_a_proposal_with_its_source_waits_for_a_curator(representative_client, program):
    url = reverse("representatives:facts", args=[program.acgme_id, "visa"])
    response = representative_client.post(url, visa_form(program, sponsors_h1b="yes"))
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.values == {"sponsors_h1b": "yes"}  # only what changes
    assert proposal.status == Decision.PENDING
    program.refresh_from_db()
    assert program.sponsors_h1b == "no"


def test_a_proposal_that_changes_nothing_is_refused(representative_client, program):
    url = reverse("representatives:facts", args=[program.acgme_id, "visa"])
    response = representative_client.post(url, visa_form(program))
    assert "Nothing here differs" in visible_text(response)
    assert not Proposal.objects.exists()


def test_a_proposal_that_breaks_a_rule_is_refused_on_its_field(representative_client, program):
    url = reverse("representatives:facts", args=[program.acgme_id, "visa"])
    response = representative_client.post(
        url, visa_form(program, h1b_note="Generated: Step 3 by April")
    )
    assert "H-1B conditions cannot go with “H-1B: No”." in visible_text(response)
    assert not Proposal.objects.exists()


def test_still_true_is_recorded_for_the_season(representative_client, program, season):
    url = reverse("representatives:confirm", args=[program.acgme_id, "scores"])
    assert representative_client.post(url).status_code == 302
    text = visible_text(representative_client.get(program_url(program)))
    assert "Confirmed for Match 2027 by Generated Coordinator" in text


def test_the_program_page_invites_its_people_to_keep_it_true(client, program):
    html = client.get(program.get_absolute_url()).content.decode()
    assert f'href="{ask_url(program)}">For programs: keep your listing true</a>' in html


def test_a_representative_is_locked_out_of_logging_in_like_anyone(client, representative, settings):
    login = reverse("applicants:login")
    email = representative.user.email
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(login, {"username": email, "password": "wrong-password"})
    response = client.post(login, {"username": email, "password": "long-enough-phrase-7"})
    assert response.status_code == 429
    url = program_url(representative.program)
    assert client.get(url).url.startswith(login)  # still a visitor


def test_the_program_page_reads_a_fixed_number_of_queries(
    representative_client, representative, program, season, django_assert_max_num_queries
):
    for phone in ("+1 555 0101", "+1 555 0102", "+1 555 0103"):
        services.propose_contact(
            representative=representative,
            values={"phone": phone},
            source_label="Generated (program statement)",
            as_of=datetime.date(2026, 1, 5),
        )
    for group in ("visa", "scores"):
        services.confirm_still_true(representative=representative, group=group, season=season)
    representative_client.get(program_url(program))
    with django_assert_max_num_queries(10):
        response = representative_client.get(program_url(program))
    assert visible_text(response).count("Awaiting a curator") == 3


def test_a_representative_says_whether_the_program_takes_signals_with_the_dates(
    representative_client, program, season
):
    page = representative_client.get(program_url(program)).content.decode()
    select = page.split('name="dates-takes_signals"')[1].split("</select>")[0]
    assert '<option value="unknown" selected>Not reported</option>' in select
    response = representative_client.post(
        reverse("representatives:dates", args=[program.acgme_id]),
        {
            "dates-takes_signals": "no",
            "dates-source_label": f"{program.name} (program statement)",
            "dates-as_of": "2026-01-05",
        },
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert (proposal.kind, proposal.values) == ("dates", {"takes_signals": "no"})
