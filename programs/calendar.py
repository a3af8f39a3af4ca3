"""A season's official dates as an iCalendar file readers can add to their own calendar."""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from programs.models import Season
from programs.timeline import EVENT_MEANINGS


def season_calendar(season: Season, *, page_url: str = "") -> bytes:
    """One all-day event per official date.

    Each UID is built from the Match year and the event, so re-importing the file after a
    curator moves a date updates the reader's copy instead of adding a second event.
    """
    host = urlsplit(settings.SITE_URL).hostname or "residency-programs"
    page = page_url or settings.SITE_URL + reverse("programs:timeline")
    calendar = Calendar()
    calendar.add("prodid", "-//Residency Programs//Season timeline//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    projected = any(not confirmed for _event, _date, confirmed in season.events())
    kind = "key dates, some projected" if projected else "official dates"
    calendar.add("x-wr-calname", f"{season.name}: {kind}")
    stamp = timezone.now()
    for event, date, confirmed in season.events():
        state = (
            "Confirmed against the official source."
            if confirmed
            else "Projected from previous years; not yet confirmed by the official source."
        )
        source = f"\n\nSource: {season.source_label} {season.source_url}".rstrip()
        item = Event()
        item.add("uid", f"{season.match_year}-{event.value}@{host}")
        item.add("dtstamp", stamp)
        item.add("dtstart", date)
        item.add("dtend", date + datetime.timedelta(days=1))
        item.add(
            "summary", f"{event.label} ({season.name})" + ("" if confirmed else " – projected")
        )
        item.add(
            "description",
            f"{state}\n\n{EVENT_MEANINGS[event]}"
            + (source if season.source_label or season.source_url else "")
            + f"\n\nLatest dates: {page}",
        )
        item.add("transp", "TRANSPARENT")
        calendar.add_component(item)
    return calendar.to_ical()
