"""The "report outdated information" form on a program's page."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from programs.models import OutdatedReport, ReportStatus
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def report_url(program):
    return reverse("programs:report", args=[program.acgme_id])


def test_a_report_lands_in_the_review_queue_and_the_reader_is_thanked(client):
    program = ProgramFactory()
    response = client.post(
        report_url(program),
        {"message": "The H-1B policy changed this year.", "email": "a@example.org"},
        follow=True,
    )
    report = OutdatedReport.objects.get()
    assert report.program == program
    assert report.status == ReportStatus.NEW
    assert report.email == "a@example.org"
    assert "Thank you. A curator will check your report" in response.content.decode()
    assert response.redirect_chain[-1][0].endswith("#report")


@pytest.mark.parametrize(
    ("message", "error"),
    [
        ("", "This field is required."),
        ("short", "Please write at least 10 characters"),
        ("x" * 2001, "Ensure this value has at most 2000 characters"),
    ],
)
def test_a_bad_message_is_explained_and_not_saved(client, message, error):
    program = ProgramFactory()
    response = client.post(report_url(program), {"message": message})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not OutdatedReport.objects.exists()


def test_the_honeypot_thanks_bots_but_saves_nothing(client):
    program = ProgramFactory()
    response = client.post(
        report_url(program),
        {"message": "Buy cheap things at example dot com", "website": "http://spam"},
    )
    assert response.status_code == 302
    assert not OutdatedReport.objects.exists()


def test_reports_are_rate_limited_per_client(client):
    program = ProgramFactory()
    for _ in range(5):
        client.post(report_url(program), {"message": "Something is out of date here."})
    response = client.post(report_url(program), {"message": "Something is out of date here."})
    assert response.status_code == 429
    assert "several reports from you in the last hour" in response.content.decode()
    assert OutdatedReport.objects.count() == 5


def test_the_form_needs_a_csrf_token():
    from django.test import Client

    program = ProgramFactory()
    client = Client(enforce_csrf_checks=True)
    response = client.post(report_url(program), {"message": "Something is out of date here."})
    assert response.status_code == 403
    assert not OutdatedReport.objects.exists()


def test_report_url_accepts_only_post(client):
    assert client.get(report_url(ProgramFactory())).status_code == 405
