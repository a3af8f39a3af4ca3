"""Whatever a visitor sends, no page answers 5xx and nothing sent comes back unescaped.

Hypothesis writes the requests: NUL bytes, invalid UTF-8 escapes, huge and negative numbers,
repeated keys, 100 KB values, SQL and script fragments, in query strings, paths, form fields
and htmx headers, on every public GET and POST view and the admin's list filters. The
number of examples is bounded so the suite stays fast."""

import os
import urllib.parse

import pytest
from django.contrib.auth import get_user_model
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import FaqEntryFactory, GuideFactory, ProgramFactory, SeasonFactory

pytestmark = pytest.mark.django_db

MARKER = "<script>alert(1)</script>"
HOSTILE = st.one_of(
    st.sampled_from(
        [
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
    ),
    st.text(max_size=40),
)
PARAMETERS = [
    "q",
    "specialty",
    "state",
    "region",
    "level",
    "setting",
    "visa",
    "img",
    "step2",
    "yog",
    "usce",
    "fit",
    "verified",
    "deadline_after",
    "deadline_before",
    "sort",
    "page",
    "ids",
    "verdict",
    "status",
    "ranks",
    "programs",
]
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


@pytest.fixture
def site():
    SeasonFactory()
    program = ProgramFactory()
    FaqEntryFactory()
    GuideFactory()
    return program


def public_paths(program) -> list[str]:
    return [
        "/",
        "/programs/",
        "/programs/export.csv",
        program.get_absolute_url(),
        program.specialty.get_absolute_url(),
        f"/states/{program.state}/",
        "/specialties/",
        "/faq/",
        "/guides/",
        "/timeline/",
        "/compare/",
        "/me/profile/",
        "/me/matches/",
        "/sitemap.xml",
        "/accounts/login/",
        f"/sponsors/{program.sponsor.code}/",
        "/sitemap-programs.xml",
    ]


def raw_query(pairs) -> str:
    """A query string as a client might send it: values quoted, except escapes left raw."""
    quoted = [(name, v if v.startswith("%") else urllib.parse.quote(v)) for name, v in pairs]
    return "&".join(f"{urllib.parse.quote(name)}={value}" for name, value in quoted)


def assert_answered_safely(response, *, where: str) -> None:
    assert response.status_code < 500, where
    if not response.streaming and "html" in response.get("Content-Type", ""):
        assert MARKER not in response.content.decode(errors="replace"), where


@FUZZ
@given(pairs=QUERIES, headers=HTMX, index=st.integers(min_value=0, max_value=16))
def test_public_pages_answer_any_query_string(client, site, pairs, headers, index):
    path = public_paths(site)[index]
    response = client.get(f"{path}?{raw_query(pairs)}", **headers)
    assert_answered_safely(response, where=path)


@FUZZ
@given(
    segment=HOSTILE,
    prefix=st.sampled_from(
        ["/programs/", "/specialties/", "/states/", "/sponsors/", "/guides/", "/calendar/"]
    ),
)
def test_any_path_segment_is_a_page_or_a_404(client, site, segment, prefix):
    quoted = segment if segment.startswith("%") else urllib.parse.quote(segment, safe="")
    end = ".ics" if prefix == "/calendar/" else "/"
    response = client.get(f"{prefix}{quoted[:2000]}{end}")
    assert_answered_safely(response, where=prefix)


@FUZZ
@given(
    fields=st.dictionaries(
        st.sampled_from(
            [
                "message",
                "email",
                "website",
                "username",
                "password",
                "password1",
                "password2",
                "applicant_type",
                "graduation_year",
                "step2_score",
                "usce_months",
                "specialties",
                "states",
                "visa_needed",
                "school_country",
            ]
        ),
        HOSTILE,
        max_size=6,
    ),
    target=st.sampled_from(
        [
            "report",
            "/accounts/login/",
            "/accounts/signup/",
            "/me/profile/",
            "/accounts/password/reset/",
        ]
    ),
    headers=HTMX,
)
def test_forms_answer_any_post(client, site, fields, target, headers):
    path = f"{site.get_absolute_url()}report/" if target == "report" else target
    response = client.post(path, fields, **headers)
    assert_answered_safely(response, where=path)


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
    changelist=st.sampled_from(
        ["programs/program", "programs/outdatedreport", "programs/sponsor", "programs/faqentry"]
    ),
)
def test_the_admins_lists_answer_any_filter(client, site, pairs, changelist):
    curator = get_user_model().objects.get_or_create(
        username="generated-curator", defaults={"is_staff": True, "is_superuser": True}
    )[0]
    client.force_login(curator)
    response = client.get(f"/admin/{changelist}/?{raw_query(pairs)}")
    assert_answered_safely(response, where=changelist)
