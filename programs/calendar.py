"""A season's dates as an iCalendar file readers can add to their own calendar."""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from programs.models import MatchEvent, Season


def event_description(event: MatchEvent, *, page: str) -> str:
    """What a calendar app shows under an event: whether it is confirmed, what it means,
    its source and where the latest dates are."""
    if event.confirmed:
        state = f"Confirmed against {event.source_label} on {event.checked_on:%-d %B %Y}."
    else:
        state = f"Projected, not yet confirmed. Projected from: {event.source_label}."
    source = f"\n\nSource: {event.source_url}" if event.source_url else ""
    notes = f"\n\n{event.notes}" if event.notes else ""
    return f"{state}\n\n{event.kind.meaning}{notes}{source}\n\nLatest dates: {page}"


def event_summary(event: MatchEvent, season_name: str = "") -> str:
    season = f", {season_name}" if season_name else ""
    projected = "" if event.confirmed else " – projected"
    return f"{event.label} ({event.owner_name}{season}){projected}"


def add_event(calendar: Calendar, *, uid: str, date, end_date, summary, description, stamp):
    item = Event()
    item.add("uid", uid)
    item.add("dtstamp", stamp)
    item.add("dtstart", date)
    item.add("dtend", (end_date or date) + datetime.timedelta(days=1))
    item.add("summary", summary)
    item.add("description", description)
    item.add("transp", "TRANSPARENT")
    calendar.add_component(item)


def season_calendar(season: Season, *, page_url: str = "") -> bytes:
    """One all-day event per published date of every match and application service.

    Each UID is built from the Match year and the event's row, so re-importing the file
    after a curator moves a date updates the reader's copy instead of adding a second event.
    Dates not published yet are left out: a calendar cannot hold an event without a day.
    """
    host = urlsplit(settings.SITE_URL).hostname or "residency-programs"
    page = page_url or settings.SITE_URL + reverse("programs:timeline")
    events = [e for e in MatchEvent.objects.of_season(season) if e.date]
    calendar = Calendar()
    calendar.add("prodid", "-//Residency Programs//Season timeline//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    projected = any(not event.confirmed for event in events)
    kind = "key dates, some projected" if projected else "official dates"
    calendar.add("x-wr-calname", f"{season.name}: {kind}")
    stamp = timezone.now()
    for event in events:
        add_event(
            calendar,
            uid=f"{season.match_year}-event-{event.pk}@{host}",
            date=event.date,
            end_date=event.end_date,
            summary=event_summary(event, season.name),
            description=event_description(event, page=page),
            stamp=stamp,
        )
    return calendar.to_ical()
