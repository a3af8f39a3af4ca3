"""No secret in any log line: a private feed's or a password-reset link's token is dropped
from what the site's own handlers, gunicorn's access and error logs and Django's error
reports write, whatever the method, encoding or trailing characters. Each test reads back
what the real handlers wrote and replays every address in it: none serves a feed or sets a
password."""

import datetime
import io
import logging
import re
from contextlib import contextmanager
from types import SimpleNamespace
from unittest import mock

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from gunicorn.config import Config

from applicants import services
from residency_site.access_log import RedactingLogger
from residency_site.log_redaction import redact

pytestmark = pytest.mark.django_db

PASSWORD = "long-enough-phrase-7"
NEW_PASSWORD = "a-brand-new-phrase-3"
INTRUDERS_PASSWORD = "an-intruders-phrase-5"


@contextmanager
def site_log():
    """What the site's own console handler (``LOGGING``) writes while the block runs."""
    [handler] = [h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler]
    written = io.StringIO()
    before = handler.setStream(written)
    try:
        yield written
    finally:
        handler.setStream(before)


class GunicornLog:
    """gunicorn's access and error logs as ``make serve`` configures them, written here."""

    def __init__(self):
        config = Config()
        config.set("accesslog", "-")
        config.set("errorlog", "-")
        self.logger = RedactingLogger(config)
        self.written = io.StringIO()
        for log in (self.logger.access_log, self.logger.error_log):
            for handler in log.handlers:
                if getattr(handler, "_gunicorn", False):  # not pytest's own
                    handler.setStream(self.written)

    def access(self, method: str, raw_path: str, response) -> None:
        path, _, query = raw_path.partition("?")
        environ = {
            "REQUEST_METHOD": method,
            "RAW_URI": raw_path,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "198.51.100.7",
            "HTTP_REFERER": f"http://testserver{raw_path}",
        }
        status = SimpleNamespace(status=f"{response.status_code} X", sent=1, headers=[])
        request = SimpleNamespace(headers=[])
        self.logger.access(status, request, environ, datetime.timedelta(milliseconds=5))


def logged_paths(text: str) -> list[str]:
    """Every address in the log lines, as a client would send it again."""
    found = re.findall(r"""(?:(?<=[\s"])|(?<=testserver))/[^\s"']+""", text)
    return list(dict.fromkeys(found))


def token_routes(patterns=None, prefix=""):
    """Every address of the URL conf that takes a token."""
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from token_routes(pattern.url_patterns, route)
        elif re.search(r"<(str:)?token>", route):
            yield route


def test_every_address_that_takes_a_token_loses_it_in_the_log():
    token = "Yf3XQM1PkqM5OCnn3OzzR6UiWZY0xtcnCzU1Lzufxe8"
    routes = list(token_routes())
    assert len(routes) >= 4
    for route in routes:
        value = lambda m: token if m[1] == "token" else "MQ"  # noqa: E731
        address = "/" + re.sub(r"<(?:\w+:)?(\w+)>", value, route)
        assert token not in redact(f'"GET {address} HTTP/1.1" 200'), route


# --- The calendar feed ----------------------------------------------------------------------


@pytest.fixture
def feed_token(applicant_user):
    return services.new_calendar_feed(user=applicant_user).token


@pytest.fixture
def applicant_user():
    return services.create_account(email="applicant@example.org", password=PASSWORD)


def serves_the_feed(response) -> bool:
    return response.status_code == 200 and response["Content-Type"].startswith("text/calendar")


@pytest.mark.parametrize(
    ("method", "address"),
    [
        ("GET", "/calendar/{}.ics"),
        ("GET", "/calendar/{}%2Eics"),  # the dot encoded: served all the same
        ("GET", "/%63alendar/{}.ics?refresh=1"),
        ("GET", "/calendar/{}.ics/"),  # Django's "Not Found" warning
        ("OPTIONS", "/calendar/{}.ics"),  # "Method Not Allowed" warnings
        ("PROPFIND", "/calendar/{}.ics"),
        ("POST", "/calendar/{}.ics"),
    ],
)
def test_a_feed_address_read_back_from_any_log_serves_nothing(feed_token, method, address):
    address = address.format(feed_token)
    gunicorn = GunicornLog()
    with site_log() as site:
        response = Client().generic(method, address)
        gunicorn.access(method, address, response)
        gunicorn.logger.error("Error handling request %s", address)
        logging.getLogger("django.server").info('"%s %s HTTP/1.1" 200 1', method, address)
    if method == "GET" and not address.endswith("/"):
        assert serves_the_feed(response)  # the address was live when it was logged
    written = site.getvalue() + gunicorn.written.getvalue()
    assert feed_token not in written
    assert "alendar/…" in gunicorn.written.getvalue()
    for logged in logged_paths(written):
        assert not serves_the_feed(Client().get(logged)), logged


def test_an_error_report_holds_no_feed_token(client, feed_token, settings, mailoutbox):
    settings.ADMINS = ["operator@example.org"]
    client.raise_request_exception = False
    boom = mock.patch("applicants.views.plan._calendar_items", side_effect=RuntimeError("boom"))
    with boom, site_log() as site:
        response = client.get(f"/calendar/{feed_token}.ics")
    assert response.status_code == 500
    [report] = mailoutbox
    written = [report.subject, report.body, *(a[0] for a in report.alternatives), site.getvalue()]
    assert "/calendar/…" in report.subject and "RuntimeError" in report.body
    assert not any(feed_token in text for text in written)


def test_the_debug_error_page_holds_no_feed_token(client, feed_token, settings):
    """With DEBUG on, the error page also lists every frame's variables: the view's token
    among them."""
    settings.DEBUG = True
    client.raise_request_exception = False
    with mock.patch("applicants.views.plan._calendar_items", side_effect=RuntimeError("boom")):
        response = client.get(f"/calendar/{feed_token}.ics", headers={"accept": "text/html"})
    page = response.content.decode()
    assert response.status_code == 500 and "Local vars" in page
    assert feed_token not in page


# --- Password-reset links ---------------------------------------------------------------------


def reset_link(client, mailoutbox) -> str:
    client.post(reverse("applicants:password_reset"), {"email": "applicant@example.org"})
    return re.search(r"http://testserver(/accounts/password/reset/\S+/)", mailoutbox[-1].body)[1]


def try_to_take_over(path: str) -> None:
    """What anyone reading the address can do with it: open it, go on and set a password."""
    intruder = Client()
    intruder.get(path)
    response = intruder.post(path, follow=True)
    if response.redirect_chain:
        path = response.redirect_chain[-1][0]
    intruder.post(path, {"new_password1": INTRUDERS_PASSWORD, "new_password2": INTRUDERS_PASSWORD})


def test_a_reset_link_read_back_from_the_logs_sets_no_password(client, applicant_user, mailoutbox):
    link = reset_link(client, mailoutbox)
    token = link.rstrip("/").rsplit("/", 1)[1]
    gunicorn = GunicornLog()
    with site_log() as site:
        gunicorn.access("GET", link, client.get(link))
        opened = client.post(link)
        gunicorn.access("POST", link, opened)
        gunicorn.access("GET", opened.url, client.get(opened.url))
        # A warning carrying the link: a trailing character makes it a "Not Found".
        gunicorn.access("GET", f"{link}x", client.get(f"{link}x"))
    written = site.getvalue() + gunicorn.written.getvalue()
    assert token not in written and "/accounts/password/reset/…" in written
    for logged in logged_paths(written):
        try_to_take_over(logged)
    applicant_user.refresh_from_db()
    assert not applicant_user.check_password(INTRUDERS_PASSWORD)
    # Its owner, who opened it, still sets their new password.
    done = client.post(opened.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.url == reverse("applicants:password_reset_complete")
    applicant_user.refresh_from_db()
    assert applicant_user.check_password(NEW_PASSWORD)


def test_a_reset_link_works_once_and_dies_when_used(client, applicant_user, mailoutbox):
    link = reset_link(client, mailoutbox)
    assert client.post(link).status_code == 302  # its owner goes on to choose a password
    replayed = Client().get(link)
    assert "This link has been used or has expired" in replayed.content.decode()
    try_to_take_over(link)
    applicant_user.refresh_from_db()
    assert applicant_user.check_password(PASSWORD)


def test_a_reset_link_only_fetched_is_not_spent(client, applicant_user, mailoutbox):
    """A mail scanner fetches links before their reader clicks them."""
    link = reset_link(client, mailoutbox)
    assert Client().get(link).status_code == 200
    assert client.post(link).status_code == 302
