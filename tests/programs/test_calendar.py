"""The season's dates as an iCalendar file (programs/calendar.py and its download)."""

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from programs.models import SeasonEvent
from tests.factories import season_around_today

pytestmark = pytest.mark.django_db

ICS_URL = reverse("programs:timeline_ics")


def test_ical_download_has_one_all_day_event_per_date_with_stable_uids(client):
    season = season_around_today(match_day_confirmed=True)
    response = client.get(ICS_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert len(events) == len(SeasonEvent)
    for event in events:
        start = event.decoded("dtstart")
        assert type(start) is datetime.date
        assert event.decoded("dtend") == start + datetime.timedelta(days=1)
    by_uid = {str(event["uid"]): event for event in events}
    match_day = next(e for uid, e in by_uid.items() if uid.startswith("2040-match_day@"))
    assert match_day.decoded("dtstart") == season.match_day
    assert str(match_day["description"]).startswith("Confirmed")
    training = next(e for uid, e in by_uid.items() if uid.startswith("2040-training_starts@"))
    assert str(training["description"]).startswith("Projected")
    assert "projected" in str(training["summary"])
    again = Calendar.from_ical(client.get(ICS_URL).content)
    assert {str(e["uid"]) for e in again.walk("VEVENT")} == set(by_uid)


def test_a_calendar_with_projected_dates_does_not_call_itself_official(client):
    season_around_today()
    calendar = Calendar.from_ical(client.get(ICS_URL).content)
    assert str(calendar["x-wr-calname"]) == "Match 2040: key dates, some projected"
