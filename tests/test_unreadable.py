"""Requests no page can use are refused up front, never with a 500: a NUL character (400), a
body or Content-Type Django cannot read (400, read once, nothing written), a method the site
does not answer (405). Each refusal logs one WARNING line and nothing it was sent."""

import io
import logging

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.test.client import encode_multipart

from residency_site.wsgi import application
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded"
SECRET = "generatedcsrfsecretgeneratedcsrf"


@pytest.fixture
def browser():
    """CSRF checked as in production: the check reads the form again, on the 400 page too."""
    browser = Client(enforce_csrf_checks=True)
    browser.cookies["csrftoken"] = SECRET
    return browser


def post(client, path, body: bytes, content_type: str):
    return client.generic("POST", path, body, content_type=content_type)


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


@pytest.mark.parametrize("charset", ["utf-16", "latin-1", "rot13", "base64"])
def test_a_form_in_another_charset_is_a_clear_400(browser, charset):
    body = f"csrfmiddlewaretoken={SECRET}&message=generated".encode(
        "utf-16" if charset == "utf-16" else "latin-1"
    )
    response = post(browser, "/accounts/login/", body, f"{FORM}; charset={charset}")
    assert response.status_code == 400
    assert "That request could not be read" in response.content.decode()


@pytest.mark.parametrize(
    "content_type",
    [
        "multipart/form-data",
        "multipart/form-data; boundary=",
        f"multipart/form-data; boundary={'b' * 250}",
    ],
)
def test_multipart_without_a_usable_boundary_is_a_clear_400(browser, content_type):
    body = encode_multipart("b", {"csrfmiddlewaretoken": SECRET, "message": "generated"})
    response = post(browser, "/me/calendar/address/", body, content_type)
    assert response.status_code == 400
    assert "That request could not be read" in response.content.decode()


def test_a_body_over_the_size_limit_is_a_clear_400(browser, settings, caplog):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = f"csrfmiddlewaretoken={SECRET}&message=".encode()
    at_the_limit = body + b"a" * (1000 - len(body))
    assert post(browser, "/accounts/login/", at_the_limit, FORM).status_code == 200
    assert post(browser, "/accounts/login/", at_the_limit + b"a", FORM).status_code == 400
    assert "Refused a POST to /accounts/login/: a body over the size limit" in caplog.text


def test_a_refused_body_writes_nothing(browser, django_assert_max_num_queries):
    program = ProgramFactory()
    body = f"csrfmiddlewaretoken={SECRET}&message=generated".encode("utf-16")
    with django_assert_max_num_queries(0):
        response = post(
            browser, f"/programs/{program.acgme_id}/report/", body, f"{FORM}; charset=utf-16"
        )
    assert response.status_code == 400


@pytest.fixture
def _connections_kept_open():
    """The test's database connection stays open through a request, as the test client
    keeps it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("_connections_kept_open")
def test_the_sites_wsgi_handler_refuses_a_content_type_django_cannot_build_a_request_from():
    answers = []
    for content_type, query in [
        ("text/plain; charset*=bogus''utf-8", ""),
        ("text/plain; charset=rot13", "q=%C3%A9"),
    ]:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": "/robots.txt",
            "QUERY_STRING": query,
            "CONTENT_TYPE": content_type,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
        }
        application(environ, lambda status, headers: answers.append(status))
    assert answers == ["400 Bad Request", "400 Bad Request"]


@pytest.mark.parametrize("method", ["TRACE", "PUT", "DELETE", "PROPFIND"])
def test_a_method_the_site_does_not_answer_is_a_405(client, method):
    response = client.generic(method, "/me/")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST, OPTIONS"


def test_a_refusal_logs_one_warning_line_and_nothing_sent(browser, caplog):
    caplog.set_level(logging.DEBUG)
    personal = "applicant-secret@example.org"
    refused = [
        (
            "POST",
            "/accounts/login/",
            f"username={personal}".encode("utf-16"),
            f"{FORM}; charset=utf-16",
        ),
        ("POST", "/accounts/login/", f"username={personal}\x00".encode(), FORM),
        (
            "POST",
            "/me/calendar/address/",
            encode_multipart("b", {"x": personal}),
            "multipart/form-data",
        ),
        ("TRACE", f"/programs/?q={personal}", b"", ""),
    ]
    for method, path, body, content_type in refused:
        caplog.clear()
        browser.generic(method, path, body, content_type=content_type)
        assert [(r.levelname, r.exc_info) for r in caplog.records] == [("WARNING", None)], path
        assert "\n" not in caplog.text.strip()
        assert personal not in caplog.text


def test_ordinary_requests_pass(client, browser):
    assert client.get("/faq/?q=visa").status_code == 200
    assert client.options("/me/").status_code == 302  # OPTIONS is left to the view
    body = f"csrfmiddlewaretoken={SECRET}&username=a%40example.org&password=x".encode()
    assert post(browser, "/accounts/login/", body, FORM).status_code == 200
    assert post(browser, "/accounts/login/", body, f"{FORM}; charset=UTF-8").status_code == 200
