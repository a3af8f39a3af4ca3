"""A page that shows something of whoever asks is for their browser alone:
``Cache-Control: private`` keeps a shared cache (a proxy, a CDN) from handing it on."""

import pytest
from django.urls import reverse

from applicants import services
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def program():
    return ProgramFactory()


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


@pytest.mark.parametrize("page", ["list", "detail"])
def test_a_page_showing_what_the_applicant_saved_is_private(client, program, page):
    user = services.create_account(email="applicant@example.org", password="long-enough-7")
    services.save_to_shortlist(user=user, program=program)
    client.force_login(user)
    url = reverse(f"programs:{page}", **({"args": [program.acgme_id]} if page == "detail" else {}))
    response = client.get(url)
    assert "is-saved" in response.content.decode()
    assert "private" in cache_control(response) and "public" not in cache_control(response)


def test_a_page_read_with_a_visitors_session_is_private(client, program):
    session = client.session
    session["anything"] = "kept"
    session.save()
    client.cookies["sessionid"] = session.session_key
    assert "private" in cache_control(client.get(program.get_absolute_url()))


def test_a_page_for_anyone_stays_unmarked(client, program):
    assert cache_control(client.get(program.get_absolute_url())) == set()


def test_a_personal_page_stays_no_store(client):
    user = services.create_account(email="applicant@example.org", password="long-enough-7")
    client.force_login(user)
    assert {"no-store", "private"} <= cache_control(client.get(reverse("applicants:shortlist")))
