"""Requests holding a NUL character are refused with the 400 page, never a 500."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/faq/?q=%00",
        "/programs/abc%00/",
        "/programs/?q=a%00b",
        "/programs/?state=%00",
        "/admin/programs/program/?state__exact=%00",
        "/programs/?%00=x",
    ],
)
def test_a_nul_in_an_address_is_a_clear_400(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "That request could not be read" in response.content.decode()


def test_a_nul_in_a_posted_form_is_a_clear_400(client):
    response = client.post("/programs/%00/report/", {"message": "a\x00b"})
    assert response.status_code == 400
    response = client.post("/accounts/login/", {"username": "x\x00", "password": "y"})
    assert response.status_code == 400


def test_ordinary_requests_pass(client):
    assert client.get("/faq/?q=visa").status_code == 200
