import pytest

pytestmark = pytest.mark.django_db


def test_unknown_address_gets_the_sites_own_not_found_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()
    assert 'href="/programs/"' in response.content.decode()


def test_unknown_program_gets_not_found(client):
    response = client.get("/programs/0000000000/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()
