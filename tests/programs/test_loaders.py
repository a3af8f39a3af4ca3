"""Loading the shipped season dates and signal allowances (programs/loaders.py): what
curators changed stays."""

import datetime

import pytest
from django.conf import settings

from programs.choices import EventStatus, MatchKind
from programs.loaders import (
    load_event_kinds,
    load_matches,
    load_season_events,
    load_seasons,
    load_signals,
)
from programs.models import MatchEvent, SignalAllowance
from sources.tables import read_csv
from tests.factories import SeasonFactory, SpecialtyFactory

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


SIGNALS_FILE = settings.BASE_DIR / "fixtures" / "signals.csv"


@pytest.fixture
def seasons():
    SeasonFactory(match_year=2027, is_current=True)
    SeasonFactory(match_year=2026, is_current=False)


def test_signals_name_only_specialties_the_directory_has(seasons):
    with pytest.raises(ValueError, match="names specialty 040, which the directory does not"):
        load_signals(path=SIGNALS_FILE, change_reason="test")
    assert not SignalAllowance.objects.exists()


def test_shipped_signals_load_once_with_history_and_keep_what_curators_changed(seasons):
    for code in sorted({r["specialty_code"] for r in read_csv(SIGNALS_FILE)}):
        SpecialtyFactory(code=code)
    counts = load_signals(path=SIGNALS_FILE, change_reason="test")
    assert counts.created == len(read_csv(SIGNALS_FILE)) > 0
    medicine = SignalAllowance.objects.get(season__is_current=True, specialty__code="140")
    assert (medicine.gold, medicine.silver, medicine.signals) == (3, 12, None)
    assert (medicine.published_for, medicine.confirmed) == (2025, False)
    assert medicine.history.get().history_change_reason == "test"
    medicine.gold = 4
    medicine.save()
    again = load_signals(path=SIGNALS_FILE, change_reason="again")
    assert (again.created, again.unchanged) == (0, counts.created)
    medicine.refresh_from_db()
    assert medicine.gold == 4
