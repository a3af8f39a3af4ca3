"""The curators' side: requests decided in the admin, and the review queue, where an approved
proposal becomes the fact with its new source and a refused one changes nothing."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from programs.models import ProgramSeasonDates
from representatives import services
from representatives.models import Decision, ProgramContact, Proposal, Representative
from tests.pages import visible_text

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2026, 1, 5)


def act(client, model: str, action: str, rows, reason: str = ""):
    """Run an admin action on ``rows`` and confirm it on its page."""
    return client.post(
        reverse(f"admin:representatives_{model}_changelist"),
        {
            "action": action,
            ACTION_CHECKBOX_NAME: [row.pk for row in rows],
            "confirm": "yes",
            "reason": reason,
        },
    )


def h1b_proposal(representative, **source):
    return services.propose_facts(
        representative=representative,
        group="visa",
        values={"sponsors_h1b": "yes", "sponsors_j1": "yes"},
        source_label=source.get(
            "source_label", f"{representative.program.name} (program statement)"
        ),
        source_url=source.get("source_url", ""),
        as_of=source.get("as_of", AS_OF),
    )


# --- Requests --------------------------------------------------------------------------


def ask(asker, program):
    return services.ask_to_represent(
        user=asker,
        program=program,
        name="Generated Asker",
        role="Coordinator",
        email="asker@example.edu",
    )


def test_a_curator_sees_the_requests_and_approves_a_verified_one(curator_client, asker, program):
    representative = ask(asker, program)
    listing = curator_client.get(reverse("admin:representatives_representative_changelist"))
    assert "Generated Asker" in listing.content.decode()
    # Columns are named for the curator reading them, not as the asker's form words them.
    columns = visible_text(listing).split("Generated Asker")[0]
    assert "Role at the program" in columns and "Your" not in columns

    # Not verified yet: refused, saying why.
    page = act(curator_client, "representative", "approve", [representative])
    assert "Only a representative whose address is verified can be approved." in visible_text(page)
    representative.refresh_from_db()
    assert representative.status == Decision.PENDING

    services.verify_email(token=services.verification_token(representative))
    response = act(curator_client, "representative", "approve", [representative], "Checked")
    assert response.status_code == 302
    representative.refresh_from_db()
    assert representative.status == Decision.APPROVED
    assert representative.history.first().history_user.username == "generated-curator"


def test_a_refusal_needs_a_reason_and_the_asker_reads_it(client, curator, asker, program):
    representative = ask(asker, program)
    client.force_login(curator)
    page = act(client, "representative", "refuse", [representative], "")
    assert "A refusal says why." in visible_text(page)
    act(client, "representative", "refuse", [representative], "Generated: not on the staff list")
    representative.refresh_from_db()
    assert representative.status == Decision.REFUSED

    client.force_login(asker)
    text = visible_text(client.get(reverse("representatives:start")))
    assert "Refused Generated: not on the staff list" in text
    url = reverse("representatives:program", args=[program.acgme_id])
    assert client.get(url).status_code == 404


def test_the_asker_is_mailed_each_decision_with_its_reason(
    client, curator, asker, program, django_capture_on_commit_callbacks
):
    representative = ask(asker, program)
    mail.outbox.clear()
    client.force_login(curator)
    with django_capture_on_commit_callbacks(execute=True):
        act(client, "representative", "refuse", [representative], "Generated: not on staff")
    (refused,) = mail.outbox
    assert refused.to == ["asker@example.edu"]
    assert refused.subject == (
        "Your request to represent Generated Riverside Internal Medicine: refused"
    )
    assert "Generated: not on staff" in refused.body

    again = ask(asker, program)
    services.verify_email(token=services.verification_token(again))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        act(client, "representative", "approve", [again])
    (approved,) = mail.outbox
    assert approved.subject.endswith(": approved")
    assert "You can now propose corrections" in approved.body
    assert "http://127.0.0.1:8000/represent/" in approved.body


def test_a_request_for_a_program_without_a_website_is_flagged_for_curators(
    curator_client, asker, other_program
):
    other_program.website = ""
    other_program.save()
    services.ask_to_represent(
        user=asker,
        program=other_program,
        name="Generated Asker",
        role="Coordinator",
        email="asker@anywhere.test",
    )
    listing = curator_client.get(
        reverse("admin:representatives_representative_changelist"),
        {"domain_verifiable__exact": "0"},
    )
    assert "Domain not verifiable" in visible_text(listing)


# --- Proposals ---------------------------------------------------------------------------


def test_the_review_queue_shows_each_change_beside_the_site(curator_client, representative):
    proposal = h1b_proposal(representative)
    response = curator_client.get(
        reverse("admin:representatives_proposal_change", args=[proposal.pk])
    )
    text = visible_text(response)
    assert "Sponsors H-1B No Yes" in text
    assert "Accepts J-1 (ECFMG-sponsored) Yes Yes" not in text  # unchanged: not proposed
    assert (
        "Source and date Generated program website (https://im.med.example.edu/residency/visas), "
        "as of January 15, 2025; checked by a curator on February 1, 2025 "
        "Generated Riverside Internal Medicine (program statement), as of January 5, 2026"
    ) in text
    queue = visible_text(curator_client.get(reverse("admin:representatives_proposal_changelist")))
    assert "Sponsors H-1B: Yes" in queue


def test_an_approved_proposal_shows_its_source_publicly_and_the_old_one_stays_in_history(
    client, curator, representative, program
):
    proposal = h1b_proposal(representative)
    client.force_login(curator)
    page = act(client, "proposal", "approve", [proposal])
    assert page.status_code == 302

    program.refresh_from_db()
    today = timezone.localdate()
    assert program.sponsors_h1b == "yes"
    assert program.visa_source_label == "Generated Riverside Internal Medicine (program statement)"
    assert (program.visa_as_of, program.visa_verified_on) == (AS_OF, today)

    text = visible_text(client.get(program.get_absolute_url()))
    assert (
        "Checked against Generated Riverside Internal Medicine (program statement) by a curator "
        f"on {today:%B} {today.day}, {today.year}"
    ) in text

    latest, before = program.history.all()[:2]
    assert latest.history_user == curator
    assert latest.history_change_reason == "Proposed by representative Generated Coordinator"
    assert (before.sponsors_h1b, before.visa_source_label) == ("no", "Generated program website")
    assert before.visa_as_of == datetime.date(2025, 1, 15)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == (Decision.APPROVED, curator)


def test_a_refused_proposal_changes_nothing_and_the_representative_sees_why(
    client, curator, representative, program
):
    proposal = h1b_proposal(representative)
    client.force_login(curator)
    act(client, "proposal", "refuse", [proposal], "Generated: the website still says no")
    program.refresh_from_db()
    assert program.sponsors_h1b == "no"
    assert program.visa_source_label == "Generated program website"
    assert program.history.count() == 1

    client.force_login(representative.user)
    url = reverse("representatives:program", args=[program.acgme_id])
    assert "Refused Generated: the website still says no" in visible_text(client.get(url))


def test_the_representative_is_mailed_once_for_the_proposals_decided_together(
    client, curator, representative, season, django_capture_on_commit_callbacks
):
    visa = h1b_proposal(representative)
    dates = services.propose_dates(
        representative=representative,
        season=season,
        values={"application_deadline": datetime.date(2026, 12, 20)},
        source_label="Generated program website",
        source_url="https://im.med.example.edu/residency/dates",
        as_of=AS_OF,
    )
    mail.outbox.clear()
    client.force_login(curator)
    with django_capture_on_commit_callbacks(execute=True):
        act(client, "proposal", "approve", [visa, dates])
    (message,) = mail.outbox
    assert message.to == [representative.email]
    assert "- IMGs and visas, as of January 5, 2026" in message.body
    assert "- Dates for " in message.body
    assert message.body.count("approved. The site now shows it with that source.") == 2


def test_a_proposal_without_its_source_or_date_is_refused_by_the_service(representative):
    with pytest.raises(ValidationError) as refused:
        h1b_proposal(representative, source_label="", as_of=None)
    assert set(refused.value.message_dict) == {"visa_source_label", "visa_as_of"}
    with pytest.raises(ValidationError) as archived:
        h1b_proposal(representative, source_label="FREIDA, 2016")
    assert "cannot be the source of a new value" in archived.value.messages[0]
    assert not Proposal.objects.exists()


def test_a_named_source_needs_its_address(representative):
    with pytest.raises(ValidationError) as refused:
        h1b_proposal(representative, source_label="Generated hospital news")
    assert "visa_source_url" in refused.value.message_dict
    proposal = h1b_proposal(
        representative,
        source_label="Generated hospital news",
        source_url="https://news.example.edu/h1b",
    )
    assert proposal.source_url == "https://news.example.edu/h1b"


def test_approving_an_outdated_proposal_is_refused_whole(curator, representative, program):
    first = h1b_proposal(representative)
    # A curator has since recorded the same source and date for other visa facts.
    program.visa_source_label = first.source_label
    program.visa_source_url = ""
    program.visa_as_of = program.visa_verified_on = AS_OF
    program.accepts_imgs = "yes"
    program.save()
    contact = services.propose_contact(
        representative=representative,
        values={"email": "residency@example.edu"},
        source_label=first.source_label,
        as_of=AS_OF,
    )
    with pytest.raises(ValidationError):
        services.approve_proposals(proposals=[contact, first], curator=curator)
    assert not ProgramContact.objects.exists()  # nothing applied
    assert set(Proposal.objects.values_list("status", flat=True)) == {Decision.PENDING}


def test_approved_dates_and_contact_show_on_the_program_page(
    client, curator, representative, program, season
):
    dates = services.propose_dates(
        representative=representative,
        season=season,
        values={"application_deadline": datetime.date(2026, 10, 15)},
        source_label=f"{program.name} (program statement)",
        as_of=AS_OF,
    )
    contact = services.propose_contact(
        representative=representative,
        values={"email": "residency@example.edu", "phone": "+1 555 0100"},
        source_label=f"{program.name} (program statement)",
        as_of=AS_OF,
    )
    services.approve_proposals(proposals=[dates, contact], curator=curator)

    row = ProgramSeasonDates.objects.get(program=program, season=season)
    assert row.application_deadline == datetime.date(2026, 10, 15)
    assert row.history.first().history_change_reason.startswith("Proposed by representative")
    text = visible_text(client.get(program.get_absolute_url()))
    assert "Application deadline October 15, 2026" in text
    assert "Contact for applicants Email residency@example.edu Phone +1 555 0100" in text


def test_dates_out_of_order_are_refused_on_their_field(representative, season):
    with pytest.raises(ValidationError) as refused:
        services.propose_dates(
            representative=representative,
            season=season,
            values={
                "applications_open": datetime.date(2026, 10, 1),
                "application_deadline": datetime.date(2026, 9, 1),
            },
            source_label="Generated (program statement)",
            as_of=AS_OF,
        )
    assert refused.value.message_dict == {
        "application_deadline": ["The deadline must not be before applications open."]
    }


def test_curators_may_review_but_not_add_or_delete(curator_client, representative):
    proposal = h1b_proposal(representative)
    assert curator_client.get(reverse("admin:representatives_proposal_add")).status_code == 403
    delete = reverse("admin:representatives_proposal_delete", args=[proposal.pk])
    assert curator_client.get(delete).status_code == 403
    for model in ("representative", "proposal", "confirmation", "programcontact"):
        url = reverse(f"admin:representatives_{model}_changelist")
        assert curator_client.get(url).status_code == 200, model


def test_the_review_queue_reads_a_fixed_number_of_queries(
    curator_client, representative, django_assert_max_num_queries
):
    for _ in range(3):
        services.propose_contact(
            representative=representative,
            values={"phone": f"+1 555 01{Representative.objects.count()}{_}"},
            source_label="Generated (program statement)",
            as_of=AS_OF,
        )
    url = reverse("admin:representatives_proposal_changelist")
    curator_client.get(url)
    with django_assert_max_num_queries(11):
        curator_client.get(url)


def test_the_approval_page_dates_a_proposal_on_the_sites_day(curator_client, representative):
    proposal = h1b_proposal(representative)
    # 02:30 UTC on January 6 is still January 5 in New York.
    Proposal.objects.filter(pk=proposal.pk).update(
        created_at=datetime.datetime(2026, 1, 6, 2, 30, tzinfo=datetime.UTC)
    )
    page = visible_text(
        curator_client.post(
            reverse("admin:representatives_proposal_changelist"),
            {"action": "approve", ACTION_CHECKBOX_NAME: [proposal.pk]},
        )
    )
    assert "Proposed by Generated Coordinator, Program coordinator, on January 5, 2026" in page


def test_an_approved_no_to_signals_shows_on_the_program_page_with_its_source(
    client, curator, representative, program, season
):
    proposal = services.propose_dates(
        representative=representative,
        season=season,
        values={"takes_signals": "no"},
        source_label=f"{program.name} (program statement)",
        as_of=AS_OF,
    )
    services.approve_proposals(proposals=[proposal], curator=curator)
    row = ProgramSeasonDates.objects.get(program=program, season=season)
    assert row.takes_signals == "no"
    assert row.source_label == f"{program.name} (program statement)"
    assert "Takes program signals No" in visible_text(client.get(program.get_absolute_url()))
