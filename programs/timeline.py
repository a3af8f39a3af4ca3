"""The season's dates as pages show them: the timeline with what each date means, and the
dates that apply to a specialty's programs."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from programs.choices import ApplicationService, SeasonEvent
from programs.facts import long_date
from programs.models import Season, SpecialtyApplicationService


@dataclass(frozen=True)
class SeasonDate:
    label: str
    date: datetime.date
    confirmed: bool
    today: datetime.date

    @property
    def has_passed(self) -> bool:
        return self.date < self.today

    @property
    def text(self) -> str:
        """A projected date that has passed is "expected …, not confirmed"."""
        if not self.confirmed and self.date < self.today:
            return f"expected {long_date(self.date)}, not confirmed"
        return long_date(self.date)


@dataclass
class HowToApply:
    """The season-wide facts every program of a specialty shares: the application service
    (with its source) and the dates that service and the NRMP set for everyone."""

    season: Season | None
    service: SpecialtyApplicationService | None
    dates: list[SeasonDate]

    @property
    def service_label(self) -> str:
        return self.service.get_service_display() if self.service else ""


def how_to_apply(
    season: Season | None, service, *, today: datetime.date | None = None
) -> HowToApply:
    today = today or timezone.localdate()
    dates = []
    if season and service:
        events = []
        if service.service == ApplicationService.ERAS:
            events += [
                (SeasonEvent.APPLICANTS_SUBMIT, "ERAS: applicants may submit from"),
                (SeasonEvent.PROGRAMS_REVIEW, "ERAS: programs may review from"),
            ]
        if service.service in (ApplicationService.ERAS, ApplicationService.RESIDENCYCAS):
            events += [
                (SeasonEvent.RANK_LIST_DEADLINE, "NRMP rank order list deadline"),
                (SeasonEvent.MATCH_DAY, "Match Day"),
            ]
        dates = [
            SeasonDate(
                label,
                getattr(season, event.value),
                getattr(season, f"{event.value}_confirmed"),
                today,
            )
            for event, label in events
        ]
    return HowToApply(season=season, service=service, dates=dates)


# --- The season's timeline --------------------------------------------------------------

# What each official date means for an applicant. Explanations only: the dates themselves
# are season data that curators keep in the admin.
EVENT_MEANINGS = {
    SeasonEvent.ERAS_OPENS: (
        "The application season begins. You can get your ERAS token (IMGs get it from ECFMG), "
        "register in MyERAS, fill in the application and ask your letter writers to upload. "
        "Nothing reaches programs yet."
    ),
    SeasonEvent.APPLICANTS_SUBMIT: (
        "The first day you can certify your application and send it to programs. Once "
        "certified, the application itself is locked, so proofread it before this day."
    ),
    SeasonEvent.PROGRAMS_REVIEW: (
        "Programs can open applications and MSPEs for the first time. Everything submitted "
        "before this day arrives together; interview invitations usually start soon after."
    ),
    SeasonEvent.NRMP_REGISTRATION: (
        "You can register for the NRMP Main Residency Match. Applying through ERAS does not "
        "register you for the Match: both are needed, and a late fee applies after the "
        "standard registration deadline."
    ),
    SeasonEvent.RANK_LIST_DEADLINE: (
        "The last moment to certify your rank order list. IMGs must also have their exam and "
        "clinical-skills requirements confirmed by ECFMG by now, or the NRMP withdraws them "
        "from the Match and from SOAP."
    ),
    SeasonEvent.MATCH_DAY: (
        "Results are released. Earlier in Match Week (on the Monday) applicants learn whether "
        "they matched, and eligible unmatched applicants can take part in SOAP."
    ),
    SeasonEvent.TRAINING_STARTS: (
        "Residency begins. Many programs hold orientation in the last weeks of June, and a "
        "contract may ask you to arrive before this date."
    ),
}


@dataclass(frozen=True)
class TimelineRow:
    event: SeasonEvent
    date: datetime.date
    confirmed: bool
    days_left: int

    @property
    def label(self) -> str:
        return self.event.label

    @property
    def meaning(self) -> str:
        return EVENT_MEANINGS[self.event]

    @property
    def anchor(self) -> str:
        return self.event.value.replace("_", "-")

    @property
    def has_passed(self) -> bool:
        return self.days_left < 0

    @property
    def expected_only(self) -> bool:
        """A projected date that has passed without anyone confirming it happened then."""
        return self.has_passed and not self.confirmed

    @property
    def countdown(self) -> str:
        if self.days_left < 0:
            return "Passed"
        if self.days_left == 0:
            return "Today"
        if self.days_left == 1:
            return "Tomorrow"
        return f"{self.days_left} days left"


def timeline_rows(season: Season, *, today: datetime.date) -> list[TimelineRow]:
    return [
        TimelineRow(event=event, date=date, confirmed=confirmed, days_left=(date - today).days)
        for event, date, confirmed in season.events()
    ]
