"""Whatever a visitor sends, no page answers 5xx and nothing sent comes back unescaped.

Hypothesis writes the requests: NUL bytes, invalid UTF-8 escapes, huge and negative numbers,
repeated keys, 100 KB values, SQL and script fragments, in query strings, paths, form fields
and htmx headers, on every address of the URL conf and the admin's lists. The addresses come
from the URL conf, the query parameters from the list pages' FilterSets and forms, the posted
fields from the site's forms, so a new page, filter or field is fuzzed without being listed
here; an address that cannot be fuzzed must be excluded below with its reason. The number of
examples is bounded so the suite stays fast."""

import inspect
import os
import re
import urllib.parse
from dataclasses import dataclass

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from applicants import forms as applicant_forms
from applicants import services
from applicants.filters import MatchFilter, ShortlistFilter
from applicants.matching import Applicant
from programs import forms as program_forms
from programs.choices import FactGroup
from programs.filters import ProgramFilter
from programs.services import create_curator
from representatives import forms as representative_forms
from representatives import services as representation
from representatives.models import Decision
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
HOSTILE = st.one_of(st.sampled_from(HOSTILE_VALUES), st.text(max_size=40))


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

ROUTES = [r for r in routes() if r.name not in EXCLUDED]
WITH_CONVERTERS = [r for r in ROUTES if r.converters]


# --- What is sent: the parameters the pages read, the fields the forms take ---------------


def form_classes(*modules) -> list[type[forms.BaseForm]]:
    return [
        cls
        for module in modules
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__
    ]


# The list pages' filters, and the other forms read from a query string; ``page`` and the
# compared ``ids`` are read by the views themselves.
PARAMETERS = sorted(
    {
        *ProgramFilter.base_filters,
        *MatchFilter.base_filters,
        *ShortlistFilter.base_filters,
        *applicant_forms.CostWhatIfForm.base_fields,
        "page",
        "ids",
        "p",
    }
)
# Every field of the site's forms and of the Django forms its account pages use, the
# honeypot and the address a form returns to.
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
    | {"next"}
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
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")),
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
            response = requester.get(f"{path}?{query}")
            assert_answered_safely(response, where=f"{path} {value[:20]!r}")


@FUZZ
@given(
    pairs=QUERIES,
    headers=HTMX,
    route=st.sampled_from(ROUTES),
    who=st.sampled_from(["visitor", "applicant"]),
)
def test_every_page_answers_any_query_string(client, site, pairs, headers, route, who):
    path = site.path(route)
    response = site.client(client, who).get(f"{path}?{raw_query(pairs)}", **headers)
    assert_answered_safely(response, where=path)


@FUZZ
@given(segment=HOSTILE, route=st.sampled_from(WITH_CONVERTERS))
def test_any_path_segment_is_a_page_or_a_404(client, site, segment, route):
    quoted = segment if segment.startswith("%") else urllib.parse.quote(segment, safe="")
    path = "/" + re.sub(r"<(?:\w+:)?\w+>", lambda _: quoted[:2000], route.route)
    response = client.get(path)
    assert_answered_safely(response, where=route.route)


@FUZZ
@given(
    fields=st.dictionaries(st.sampled_from(FIELDS), HOSTILE, max_size=6),
    route=st.sampled_from(ROUTES),
    who=st.sampled_from(["visitor", "applicant"]),
    headers=HTMX,
)
def test_every_address_answers_any_post(client, site, fields, route, who, headers):
    path = site.path(route)
    requester = site.client(client, who)
    if route.name == "applicants:shortlist_entry":
        fields = {f"entry-{site.entry.pk}-{name}": value for name, value in fields.items()}
    response = requester.post(path, fields, **headers)
    assert_answered_safely(response, where=path)


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
    response = client.get(f"/admin/{changelist}/?{raw_query(pairs)}")
    assert_answered_safely(response, where=changelist)
