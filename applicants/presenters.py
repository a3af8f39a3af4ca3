"""What an applicant's pages show: each program's verdict with its reasons in plain words,
where the applicant stands in each specialty of interest, programs side by side, and the
dates of their calendar."""

import datetime
from dataclasses import dataclass, replace
from functools import partial

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from applicants.matching import Applicant, fit_arguments, training_year
from applicants.models import ApplicantType, Status
from programs import fragments
from programs.choices import (
    Outcome,
    Verdict,
)
from programs.facts import long_date
from programs.listing import ProgramRow, program_rows
from programs.models import ApplicantGroup, ChartingOutcome, Program, Specialty
from programs.presenters import FactSection, Freshness, ProgramFacts
from programs.requirements import BY_ANNOTATION, REQUIREMENTS
from programs.shared import remembered
from programs.timeline import countdown


@dataclass(frozen=True)
class Reason:
    """One requirement: what the program says (and where that comes from), what the
    applicant has, and the outcome."""

    requirement: str
    program_says: str
    you: str
    outcome: Outcome
    freshness: Freshness
    outcome_words: str
    evidence: str = ""  # newer evidence beside the program's answer, with its own date

    @property
    def badge(self) -> str:
        return {
            Outcome.MET: "yes",
            Outcome.NOT_MET: "no",
            Outcome.MET_WITH_WARNING: "warning",
            Outcome.DOUBTFUL: "doubt",
        }.get(self.outcome, "unknown")

    @property
    def decisive(self) -> bool:
        return self.outcome not in (Outcome.UNKNOWN, Outcome.DOUBTFUL)

    @property
    def source(self) -> str:
        """ "FREIDA, 2016, as of Feb 2016" or "checked 3 Dec 2026": how old the fact is."""
        f = self.freshness
        if f.verified_on:
            return f"{f.source_label}, checked {long_date(f.verified_on)}"
        if f.as_of:
            return f"{f.source_label}, as of {f.as_of:%b %Y}"
        return f.source_label


@dataclass(frozen=True)
class ProgramFit:
    verdict: Verdict
    reasons: list[Reason]

    @property
    def deciding(self) -> list[Reason]:
        """The reasons the verdict rests on: the failed ones when any failed, else every
        requirement met."""
        return self.failed or [r for r in self.reasons if r.decisive]

    @property
    def old_facts_year(self) -> int | None:
        """The year of the oldest outdated fact the verdict rests on, or None when every
        fact that decided it is recent."""
        old = [r.freshness.date for r in self.deciding if r.freshness.stale]
        return min(old).year if old else None

    @property
    def verdict_words(self) -> str:
        """The verdict as the page says it: an old answer's verdict names its year."""
        if self.verdict == Verdict.NOT_ELIGIBLE_BY_OLD_ANSWER and self.old_facts_year:
            return f"Not eligible by a {self.old_facts_year} answer"
        return self.verdict.label

    @property
    def failed(self) -> list[Reason]:
        return [r for r in self.reasons if r.outcome == Outcome.NOT_MET]

    @property
    def unknown(self) -> list[Reason]:
        return [r for r in self.reasons if r.outcome in (Outcome.UNKNOWN, Outcome.DOUBTFUL)]

    @property
    def badge(self) -> str:
        return VERDICT_BADGES[self.verdict]


VERDICT_BADGES = {
    Verdict.ELIGIBLE: "yes",
    Verdict.POSSIBLY_ELIGIBLE: "unknown",
    Verdict.NOT_ELIGIBLE_BY_OLD_ANSWER: "stale",
    Verdict.NOT_ELIGIBLE: "no",
}


def program_fit(program: Program, applicant: Applicant, *, year: int | None = None) -> ProgramFit:
    """A program's verdict and its reasons; reads the ``with_fit`` annotations. ``year`` is
    the season's training start (read when not given)."""
    asked = fit_arguments(applicant, year=year or training_year())
    return ProgramFit(verdict=Verdict(program.fit_verdict), reasons=_reasons(program, asked))


def _reasons(p: Program, asked: dict) -> list[Reason]:
    reasons = []
    for requirement in REQUIREMENTS:
        outcome = getattr(p, requirement.annotation, None)
        # A rule that does not concern the applicant is not theirs to read.
        if outcome in (None, Outcome.NOT_APPLICABLE):
            continue
        reasons.append(
            Reason(
                requirement=requirement.name,
                program_says=requirement.program_says(p),
                you=requirement.applicant_says(asked[requirement.argument], asked),
                outcome=Outcome(outcome),
                freshness=Freshness.of(p, requirement.group),
                outcome_words=requirement.words[outcome],
                evidence=requirement.evidence_says(p),
            )
        )
    return reasons


# --- Rows of the matches list -----------------------------------------------------------


@dataclass(frozen=True)
class MatchRow(ProgramRow):
    fit: ProgramFit | None = None
    fit_html: str = ""  # the fit as ``applicants/_program_fit.html`` shows it


def match_rows(programs, applicant: Applicant) -> list[MatchRow]:
    rows = program_rows(programs)
    year = training_year()
    fits = [program_fit(row.program, applicant, year=year) for row in rows]
    shown = shown_fits(rows, fits)
    return [
        MatchRow(**{**row.__dict__, "fit": fit, "fit_html": html})
        for row, fit, html in zip(rows, fits, shown, strict=True)
    ]


# What stands for the applicant's own words on each requirement ("you have 240") in a fit
# rendered for everyone: characters no text of the directory holds, nor escaping changes.
YOU = {r.name: f"\x00you-{i}\x00" for i, r in enumerate(REQUIREMENTS)}


def shown_fits(rows, fits: list[ProgramFit]) -> list[SafeString]:
    """Each row's fit rendered (``applicants/_program_fit.html``). A fit reads the program,
    its outcomes and the applicant's own words on each requirement: it is rendered once per
    program and outcomes for everyone, with stand-ins for those words (``YOU``), kept with
    the directory's shared fragments, and each applicant's words put in here. Nothing of the
    applicant is in its key (the program and its outcomes) nor in what is kept."""
    keys = [_fit_key(row.program, fit) for row, fit in zip(rows, fits, strict=True)]
    for_everyone = {
        key: partial(dict, fit=_with_stand_ins(fit)) for key, fit in zip(keys, fits, strict=True)
    }
    rendered = fragments.rendered_each(
        "match-fit", {"": "applicants/_program_fit.html"}, for_everyone
    )
    shown = []
    for key, fit in zip(keys, fits, strict=True):
        html = rendered[key][""]
        for reason in fit.reasons:
            html = html.replace(YOU[reason.requirement], conditional_escape(reason.you))
        shown.append(mark_safe(html))
    return shown


def _fit_key(program: Program, fit: ProgramFit) -> str:
    outcomes = ",".join(str(getattr(program, r.annotation, None) or "") for r in REQUIREMENTS)
    return f"{program.pk}:{fit.verdict}:{outcomes}"


def _with_stand_ins(fit: ProgramFit) -> ProgramFit:
    reasons = [replace(reason, you=YOU[reason.requirement]) for reason in fit.reasons]
    return replace(fit, reasons=reasons)


@dataclass(frozen=True)
class UnknownRequirement:
    requirement: str
    programs: int


@dataclass(frozen=True)
class Unknowns:
    """Why verdicts are "possibly eligible": requirements no program of the list has
    published, and those most often unknown among the rest."""

    everywhere: list[str]
    often: list[UnknownRequirement]

    def __bool__(self):
        return bool(self.everywhere or self.often)


def most_often_unknown(counts: dict[str, int], *, total: int, show: int = 3) -> Unknowns:
    """The requirements ``total`` programs leave unknown, from how many leave each unknown
    (``MatchSummary.unknown``)."""
    named = {BY_ANNOTATION[name].name: count for name, count in counts.items() if count}
    often = [UnknownRequirement(r, c) for r, c in named.items() if c < total]
    return Unknowns(
        everywhere=[r for r, c in named.items() if c == total],
        often=sorted(often, key=lambda u: -u.programs)[:show],
    )


def profile_limits(applicant: Applicant, specialties) -> str:
    """What the profile keeps the matches to, for a list the filters have emptied."""
    names = ", ".join(s.name.lower() for s in specialties)
    states = f" and states ({', '.join(applicant.states)})" if applicant.states else ""
    return f"Your matches are only programs of your profile's specialties ({names}){states}."


# --- Where the applicant stands in a specialty -------------------------------------------

GROUP_OF_TYPE = {
    ApplicantType.US_MD: ApplicantGroup.US_MD_SENIOR,
    ApplicantType.NON_US_IMG: ApplicantGroup.NON_US_IMG,
}
# Groups NRMP's Charting Outcomes describe too, whose figures the site does not hold yet.
GROUPS_NOT_HELD = {
    ApplicantType.US_DO: "US DO seniors",
    ApplicantType.US_IMG: "IMGs who are US citizens or permanent residents",
}


@dataclass(frozen=True)
class Standing:
    specialty: Specialty
    outcome: ChartingOutcome | None
    group: str  # e.g. "non-US IMGs"
    position: str  # where the applicant's score falls, in words
    group_not_held: str = ""  # the applicant's group, when the site lacks its figures


def standings(applicant: Applicant, specialties) -> list[Standing]:
    """For each specialty, how applicants of the same group fared in NRMP's latest Charting
    Outcomes, and where the applicant's Step 2 CK score falls among them."""
    group = GROUP_OF_TYPE.get(applicant.applicant_type)
    outcomes = _latest_outcomes(group) if group else {}
    group_label = ApplicantGroup(group).label if group else ""
    return [
        Standing(
            specialty=specialty,
            outcome=outcomes.get(specialty.pk),
            group=group_label,
            position=_position(applicant.step2_score, outcomes.get(specialty.pk), specialty),
            group_not_held=GROUPS_NOT_HELD.get(applicant.applicant_type, ""),
        )
        for specialty in specialties
    ]


def _latest_outcomes(group: str) -> dict[int, ChartingOutcome]:
    """The latest Charting Outcomes of an applicant group, by specialty: a few dozen rows,
    read once per change of the directory for every profile of the group, whatever its
    specialties."""

    def latest() -> dict[int, ChartingOutcome]:
        outcomes: dict[int, ChartingOutcome] = {}
        for outcome in ChartingOutcome.objects.filter(applicant_group=group).order_by(
            "specialty", "-year"
        ):
            outcomes.setdefault(outcome.specialty_id, outcome)
        return outcomes

    return remembered("charting-outcomes", latest, parts=[group])


def _position(score: int | None, outcome: ChartingOutcome | None, specialty) -> str:
    if outcome is None:
        return ""
    if not score:
        return "You have no Step 2 CK score to compare yet."
    group = outcome.get_applicant_group_display()
    who = f"{group} who matched {specialty.name.lower()} in {outcome.year}"
    q1, median, q3 = outcome.step2_q1, outcome.step2_median, outcome.step2_q3
    if median is None:
        return "NRMP did not publish their Step 2 CK scores (too few applicants)."
    if q1 is not None and score < q1:
        where = f"below the lower quartile ({q1}) of {who}"
    elif score < median:
        where = f"below the median ({median}) of {who}" + (
            f", above their lower quartile ({q1})" if q1 is not None else ""
        )
    elif q3 is not None and score >= q3:
        where = f"at or above the upper quartile ({q3}) of {who}"
    else:
        where = f"at or above the median ({median}) of {who}" + (
            f", below their upper quartile ({q3})" if q3 is not None else ""
        )
    text = f"Your {score} is {where}."
    if outcome.step2_not_matched_median is not None:
        text += f" Those who did not match had a median of {outcome.step2_not_matched_median}."
    return text


# --- Comparing programs side by side ------------------------------------------------------

# Programs the compare page shows side by side at most.
COMPARE_MAX = 4


@dataclass(frozen=True)
class ComparedRow:
    label: str
    facts: list  # one programs.facts.Fact (or None where the program has no such fact)


@dataclass(frozen=True)
class ComparedSection:
    title: str
    rows: list[ComparedRow]
    freshness: list[Freshness]


def compared_sections(all_facts: list[ProgramFacts]) -> list[ComparedSection]:
    """The facts of several programs, section by section and aligned row by row on the
    fact's label, with each program's source and dates for the section."""
    sections = []
    for index, first in enumerate(_sections(all_facts[0])):
        per_program = [_sections(facts)[index] for facts in all_facts]
        labels = list(dict.fromkeys(f.label for s in per_program for f in s.facts))
        rows = [
            ComparedRow(
                label=label,
                facts=[next((f for f in s.facts if f.label == label), None) for s in per_program],
            )
            for label in labels
        ]
        freshness = [s.freshness for s in per_program]
        sections.append(ComparedSection(first.title, rows, freshness))
    return sections


def _sections(facts: ProgramFacts) -> list[FactSection]:
    return facts.sections


# --- The applicant's calendar ---------------------------------------------------------------


@dataclass(frozen=True)
class CalendarItem:
    date: datetime.date | None  # None for a match's date not published yet
    what: str
    program: Program | None  # None for a match's or an application service's date
    confirmed: bool
    today: datetime.date
    source: str = ""
    uid: str = ""  # stable across feeds, so calendar apps update an event in place
    owner: str = ""  # the match or service an official date belongs to
    end_date: datetime.date | None = None

    @property
    def days_left(self) -> int | None:
        """Days to the last day (a span such as Match Week stays ahead until it ends)."""
        if self.date is None:
            return None
        return ((self.end_date or self.date) - self.today).days

    @property
    def countdown(self) -> str:
        return countdown(self.date, self.end_date, today=self.today)

    @property
    def status(self) -> str:
        """ "passed", "passed (was projected)", "confirmed", "projected" or, for a program's
        own date a curator has not checked, "not yet checked by a curator"."""
        if self.date is None:
            return "date not published yet"
        unchecked = "not yet checked by a curator" if self.program else "projected"
        if self.days_left is not None and self.days_left < 0:
            return "passed" if self.confirmed else f"passed (was {unchecked})"
        return "confirmed" if self.confirmed else unchecked


PROGRAM_DATES = [
    ("applications_open", "Applications open"),
    ("application_deadline", "Application deadline"),
    ("interviews_start", "Interviews start"),
    ("interviews_end", "Interviews end"),
]


def calendar_items(events, dates, *, today: datetime.date) -> list[CalendarItem]:
    """The official dates of the saved programs' matches and services (``events``:
    ``MatchEvent`` rows) and the saved programs' own dates (``dates``:
    ``ProgramSeasonDates`` with their programs), soonest first, those not published yet
    last."""
    items = []
    for event in events:
        items.append(
            CalendarItem(
                date=event.date,
                end_date=event.end_date,
                what=event.label,
                owner=event.owner_name,
                program=None,
                confirmed=event.confirmed,
                today=today,
                source=event.source_label,
                uid=f"season-event-{event.pk}",
            )
        )
    for row in dates:
        for name, label in PROGRAM_DATES:
            if date := getattr(row, name):
                items.append(
                    CalendarItem(
                        date=date,
                        what=label,
                        program=row.program,
                        confirmed=bool(row.verified_on),
                        today=today,
                        source=row.source_label,
                        uid=f"program-{row.program.acgme_id}-{row.season_id}-{name}",
                    )
                )
    return sorted(
        items,
        key=lambda item: (
            item.date is None,
            item.date or datetime.date.max,
            item.program is not None,
            item.what,
        ),
    )


def unsave_question(entry) -> str:
    """What taking ``entry`` off the shortlist would lose, asked as a question: "Marked
    Applied, with your notes. Remove it and lose both?"."""
    kept = []
    if entry.notes.strip():
        kept.append("your notes")
    if entry.signal:
        kept.append(f"your {entry.get_signal_display().lower()}")
    with_kept = " and ".join(kept)
    if entry.status != Status.CONSIDERING:
        said = f"Marked {entry.get_status_display()}" + (f", with {with_kept}" if kept else "")
        count = 1 + len(kept)
    else:
        said = f"It has {with_kept}"
        count = len(kept)
    lose = {1: "it" if kept != ["your notes"] else "them", 2: "both"}.get(count, "all three")
    return f"{said}. Remove it and lose {lose}?"
