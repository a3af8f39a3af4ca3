"""The FAQ, guides and timeline pages (programs/views/content.py)."""

import datetime
import json
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from programs.choices import EventStatus, MatchKind
from programs.loaders import load_content
from programs.models import EventKind, FaqEntry, FaqTopic
from tests.factories import (
    MAIN_SEASON,
    FaqEntryFactory,
    GuideFactory,
    ProgramFactory,
    SeasonFactory,
    SpecialtyFactory,
    season_around_today,
    season_event,
)
from tests.pages import visible_text

pytestmark = pytest.mark.django_db

FAQ_URL = reverse("programs:faq")
TIMELINE_URL = reverse("programs:timeline")


def ids_in(html: str) -> list[str]:
    return re.findall(r'\sid="([^"]+)"', html)


# FAQ


def test_faq_shows_published_entries_and_hides_unpublished(client):
    FaqEntryFactory(question="Generated published question?")
    FaqEntryFactory(question="Generated draft question?", is_published=False)
    html = client.get(FAQ_URL).content.decode()
    assert "Generated published question?" in html
    assert "Generated draft question?" not in html


def test_faq_groups_entries_under_topics_in_declared_order(client):
    FaqEntryFactory(question="Generated site question?", topic=FaqTopic.THIS_SITE)
    FaqEntryFactory(question="Generated visa question?", topic=FaqTopic.VISAS)
    FaqEntryFactory(question="Generated ECFMG question?", topic=FaqTopic.ECFMG)
    html = client.get(FAQ_URL).content.decode()
    headings = [html.index(f'<h2 id="topic-{t}">') for t in ("ecfmg", "visas", "this_site")]
    assert headings == sorted(headings)
    assert html.index("Generated ECFMG question?") < html.index("Generated visa question?")
    assert '<h2 id="topic-match">' not in html  # empty topics are not shown


def test_faq_entry_anchor_is_its_slug_with_a_visible_link(client):
    entry = FaqEntryFactory(slug="generated-stable-anchor")
    html = client.get(FAQ_URL).content.decode()
    assert 'id="generated-stable-anchor"' in html
    assert f'href="{FAQ_URL}#generated-stable-anchor"' in html
    assert entry.get_absolute_url() == f"{FAQ_URL}#generated-stable-anchor"
    assert "Link to this answer" in html


def test_faq_anchor_survives_a_question_edit(client):
    entry = FaqEntryFactory(slug="generated-kept-slug", question="Generated old wording?")
    entry.question = "Generated new wording?"
    entry.save()
    assert 'id="generated-kept-slug"' in client.get(FAQ_URL).content.decode()


def test_faq_page_ids_are_unique_with_the_shipped_content(client):
    load_content()
    ids = ids_in(client.get(FAQ_URL).content.decode())
    assert len(ids) > FaqEntry.objects.count()
    assert len(ids) == len(set(ids))


def test_the_faq_says_nothing_of_curators_adding_policies(client):
    load_content()
    page = visible_text(client.get(FAQ_URL))
    assert "Curators can correct any fact" in page
    assert not re.search(r"curators?( then)? adds?\b", page, re.IGNORECASE)
    assert "a curator last checked" not in page
    assert "being checked" not in page


def test_faq_answer_is_rendered_from_markdown_and_sanitised(client):
    FaqEntryFactory(
        answer="Pay **$11** each. [Fees](https://example.org/fees)\n\n"
        '<script>alert("x")</script><a href="javascript:alert(1)" onclick="x()">bad</a>'
    )
    html = client.get(FAQ_URL).content.decode()
    assert "<strong>$11</strong>" in html
    assert 'href="https://example.org/fees"' in html
    assert "javascript:" not in html
    assert "onclick" not in html
    assert 'alert("x")' not in html


def test_faq_entry_shows_source_date_and_related_links(client):
    guide = GuideFactory(title="Generated related guide")
    draft = GuideFactory(title="Generated draft guide", is_published=False)
    program = ProgramFactory()
    specialty = SpecialtyFactory()
    entry = FaqEntryFactory(
        source_label="Generated source",
        source_url="https://example.org/source",
        last_reviewed_on=datetime.date(2026, 11, 24),
        program=program,
        specialty=specialty,
    )
    entry.related_guides.set([guide, draft])
    html = client.get(FAQ_URL).content.decode()
    assert '<a href="https://example.org/source" rel="noopener">Generated source</a>' in html
    assert 'As of <time datetime="2026-11-24">24 November 2026</time>' in html
    assert f'href="{guide.get_absolute_url()}"' in html
    assert "Generated draft guide" not in html
    assert f'href="{program.get_absolute_url()}"' in html
    assert f'href="{specialty.get_absolute_url()}"' in html


def test_faq_search_finds_entries_by_question_or_answer(client):
    FaqEntryFactory(question="Generated: does the program sponsor a visa?")
    FaqEntryFactory(question="Generated: fees?", answer="The H-1B needs Step 3 first.")
    FaqEntryFactory(question="Generated: signals?", answer="Signals show interest.")
    html = client.get(FAQ_URL, {"q": "visa"}).content.decode()
    assert "does the program sponsor a visa?" in html
    assert "Generated: signals?" not in html
    html = client.get(FAQ_URL, {"q": "step 3"}).content.decode()
    assert "Generated: fees?" in html
    assert "1 entry match" in html


def test_faq_search_needs_every_word(client):
    FaqEntryFactory(question="Generated: J-1 waiver?")
    FaqEntryFactory(question="Generated: H-1B waiver?")
    html = client.get(FAQ_URL, {"q": "waiver J-1"}).content.decode()
    assert "Generated: J-1 waiver?" in html
    assert "Generated: H-1B waiver?" not in html


def test_faq_search_without_results_says_so_and_escapes_the_query(client):
    FaqEntryFactory()
    response = client.get(FAQ_URL, {"q": '<script>alert("q")</script>'})
    html = response.content.decode()
    assert response.status_code == 200
    assert "No entries match" in html
    assert '<script>alert("q")</script>' not in html
    assert "Show all questions" in html


def test_faq_search_ignores_overlong_queries_gracefully(client):
    FaqEntryFactory(question="Generated: which visa?")
    response = client.get(FAQ_URL, {"q": "visa " * 500})
    assert response.status_code == 200
    assert "Generated: which visa?" in response.content.decode()


def test_faq_page_carries_faqpage_json_ld_that_cannot_break_out_of_its_script(client):
    FaqEntryFactory(question="Generated </script><script>alert(1)</script>?", answer="A & B")
    html = client.get(FAQ_URL).content.decode()
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match is not None
    data = json.loads(match.group(1))
    assert data["@type"] == "FAQPage"
    question = data["mainEntity"][0]
    assert question["name"] == "Generated </script><script>alert(1)</script>?"
    assert "A &amp; B" in question["acceptedAnswer"]["text"]
    assert "<script>alert(1)" not in html


def test_faq_page_query_count_does_not_grow_with_entries(client, django_assert_max_num_queries):
    guide = GuideFactory()
    for _ in range(15):
        FaqEntryFactory(program=ProgramFactory(), specialty=SpecialtyFactory()).related_guides.add(
            guide
        )
    with django_assert_max_num_queries(4):
        assert client.get(FAQ_URL).status_code == 200


def test_faq_entries_include_renders_for_other_pages():
    entries = [FaqEntryFactory(question="Generated include question?", answer="*yes*")]
    html = render_to_string("includes/faq_entries.html", {"entries": entries})
    assert "Generated include question?" in html
    assert "<em>yes</em>" in html
    assert f'href="{entries[0].get_absolute_url()}"' in html


# Guides


def test_guide_list_shows_only_published_guides(client):
    GuideFactory(title="Generated visible guide")
    GuideFactory(title="Generated hidden guide", is_published=False)
    with_queries = client.get(reverse("programs:guides")).content.decode()
    assert "Generated visible guide" in with_queries
    assert "Generated hidden guide" not in with_queries


def test_guide_list_query_count(client, django_assert_max_num_queries):
    for _ in range(10):
        GuideFactory()
    with django_assert_max_num_queries(2):
        assert client.get(reverse("programs:guides")).status_code == 200


def test_guide_renders_body_with_table_of_contents_sources_and_date(client):
    guide = GuideFactory(
        body="## Before you apply\n\nText.\n\n### Tokens\n\nMore.\n\n## After\n\nEnd.",
        sources="- [AAMC](https://www.aamc.org/)",
        last_reviewed_on=datetime.date(2026, 11, 24),
    )
    html = client.get(guide.get_absolute_url()).content.decode()
    assert '<h2 id="before-you-apply">Before you apply</h2>' in html
    assert '<a href="#before-you-apply">Before you apply</a>' in html
    assert '<a href="#tokens">Tokens</a>' in html
    assert '<a href="https://www.aamc.org/" rel="noopener noreferrer">AAMC</a>' in html
    assert "24 November 2026" in html
    ids = ids_in(html)
    assert len(ids) == len(set(ids))


def test_guide_body_is_sanitised(client):
    guide = GuideFactory(body='## Part\n\n<img src=x onerror="alert(1)"><script>alert(2)</script>')
    html = client.get(guide.get_absolute_url()).content.decode()
    assert '<h2 id="part">Part</h2>' in html
    assert "onerror" not in html
    assert "alert(2)" not in html


def test_unpublished_or_unknown_guide_is_404(client):
    draft = GuideFactory(is_published=False)
    assert client.get(reverse("programs:guide", args=[draft.slug])).status_code == 404
    assert client.get(reverse("programs:guide", args=["no-such-guide"])).status_code == 404


# Timeline


def _item(html: str, anchor: str) -> str:
    start = html.index(f'id="{anchor}"')
    return html[start : html.index("</li>", start)]


def test_timeline_lists_each_calendar_in_date_order_with_meanings(client):
    season_around_today(name="Generated Match 2040")
    html = client.get(TIMELINE_URL).content.decode()
    assert "Generated Match 2040" in html
    main = html.index('id="calendar-nrmp-main"')
    eras = html.index('id="calendar-eras"')
    assert main < eras
    main_part, eras_part = html[main:eras], html[eras:]
    order = ["registration-opens", "rank-list-deadline", "match-day", "training-starts"]
    positions = [main_part.index(f'id="nrmp-main-{slug}"') for slug in order]
    assert positions == sorted(positions)
    order = ["applications-open", "applicants-submit", "programs-review"]
    positions = [eras_part.index(f'id="eras-{slug}"') for slug in order]
    assert positions == sorted(positions)
    assert escape(EventKind.objects.get(slug="match_day").meaning) in html
    assert "Projected from: Generated source" in html


def test_timeline_marks_projected_confirmed_and_passed_dates(client):
    season_around_today(confirmed={"match_day", "applications_open"})
    html = client.get(TIMELINE_URL).content.decode()
    match_day = _item(html, "nrmp-main-match-day")
    assert '<span class="badge badge-confirmed">Confirmed</span>' in match_day
    assert "Confirmed on" in match_day and "badge-projected" not in match_day
    training = _item(html, "nrmp-main-training-starts")
    assert '<span class="badge badge-projected">Projected</span>' in training
    assert "Passed</span>" in _item(html, "eras-applications-open")
    assert "Passed (was projected)" not in _item(html, "eras-applications-open")
    assert "1 of 4 dates are confirmed." in html


def test_a_passed_date_no_one_confirmed_reads_passed_was_projected(client):
    season_around_today()
    html = client.get(TIMELINE_URL).content.decode()
    opened = _item(html, "eras-applications-open")
    assert "Passed (was projected)</span>" in opened
    assert "badge-confirmed" not in opened


def test_a_date_not_published_yet_says_so_and_borrows_no_other_matchs(client):
    season = season_around_today()
    season_event(season, "match_day", None, owner=MatchKind.AUA, source_label="Generated AUA")
    html = client.get(TIMELINE_URL).content.decode()
    aua = _item(html, "aua-match-day")
    assert "Date not published yet" in aua
    assert "<time" not in aua
    assert "Will be published by: Generated AUA." in aua


def test_timeline_counts_days_left_and_marks_passed_dates(client):
    season_around_today()
    html = client.get(TIMELINE_URL).content.decode()
    assert "Passed" in _item(html, "eras-applications-open")
    assert "Today" in _item(html, "eras-applicants-submit")
    assert "Tomorrow" in _item(html, "nrmp-main-registration-opens")
    assert "30 days left" in _item(html, "nrmp-main-rank-list-deadline")
    assert "Next" in _item(html, "eras-applicants-submit")


def test_timeline_follows_a_curator_date_change(client):
    season = season_around_today()
    event = season.events.get(kind__slug="match_day")
    event.date = timezone.localdate() + datetime.timedelta(days=50)
    event.status = EventStatus.CONFIRMED
    event.checked_on = timezone.localdate()
    event.save()
    html = client.get(TIMELINE_URL).content.decode()
    assert f'datetime="{event.date:%Y-%m-%d}"' in html
    assert "50 days left" in html


def test_timeline_ignores_seasons_that_are_not_current(client):
    SeasonFactory(match_year=2030, name="Generated old season", is_current=False)
    response = client.get(TIMELINE_URL)
    assert response.status_code == 200
    assert "No season is set as current yet" in response.content.decode()
    assert "Generated old season" not in response.content.decode()
    assert client.get(reverse("programs:timeline_ics")).status_code == 404


def test_a_fully_confirmed_calendar_says_so(client):
    season_around_today(confirmed={slug for slug, _owner in MAIN_SEASON})
    html = client.get(TIMELINE_URL).content.decode()
    assert "All 4 dates are confirmed." in html
    assert "All 3 dates are confirmed." in html
    assert "badge-projected" not in html[html.index('id="calendar-nrmp-main"') :]


def test_the_faq_finds_an_abbreviation_by_what_it_stands_for(client):
    FaqEntryFactory(question="Generated: does clinical experience in the US matter?")
    html = client.get(FAQ_URL, {"q": "usce"}).content.decode()
    assert "does clinical experience in the US matter?" in html
