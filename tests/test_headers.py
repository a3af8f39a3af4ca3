"""Security headers, and pages that run under a Content-Security-Policy without
'unsafe-inline': no inline script, style element or style attribute anywhere."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from tests.factories import (
    FaqEntryFactory,
    GuideFactory,
    ProgramFactory,
    SeasonFactory,
    SpecialtyStatisticFactory,
)

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)


@pytest.fixture
def site():
    SeasonFactory()
    program = ProgramFactory()
    SpecialtyStatisticFactory(specialty=program.specialty)
    FaqEntryFactory()
    guide = GuideFactory()
    curator = get_user_model().objects.create_superuser("generated-curator", "c@x.invalid", "pw")
    return {"program": program, "guide": guide, "curator": curator}


def public_pages(site):
    program = site["program"]
    return [
        "/",
        "/programs/",
        "/programs/?q=generated&state=TX&page=2",
        program.get_absolute_url(),
        program.specialty.get_absolute_url(),
        "/specialties/",
        f"/states/{program.state}/",
        "/faq/",
        site["guide"].get_absolute_url(),
        "/guides/",
        "/timeline/",
        "/me/profile/",
        "/accounts/login/",
        "/accounts/signup/",
    ]


def admin_pages(site):
    program = site["program"]
    return [
        "/admin/",
        "/admin/programs/program/",
        f"/admin/programs/program/{program.pk}/change/",
        f"/admin/programs/program/{program.pk}/history/",
        "/admin/programs/program/import/",
    ]


def assert_runs_under_the_policy(response):
    html = response.content.decode()
    assert "style=" not in html, "an inline style attribute"
    assert "<style" not in html, "a style element"
    assert not INLINE_SCRIPT.search(html), "an inline script"
    assert not INLINE_HANDLER.search(html), "an inline event handler"


def test_every_page_type_runs_without_inline_scripts_or_styles(client, site):
    for path in public_pages(site):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_runs_under_the_policy(response)


def test_the_not_found_page_runs_without_inline_scripts_or_styles(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "<main" in response.content.decode()
    assert_runs_under_the_policy(response)


def test_the_admin_runs_without_inline_scripts_or_styles(client, site):
    client.force_login(site["curator"])
    for path in admin_pages(site):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_runs_under_the_policy(response)


def test_the_policy_allows_nothing_inline_and_no_framing(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_the_other_security_headers(client):
    response = client.get("/")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    form = client.get("/accounts/login/")
    assert form.cookies["csrftoken"]["httponly"] is True


@override_settings(ADMIN_IDLE_MINUTES=30)
def test_a_curators_session_ends_after_half_an_hour_without_a_request(client, site):
    client.force_login(site["curator"])
    client.get("/admin/")
    assert client.session.get_expiry_age() == 30 * 60
    assert client.session.get_expire_at_browser_close() is False


def test_an_applicants_session_keeps_the_usual_length(client, settings):
    user = get_user_model().objects.create_user("generated-applicant", "a@x.invalid", "pw")
    client.force_login(user)
    client.get("/")
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
