"""The season's dates as pages show them: each match's and application service's events
with what they mean and where they come from, and the dates that apply to one specialty's
programs (its own match and its application service, never another match's)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from programs.choices import ApplicationService, MatchKind
from programs.models import Match, MatchEvent, Season, SpecialtyApplicationService, SpecialtyMatch
from programs.shared import remembered

# The order calendars are shown in: the Main Match and the services that feed it first.
CALENDAR_ORDER = [
    MatchKind.NRMP_MAIN,
    ApplicationService.ERAS,
    ApplicationService.RESIDENCYCAS,
    MatchKind.AUA,
    MatchKind.SF_MATCH,
    ApplicationService.SF_MATCH,
    MatchKind.NRMP_SMS,
    MatchKind.MILITARY,
]


@dataclass(frozen=True)
class EventRow:
    """One event as a reader sees it: its date, or that it is not published yet; projected
    or confirmed, and, once past, "passed" ("passed (was projected)" when no one confirmed
    it)."""

    event: MatchEvent
    today: datetime.date

    @property
    def label(self) -> str:
        return self.event.label

    @property
    def owner(self) -> str:
        return self.event.owner_name

    @property
    def date(self) -> datetime.date | None:
        return self.event.date

    @property
    def end_date(self) -> datetime.date | None:
        return self.event.end_date

    @property
    def confirmed(self) -> bool:
        return self.event.confirmed

    @property
    def meaning(self) -> str:
        return self.event.kind.meaning

    @property
    def anchor(self) -> str:
        """A stable id: the match or service, the kind, its detail and its specialty."""
        event = self.event
        owner = event.match.kind if event.match_id else event.service
        specialty = event.specialty.code if event.specialty_id else ""
        parts = [owner, event.kind.slug, event.detail, specialty]
        return slugify(" ".join(filter(None, parts))).replace("_", "-")

    @property
    def days_left(self) -> int | None:
        if self.date is None:
            return None
        return ((self.end_date or self.date) - self.today).days

    @property
    def published(self) -> bool:
        return self.date is not None

    @property
    def has_passed(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def expected_only(self) -> bool:
        """A projected date that has passed without anyone confirming it happened then."""
        return self.has_passed and not self.confirmed

    @property
    def status(self) -> str:
        """The word shown beside the date."""
        if not self.published:
            return "date not published yet"
        if self.has_passed:
            return "passed" if self.confirmed else "passed (was projected)"
        return "confirmed" if self.confirmed else "projected"

    @property
    def countdown(self) -> str:
        return countdown(self.date, self.end_date, today=self.today)


def countdown(
    date: datetime.date | None, end_date: datetime.date | None, *, today: datetime.date
) -> str:
    """How far off a date is, as calendars say it: to its first day ("Tomorrow", "12 days
    left"), "Now" within a span such as Match Week, and "Passed" once its last day has."""
    if date is None:
        return "Not published yet"
    if ((end_date or date) - today).days < 0:
        return "Passed"
    until = (date - today).days
    if until < 0:
        return "Now"
    if until == 0:
        return "Today"
    return "Tomorrow" if until == 1 else f"{until} days left"


def rows_of(events, *, today: datetime.date) -> list[EventRow]:
    """Rows in date order, those not published yet last."""
    rows = [EventRow(event, today) for event in events]
    return sorted(
        rows,
        key=lambda row: (
            row.date is None,
            row.date or datetime.date.max,
            row.event.kind.position,
            row.event.detail,
        ),
    )


@dataclass
class Calendar:
    """One match's or application service's dates in a season."""

    key: str
    title: str
    rows: list[EventRow]
    match: Match | None = None
    specialties: list[str] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"calendar-{self.key.replace('_', '-')}"

    @property
    def next_row(self) -> EventRow | None:
        return next((row for row in self.rows if row.published and not row.has_passed), None)

    @property
    def confirmed_count(self) -> int:
        return sum(row.confirmed for row in self.rows)


def season_calendars(season: Season, *, today: datetime.date) -> list[Calendar]:
    """Every match's and service's dates of the season, the Main Match's first."""
    events = list(MatchEvent.objects.of_season(season))
    grouped: dict[str, list[MatchEvent]] = {}
    matches: dict[str, Match] = {}
    for event in events:
        key = event.match.kind if event.match_id else event.service
        grouped.setdefault(key, []).append(event)
        if event.match_id:
            matches[key] = event.match
    calendars = []
    for key in sorted(grouped, key=_calendar_position):
        match = matches.get(key)
        title = match.name if match else ApplicationService(key).label
        calendars.append(
            Calendar(key=key, title=title, rows=rows_of(grouped[key], today=today), match=match)
        )
    return calendars


def _calendar_position(key: str) -> int:
    return CALENDAR_ORDER.index(key) if key in CALENDAR_ORDER else len(CALENDAR_ORDER)


def main_match_rows(season: Season, *, today: datetime.date) -> list[EventRow]:
    """The Main Match's and ERAS's dates together, the season most applicants follow, at a
    glance: Match Week stands for its SOAP rounds."""
    events = remembered(
        "season:main-events",
        lambda: list(
            MatchEvent.objects.of_season(season)
            .filter(Q(match__kind=MatchKind.NRMP_MAIN) | Q(service=ApplicationService.ERAS))
            .filter(specialty__isnull=True)
            .exclude(kind__slug="soap_round")
        ),
    )
    return rows_of(events, today=today)


@dataclass
class HowToApply:
    """What every program of a specialty shares in a season: the application service and
    the match (each with its source), and the dates of those two, never another match's."""

    season: Season | None
    service: SpecialtyApplicationService | None
    match: SpecialtyMatch | None
    rows: list[EventRow]

    @property
    def service_label(self) -> str:
        return self.service.get_service_display() if self.service else ""


def how_to_apply(
    season: Season | None,
    *,
    specialty,
    service: SpecialtyApplicationService | None,
    match: SpecialtyMatch | None,
    today: datetime.date | None = None,
) -> HowToApply:
    today = today or timezone.localdate()
    rows = []
    if season:
        owners = {
            "season": season.pk,
            "match": match.match_id if match else None,
            "service": service.service if service else "",
            "specialty": specialty.pk,
        }
        # The same for every program of the specialty: read once per change of the directory.
        events = remembered(
            "season:specialty-events",
            lambda: list(
                MatchEvent.objects.for_specialty(
                    season=season,
                    match=match.match if match else None,
                    service=owners["service"],
                    specialty=specialty,
                )
            ),
            parts=owners,
        )
        rows = rows_of(events, today=today)
    return HowToApply(season=season, service=service, match=match, rows=rows)


def events_for_programs(season: Season, programs) -> list[MatchEvent]:
    """The season's events that apply to any of ``programs`` (rows with ``specialty_id``,
    ``application_service`` and ``match_kind``): each program's match's and application
    service's, whole or of its specialty. Without programs, the Main Match's and ERAS's."""
    owners = {(p.specialty_id, p.application_service, p.match_kind) for p in programs}
    if not owners:
        owners = {(None, ApplicationService.ERAS, MatchKind.NRMP_MAIN)}
    found = []
    for event in MatchEvent.objects.of_season(season):
        for specialty_id, service, match_kind in owners:
            owned = (event.match_id and event.match.kind == match_kind) or (
                event.service and event.service == service
            )
            if owned and event.specialty_id in (None, specialty_id):
                found.append(event)
                break
    return found
