"""Loading the shipped season dates (programs/loaders.py): what curators changed stays."""

import datetime

import pytest
from django.conf import settings

from programs.choices import EventStatus, MatchKind
from programs.loaders import (
    load_event_kinds,
    load_matches,
    load_season_events,
    load_seasons,
)
from programs.models import MatchEvent

pytestmark = pytest.mark.django_db

FIXTURES = settings.BASE_DIR / "fixtures"


def _load_all():
    for load, name in (
        (load_seasons, "seasons.csv"),
        (load_matches, "matches.csv"),
        (load_event_kinds, "event_kinds.csv"),
        (load_season_events, "season_events.csv"),
    ):
        counts = load(path=FIXTURES / name, change_reason="test")
    return counts


def test_loading_the_dates_again_keeps_what_a_curator_confirmed():
    _load_all()
    aua = MatchEvent.objects.get(
        season__match_year=2027, match__kind=MatchKind.AUA, kind__slug="match_day"
    )
    assert aua.date is None
    aua.date, aua.status = datetime.date(2027, 2, 1), EventStatus.CONFIRMED
    aua.checked_on = datetime.date(2027, 1, 10)
    aua.save()
    counts = _load_all()
    assert counts.created == 0 and counts.unchanged == MatchEvent.objects.count()
    aua.refresh_from_db()
    assert (aua.date, aua.status) == (datetime.date(2027, 2, 1), EventStatus.CONFIRMED)
