"""Whatever a visitor sends, no page answers 5xx and nothing sent comes back unescaped.

Hypothesis writes the requests: NUL bytes, invalid UTF-8 escapes, huge and negative numbers,
repeated and missing keys, 100 KB values, SQL and script fragments, in query strings, paths,
form fields and htmx headers; bodies in every charset Python knows, multipart whole and
broken, at and over the size limits; any method. They go to every address of the URL conf
and the admin's lists, from a browser whose CSRF token is checked as in production, and are
built as the site's WSGI handler builds them. The addresses come from the URL conf, the
query parameters from the site's FilterSets and forms, the posted fields from the site's
forms and the templates' own inputs (hidden ones included), so a new page, filter or field
is fuzzed without being listed here; an address that cannot be fuzzed must be excluded below
with its reason.

The number of examples is bounded so the suite stays fast; FUZZ_EXAMPLES sets it for a long
run, and FUZZ_TALLY=1 counts every 5xx by its kind instead of stopping at the first, then
prints the counts with the number of requests sent."""

import codecs
import contextlib
import encodings
import inspect
import logging
import os
import pkgutil
import re
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django import forms
from django.conf import settings as django_settings
from django.contrib import admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.test import client as test_client
from django.test.client import encode_multipart
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_filters import FilterSet
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from applicants import filters as applicant_filters
from applicants import forms as applicant_forms
from applicants import services
from applicants.matching import Applicant
from programs import filters as program_filters
from programs import forms as program_forms
from programs.choices import FactGroup
from programs.filters import ProgramFilter
from programs.services import create_curator
from representatives import forms as representative_forms
from representatives import services as representation
from representatives.models import Decision
from residency_site.unreadable import METHODS, GuardedRequest
from tests.factories import (
    FaqEntryFactory,
    GuideFactory,
    ProgramFactory,
    SeasonFactory,
    SpecialtyFactory,
)

pytestmark = pytest.mark.django_db

MARKER = "<script>alert(1)</script>"
HOSTILE_VALUES = [
    "\x00",
    "a\x00b",
    "%ff%fe",
    "%c3%28",
    "-1",
    "0",
    "99999999999999999999999999",
    "-99999999999999999999",
    "1e309",
    "NaN",
    "' OR 1=1 --",
    "'; DROP TABLE programs_program; --",
    MARKER,
    '"><img src=x onerror=alert(1)>',
    "../../etc/passwd",
    "x" * 100_000,
    "2026-13-45",
    "９９",
    "\u202e",
    "",
]
# As long as an account's name may be (150), twice as long once read in lower case.
GROWS_IN_LOWER_CASE = "İ" * 150
HOSTILE = st.one_of(st.sampled_from([*HOSTILE_VALUES, GROWS_IN_LOWER_CASE]), st.text(max_size=40))


# --- The addresses: every pattern of the URL conf -----------------------------------------


@dataclass(frozen=True)
class Route:
    name: str | None  # namespaced, as reverse() takes it
    route: str  # the pattern's text from the root, converters included

    @property
    def converters(self) -> list[str]:
        return re.findall(r"<(?:\w+:)?(\w+)>", self.route)


def routes(patterns=None, prefix: str = "", namespace: str = "") -> list[Route]:
    """Every URL pattern, the included ones with their prefixes; a namespace that is
    excluded is not walked into."""
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace in EXCLUDED:
                found.append(Route(pattern.namespace, prefix + str(pattern.pattern)))
                continue
            found += routes(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else None
            found.append(Route(name, prefix + str(pattern.pattern)))
    return found


# Addresses (or namespaces) left out, each with its reason.
EXCLUDED = {
    "admin": "Django's own pages for curators; their change lists are fuzzed below as a "
    "curator, through every registered model",
}

# A real value for every converter, so that the page exists and the fuzzing reaches the
# view's own code rather than stopping at a 404: by the converter's name where it can mean
# one thing only, otherwise by the address's name.
BY_CONVERTER = {"acgme_id": lambda s: s.program.acgme_id}
ARGUMENTS = {
    "programs:specialty": lambda s: {"slug": s.program.specialty.slug},
    "programs:state": lambda s: {"code": s.program.state},
    "programs:sponsor": lambda s: {"code": s.program.sponsor.code},
    "programs:guide": lambda s: {"slug": s.guide.slug},
    "sitemap-section": lambda s: {"section": "programs"},
    "applicants:password_reset_confirm": lambda s: {
        "uidb64": urlsafe_base64_encode(force_bytes(s.user.pk)),
        "token": default_token_generator.make_token(s.user),
    },
    # A link that finishes no sign-up in this session: the view still reads it.
    "applicants:signup_finish": lambda s: {"token": "a-generated-sign-up-token"},
    "applicants:shortlist_entry": lambda s: {"pk": s.entry.pk},
    "applicants:shortlist_signal": lambda s: {"pk": s.entry.pk},
    "applicants:calendar_feed": lambda s: {"token": s.feed.token},
    "representatives:resend": lambda s: {"pk": s.pending.pk},
    "representatives:verify": lambda s: {"token": representation.verification_token(s.speaker)},
    "representatives:facts": lambda s: {"group": FactGroup.VISA},
    "representatives:confirm": lambda s: {"group": FactGroup.VISA},
}

# Of the admin's pages, anyone can reach its login.
ROUTES = [r for r in routes() if r.name not in EXCLUDED] + [Route("admin:login", "admin/login/")]
WITH_CONVERTERS = [r for r in ROUTES if r.converters]


# --- What is sent: the parameters the pages read, the fields the forms take ---------------


def form_classes(*modules) -> list[type[forms.BaseForm]]:
    return [
        cls
        for module in modules
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__
    ]


def filtersets(*modules) -> list[type[FilterSet]]:
    return [
        cls
        for module in modules
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, FilterSet) and cls.__module__ == module.__name__
    ]


def template_inputs() -> set[str]:
    """The names of the inputs the templates write themselves, hidden ones included."""
    tag = re.compile(r"<(?:input|select|textarea|button)\b[^>]*?\bname=\"([^\"{]+)\"")
    templates = Path(__file__).resolve().parent.parent / "templates"
    return {name for path in templates.rglob("*.html") for name in tag.findall(path.read_text())}


# Every FilterSet's filters, and the other forms read from a query string; ``page`` and the
# compared ``ids`` are read by the views themselves.
PARAMETERS = sorted(
    {
        *(name for f in filtersets(program_filters, applicant_filters) for name in f.base_filters),
        *applicant_forms.CostWhatIfForm.base_fields,
        "page",
        "ids",
        "p",
    }
)
# Every field of the site's forms and of the Django forms its account pages use, and every
# input the templates write (the honeypot, the address a form returns to, the admin's).
FIELDS = sorted(
    {
        name
        for form in [
            *form_classes(applicant_forms, program_forms, representative_forms),
            auth_forms.SetPasswordForm,
            auth_forms.PasswordChangeForm,
            auth_forms.PasswordResetForm,
        ]
        for name in form.base_fields
    }
    | template_inputs()
)
QUERIES = st.lists(st.tuples(st.sampled_from(PARAMETERS), HOSTILE), max_size=6)
HTMX = st.fixed_dictionaries(
    {},
    optional={
        "HTTP_HX_REQUEST": st.sampled_from(["true", "false", "\x00", ""]),
        "HTTP_HX_TARGET": st.sampled_from(["results", "filters", MARKER, "x" * 1000]),
        "HTTP_HX_TRIGGER": st.sampled_from(["filters", "id_q", MARKER]),
        "HTTP_HX_REDRAW_FILTERS": st.sampled_from(["true", "1", "\x00"]),
    },
)
# 25 examples a test keep the suite fast; FUZZ_EXAMPLES=600 for a long run.
FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@dataclass
class Site:
    program: object
    guide: object
    user: object
    entry: object
    feed: object
    speaker: object  # the applicant, approved to represent the program
    pending: object  # and asking to represent another
    applicant: Client  # logged in, with a profile, a shortlist entry and a calendar feed
    browsers: dict = field(default_factory=dict)

    def arguments(self, route: Route) -> dict:
        given = ARGUMENTS[route.name](self) if route.name in ARGUMENTS else {}
        by_name = {n: BY_CONVERTER[n](self) for n in route.converters if n in BY_CONVERTER}
        return by_name | given

    def path(self, route: Route) -> str:
        if route.converters:
            return reverse(route.name, kwargs=self.arguments(route))
        return reverse(route.name) if route.name else "/" + route.route

    def client(self, client, who: str) -> Client:
        if who == "applicant":
            # A request of an earlier example may have logged out or removed the entry.
            self.applicant.force_login(self.user)
            return self.applicant
        return client

    def browser(self, who: str) -> Client:
        """A client whose CSRF token is checked, as a browser's is in production (the test
        client skips the check unless asked), holding the token a page would have given."""
        if who not in self.browsers:
            self.browsers[who] = Client(enforce_csrf_checks=True)
            self.browsers[who].cookies[django_settings.CSRF_COOKIE_NAME] = CSRF_SECRET
        if who == "applicant":
            self.browsers[who].force_login(self.user)
        return self.browsers[who]


@pytest.fixture(autouse=True)
def _requests_built_as_the_site_builds_them(monkeypatch):
    """The site's WSGI handler builds its requests with GuardedRequest; so does the test
    client here."""
    monkeypatch.setattr(test_client, "WSGIRequest", GuardedRequest)


@pytest.fixture
def site():
    SeasonFactory()
    specialty = SpecialtyFactory()
    program = ProgramFactory(specialty=specialty, website="https://im.example.edu/residency")
    FaqEntryFactory()
    user = services.create_account(email="hostile@example.org", password="long-enough-phrase-7")
    services.save_profile(
        user=user,
        applicant=Applicant(
            applicant_type="non_us_img", graduation_year=2020, specialty_ids=(specialty.pk,)
        ),
    )
    speaker = representation.ask_to_represent(
        user=user,
        program=program,
        name="Generated Speaker",
        role="Coordinator",
        email="speaker@example.edu",
    )
    representation.verify_email(token=representation.verification_token(speaker))
    speaker.refresh_from_db()
    representation.decide_requests(
        representatives=[speaker],
        status=Decision.APPROVED,
        reason="",
        curator=create_curator(
            username="generated-approver", email="c@example.org", password="long-enough-7"
        ),
    )
    other = ProgramFactory(website="https://surgery.example.org/")
    pending = representation.ask_to_represent(
        user=user,
        program=other,
        name="Generated Speaker",
        role="Coordinator",
        email="speaker@example.org",
    )
    applicant = Client()
    return Site(
        program=program,
        guide=GuideFactory(),
        user=user,
        entry=services.save_to_shortlist(user=user, program=program),
        feed=services.new_calendar_feed(user=user),
        speaker=speaker,
        pending=pending,
        applicant=applicant,
    )


def raw_query(pairs) -> str:
    """A query string as a client might send it: values quoted, except escapes left raw."""
    quoted = [(name, v if v.startswith("%") else urllib.parse.quote(v)) for name, v in pairs]
    return "&".join(f"{urllib.parse.quote(name)}={value}" for name, value in quoted)


def assert_answered_safely(response, *, where: str) -> None:
    assert response.status_code < 500, where
    if not response.streaming and "html" in response.get("Content-Type", ""):
        assert MARKER not in response.content.decode(errors="replace"), where


# Refusals Django logs with a traceback of its own: a redirect longer than 16,384 characters
# (the login page's return address for a page asked for with a longer query string, which
# gunicorn, allowing request lines of 4,094 bytes, never passes on).
DJANGOS_OWN_REFUSALS = {"django.security.DisallowedRedirect"}
# Requests sent, and with FUZZ_TALLY the 5xx answers and logged tracebacks by kind.
TALLY = Counter()


class Records(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records = []

    def emit(self, record):
        self.records.append(record)


def send(client, method: str, path: str, *, where: str, **options):
    """Send a request and check it was answered safely, with no traceback and no error
    logged (a refusal logs one WARNING line); with FUZZ_TALLY, count a 5xx or a traceback by
    its kind and go on (None for a 5xx), so that a long run gives every kind's count."""
    TALLY["requests"] += 1
    records = Records()
    logging.getLogger().addHandler(records)
    try:
        # Counting, a request failing in the database must not end the test's transaction.
        with transaction.atomic() if os.environ.get("FUZZ_TALLY") else contextlib.nullcontext():
            response = client.generic(method, path, **options)
    except Exception as error:
        if not os.environ.get("FUZZ_TALLY"):
            raise
        TALLY[f"5xx {type(error).__name__}: {_kind(str(error))}"] += 1
        return None
    finally:
        logging.getLogger().removeHandler(records)
    if os.environ.get("FUZZ_TALLY") and response.status_code >= 500:
        TALLY[f"5xx {response.status_code}"] += 1
        return None
    assert_answered_safely(response, where=where)
    for record in records.records:
        if record.name in DJANGOS_OWN_REFUSALS:
            continue
        if record.exc_info or record.levelno >= logging.ERROR:
            if not os.environ.get("FUZZ_TALLY"):
                pytest.fail(f"{where}: logged {record.levelname} {record.getMessage()[:80]!r}")
            kind = type(record.exc_info[1]).__name__ if record.exc_info else record.levelname
            TALLY[f"{response.status_code} with a traceback logged: {kind}"] += 1
    return response


def _kind(message: str) -> str:
    """An error's message without the values that vary between requests."""
    return re.sub(r"'[^']*'|\"[^\"]*\"|\d+", "…", message.splitlines()[0] if message else "")[:70]


@pytest.fixture(scope="module", autouse=True)
def _tally(request):
    yield
    if os.environ.get("FUZZ_TALLY"):
        plugins = request.config.pluginmanager
        with plugins.get_plugin("capturemanager").global_and_fixture_disabled():
            write = plugins.get_plugin("terminalreporter").write_line
            write("")
            for kind, count in sorted(TALLY.items()):
                write(f"{count:8,}  {kind}")


# --- Coverage ------------------------------------------------------------------------------


def test_every_address_is_fuzzed_or_excluded_with_a_reason(site):
    for route in routes():
        if route.name in EXCLUDED:
            assert EXCLUDED[route.name].strip(), route
            continue
        assert route.name or not route.converters, f"{route.route}: name it, or exclude it"
        assert set(route.converters) <= set(site.arguments(route)), (
            f"{route.route}: give its converters real values in ARGUMENTS, or exclude it"
        )
        # The values name things that exist: the page is there to be fuzzed.
        response = site.client(None, "applicant").get(site.path(route))
        assert response.status_code != 404, route
    names = {route.name for route in routes()}
    assert set(ARGUMENTS) <= names and set(EXCLUDED) <= names, "a stale entry"


def test_every_filter_and_form_field_is_sent():
    assert set(ProgramFilter.base_filters) <= set(PARAMETERS)
    assert {"h1b_filed", "verdict", "status", "ranks"} <= set(PARAMETERS)
    assert {"message", "website", "password1", "step2_score", "new_password1"} <= set(FIELDS)


# --- Bodies: every charset, multipart whole and broken, at and over the limits -----------

FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
BOUNDARY = "generated-boundary"
CSRF_SECRET = "generatedcsrfsecretgeneratedcsrf"  # what the browser's cookie holds
CSRF = ("csrfmiddlewaretoken", CSRF_SECRET)


def python_codecs() -> list[str]:
    """Every codec Python has: Django takes any of them from a Content-Type's charset."""
    names = set()
    for module in pkgutil.iter_modules(encodings.__path__):
        with contextlib.suppress(LookupError):  # a helper module of the package, no codec
            names.add(codecs.lookup(module.name).name)
    return sorted(names)


# Every codec (those that are no text encoding, like base64 and rot13, among them), spellings
# of UTF-8, and names that are no codec's.
CHARSETS = [*python_codecs(), "UTF-8", "utf8", "latin-1", "nope", "", '"utf-16"']
CHARSET = st.one_of(st.sampled_from(CHARSETS), st.from_regex(r"[\w.:-]{0,12}", fullmatch=True))
MEDIA_TYPES = [FORM, MULTIPART, "text/plain", "application/json", "multipart/mixed", "", "x"]
# A form's fields, repeated or missing as they come, with odd text in the address it returns to.
PAIRS = st.tuples(
    st.lists(st.tuples(st.sampled_from(FIELDS), HOSTILE), max_size=8),
    st.lists(st.tuples(st.just("next"), HOSTILE), max_size=2),
).map(lambda both: both[0] + both[1])
LIMITS = {
    "size": django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
    "fields": django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
    "files": django_settings.DATA_UPLOAD_MAX_NUMBER_FILES,
}


def in_charset(text: str, charset: str | None) -> bytes:
    try:
        return text.encode(charset or "utf-8", errors="replace")
    except (LookupError, TypeError, ValueError):
        return text.encode()


def multipart(pairs, *, files: int = 0, boundary: str = BOUNDARY) -> bytes:
    data = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    for number in range(files):
        data.setdefault("file", []).append(
            SimpleUploadedFile(f"generated-{number}.csv", b"acgme_id\r\n")
        )
    return encode_multipart(boundary, data)


def at_the_limit(limit: str, over: bool) -> tuple[str, bytes]:
    """A body exactly at one of Django's limits, or one over it."""
    extra = 1 if over else 0
    if limit == "size":
        start = urllib.parse.urlencode([CSRF]).encode() + b"&message="
        return FORM, start + b"a" * (LIMITS["size"] - len(start) + extra)
    if limit == "fields":
        fields = [CSRF, *(("f", "") for _ in range(LIMITS["fields"] - 1 + extra))]
        return FORM, urllib.parse.urlencode(fields).encode()
    body = multipart([CSRF], files=LIMITS["files"] + extra)
    return f"{MULTIPART}; boundary={BOUNDARY}", body


BROKEN_MULTIPART = {
    "no boundary": lambda body: (MULTIPART, body),
    "an empty boundary": lambda body: (f"{MULTIPART}; boundary=", body),
    "another boundary": lambda body: (f"{MULTIPART}; boundary=other", body),
    "a boundary too long": lambda body: (f"{MULTIPART}; boundary={'b' * 250}", body),
    "cut short": lambda body: (f"{MULTIPART}; boundary={BOUNDARY}", body[: len(body) // 2]),
    "no end": lambda body: (f"{MULTIPART}; boundary={BOUNDARY}", body.rsplit(b"--", 2)[0]),
    "a part without a name": lambda body: (
        f"{MULTIPART}; boundary={BOUNDARY}",
        f"--{BOUNDARY}\r\nContent-Disposition: form-data\r\n\r\nx\r\n--{BOUNDARY}--\r\n".encode(),
    ),
    "a part with broken headers": lambda body: (
        f"{MULTIPART}; boundary={BOUNDARY}",
        f"--{BOUNDARY}\r\nno header here\r\n\r\nx\r\n--{BOUNDARY}--\r\n".encode(),
    ),
}


@st.composite
def bodies(draw) -> tuple[str, bytes]:
    """(Content-Type, body): a form or a multipart body in any charset, whole or broken, a
    raw body of any type, or one at or over a size limit; the CSRF token sent or missing."""
    pairs = draw(PAIRS)
    if draw(st.integers(0, 9)):
        pairs = [CSRF, *pairs]
    charset = draw(st.none() | CHARSET)
    params = "" if charset is None else f"; charset={charset}"
    if not draw(st.integers(0, 14)):  # an RFC 2231 parameter, as in charset*=utf-8''...
        params += "; charset*=" + draw(st.sampled_from(["bogus''x", "utf-8''%ff", "''", "x"]))
    kind = draw(st.sampled_from(["form", "form", "multipart", "broken", "raw", "limit"]))
    if kind == "form":
        media = draw(st.sampled_from([FORM, FORM, *MEDIA_TYPES]))
        return media + params, in_charset(urllib.parse.urlencode(pairs), charset)
    if kind == "multipart":
        files = draw(st.integers(0, 2))
        return f"{MULTIPART}; boundary={BOUNDARY}{params}", multipart(pairs, files=files)
    if kind == "broken":
        content_type, body = draw(st.sampled_from(sorted(BROKEN_MULTIPART.items())))[1](
            multipart(pairs)
        )
        return content_type + params, body
    if kind == "raw":
        return draw(st.sampled_from(MEDIA_TYPES)) + params, draw(st.binary(max_size=300))
    return at_the_limit(draw(st.sampled_from(sorted(LIMITS))), over=draw(st.booleans()))


def post_options(content_type: str, body: bytes) -> dict:
    # The test client names a Content-Type only for a body that is not empty.
    return {"data": body, "content_type": content_type, "CONTENT_TYPE": content_type}


# Bodies no page can read, each refused with a 400 before any view or middleware reads it.
UNREADABLE = {
    "a form in UTF-16": (f"{FORM}; charset=utf-16", "message=a".encode("utf-16")),
    "a form in Latin-1": (f"{FORM}; charset=latin-1", "message=é".encode("latin-1")),
    "a form in base64": (f"{FORM}; charset=base64", b"bWVzc2FnZT1h"),
    "multipart in rot13": (
        f"{MULTIPART}; boundary={BOUNDARY}; charset=rot13",
        multipart([("message", "a")]),
    ),
    **{
        f"multipart with {name}": broken(multipart([CSRF, ("message", "a")]))
        for name, broken in BROKEN_MULTIPART.items()
        if name in ("no boundary", "an empty boundary", "a boundary too long")
    },
    "a Content-Type it cannot parse": ("text/plain; charset*=bogus''utf-8", b"a"),
    **{f"over the {limit} limit": at_the_limit(limit, over=True) for limit in LIMITS},
}
# Text no form can use in any field: digits of another script, no slash nor dot (Django's
# redirect() would take it for a view's name), longer than any account's name.
ODD_TEXT = "٢٥٠inf" + "x" * 250
WRONG_METHODS = ["TRACE", "PUT", "DELETE", "PROPFIND"]


# --- The fuzzing -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["visitor", "applicant"])
def test_every_page_answers_every_parameter_with_each_hostile_value(client, site, who):
    """Deterministic: each hostile value in every parameter at once, on every address."""
    requester = site.client(client, who)  # no GET logs out or removes anything
    for route in ROUTES:
        path = site.path(route)
        for value in HOSTILE_VALUES[::2] if who == "visitor" else HOSTILE_VALUES[1::2]:
            # Long values, each parameter's own, are the Hypothesis tests' to send.
            query = raw_query((p, value[:2000]) for p in PARAMETERS)
            send(requester, "GET", f"{path}?{query}", where=f"{path} {value[:20]!r}")


@pytest.mark.parametrize(
    ("who", "text"),
    [("visitor", ODD_TEXT), ("visitor", GROWS_IN_LOWER_CASE), ("applicant", ODD_TEXT)],
)
def test_every_address_answers_every_field_holding_odd_text(site, who, text):
    """Deterministic: every field of every form, hidden ones included, holding text no form
    can use, posted to every address with a valid CSRF token."""
    browser = site.browser(who)
    for route in sorted(ROUTES, key=lambda route: route.name == "applicants:logout"):
        fields = [(name, text) for name in FIELDS]
        if route.name == "applicants:shortlist_entry":
            fields += [(f"entry-{site.entry.pk}-{name}", text) for name in FIELDS]
        body = urllib.parse.urlencode([CSRF, *fields]).encode()
        path = site.path(route)
        send(browser, "POST", path, where=path, **post_options(FORM, body))


def test_every_address_refuses_each_body_it_cannot_read(site):
    """Deterministic: each body no page can read is a 400 on every address, and nothing is
    written."""
    browser = site.browser("applicant")
    paths = [site.path(route) for route in ROUTES]
    with CaptureQueriesContext(connection) as queries:
        for number, path in enumerate(paths):
            # Each address gets a few of the kinds, and each kind many addresses.
            for kind in list(UNREADABLE)[number % 3 :: 3]:
                response = send(
                    browser, "POST", path, where=f"{path} {kind}", **post_options(*UNREADABLE[kind])
                )
                if response is not None:
                    assert response.status_code == 400, f"{path} {kind}"
                    assert "That request could not be read" in response.content.decode()
    written = [q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert not written, written[:3]


def test_every_address_refuses_a_method_it_does_not_answer(client, site):
    for route in ROUTES:
        path = site.path(route)
        for method in WRONG_METHODS:
            response = send(client, method, path, where=f"{method} {path}", data=b"a")
            if response is not None:
                assert response.status_code == 405, f"{method} {path}"


@FUZZ
@given(
    pairs=QUERIES,
    headers=HTMX,
    route=st.sampled_from(ROUTES),
    who=st.sampled_from(["visitor", "applicant"]),
)
def test_every_page_answers_any_query_string(client, site, pairs, headers, route, who):
    path = site.path(route)
    send(site.client(client, who), "GET", f"{path}?{raw_query(pairs)}", where=path, **headers)


# Nor does a typed address make a key the cache warns of (a character memcached refuses).
@pytest.mark.filterwarnings("error::django.core.cache.backends.base.CacheKeyWarning")
@FUZZ
@given(segment=HOSTILE, route=st.sampled_from(WITH_CONVERTERS))
def test_any_path_segment_is_a_page_or_a_404(client, site, segment, route):
    quoted = segment if segment.startswith("%") else urllib.parse.quote(segment, safe="")
    path = "/" + re.sub(r"<(?:\w+:)?\w+>", lambda _: quoted[:2000], route.route)
    send(client, "GET", path, where=route.route)


@FUZZ
@given(
    pairs=PAIRS,
    route=st.sampled_from(ROUTES),
    who=st.sampled_from(["visitor", "applicant"]),
    headers=HTMX,
)
def test_every_address_answers_any_form(site, pairs, route, who, headers):
    path = site.path(route)
    if route.name == "applicants:shortlist_entry":
        pairs = [(f"entry-{site.entry.pk}-{name}", value) for name, value in pairs]
    body = urllib.parse.urlencode([CSRF, *pairs]).encode()
    send(site.browser(who), "POST", path, where=path, **post_options(FORM, body), **headers)


@FUZZ
@given(
    body=bodies(),
    route=st.sampled_from(ROUTES),
    who=st.sampled_from(["visitor", "applicant"]),
    query=QUERIES,
    headers=HTMX,
)
def test_every_address_answers_any_body(site, body, route, who, query, headers):
    path = f"{site.path(route)}?{raw_query(query)}"
    send(site.browser(who), "POST", path, where=f"{path} {body[0]!r}", **post_options(*body))


@FUZZ
@given(
    method=st.one_of(
        st.sampled_from([*WRONG_METHODS, "PATCH", "CONNECT", "MKCOL", "LOCK", "QUERY", "get"]),
        st.from_regex(r"[A-Za-z]{1,10}", fullmatch=True),
    ),
    route=st.sampled_from(ROUTES),
    query=QUERIES,
)
def test_every_address_answers_any_method(client, site, method, route, query):
    path = f"{site.path(route)}?{raw_query(query)}"
    response = send(client, method, path, where=f"{method} {path}", data=b"a=b")
    if response is not None and method.upper() not in METHODS:
        assert response.status_code == 405, f"{method} {path}"


CHANGELISTS = sorted(f"{m._meta.app_label}/{m._meta.model_name}" for m in admin.site._registry)


@FUZZ
@given(
    pairs=st.lists(
        st.tuples(
            st.sampled_from(
                ["state__exact", "q", "o", "p", "specialty__id__exact", "accepts_imgs__exact", "e"]
            ),
            HOSTILE,
        ),
        max_size=4,
    ),
    changelist=st.sampled_from(CHANGELISTS),
)
def test_the_admins_lists_answer_any_filter(client, site, pairs, changelist):
    curator = get_user_model().objects.get_or_create(
        username="generated-curator", defaults={"is_staff": True, "is_superuser": True}
    )[0]
    client.force_login(curator)
    send(client, "GET", f"/admin/{changelist}/?{raw_query(pairs)}", where=changelist)
