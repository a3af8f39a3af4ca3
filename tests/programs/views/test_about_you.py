"""The list's "About you" answers (a score, a graduation year, months of experience) live in
the reader's session, never in an address: not in the list's URL, its links, the browser's
history or the access log."""

import datetime
import logging
import re
from html.parser import HTMLParser
from types import SimpleNamespace
from urllib.parse import urlencode, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from gunicorn.config import Config

from programs import listing
from residency_site.access_log import RedactingLogger
from tests.factories import ProgramFactory
from tests.pages import page_text as text

pytestmark = pytest.mark.django_db

LIST = reverse("programs:list")
ABOUT_YOU = reverse("programs:about_you")
EXPORT = reverse("programs:export")
# Values that appear in no other part of a page or a log line.
SCORE, GRADUATED, MONTHS = "237", "2013", "47"


class Controls(HTMLParser):
    """Each form of a page and what a browser would submit with it: the controls it owns
    (by their form attribute, or else the form around them), as they are set."""

    def __init__(self):
        super().__init__()
        self.forms: dict[str, dict] = {}
        self.values: dict[str, list[tuple[str, str]]] = {}
        self._open_form = None
        self._select = None
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "form":
            key = attrs.get("id") or f"form-{len(self.forms)}"
            self.forms[key] = attrs
            self.values[key] = []
            self._open_form = key
            return
        owner = attrs.get("form") or self._open_form
        if owner is None or "name" not in attrs:
            return
        if tag == "input":
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            if attrs.get("type") in ("submit", "button"):
                return
            self.values.setdefault(owner, []).append((attrs["name"], attrs.get("value", "")))
        elif tag == "select":
            self._select = (owner, attrs["name"])
        elif tag == "option" and self._select and "selected" in attrs:
            owner, name = self._select
            self.values.setdefault(owner, []).append((name, attrs.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "form":
            self._open_form = None
        elif tag == "select":
            self._select = None


def controls(response) -> Controls:
    parser = Controls()
    parser.feed(response.content.decode())
    return parser


class LoggedClient(Client):
    """A browser whose every request is written as gunicorn's access log would write it,
    with the page it came from as the referrer."""

    def __init__(self, **defaults):
        super().__init__(**defaults)
        self.lines: list[str] = []
        self.last_page = "-"
        config = Config()
        config.set("accesslog", "-")  # as gunicorn.conf.py has it
        self._logger = RedactingLogger(config)
        self._logger.access_log.handlers = [_Collect(self.lines)]
        self._logger.access_log.propagate = False

    def request(self, **request):
        request.setdefault("HTTP_REFERER", self.last_page)
        response = super().request(**request)
        path, query = request["PATH_INFO"], request.get("QUERY_STRING", "")
        target = f"{path}?{query}" if query else path
        environ = {
            "REQUEST_METHOD": request["REQUEST_METHOD"],
            "RAW_URI": target,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_REFERER": request["HTTP_REFERER"],
            "REMOTE_ADDR": "198.51.100.20",
        }
        self._logger.access(
            SimpleNamespace(status=f"{response.status_code} X", sent=0, headers=[]),
            SimpleNamespace(headers=[]),
            environ,
            datetime.timedelta(milliseconds=5),
        )
        if response.get("Content-Type", "").startswith("text/html"):
            self.last_page = f"http://testserver{target}"
        return response


class _Collect(logging.Handler):
    def __init__(self, lines):
        super().__init__()
        self.lines = lines

    def emit(self, record):
        self.lines.append(record.getMessage())


def submit(client, page, form_id, **changes):
    """Submit a form of ``page`` as a browser without JavaScript would."""
    found = controls(page)
    form = found.forms[form_id]
    values = [(n, v) for n, v in found.values.get(form_id, []) if n not in changes]
    values += list(changes.items())
    action = form.get("action") or LIST
    if form.get("method", "get").lower() == "post":
        return client.post(action, dict(values), follow=True)
    return client.get(f"{action}?{urlencode(values)}", follow=True)


def test_using_the_list_with_about_you_answers_writes_no_score_to_the_access_log(monkeypatch):
    monkeypatch.setattr(listing, "PAGE_SIZE", 1)  # pages, and their links, from 3 programs
    for n in range(3):
        ProgramFactory(name=f"Generated Texas Program {n}", state="TX", accepts_imgs="yes")
    browser = LoggedClient()
    page = browser.get(LIST, {"state": "TX", "sort": "name"})
    # The answers, typed into the "About you" fields and sent with their button.
    page = submit(browser, page, "about-you", step2=SCORE, yog=GRADUATED, usce=MONTHS)
    assert f"Your Step 2 CK score: {SCORE}" in text(page)
    assert f'value="{SCORE}"' in page.content.decode()
    # The filter form beside them, the sort, every page link, chip and the export.
    page = submit(browser, page, "filters", img="1")
    assert f"Your Step 2 CK score: {SCORE}" in text(page)
    sort_form = next(k for k, f in controls(page).forms.items() if f.get("class") == "sort")
    page = submit(browser, page, sort_form, sort="state")
    # Those with a query string: a bare path carries nothing.
    links = {
        link
        for link in controls(page).links
        if urlsplit(link).path in ("", LIST, EXPORT) and urlsplit(link).query
    }
    assert any("page=2" in link for link in links) and any(EXPORT in link for link in links)
    for link in links:
        browser.get(link if link.startswith("/") else f"{LIST}{link}")
    # Forgetting one answer with its chip.
    chip = next(k for k, v in controls(page).values.items() if ("clear", "step2") in v)
    submit(browser, page, chip)

    assert len(browser.lines) > 8
    for line in browser.lines:
        # What the line quotes: the request, the referrer and the user agent (its date and
        # sizes are digits that may happen to spell an answer).
        quoted = " ".join(re.findall(r'"([^"]*)"', line))
        assert LIST in quoted or EXPORT in quoted or ABOUT_YOU in quoted, line
        for secret in (SCORE, GRADUATED, MONTHS, "step2", "yog=", "usce"):
            assert secret not in quoted, line


def test_answers_are_kept_in_the_session_and_the_list_returns_without_them(client):
    response = client.post(
        ABOUT_YOU, {"step2": SCORE, "yog": GRADUATED, "usce": "", "query": "state=TX&page=2"}
    )
    assert response.status_code == 303
    assert response.url == f"{LIST}?state=TX"
    assert client.session["list_about_you"] == {"step2": SCORE, "yog": GRADUATED}
    page = client.get(response.url)
    assert f"Your Step 2 CK score: {SCORE}" in text(page)
    assert SCORE not in page.content.decode().split('id="about-you"')[0]


def test_a_link_with_a_score_in_it_answers_the_list_without_it(client):
    response = client.get(LIST, {"state": "TX", "step2": SCORE, "fit": "1"})
    assert response.status_code == 302 and response.url == f"{LIST}?state=TX"
    assert "list_about_you" not in client.session


def test_htmx_returns_to_the_address_bars_public_filters(client):
    response = client.post(
        ABOUT_YOU,
        {"step2": SCORE, "query": "state=NY"},
        headers={
            "HX-Request": "true",
            "HX-Target": "results",
            "HX-Current-URL": f"http://testserver{LIST}?state=TX&step2=1&page=3",
        },
    )
    assert response.status_code == 303 and response.url == f"{LIST}?state=TX"


def test_a_chip_forgets_one_answer_and_keeps_the_others(client):
    client.post(ABOUT_YOU, {"step2": SCORE, "yog": GRADUATED})
    client.post(ABOUT_YOU, {"clear": "step2", "query": ""})
    assert client.session["list_about_you"] == {"yog": GRADUATED}
    client.post(ABOUT_YOU, {"clear": "yog"})
    assert "list_about_you" not in client.session


def test_the_about_you_form_is_posted_only(client):
    assert client.get(ABOUT_YOU).status_code == 405
