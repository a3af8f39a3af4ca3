"""An applicant's program signals: per specialty, the season's allowance (the latest known
table, saying so, where the season's own counts are not confirmed), how much of it the
shortlist spends, how many saved programs the low ERAS price covers, and what to warn of
on each entry. Reads only; ``services.assign_signal`` writes."""

from collections import Counter
from dataclasses import dataclass, field

from applicants import costs
from applicants.choices import Status
from applicants.models import ShortlistEntry
from programs.choices import ApplicationService, FeeKind, SignalKind, Tri, Verdict
from programs.models import (
    Fee,
    ProgramSeasonDates,
    Season,
    SignalAllowance,
    Specialty,
    SpecialtyApplicationService,
)

KIND_WORDS = {
    SignalKind.SIGNAL: ("signal", "signals"),
    SignalKind.GOLD: ("gold signal", "gold signals"),
    SignalKind.SILVER: ("silver signal", "silver signals"),
}


def kind_words(kind: str, count: int = 1) -> str:
    singular, plural = KIND_WORDS[SignalKind(kind)]
    return singular if count == 1 else plural


def limits(allowance: SignalAllowance | None) -> dict[str, int | None]:
    """The kinds an applicant may send in a specialty and how many of each; where no source
    gives the allowance, plain signals with no known limit (never none)."""
    if allowance is None:
        return {SignalKind.SIGNAL: None}
    return dict(allowance.limits)


@dataclass(frozen=True)
class KindUse:
    kind: str
    limit: int | None  # None: no source gives it
    used: int

    @property
    def words(self) -> str:
        return kind_words(self.kind, 2)

    @property
    def left(self) -> int | None:
        return None if self.limit is None else max(self.limit - self.used, 0)

    @property
    def over(self) -> bool:
        return self.limit is not None and self.used > self.limit


@dataclass(frozen=True)
class LowBand:
    """ERAS's cheaper first band of programs in a specialty, read from the fee's bands."""

    fee: Fee
    count: int  # saved programs of the specialty, withdrawn ones left out
    last: int  # the band's last program (30)
    amount: int  # its price per program
    next_amount: int | None  # the price per program after it

    @property
    def within(self) -> int:
        return min(self.count, self.last)

    @property
    def beyond(self) -> int:
        return max(self.count - self.last, 0)

    @property
    def left(self) -> int:
        return max(self.last - self.count, 0)


def low_band(specialty: Specialty, service: str | None, fees: dict, count: int):
    """The low ERAS band for a specialty applying through ERAS, or None (another service,
    a fellowship's fees, or no fee recorded)."""
    if service != ApplicationService.ERAS:
        return None
    application = costs.application_fee(specialty, service, fees)
    if application.fee is None or application.fee.kind != FeeKind.ERAS_RESIDENCY:
        return None
    bands = list(application.fee.bands.all())
    if not bands or not bands[0].each or bands[0].last is None:
        return None
    following = bands[1].amount if len(bands) > 1 else None
    return LowBand(application.fee, count, bands[0].last, bands[0].amount, following)


@dataclass(frozen=True)
class SpecialtySignals:
    specialty: Specialty
    allowance: SignalAllowance | None
    kinds: list[KindUse]
    saved: int
    service: str | None
    low_band: LowBand | None

    @property
    def known(self) -> bool:
        return self.allowance is not None

    @property
    def service_name(self) -> str:
        return ApplicationService(self.service).label if self.service else ""


@dataclass(frozen=True)
class Warning:
    level: str  # "warning" or "info"
    text: str


@dataclass
class EntrySignal:
    """What the shortlist shows beside one entry: the kinds it may take and the warnings
    about the signal it has."""

    entry: ShortlistEntry
    choices: list[tuple[str, str]]
    warnings: list[Warning]
    error: str = ""


@dataclass
class SignalPlan:
    season: Season | None
    specialties: list[SpecialtySignals]
    dates: dict[int, ProgramSeasonDates] = field(default_factory=dict)

    def of(self, specialty_id: int) -> SpecialtySignals | None:
        return next((s for s in self.specialties if s.specialty.pk == specialty_id), None)

    def for_entry(self, entry: ShortlistEntry, *, error: str = "") -> EntrySignal:
        """The entry's choices and warnings; ``entry`` carries ``verdict`` where the
        shortlist computed one (``with_verdict``)."""
        mine = self.of(entry.program.specialty_id)
        kinds = mine.kinds if mine else [KindUse(SignalKind.SIGNAL, None, 0)]
        # How many are left is said once, above the list, where each change updates it.
        choices = [("", "No signal"), *((use.kind, SignalKind(use.kind).label) for use in kinds)]
        if entry.signal and entry.signal not in {use.kind for use in kinds}:
            choices.append((entry.signal, SignalKind(entry.signal).label))
        return EntrySignal(entry, choices, self._warnings(entry, mine), error)

    def _warnings(self, entry, mine: SpecialtySignals | None) -> list[Warning]:
        if not entry.signal:
            return []
        warnings = []
        verdict = getattr(entry, "verdict", None)
        if verdict == Verdict.NOT_ELIGIBLE:
            warnings.append(
                Warning(
                    "warning",
                    "You are not eligible for this program by its requirements: a signal "
                    "here is likely wasted.",
                )
            )
        elif verdict == Verdict.NOT_ELIGIBLE_BY_OLD_ANSWER:
            warnings.append(
                Warning(
                    "info",
                    "By an old answer of the program's you are not eligible. Check its "
                    "requirements with the program before you spend a signal on it.",
                )
            )
        dates = self.dates.get(entry.program_id)
        if dates is not None and dates.takes_signals == Tri.NO:
            source = dates.source_label or "a source not recorded"
            warnings.append(
                Warning(
                    "warning",
                    f"The program says it takes no program signals for {self.season} ({source}).",
                )
            )
        if mine is not None and not mine.known:
            warnings.append(
                Warning(
                    "info",
                    f"No source here gives how many signals {mine.specialty.name} has, so "
                    "this one is not checked against a limit.",
                )
            )
        return warnings


def signal_plan(user) -> SignalPlan:
    """The user's signal plan for the current season, over their whole shortlist."""
    season = Season.objects.current()
    match_year = Season.objects.current_match_year()
    entries = list(
        ShortlistEntry.objects.filter(user=user).values_list(
            "program_id", "program__specialty_id", "signal", "status"
        )
    )
    specialty_ids = {specialty_id for _p, specialty_id, _s, _st in entries}
    allowances = SignalAllowance.objects.for_season(season)
    used = Counter((specialty_id, signal) for _p, specialty_id, signal, _st in entries if signal)
    counted = Counter(
        specialty_id for _p, specialty_id, _s, status in entries if status != Status.WITHDRAWN
    )
    saved = Counter(specialty_id for _p, specialty_id, _s, _st in entries)
    fees = costs.fees_by_kind(Fee.objects.remembered_current())
    specialties = []
    for specialty in Specialty.objects.filter(pk__in=specialty_ids).order_by("name"):
        allowance = allowances.get(specialty.pk)
        kinds = [
            KindUse(kind, limit, used[(specialty.pk, kind)])
            for kind, limit in limits(allowance).items()
        ]
        in_force = SpecialtyApplicationService.objects.in_force(
            specialty=specialty, match_year=match_year
        )
        service = in_force.service if in_force else None
        specialties.append(
            SpecialtySignals(
                specialty=specialty,
                allowance=allowance,
                kinds=kinds,
                saved=saved[specialty.pk],
                service=service,
                low_band=low_band(specialty, service, fees, counted[specialty.pk]),
            )
        )
    dates = {}
    if season is not None:
        program_ids = [program_id for program_id, _sp, _s, _st in entries]
        dates = {
            d.program_id: d
            for d in ProgramSeasonDates.objects.filter(season=season, program__in=program_ids)
        }
    return SignalPlan(season=season, specialties=specialties, dates=dates)
