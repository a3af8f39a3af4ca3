"""Every requirement a program may set an applicant, each as one :class:`Requirement`: the
fact group and program fields it reads, the rule that compares them with the applicant in
the database, what the program and the applicant say in words, what each outcome is called,
the note a list row shows, and which changes to the applicant could meet it.

Everything that lists requirements (``Program.objects.with_fit``, the list rows' notes, an
applicant's reasons, the matches' export columns, the unknown counts, "what would change
it") reads :data:`REQUIREMENTS`, so a new requirement is written here once.

The applicant is read through :class:`ApplicantFacts`, which ``applicants.matching.Applicant``
provides: this module knows what a requirement asks of applicants, not where they are kept.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import models
from django.db.models import Case, DateField, F, Q, Value, When
from django.db.models.functions import Coalesce

from programs.choices import (
    EcfmgDeadline,
    ExperiencePolicy,
    FactGroup,
    GraduationPolicy,
    Outcome,
    ScorePolicy,
    Tri,
)

# A program as the rules read it (``programs.models.Program``, which imports this module's
# readers through its queryset, so it is not imported here).
Program = models.Model

NOT_REPORTED = "not reported"
DOUBTED = "reported as {}: looks wrong; not confirmed"

# The program field that says whether it takes each visa an applicant may need.
VISA_FIELDS = {"j1": "sponsors_j1", "h1b": "sponsors_h1b"}
# The visas that would do for each answer to "which visa do you need?".
VISAS_FOR_NEED = {"j1": ("j1",), "h1b": ("h1b",), "either": ("j1", "h1b")}
VISA_NAMES = {"j1": "a J-1", "h1b": "an H-1B"}

# How each outcome reads unless a requirement words it otherwise.
OUTCOME_WORDS = {
    Outcome.MET: "met",
    Outcome.MET_WITH_WARNING: "met, below what it prefers",
    Outcome.NOT_MET: "not met",
    Outcome.UNKNOWN: "unknown",
    Outcome.DOUBTFUL: "in doubt",
    Outcome.NOT_APPLICABLE: "does not apply to you",
}


class ApplicantFacts(Protocol):
    """What requirements read of an applicant (``applicants.matching.Applicant``)."""

    graduation_year: int
    visa_needed: str
    step2_score: int | None
    comlex2_score: int | None
    step3_passed: bool
    ecfmg_certified: bool
    usce_months: int

    @property
    def is_img(self) -> bool: ...

    @property
    def uses_comlex(self) -> bool: ...


# Whom a requirement concerns.
EVERYONE = "everyone"
IMGS = "IMGs"
IMGS_NEEDING_A_VISA = "applicants who need a visa"
ON_COMLEX = "DO applicants matched on COMLEX"

CONCERNS = {
    EVERYONE: lambda a: True,
    IMGS: lambda a: a.is_img,
    IMGS_NEEDING_A_VISA: lambda a: a.visa_needed in VISAS_FOR_NEED,
    ON_COMLEX: lambda a: a.uses_comlex,
}


class DoesNotApply:
    """What ``with_fit`` is given for a requirement that does not concern the applicant."""

    def __repr__(self):
        return "DOES_NOT_APPLY"


DOES_NOT_APPLY = DoesNotApply()


@dataclass(frozen=True)
class VisaAsked:
    """The visas any of which would do, and whether the applicant has passed Step 3 (None:
    not asked), which an H-1B petition needs."""

    visas: tuple[str, ...]
    step3_passed: bool | None = None


@dataclass(frozen=True)
class Step:
    """A program's rule for one kind of applicant, as SQL over the program's own fields: an
    applicant whose number is below ``threshold`` gets ``below``, anyone else ``above``.
    Where the threshold is NULL (or None: the rule never has one) every applicant gets
    ``above``."""

    above: Case
    threshold: Case | F | None = None
    below: Case | None = None


@dataclass(frozen=True)
class Measured:
    """An applicant as a rule's program half reads them: which of its steps (``case``) and
    the number compared with its threshold."""

    number: int = 0
    case: str = ""


@dataclass(frozen=True, eq=False)
class Requirement:
    """One requirement, from the program's fields to the words on every page.

    ``concerns`` names the applicants it applies to (``CONCERNS``); for anyone else it is
    "not applicable". ``argument`` is the keyword ``with_fit`` takes for it; ``asked`` reads
    that value from an applicant it concerns; ``steps`` reduce a program's fields to what
    the value is compared with, ``measure`` turns the value into the number compared (see
    "The rules" below), and ``contradicted``, told the value, says where newer evidence puts
    a "not met" in doubt;
    ``program_says`` and ``applicant_says`` (told the value and every ``with_fit``
    argument) put both sides in words; ``notes`` is what a list row says for each outcome
    that needs a note; ``evidence`` annotations ``with_fit`` adds when it is asked, from
    which ``evidence_says`` words newer evidence beside the program's answer; ``what_ifs``
    the changes to the applicant, smallest first, that
    could meet it (a label and the applicant's new values).
    """

    key: str
    name: str
    group: FactGroup
    fields: tuple[str, ...]
    concerns: str
    argument: str
    asked: Callable[[ApplicantFacts], Any]
    steps: Callable[[], dict[str, Step]]
    measure: Callable[[Any], Measured | Outcome]
    program_says: Callable[[Program], str]
    applicant_says: Callable[[Any, dict], str]
    notes: Callable[[Program], dict[str, str]]
    words: dict[str, str] = field(default_factory=lambda: dict(OUTCOME_WORDS))
    evidence: dict = field(default_factory=dict)
    evidence_says: Callable[[Program], str] = lambda program: ""
    what_ifs: Callable[[ApplicantFacts], list[tuple[str, dict]]] = lambda applicant: []
    contradicted: Callable[[Any], Q | None] = lambda value: None

    @property
    def annotation(self) -> str:
        """The ``with_fit`` annotation holding this requirement's outcome."""
        return f"fit_{self.key}"

    def concerns_applicant(self, applicant: ApplicantFacts) -> bool:
        return CONCERNS[self.concerns](applicant)

    def measured(self, value) -> Measured | Outcome:
        """Where an applicant with this value stands: a number for the program's steps, or
        an outcome that is the same at every program."""
        if value is DOES_NOT_APPLY:
            return Outcome.NOT_APPLICABLE
        return self.measure(value)

    def column(self, case: str, part: str) -> str:
        """The program's stored field holding one part (``threshold``, ``below`` or
        ``above``) of the step for one case."""
        return "_".join(filter(None, ("rule", self.key, case, part)))

    def stored(self) -> dict[str, Case | F]:
        """The expressions of the fields ``steps`` are stored in, by field name."""
        return {
            self.column(case, part): expression
            for case, step in self.steps().items()
            for part in ("threshold", "below", "above")
            if (expression := getattr(step, part)) is not None
        }

    def note(self, program: Program) -> tuple[str, Outcome] | None:
        """What a list row says about this requirement for a ``with_fit`` program, or None
        when it needs no note (met, or not asked)."""
        outcome = getattr(program, self.annotation, None)
        if outcome is None:
            return None
        text = self.notes(program).get(outcome)
        return (text, Outcome(outcome)) if text else None


# --- The rules ---------------------------------------------------------------------------
# A program's facts decide the outcome only where it has published them and they are not
# doubted; anything else is ``unknown``, never a refusal.
#
# Each rule is written in two halves that meet in a comparison of numbers. The program's half,
# ``steps``, reduces its facts to a :class:`Step` (a threshold, the outcome below it and the
# outcome at or above it), which the database stores with the program and keeps current on
# every write (generated columns, ``stored_fields``). The applicant's half, ``measure``, turns
# the value asked into the number compared with the threshold, or into an outcome no program
# changes. An applicant's outcome is then one comparison per requirement, whatever the
# program's policy: a page compiles no rule, and the database reads a few small columns.


def _outcome(*whens: When) -> Case:
    return Case(*whens, default=Value(Outcome.UNKNOWN), output_field=models.CharField())


def _threshold(*whens: When) -> Case:
    """A threshold for the programs that have one (NULL for the others)."""
    return Case(*whens, default=None, output_field=models.SmallIntegerField())


def _below(*whens: When) -> Case:
    """The outcome below a program's threshold (NULL where it has none)."""
    return Case(*whens, default=None, output_field=models.CharField())


def _img_steps() -> dict[str, Step]:
    return {
        "": Step(
            above=_outcome(
                When(accepts_imgs=Tri.YES, then=Value(Outcome.MET)),
                When(accepts_imgs=Tri.NO, then=Value(Outcome.NOT_MET)),
            )
        )
    }


def _img_measure(is_img: bool) -> Measured | Outcome:
    return Measured() if is_img else Outcome.MET


def visa_answer_date():
    """How old a program's visa answers are: the curator's check, else the source's date
    (a check is never older than its source); undated answers count as oldest."""
    return Coalesce(
        F("visa_verified_on"), F("visa_as_of"), Value(datetime.date.min), output_field=DateField()
    )


def h1b_filed_since_answer() -> Q:
    """The program's sponsor filed H-1B applications for residents or fellows after the
    program's visa answers were dated: newer evidence that it does sponsor H-1Bs."""
    return Q(sponsor__h1b_filings__filed_to__gt=visa_answer_date())


def _visa_steps() -> dict[str, Step]:
    """Met when the program takes any of the visas, not met only when it refuses them all.
    An H-1B needs Step 3 passed before the petition: an applicant without it (number 0) is
    warned at every H-1B program, and does not meet a program's own Step 3 date. Doubted
    answers are not a refusal (newer evidence against a "no" is ``_h1b_contradicted``)."""
    j1_yes, h1b_yes = Q(sponsors_j1=Tri.YES), Q(sponsors_h1b=Tri.YES)
    without_step3 = _below(
        When(h1b_step3_by__isnull=False, then=Value(Outcome.NOT_MET)),
        When(h1b_yes, then=Value(Outcome.MET_WITH_WARNING)),
    )

    def answered(takes: Q, refuses: Q) -> Case:
        return _outcome(
            When(takes, then=Value(Outcome.MET)),
            When(visa_answers_doubted=True, then=Value(Outcome.DOUBTFUL)),
            When(refuses, then=Value(Outcome.NOT_MET)),
        )

    return {
        "j1": Step(above=answered(j1_yes, Q(sponsors_j1=Tri.NO))),
        "h1b": Step(
            above=answered(h1b_yes, Q(sponsors_h1b=Tri.NO)),
            threshold=_threshold(When(h1b_yes, then=Value(1))),
            below=without_step3,
        ),
        "either": Step(
            above=answered(j1_yes | h1b_yes, Q(sponsors_j1=Tri.NO, sponsors_h1b=Tri.NO)),
            threshold=_threshold(When(~j1_yes & h1b_yes, then=Value(1))),
            below=without_step3,
        ),
    }


def _visas_asked(asked: "VisaAsked | Iterable[str] | str") -> VisaAsked:
    if isinstance(asked, VisaAsked):
        return asked
    return VisaAsked((asked,) if isinstance(asked, str) else tuple(asked))


def _visa_measure(asked: "VisaAsked | Iterable[str] | str") -> Measured:
    asked = _visas_asked(asked)
    case = "either" if len(set(asked.visas)) > 1 else asked.visas[0]
    return Measured(number=0 if asked.step3_passed is False else 1, case=case)


def _h1b_contradicted(asked: "VisaAsked | Iterable[str] | str") -> Q | None:
    """Where a "not met" for an applicant who could take an H-1B rests on the program's "no"
    to H-1B that its sponsor's newer filings contradict: in doubt, not a refusal."""
    if "h1b" not in _visas_asked(asked).visas:
        return None
    return Q(sponsors_h1b=Tri.NO) & h1b_filed_since_answer()


def _step2_steps() -> dict[str, Step]:
    hard, preferred = ScorePolicy.HARD, ScorePolicy.PREFERRED
    return {
        "": Step(
            above=_outcome(
                When(step2_minimum_doubted=True, then=Value(Outcome.DOUBTFUL)),
                When(step2_policy__in=[ScorePolicy.NONE, hard, preferred], then=Value(Outcome.MET)),
            ),
            threshold=_threshold(
                When(
                    step2_minimum_doubted=False,
                    step2_policy__in=[hard, preferred],
                    then=F("step2_minimum"),
                )
            ),
            below=_below(
                When(step2_policy=hard, then=Value(Outcome.NOT_MET)),
                When(step2_policy=preferred, then=Value(Outcome.MET_WITH_WARNING)),
            ),
        )
    }


def _comlex_steps() -> dict[str, Step]:
    # A published minimum implies COMLEX is accepted (the database refuses it with "no").
    return {
        "": Step(
            above=_outcome(
                When(comlex_accepted=Tri.NO, then=Value(Outcome.NOT_MET)),
                When(comlex_minimum__isnull=False, then=Value(Outcome.MET)),
                When(comlex_accepted=Tri.YES, then=Value(Outcome.MET)),
            ),
            threshold=_threshold(When(~Q(comlex_accepted=Tri.NO), then=F("comlex_minimum"))),
            below=_below(When(comlex_minimum__isnull=False, then=Value(Outcome.NOT_MET))),
        )
    }


def _graduation_steps() -> dict[str, Step]:
    """Counted in years to the season's training start: a limit of 7 is met below 8."""
    limit = Q(graduation_policy=GraduationPolicy.LIMIT)
    return {
        "": Step(
            above=_outcome(
                When(graduation_policy=GraduationPolicy.NONE, then=Value(Outcome.MET)),
                When(
                    limit & Q(max_years_since_graduation__isnull=False), then=Value(Outcome.NOT_MET)
                ),
                When(limit, then=Value(Outcome.MET)),
            ),
            threshold=_threshold(When(limit, then=F("max_years_since_graduation") + 1)),
            below=_below(When(limit, then=Value(Outcome.MET))),
        )
    }


def _graduation_measure(years_since: int) -> Measured | Outcome:
    """An applicant who graduates before training starts (a senior) meets any limit."""
    return Measured(years_since) if years_since > 0 else Outcome.MET


def _usce_steps() -> dict[str, Step]:
    required, preferred = ExperiencePolicy.REQUIRED, ExperiencePolicy.PREFERRED
    # "Preferred" without a number asks for some experience: met by any, a warning at none.
    return {
        "": Step(
            above=_outcome(
                When(
                    usce_policy__in=[ExperiencePolicy.NOT_REQUIRED, required, preferred],
                    then=Value(Outcome.MET),
                ),
            ),
            threshold=_threshold(
                When(usce_policy=preferred, usce_months__isnull=True, then=Value(1)),
                When(usce_policy__in=[required, preferred], then=F("usce_months")),
            ),
            below=_below(
                When(usce_policy=required, then=Value(Outcome.NOT_MET)),
                When(usce_policy=preferred, then=Value(Outcome.MET_WITH_WARNING)),
            ),
        )
    }


def _ecfmg_steps() -> dict[str, Step]:
    """Only a certificate required at application can bar an IMG who is not yet certified
    (number 0): the later deadlines can still be met."""
    application = Q(ecfmg_certified_by=EcfmgDeadline.APPLICATION)
    return {
        "": Step(
            above=_outcome(
                When(~Q(ecfmg_certified_by=EcfmgDeadline.UNKNOWN), then=Value(Outcome.MET))
            ),
            threshold=_threshold(When(application, then=Value(1))),
            below=_below(When(application, then=Value(Outcome.NOT_MET))),
        )
    }


# --- What each side says -------------------------------------------------------------------


def _tri(value: str) -> str:
    return {Tri.YES: "yes", Tri.NO: "no"}.get(value, NOT_REPORTED)


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}{'s' if count != 1 else ''}"


def _accepts_imgs(p: Program) -> str:
    text = _tri(p.accepts_imgs)
    return f"{text} (inferred from its visa answers)" if p.accepts_imgs_inferred else text


def _visas(p: Program) -> str:
    if p.visa_answers_doubted:
        return DOUBTED.format("no to both J-1 and H-1B")
    text = f"J-1 (ECFMG-sponsored): {_tri(p.sponsors_j1)}; H-1B: {_tri(p.sponsors_h1b)}"
    if p.sponsors_h1b == Tri.YES and p.h1b_step3_by:
        text += f", with Step 3 passed by {p.h1b_step3_by:%B} {p.h1b_step3_by.day}"
    return text


def _newer_h1b_filings(p: Program) -> str:
    """The Labor Department's record of H-1B filings by the program's sponsor for residents
    and fellows, when it is newer than a "no" to H-1B (``with_fit`` reads it)."""
    filed_to = getattr(p, "h1b_filed_to", None)
    answered = p.visa_verified_on or p.visa_as_of
    if p.sponsors_h1b != Tri.NO or not filed_to or (answered and filed_to <= answered):
        return ""
    count = p.h1b_filings
    return (
        f"its sponsoring institution filed {_plural(count, 'H-1B application')} for residents "
        f"and fellows {p.h1b_period} ({p.h1b_source})"
    )


def _your_visa(asked: VisaAsked, arguments: dict) -> str:
    text = "you need " + " or ".join(VISA_NAMES[visa] for visa in asked.visas)
    if "h1b" in asked.visas and asked.step3_passed is False:
        text += " (Step 3 not passed yet)"
    return text


def _graduated(year: int, arguments: dict) -> str:
    if year >= arguments.get("match_year", year + 1):
        return f"you graduate in {year}, before training starts"
    return f"you graduated in {year}"


def answered_in(p: Program, group: FactGroup) -> str:
    """ "(2016)": the year of a program's facts of this group (a curator's check, else the
    source's date), for a note that repeats one of them, so that an answer of 2016 never
    reads as this season's."""
    answered = getattr(p, f"{group}_verified_on") or getattr(p, f"{group}_as_of")
    return f"({answered.year})" if answered else "(undated)"


def _visa_notes(p: Program) -> dict[str, str]:
    step3 = p.sponsors_h1b == Tri.YES and p.h1b_step3_by
    year = answered_in(p, FactGroup.VISA)
    return {
        Outcome.UNKNOWN: "Visa policy not reported",
        Outcome.DOUBTFUL: f"Visa answers look wrong; not confirmed {year}"
        if p.visa_answers_doubted
        else f"Its “no” to H-1B {year} is contradicted by newer filings",
        Outcome.MET_WITH_WARNING: "H-1B: needs Step 3 passed first",
        Outcome.NOT_MET: f"H-1B needs Step 3 by {p.h1b_step3_by:%b} {p.h1b_step3_by.day} {year}"
        if step3
        else f"Does not sponsor your visa {year}",
    }


def _step2(p: Program) -> str:
    if p.step2_minimum_doubted:
        return DOUBTED.format(p.step2_minimum)
    match p.step2_policy:
        case ScorePolicy.HARD:
            return f"{p.step2_minimum}, a hard cutoff"
        case ScorePolicy.PREFERRED:
            return f"{p.step2_minimum} preferred, not required"
        case ScorePolicy.NONE:
            return "no minimum"
    return NOT_REPORTED


def _comlex(p: Program) -> str:
    if p.comlex_accepted == Tri.NO:
        return "USMLE only"
    if p.comlex_minimum is not None:
        return f"accepted, minimum {p.comlex_minimum}"
    return "accepted" if p.comlex_accepted == Tri.YES else NOT_REPORTED


def _graduation(p: Program) -> str:
    match p.graduation_policy:
        case GraduationPolicy.LIMIT:
            return f"at most {_plural(p.max_years_since_graduation, 'year')} before training starts"
        case GraduationPolicy.NONE:
            return "no limit"
    return NOT_REPORTED


def _usce(p: Program) -> str:
    months = p.usce_months
    match p.usce_policy:
        case ExperiencePolicy.REQUIRED:
            return f"at least {months} months required"
        case ExperiencePolicy.PREFERRED:
            return f"{months} months preferred" if months else "preferred"
        case ExperiencePolicy.NOT_REQUIRED:
            return "not required"
    return NOT_REPORTED


def _ecfmg(p: Program) -> str:
    if p.ecfmg_certified_by == EcfmgDeadline.UNKNOWN:
        return NOT_REPORTED
    return f"needed {EcfmgDeadline(p.ecfmg_certified_by).label.lower()}"


# --- What would meet them ------------------------------------------------------------------


def _better_scores(a: ApplicantFacts) -> list[tuple[str, dict]]:
    if a.uses_comlex:
        return []
    score = a.step2_score
    return [
        (f"With a Step 2 CK score of {better}", {"step2_score": better})
        for better in ([score + 5, score + 10] if score else [230, 245])
        if better <= 300
    ]


def _either_visa(a: ApplicantFacts) -> list[tuple[str, dict]]:
    if a.visa_needed not in ("j1", "h1b"):
        return []
    return [("If either a J-1 or an H-1B would do", {"visa_needed": "either"})]


def _more_experience(a: ApplicantFacts) -> list[tuple[str, dict]]:
    return [
        (
            f"With {a.usce_months + more} months of US clinical experience",
            {"usce_months": a.usce_months + more},
        )
        for more in (3, 6)
    ]


def _certificate(a: ApplicantFacts) -> list[tuple[str, dict]]:
    if not a.is_img or a.ecfmg_certified:
        return []
    return [("Once you are ECFMG-certified", {"ecfmg_certified": True})]


# --- The registry --------------------------------------------------------------------------

IMG = Requirement(
    key="img",
    name="Accepts IMGs",
    group=FactGroup.VISA,
    fields=("accepts_imgs", "accepts_imgs_inferred"),
    concerns=IMGS,
    argument="is_img",
    asked=lambda a: True,
    steps=_img_steps,
    measure=_img_measure,
    program_says=_accepts_imgs,
    applicant_says=lambda is_img, arguments: "you are an IMG",
    notes=lambda p: {
        Outcome.UNKNOWN: "IMG policy not reported",
        Outcome.NOT_MET: f"Does not take IMGs {answered_in(p, FactGroup.VISA)}",
    },
)

VISA = Requirement(
    key="visa",
    name="Visa",
    group=FactGroup.VISA,
    fields=("sponsors_j1", "sponsors_h1b", "visa_answers_doubted", "h1b_step3_by"),
    concerns=IMGS_NEEDING_A_VISA,
    argument="visa",
    asked=lambda a: VisaAsked(VISAS_FOR_NEED[a.visa_needed], a.step3_passed),
    steps=_visa_steps,
    measure=_visa_measure,
    contradicted=_h1b_contradicted,
    program_says=_visas,
    evidence_says=_newer_h1b_filings,
    evidence={
        "h1b_filings": F("sponsor__h1b_filings__filings"),
        "h1b_period": F("sponsor__h1b_filings__period"),
        "h1b_source": F("sponsor__h1b_filings__source_label"),
        "h1b_filed_to": F("sponsor__h1b_filings__filed_to"),
    },
    applicant_says=_your_visa,
    notes=_visa_notes,
    words={**OUTCOME_WORDS, Outcome.MET_WITH_WARNING: "met, once you pass Step 3"},
    what_ifs=_either_visa,
)

STEP2 = Requirement(
    key="step2",
    name="Step 2 CK minimum",
    group=FactGroup.SCORES,
    fields=("step2_policy", "step2_minimum", "step2_minimum_doubted"),
    concerns=EVERYONE,
    argument="step2",
    # No Step 2 CK score is below any hard minimum.
    asked=lambda a: DOES_NOT_APPLY if a.uses_comlex else (a.step2_score or 0),
    steps=_step2_steps,
    measure=Measured,
    program_says=_step2,
    applicant_says=lambda score, arguments: (
        f"you have {score}" if score else "you have no Step 2 CK score"
    ),
    notes=lambda p: {
        Outcome.UNKNOWN: "Step 2 CK minimum not reported",
        Outcome.DOUBTFUL: "Step 2 CK minimum looks wrong; not confirmed "
        + answered_in(p, FactGroup.SCORES),
        Outcome.MET_WITH_WARNING: f"Prefers Step 2 CK {p.step2_minimum} or more "
        + answered_in(p, FactGroup.SCORES),
        Outcome.NOT_MET: f"Step 2 CK minimum {p.step2_minimum} {answered_in(p, FactGroup.SCORES)}",
    },
    what_ifs=_better_scores,
)

COMLEX = Requirement(
    key="comlex",
    name="COMLEX Level 2 minimum",
    group=FactGroup.SCORES,
    fields=("comlex_accepted", "comlex_minimum"),
    concerns=ON_COMLEX,
    argument="comlex",
    asked=lambda a: a.comlex2_score,
    steps=_comlex_steps,
    measure=Measured,
    program_says=_comlex,
    applicant_says=lambda score, arguments: f"you have {score} and no Step 2 CK score",
    notes=lambda p: {
        Outcome.UNKNOWN: "COMLEX Level 2 policy not reported",
        Outcome.NOT_MET: "COMLEX Level 2: does not accept your score "
        + answered_in(p, FactGroup.SCORES),
    },
)

GRADUATION = Requirement(
    key="graduation",
    name="Years since graduation",
    group=FactGroup.ELIGIBILITY,
    fields=("graduation_policy", "max_years_since_graduation"),
    concerns=EVERYONE,
    argument="graduated",
    asked=lambda a: a.graduation_year,
    # ``with_fit`` passes the years from graduation to the season's training start.
    steps=_graduation_steps,
    measure=_graduation_measure,
    program_says=_graduation,
    applicant_says=_graduated,
    notes=lambda p: {
        Outcome.UNKNOWN: "Graduation-year limit not reported",
        Outcome.NOT_MET: f"Graduated at most {p.max_years_since_graduation} years before "
        + answered_in(p, FactGroup.ELIGIBILITY),
    },
)

USCE = Requirement(
    key="usce",
    name="US clinical experience",
    group=FactGroup.ELIGIBILITY,
    fields=("usce_policy", "usce_months"),
    concerns=IMGS,
    argument="usce_months",
    asked=lambda a: a.usce_months,
    steps=_usce_steps,
    measure=Measured,
    program_says=_usce,
    applicant_says=lambda months, arguments: f"you have {_plural(months, 'month')}",
    notes=lambda p: {
        Outcome.UNKNOWN: "US experience rule not reported",
        Outcome.MET_WITH_WARNING: "Prefers US clinical experience"
        + (f" ({p.usce_months} months)" if p.usce_months else "")
        + f" {answered_in(p, FactGroup.ELIGIBILITY)}",
        Outcome.NOT_MET: f"Requires {p.usce_months} months of US clinical experience "
        + answered_in(p, FactGroup.ELIGIBILITY),
    },
    what_ifs=_more_experience,
)

ECFMG = Requirement(
    key="ecfmg",
    name="ECFMG certificate",
    group=FactGroup.ELIGIBILITY,
    fields=("ecfmg_certified_by",),
    concerns=IMGS,
    argument="ecfmg_certified",
    asked=lambda a: a.ecfmg_certified,
    steps=_ecfmg_steps,
    measure=lambda certified: Measured(int(certified)),
    program_says=_ecfmg,
    applicant_says=lambda certified, arguments: (
        "you are ECFMG-certified" if certified else "you are not certified yet"
    ),
    notes=lambda p: {},
    what_ifs=_certificate,
)

# In reading order: what pages list first comes first.
REQUIREMENTS: tuple[Requirement, ...] = (IMG, VISA, STEP2, COMLEX, GRADUATION, USCE, ECFMG)
# "What would change it" tries scores first, then visas, experience and the certificate.
WHAT_IF_ORDER: tuple[Requirement, ...] = (STEP2, VISA, USCE, ECFMG)

BY_ARGUMENT = {r.argument: r for r in REQUIREMENTS}
BY_ANNOTATION = {r.annotation: r for r in REQUIREMENTS}


def stored_fields() -> dict[str, models.GeneratedField]:
    """Every requirement's steps as the program's generated fields, which the database
    computes on every write of a program (``programs.models`` adds them to ``Program``)."""
    fields = {}
    for requirement in REQUIREMENTS:
        for name, expression in requirement.stored().items():
            is_threshold = name.endswith("_threshold")
            output = models.SmallIntegerField() if is_threshold else models.CharField(max_length=16)
            fields[name] = models.GeneratedField(
                expression=expression, output_field=output, db_persist=True
            )
    return fields


STORED_FIELDS = tuple(name for requirement in REQUIREMENTS for name in requirement.stored())


def asked_of(applicant: ApplicantFacts) -> dict:
    """The ``with_fit`` arguments for an applicant: the value of every requirement that
    concerns them, ``DOES_NOT_APPLY`` for the others."""
    return {
        r.argument: r.asked(applicant) if r.concerns_applicant(applicant) else DOES_NOT_APPLY
        for r in REQUIREMENTS
    }


def changes_that_could_help(applicant: ApplicantFacts) -> list[list[tuple[str, dict]]]:
    """For each requirement a change could meet, the changes to the applicant (a label and
    new values), smallest first."""
    return [steps for r in WHAT_IF_ORDER if (steps := r.what_ifs(applicant))]
