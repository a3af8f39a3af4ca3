"""An applicant's calendar as an iCalendar feed: the dates of the saved programs' own
matches and application services, and those programs' own dates."""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from applicants.presenters import CalendarItem


def personal_calendar(items: list[CalendarItem], *, page_url: str) -> bytes:
    """One all-day event per date. UIDs stay the same from one fetch to the next, so a
    calendar app moves an event when a curator corrects its date instead of adding one."""
    host = urlsplit(settings.SITE_URL).hostname or "residency-programs"
    calendar = Calendar()
    calendar.add("prodid", "-//Residency Programs//My application calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Residency applications")
    stamp = timezone.now()
    for item in items:
        if item.date is None:
            continue  # a calendar cannot hold a date not published yet
        event = Event()
        event.add("uid", f"{item.uid}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", item.date)
        event.add("dtend", (item.end_date or item.date) + datetime.timedelta(days=1))
        title = (
            f"{item.what}: {item.program.name}" if item.program else f"{item.what} ({item.owner})"
        )
        event.add("summary", title + ("" if item.confirmed else " (not yet confirmed)"))
        state = (
            "Confirmed against its source."
            if item.confirmed
            else "Projected, not yet confirmed: check the program's or the organiser's own page."
        )
        source = f"\n\nSource: {item.source}" if item.source else ""
        event.add("description", f"{state}{source}\n\nYour calendar: {page_url}")
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
