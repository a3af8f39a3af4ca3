"""The caller's address, and the hourly limits kept per address in the shared cache."""

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from residency_site.clients import client_address, over_hourly_limit
from tests.pages import without_csrf_token


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("198.51.100.7", "198.51.100.7"),
        ("10.0.0.1, 198.51.100.7", "198.51.100.7"),  # the first is the caller's to forge
        ("", "127.0.0.1"),
    ],
)
@override_settings(BEHIND_TLS_PROXY=True)
def test_behind_the_proxy_the_address_is_the_one_it_appended(forwarded, expected):
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="127.0.0.1")
    assert client_address(request) == expected


@override_settings(BEHIND_TLS_PROXY=False)
def test_without_a_proxy_a_forwarded_header_is_not_believed():
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="198.51.100.7", REMOTE_ADDR="10.1.1.1")
    assert client_address(request) == "10.1.1.1"


def test_a_limit_counts_per_action_and_address_in_the_cache():
    cache.clear()
    one = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1")
    other = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2")
    assert [over_hourly_limit(one, "try", 2) for _ in range(3)] == [False, False, True]
    assert not over_hourly_limit(other, "try", 2)
    assert not over_hourly_limit(one, "another", 2)
    assert cache.get("limit:try:10.0.0.1") == 3


@pytest.mark.django_db
@override_settings(SIGNUPS_PER_HOUR=2)
def test_sign_ups_from_one_address_are_limited_whatever_the_session():
    cache.clear()

    def sign_up(n, address="10.0.0.9"):
        return Client(REMOTE_ADDR=address).post(
            reverse("applicants:signup"),
            {
                "email": f"generated-{n}@generated.invalid",
                "password1": "a-long-generated-password",
                "password2": "a-long-generated-password",
            },
        )

    assert [sign_up(n).status_code for n in range(2)] == [200, 200]
    refused = sign_up(3)
    assert refused.status_code == 429
    assert "several sign-ups from your address" in refused.content.decode()
    assert sign_up(4, address="10.0.0.10").status_code == 200


@pytest.mark.django_db
@override_settings(SIGNUPS_PER_HOUR=5)
def test_forty_sign_up_probes_are_counted_before_anything_is_said(mailoutbox):
    from applicants.services import create_account

    create_account(email="known@generated.invalid", password="a-long-generated-password")
    prober = Client(REMOTE_ADDR="198.51.100.40")
    answers = [
        prober.post(
            reverse("applicants:signup"),
            # Known and unknown addresses, and a form that fails its own checks.
            {
                "email": ["known@generated.invalid", f"probe-{n}@generated.invalid"][n % 2],
                "password1": "a-long-generated-password",
                "password2": "a-long-generated-password" if n % 3 else "another",
            },
        )
        for n in range(40)
    ]
    assert [a.status_code for a in answers] == [200] * 5 + [429] * 35
    assert not any("already" in a.content.decode() for a in answers)
    assert len(mailoutbox) == 3  # the three valid ones of the first five


@pytest.mark.django_db
@override_settings(PASSWORD_RESETS_PER_HOUR=2)
def test_password_links_from_one_address_are_limited(mailoutbox):
    cache.clear()
    client = Client(REMOTE_ADDR="10.0.0.11")
    url = reverse("applicants:password_reset")
    statuses = [
        client.post(url, {"email": "nobody@generated.invalid"}).status_code for _ in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert (
        "several password links"
        in client.post(url, {"email": "x@generated.invalid"}).content.decode()
    )


@pytest.mark.django_db
@override_settings(BEHIND_TLS_PROXY=True)
def test_behind_the_proxy_reports_are_limited_per_caller_not_per_proxy(client):
    from tests.factories import ProgramFactory

    cache.clear()
    program = ProgramFactory()
    url = reverse("programs:report", args=[program.acgme_id])

    def report(caller):
        return client.post(
            url,
            {"message": "Generated: the page is out of date."},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=caller,
        )

    assert {report("198.51.100.1").status_code for _ in range(5)} == {302}
    assert report("198.51.100.1").status_code == 429
    assert report("198.51.100.2").status_code == 302


@pytest.mark.django_db
@override_settings(PASSWORD_RESET_MAILS_PER_RECIPIENT=3)
def test_one_inbox_gets_few_reset_mails_however_many_addresses_ask(mailoutbox):
    from applicants.services import create_account

    create_account(email="victim@generated.invalid", password="a-long-generated-password")
    url = reverse("applicants:password_reset")
    answers = [
        Client(REMOTE_ADDR=f"198.51.100.{n}").post(url, {"email": "Victim@generated.invalid"})
        for n in range(1, 51)
    ]
    assert {(r.status_code, r.url) for r in answers} == {
        (302, reverse("applicants:password_reset_done"))
    }
    assert len(mailoutbox) == 3
    # Another inbox is not held back by this one's.
    create_account(email="other@generated.invalid", password="a-long-generated-password")
    Client(REMOTE_ADDR="198.51.100.1").post(url, {"email": "other@generated.invalid"})
    assert len(mailoutbox) == 4


@pytest.mark.django_db
def test_a_reset_asked_for_an_address_with_or_without_an_account_answers_the_same():
    from applicants.services import create_account

    create_account(email="known@generated.invalid", password="a-long-generated-password")
    url = reverse("applicants:password_reset")

    def answer(email):
        response = Client(REMOTE_ADDR="198.51.100.9").post(url, {"email": email}, follow=True)
        return response.status_code, response.redirect_chain, without_csrf_token(response)

    assert answer("known@generated.invalid") == answer("unknown@generated.invalid")
