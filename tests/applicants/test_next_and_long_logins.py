"""Two fields anyone can fill with anything: the ``next`` a form returns to, followed only
when it is a path of this site, and the login's credentials, refused before they are checked
when longer than any account's, yet counted as a failed login."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from applicants import passwords
from applicants.models import ShortlistEntry
from tests.factories import ProgramFactory, SeasonFactory

pytestmark = pytest.mark.django_db

# Not a path of this site: text Django's redirect() would try as a view's name, another
# host, a header of its own.
NOT_HERE = [
    "٢٥٠",
    "inf",
    "\r\nSet-Cookie: a=b",
    "a:b",
    "admin:",
    "programs:list",
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example",
    "",
]


@pytest.fixture
def program():
    SeasonFactory()
    return ProgramFactory()


@pytest.mark.parametrize("target", NOT_HERE)
def test_a_next_that_is_no_path_here_falls_back_to_the_pages_own(
    client, applicant_user, program, target
):
    client.force_login(applicant_user)
    saved = client.post(
        reverse("applicants:shortlist_save", args=[program.acgme_id]), {"next": target}
    )
    assert saved.status_code == 302
    assert saved["Location"] == program.get_absolute_url()
    entry = ShortlistEntry.objects.get()
    changed = client.post(
        reverse("applicants:shortlist_entry", args=[entry.pk]),
        {f"entry-{entry.pk}-status": "considering", f"entry-{entry.pk}-notes": "", "next": target},
    )
    assert changed["Location"] == f"{reverse('applicants:shortlist')}#entry-{entry.pk}"
    removed = client.post(
        reverse("applicants:shortlist_remove", args=[program.acgme_id]), {"next": target}
    )
    assert removed["Location"] == program.get_absolute_url()


@pytest.mark.parametrize("target", NOT_HERE)
def test_a_login_with_a_next_that_is_no_path_here_goes_to_the_matches(
    client, applicant_user, target
):
    response = client.post(
        reverse("applicants:login"),
        {"username": "applicant@example.org", "password": "long-enough-phrase-7", "next": target},
    )
    assert response["Location"] == reverse("applicants:matches")


def test_a_next_on_this_site_is_followed(client, applicant_user, program):
    client.force_login(applicant_user)
    back = f"/programs/?state={program.state}#program-{program.acgme_id}"
    saved = client.post(
        reverse("applicants:shortlist_save", args=[program.acgme_id]), {"next": back}
    )
    assert saved["Location"] == back
    client.logout()
    response = client.post(
        reverse("applicants:login"),
        {"username": "applicant@example.org", "password": "long-enough-phrase-7", "next": back},
    )
    assert response["Location"] == back


@pytest.mark.parametrize(
    ("login", "username", "refusal"),
    [
        ("applicants:login", "x" * 300 + "@example.org", "No account has that email"),
        # 150 characters, 300 once read in lower case as the login form reads it
        ("applicants:login", "İ" * 150, "No account has that email"),
        ("admin:login", "x" * 300, "Please enter the correct username and password"),
    ],
)
def test_a_username_longer_than_any_accounts_is_refused_and_counted(
    client, login, username, refusal
):
    response = client.post(reverse(login), {"username": username, "password": "anything"})
    assert response.status_code == 200
    assert refusal in response.content.decode()
    attempt = AccessAttempt.objects.get()
    assert attempt.failures_since_start == 1
    assert len(attempt.username) == 150


def test_a_password_longer_than_any_accounts_is_refused_before_it_is_checked(
    client, applicant_user
):
    too_long = "x" * (passwords.MAXIMUM_LENGTH + 1)
    response = client.post(
        reverse("applicants:login"), {"username": "applicant@example.org", "password": too_long}
    )
    assert "No account has that email and password" in response.content.decode()
    assert AccessAttempt.objects.get().failures_since_start == 1


def test_no_account_can_have_a_password_that_long(client):
    too_long = "generated-" * (passwords.MAXIMUM_LENGTH // 10 + 1)
    response = client.post(
        reverse("applicants:signup"),
        {"email": "new@example.org", "password1": too_long, "password2": too_long},
    )
    assert response.status_code == 200
    assert "can’t be longer than 4,096 characters" in response.content.decode()
