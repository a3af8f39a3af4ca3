"""How old a checked fact may be before the site flags it: the one reading of
STALE_AFTER_DAYS that pages, filters, querysets and the admin share."""

import datetime

from django.conf import settings
from django.utils import timezone


def stale_cutoff(today: datetime.date | None = None) -> datetime.date:
    """Facts published or checked before this day may be outdated."""
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=settings.STALE_AFTER_DAYS)


def is_stale(verified_on: datetime.date | None, today: datetime.date | None = None) -> bool:
    """A fact of no known date is stale too."""
    return verified_on is None or verified_on < stale_cutoff(today)


def stale_period() -> str:
    """STALE_AFTER_DAYS in words: "12 months" for a year, otherwise in days."""
    days = settings.STALE_AFTER_DAYS
    if days % 365 == 0:
        return f"{days // 365 * 12} months"
    return f"{days} days"
