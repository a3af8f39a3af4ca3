"""What an applicant's shortlist will cost to apply to, from the fees curators keep for the
season (``programs.models.Fee``), and what its not-eligible programs add to it."""

from collections import defaultdict
from dataclasses import dataclass, field

from applicants.choices import Status
from applicants.matching import Applicant
from programs.choices import ApplicationService, FeeKind, Level, MatchKind, Verdict
from programs.models import Fee, Specialty

# Ranks NRMP registration covers; each program ranked beyond them costs extra.
RANKS_INCLUDED = 20


@dataclass(frozen=True)
class ApplicationFee:
    """The fee a specialty's applications are charged, or why we cannot say."""

    fee: Fee | None
    service: str
    problem: str = ""  # why there is no fee
    assumed: str = ""  # what the amount takes for granted

    def cost(self, count: int) -> int | None:
        return self.fee.cost(count) if self.fee else None

    @property
    def bands(self) -> list:
        return list(self.fee.bands.all()) if self.fee else []

    @property
    def boundary(self) -> int | None:
        """Where the fee's first price step ends, from its own bands: ERAS residency's 30
        ($11 each up to 30, dearer from the 31st), ResidencyCAS emergency medicine's 18 (one
        flat $99 up to 18)."""
        bands = self.bands
        return bands[0].last if len(bands) > 1 else None

    @property
    def flat(self) -> bool:
        """Whether the first step is one price for all its programs."""
        bands = self.bands
        return bool(bands) and not bands[0].each


def application_fee(
    specialty: Specialty, service: str | None, fees: dict[tuple, Fee]
) -> ApplicationFee:
    """The fee for applying to programs of ``specialty`` through ``service``."""
    if service == ApplicationService.RESIDENCYCAS:
        fee = fees.get((FeeKind.RESIDENCYCAS, specialty.pk))
        problem = "" if fee else "ResidencyCAS has not published its fees for this specialty."
        return ApplicationFee(fee, "ResidencyCAS", problem)
    if service == ApplicationService.SF_MATCH:
        return ApplicationFee(None, "SF Match", "SF Match fees are not recorded here yet.")
    if specialty.level == Level.FELLOWSHIP:
        fee = fees.get((FeeKind.ERAS_FELLOWSHIP, None))
        assumed = "" if service else "Assumes the fellowship takes applications through ERAS."
        return ApplicationFee(fee, "ERAS", "" if fee else "No ERAS fees recorded.", assumed)
    if service == ApplicationService.ERAS:
        fee = fees.get((FeeKind.ERAS_RESIDENCY, None))
        return ApplicationFee(fee, "ERAS", "" if fee else "No ERAS fees recorded.")
    return ApplicationFee(None, "", "No source says which service this specialty uses.")


@dataclass(frozen=True)
class SpecialtyCost:
    specialty: Specialty
    application: ApplicationFee
    count: int
    not_eligible: int
    not_eligible_old: int = 0  # ruled out only by an old answer nothing newer confirms

    @property
    def amount(self) -> int | None:
        return self.application.cost(self.count)

    @property
    def wasted(self) -> int | None:
        """What the not-eligible programs add: the last, dearest programs of the count."""
        return self._added(self.count, self.not_eligible)

    @property
    def wasted_old(self) -> int | None:
        """What the programs ruled out only by an old answer add, after the not-eligible
        ones are dropped."""
        return self._added(self.count - self.not_eligible, self.not_eligible_old)

    def _added(self, count: int, last: int) -> int | None:
        """What the last ``last`` of ``count`` programs cost."""
        if self.application.fee is None or not last:
            return 0 if self.application.fee else None
        return self.application.cost(count) - self.application.cost(count - last)

    @property
    def past_boundary(self) -> int:
        """Programs beyond the cheaper band, each at the higher price."""
        boundary = self.application.boundary
        return max(self.count - boundary, 0) if boundary else 0

    @property
    def cheaper_left(self) -> int:
        """Programs one could add before reaching the higher price."""
        boundary = self.application.boundary
        return max(boundary - self.count, 0) if boundary else 0


@dataclass(frozen=True)
class OnceFee:
    fee: Fee
    count: int
    why: str

    @property
    def amount(self) -> int:
        return self.fee.cost(self.count)


@dataclass
class CostPlan:
    specialties: list[SpecialtyCost]
    once: list[OnceFee]
    counted: int  # programs counted (all but withdrawn)
    ranks: int
    missing: list[str] = field(default_factory=list)  # fees not in the data

    @property
    def once_total(self) -> int:
        return sum(f.amount for f in self.once)

    @property
    def total(self) -> int:
        return sum(s.amount or 0 for s in self.specialties) + self.once_total

    @property
    def by_service(self) -> list[tuple[str, int]]:
        """Application fees summed per service, for the services with a known amount."""
        sums: dict[str, int] = defaultdict(int)
        for line in self.specialties:
            if line.amount is not None:
                sums[line.application.service] += line.amount
        return sorted(sums.items())

    @property
    def wasted(self) -> int:
        return sum(s.wasted or 0 for s in self.specialties)

    @property
    def wasted_old(self) -> int:
        return sum(s.wasted_old or 0 for s in self.specialties)

    @property
    def extra_ranks(self) -> int:
        return max(self.ranks - RANKS_INCLUDED, 0)

    @property
    def extra_ranks_cost(self) -> int | None:
        line = next((f for f in self.once if f.fee.kind == FeeKind.NRMP_EXTRA_RANKS), None)
        return line.amount if line else None

    @property
    def not_eligible(self) -> int:
        return sum(s.not_eligible for s in self.specialties)

    @property
    def not_eligible_old(self) -> int:
        return sum(s.not_eligible_old for s in self.specialties)

    @property
    def fees(self) -> list[Fee]:
        """Every fee the plan uses, once each, for the list of sources."""
        used = [s.application.fee for s in self.specialties] + [f.fee for f in self.once]
        return list({fee.pk: fee for fee in used if fee}.values())

    @property
    def unconfirmed(self) -> bool:
        fees = [s.application.fee for s in self.specialties] + [f.fee for f in self.once]
        return any(fee and not fee.confirmed for fee in fees)


def what_if_plan(
    *,
    specialty: Specialty,
    service: str | None,
    match: str | None,
    count: int,
    applicant: Applicant | None,
    fees: dict[tuple, Fee],
    ranks: int | None = None,
) -> CostPlan:
    """What applying to ``count`` programs of ``specialty`` alone would cost through
    ``service``, with the fees this applicant pays once a season for the specialty's
    ``match`` (ranking ``ranks`` programs), whether or not anything is saved: it needs no
    shortlist and no account."""
    line = SpecialtyCost(
        specialty=specialty,
        application=application_fee(specialty, service, fees),
        count=count,
        not_eligible=0,
    )
    plan = CostPlan(specialties=[line], once=[], counted=count, ranks=ranks or 0)
    _once_fees(plan, applicant, fees, {match})
    return plan


def fees_by_kind(fees) -> dict[tuple, Fee]:
    return {(fee.kind, fee.specialty_id): fee for fee in fees}


def cost_plan(
    entries, *, applicant: Applicant | None, fees: dict[tuple, Fee], ranks: int | None = None
) -> CostPlan:
    """The cost of applying to ``entries`` (shortlist entries annotated ``with_verdict``,
    ``with_service`` and ``with_match``, withdrawn ones left out), per specialty and
    service, plus the fees charged once a season. ``ranks`` is how many programs the
    applicant expects to rank; by default those at interview or ranked."""
    by_specialty: dict[int, list] = defaultdict(list)
    for entry in entries:
        by_specialty[entry.program.specialty_id].append(entry)
    specialties = []
    for group in by_specialty.values():
        specialty = group[0].program.specialty
        specialties.append(
            SpecialtyCost(
                specialty=specialty,
                application=application_fee(specialty, group[0].service, fees),
                count=len(group),
                not_eligible=sum(1 for e in group if e.verdict == Verdict.NOT_ELIGIBLE),
                not_eligible_old=sum(
                    1 for e in group if e.verdict == Verdict.NOT_ELIGIBLE_BY_OLD_ANSWER
                ),
            )
        )
    specialties.sort(key=lambda s: (-s.count, s.specialty.name))
    if ranks is None:
        ranks = sum(1 for e in entries if e.status in (Status.INTERVIEW, Status.RANKED))
    plan = CostPlan(specialties=specialties, once=[], counted=len(entries), ranks=ranks)
    if entries:
        _once_fees(plan, applicant, fees, {e.match_kind for e in entries})
    return plan


# The matches whose fees the data does not hold yet: the planner says they are unknown.
UNRECORDED_MATCH_FEES = {
    MatchKind.NRMP_SMS: "NRMP Specialties Matching Service fees",
    MatchKind.AUA: "AUA Urology Match fees",
    MatchKind.SF_MATCH: "SF Match fees",
    MatchKind.MILITARY: "military match fees",
    None: "the match fees of programs whose match is not recorded",
}


def _once_fees(
    plan: CostPlan, applicant: Applicant | None, fees: dict[tuple, Fee], matches: set
) -> None:
    """The fees paid once a season. ERAS's transcript fees and ECFMG's token for ERAS only
    when an application goes through ERAS (or through a service no source names); NRMP's
    Main Match registration (and its ranks beyond 20) only when a program fills through
    the Main Match. Other services' and matches' fees are not in the data, so they are
    named as not counted."""
    services = {line.application.service for line in plan.specialties}
    wanted = []
    if services & {"ERAS", ""}:
        if applicant is None or not applicant.is_do or applicant.step2_score is not None:
            wanted.append((FeeKind.USMLE_TRANSCRIPT, 1, "sent to every program, paid once"))
        if applicant is not None and applicant.is_do:
            wanted.append((FeeKind.COMLEX_TRANSCRIPT, 1, "sent to every program, paid once"))
        if applicant is not None and applicant.is_img:
            wanted.append((FeeKind.ECFMG_TOKEN, 1, "IMGs apply through ERAS with it"))
    for service in sorted(services - {"ERAS", ""}):
        plan.missing.append(f"the fees {service} charges for sending USMLE or COMLEX transcripts")
    if MatchKind.NRMP_MAIN in matches:
        wanted.append((FeeKind.NRMP_REGISTRATION, 1, f"covers up to {RANKS_INCLUDED} ranks"))
        if plan.ranks > RANKS_INCLUDED:
            wanted.append((FeeKind.NRMP_EXTRA_RANKS, plan.ranks, f"ranking {plan.ranks} programs"))
    for kind in sorted(matches - {MatchKind.NRMP_MAIN}, key=str):
        plan.missing.append(UNRECORDED_MATCH_FEES[kind])
    for kind, count, why in wanted:
        fee = fees.get((kind, None))
        if fee is None:
            plan.missing.append(FeeKind(kind).label)
        else:
            plan.once.append(OnceFee(fee, count, why))
