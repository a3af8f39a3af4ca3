"""The season's dates as an iCalendar file (programs/calendar.py and its download)."""

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from programs.choices import MatchKind
from tests.factories import EventKindFactory, MatchEventFactory, MatchFactory, season_around_today

pytestmark = pytest.mark.django_db

ICS_URL = reverse("programs:timeline_ics")


def test_ical_download_has_one_all_day_event_per_date_with_stable_uids(client):
    season = season_around_today(confirmed={"match_day"})
    response = client.get(ICS_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert len(events) == season.events.count() == 7
    for event in events:
        start = event.decoded("dtstart")
        assert type(start) is datetime.date
        assert event.decoded("dtend") == start + datetime.timedelta(days=1)
    by_summary = {str(event["summary"]): event for event in events}
    stored = season.events.get(kind__slug="match_day")
    match_day = by_summary[f"{stored.label} (NRMP Main Match, Match 2040)"]
    assert match_day.decoded("dtstart") == stored.date
    assert str(match_day["description"]).startswith("Confirmed against Generated source")
    training = by_summary["Training starts (NRMP Main Match, Match 2040) – projected"]
    assert str(training["description"]).startswith("Projected")
    again = Calendar.from_ical(client.get(ICS_URL).content)
    assert {str(e["uid"]) for e in again.walk("VEVENT")} == {str(e["uid"]) for e in events}


def test_a_span_lasts_its_days_and_a_date_not_published_is_left_out(client):
    season = season_around_today()
    week = MatchEventFactory(
        season=season,
        kind=EventKindFactory(slug="match_week"),
        date=datetime.date(2041, 3, 15),
        end_date=datetime.date(2041, 3, 19),
    )
    MatchEventFactory(
        season=season,
        match=MatchFactory(kind=MatchKind.AUA),
        kind=EventKindFactory(slug="match_day"),
        date=None,
    )
    events = Calendar.from_ical(client.get(ICS_URL).content).walk("VEVENT")
    assert len(events) == 8
    span = next(e for e in events if str(e["summary"]).startswith(week.label))
    assert span.decoded("dtstart") == week.date
    assert span.decoded("dtend") == datetime.date(2041, 3, 20)
    assert not any("AUA" in str(e["summary"]) for e in events)


def test_a_calendar_with_projected_dates_does_not_call_itself_official(client):
    season_around_today()
    calendar = Calendar.from_ical(client.get(ICS_URL).content)
    assert str(calendar["x-wr-calname"]) == "Match 2040: key dates, some projected"
