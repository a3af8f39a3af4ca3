"""Failed logins are limited per address across accounts and per account across addresses,
before any password is hashed, and an attacker elsewhere cannot lock an owner out."""

import re

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client
from django.urls import reverse

from applicants import services

pytestmark = pytest.mark.django_db

PASSWORD = "long-enough-phrase-7"


class CountingHasher(MD5PasswordHasher):
    """The tests' hasher, counting every password it hashes or checks."""

    calls = 0

    def encode(self, password, salt):
        type(self).calls += 1
        return super().encode(password, salt)

    def verify(self, password, encoded):
        type(self).calls += 1
        return super().verify(password, encoded)


@pytest.fixture
def hasher(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    CountingHasher.calls = 0
    return CountingHasher


def log_in(client, username, password="a-wrong-guess", path="applicants:login"):
    return client.post(reverse(path), {"username": username, "password": password})


@pytest.mark.parametrize("path", ["applicants:login", "admin:login"])
def test_a_hundred_new_usernames_from_one_address_are_refused_without_hashing(
    settings, hasher, path
):
    settings.LOGIN_FAILURES_PER_ADDRESS = 20
    attacker = Client(REMOTE_ADDR="198.51.100.66")
    statuses = []
    for n in range(100):
        before = hasher.calls
        statuses.append(log_in(attacker, f"generated-{n}@generated.invalid", path=path).status_code)
        if n >= 20:
            assert hasher.calls == before, f"attempt {n + 1} hashed a password"
    assert statuses == [200] * 20 + [429] * 80
    assert hasher.calls == 20
    refused = log_in(attacker, "generated-x@generated.invalid", path=path)
    assert "many failed logins from your connection" in refused.content.decode()
    assert attacker.get("/healthz").status_code == 200
    # Someone at another address logs in as usual.
    elsewhere = Client(REMOTE_ADDR="198.51.100.67")
    assert log_in(elsewhere, "x@generated.invalid", path=path).status_code == 200


def test_one_password_sprayed_across_accounts_from_one_address_is_refused(settings, hasher):
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    for n in range(5):
        services.create_account(email=f"generated-{n}@generated.invalid", password=PASSWORD)
    sprayer = Client(REMOTE_ADDR="198.51.100.70")
    statuses = [
        log_in(sprayer, f"generated-{n}@generated.invalid", "Password123!").status_code
        for n in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]
    assert log_in(sprayer, "generated-4@generated.invalid", PASSWORD).status_code == 429


def test_an_account_guessed_from_many_addresses_stays_open_in_its_owners_browser(
    settings, applicant_user, mailoutbox
):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 3
    owner = Client(REMOTE_ADDR="203.0.113.5")
    assert log_in(owner, "applicant@example.org", PASSWORD).status_code == 302
    owner.post(reverse("applicants:logout"))

    statuses = [
        log_in(Client(REMOTE_ADDR=f"198.51.100.{n}"), "APPLICANT@example.org ").status_code
        for n in range(1, 6)
    ]
    assert statuses == [200, 200, 200, 429, 429]
    # The owner's browser logs in, even from another address; a new browser is refused,
    # whatever the password, until the owner resets it.
    assert log_in(owner, "applicant@example.org", PASSWORD).status_code == 302
    new_browser = Client(REMOTE_ADDR="203.0.113.6")
    refused = log_in(new_browser, "applicant@example.org", PASSWORD)
    assert refused.status_code == 429
    assert "only from a browser that has logged in to it before" in refused.content.decode()
    # Another account from the same browser is not refused for this one's failures.
    assert log_in(new_browser, "other@example.org").status_code == 200

    new_browser.post(reverse("applicants:password_reset"), {"email": "applicant@example.org"})
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mailoutbox[-1].body)
    form = new_browser.post(link[1], follow=True).redirect_chain[-1][0]
    new = "a-brand-new-phrase-3"
    new_browser.post(form, {"new_password1": new, "new_password2": new})
    assert log_in(new_browser, "applicant@example.org", new).status_code == 302


def test_a_known_browser_cookie_of_one_account_opens_no_other(settings, applicant_user, other_user):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 1
    browser = Client(REMOTE_ADDR="203.0.113.5")
    assert log_in(browser, "applicant@example.org", PASSWORD).status_code == 302
    log_in(Client(REMOTE_ADDR="198.51.100.1"), "other@example.org")
    assert log_in(browser, "other@example.org", PASSWORD).status_code == 429
    # A forged cookie is no better.
    browser.cookies["known_login"] = "forged"
    log_in(Client(REMOTE_ADDR="198.51.100.2"), "applicant@example.org")
    assert log_in(browser, "applicant@example.org", PASSWORD).status_code == 429
