"""The rules as they were before they were stored as steps (programs.requirements): each
one SQL ``Case`` over the program's fields per applicant, the verdict summed up from them.
Kept as the oracle that the stored steps must agree with (tests/programs/test_steps.py)."""

from collections.abc import Iterable

from django.db import models
from django.db.models import Case, Count, Q, Value, When
from django.db.models.lookups import Exact

from programs.choices import (
    EcfmgDeadline,
    ExperiencePolicy,
    GraduationPolicy,
    Outcome,
    ScorePolicy,
    Tri,
    Verdict,
)
from programs.freshness import stale_cutoff
from programs.requirements import (
    BY_ANNOTATION,
    BY_ARGUMENT,
    DOES_NOT_APPLY,
    REQUIREMENTS,
    VISA_FIELDS,
    VisaAsked,
    h1b_filed_since_answer,
)


def _outcome(*whens: When) -> Case:
    return Case(*whens, default=Value(Outcome.UNKNOWN), output_field=models.CharField())


def _always(outcome: Outcome) -> Value:
    return Value(outcome, output_field=models.CharField())


def _img_rule(is_img: bool) -> Case | Value:
    if not is_img:
        return _always(Outcome.MET)
    return _outcome(
        When(accepts_imgs=Tri.YES, then=Value(Outcome.MET)),
        When(accepts_imgs=Tri.NO, then=Value(Outcome.NOT_MET)),
    )


def _visa_rule(asked: "VisaAsked | Iterable[str] | str") -> Case:
    """Met when the program takes any of the visas, not met only when it refuses them all
    and nothing newer says otherwise. An H-1B needs Step 3 passed before the petition: an
    applicant without it is warned at every H-1B program, and does not meet a program's
    own Step 3 date."""
    if not isinstance(asked, VisaAsked):
        asked = VisaAsked((asked,) if isinstance(asked, str) else tuple(asked))
    visas = asked.visas
    whens = []
    if "j1" in visas:
        whens.append(When(sponsors_j1=Tri.YES, then=Value(Outcome.MET)))
    if "h1b" in visas:
        takes_h1b = Q(sponsors_h1b=Tri.YES)
        if asked.step3_passed is False:
            whens.append(
                When(takes_h1b & Q(h1b_step3_by__isnull=False), then=Value(Outcome.NOT_MET))
            )
            whens.append(When(takes_h1b, then=Value(Outcome.MET_WITH_WARNING)))
        else:
            whens.append(When(takes_h1b, then=Value(Outcome.MET)))
    refuses_all = Q()
    for visa in visas:
        refuses_all &= Q(**{VISA_FIELDS[visa]: Tri.NO})
    # Doubted answers are not a refusal, nor is one that newer evidence contradicts.
    whens.append(When(visa_answers_doubted=True, then=Value(Outcome.DOUBTFUL)))
    if "h1b" in visas:
        whens.append(When(refuses_all & h1b_filed_since_answer(), then=Value(Outcome.DOUBTFUL)))
    whens.append(When(refuses_all, then=Value(Outcome.NOT_MET)))
    return _outcome(*whens)


def _step2_rule(score: int) -> Case:
    hard, preferred = ScorePolicy.HARD, ScorePolicy.PREFERRED
    return _outcome(
        When(step2_minimum_doubted=True, then=Value(Outcome.DOUBTFUL)),
        When(step2_policy=ScorePolicy.NONE, then=Value(Outcome.MET)),
        When(step2_policy=hard, step2_minimum__gt=score, then=Value(Outcome.NOT_MET)),
        When(step2_policy=hard, then=Value(Outcome.MET)),
        When(step2_policy=preferred, step2_minimum__gt=score, then=Value(Outcome.MET_WITH_WARNING)),
        When(step2_policy=preferred, then=Value(Outcome.MET)),
    )


def _comlex_rule(score: int) -> Case:
    # A published minimum implies COMLEX is accepted (the database refuses it with "no").
    return _outcome(
        When(comlex_accepted=Tri.NO, then=Value(Outcome.NOT_MET)),
        When(comlex_minimum__gt=score, then=Value(Outcome.NOT_MET)),
        When(comlex_minimum__isnull=False, then=Value(Outcome.MET)),
        When(comlex_accepted=Tri.YES, then=Value(Outcome.MET)),
    )


def _graduation_rule(years_since: int) -> Case | Value:
    """Counted to the season's training start: an applicant who graduates before it (a
    senior) meets any limit."""
    if years_since <= 0:
        return _always(Outcome.MET)
    limit = GraduationPolicy.LIMIT
    return _outcome(
        When(graduation_policy=GraduationPolicy.NONE, then=Value(Outcome.MET)),
        When(
            graduation_policy=limit,
            max_years_since_graduation__lt=years_since,
            then=Value(Outcome.NOT_MET),
        ),
        When(graduation_policy=limit, then=Value(Outcome.MET)),
    )


def _usce_rule(months: int) -> Case:
    required, preferred = ExperiencePolicy.REQUIRED, ExperiencePolicy.PREFERRED
    # "Preferred" without a number asks for some experience: met by any, a warning at none.
    unspecified = Outcome.MET if months > 0 else Outcome.MET_WITH_WARNING
    return _outcome(
        When(usce_policy=ExperiencePolicy.NOT_REQUIRED, then=Value(Outcome.MET)),
        When(usce_policy=required, usce_months__gt=months, then=Value(Outcome.NOT_MET)),
        When(usce_policy=required, then=Value(Outcome.MET)),
        When(usce_policy=preferred, usce_months__isnull=True, then=Value(unspecified)),
        When(usce_policy=preferred, usce_months__gt=months, then=Value(Outcome.MET_WITH_WARNING)),
        When(usce_policy=preferred, then=Value(Outcome.MET)),
    )


def _ecfmg_rule(certified: bool) -> Case:
    """Only a certificate required at application can bar an IMG who is not yet certified:
    the later deadlines can still be met."""
    if certified:
        return _outcome(When(~Q(ecfmg_certified_by=EcfmgDeadline.UNKNOWN), then=Value(Outcome.MET)))
    return _outcome(
        When(ecfmg_certified_by=EcfmgDeadline.APPLICATION, then=Value(Outcome.NOT_MET)),
        When(~Q(ecfmg_certified_by=EcfmgDeadline.UNKNOWN), then=Value(Outcome.MET)),
    )


def _answer_ages(outcomes: dict[str, Case]) -> tuple[dict[str, Q], dict[str, Q]]:
    """For each annotated requirement, where the facts that decide it are older than
    STALE_AFTER_DAYS, and where they are not: the curator's check, else the source's date,
    decides (undated facts are not counted as old)."""
    cutoff = stale_cutoff()
    old, current = {}, {}
    for annotation in outcomes:
        group = BY_ANNOTATION[annotation].group
        checked, published = f"{group}_verified_on", f"{group}_as_of"
        old[annotation] = Q(**{f"{checked}__lt": cutoff}) | Q(
            **{f"{checked}__isnull": True, f"{published}__lt": cutoff}
        )
        current[annotation] = (
            Q(**{f"{checked}__gte": cutoff})
            | Q(
                **{f"{checked}__isnull": True},
                **{f"{published}__gte": cutoff},
            )
            | Q(**{f"{checked}__isnull": True, f"{published}__isnull": True})
        )
    return old, current


def _fails(outcomes: dict[str, Case]):
    """True where any requirement is not met: the program is not eligible."""
    if not outcomes:
        return Value(False, output_field=models.BooleanField())
    return Q(*(Exact(o, Value(Outcome.NOT_MET)) for o in outcomes.values()), _connector=Q.OR)


def _count(outcomes: dict, outcome: Outcome, *, only: dict[str, Q] | None = None):
    """How many of the annotated requirements have this outcome (0 when none were asked),
    counting only those where ``only`` holds, if given."""
    total = Value(0)
    for name in outcomes:
        condition = Q(**{name: outcome})
        if only is not None:
            condition &= only[name]
        total += Case(When(condition, then=Value(1)), default=Value(0))
    return models.ExpressionWrapper(total, output_field=models.IntegerField())


RULES = {
    "is_img": _img_rule,
    "visa": _visa_rule,
    "step2": _step2_rule,
    "comlex": _comlex_rule,
    "graduated": _graduation_rule,
    "usce_months": _usce_rule,
    "ecfmg_certified": _ecfmg_rule,
}


def fit_outcomes(*, match_year: int, **applicant) -> dict[str, Case | Value]:
    """The outcome of each requirement asked about, as ``with_fit`` wrote it before."""
    assert not applicant.keys() - BY_ARGUMENT.keys()
    graduated = applicant.get("graduated")
    if graduated is not None and graduated is not DOES_NOT_APPLY:
        applicant["graduated"] = match_year - graduated
    outcomes = {}
    for requirement in REQUIREMENTS:
        value = applicant.get(requirement.argument)
        if value in (None, [], ()):
            continue
        if value is DOES_NOT_APPLY:
            outcomes[requirement.annotation] = _always(Outcome.NOT_APPLICABLE)
        else:
            outcomes[requirement.annotation] = RULES[requirement.argument](value)
    return outcomes


def with_old_fit(queryset, **applicant):
    """``queryset`` annotated as ``with_fit`` annotated it before (the same names)."""
    outcomes = fit_outcomes(**applicant)
    old, current = _answer_ages(outcomes)
    return (
        queryset.annotate(**outcomes)
        .annotate(
            fit_failed=_count(outcomes, Outcome.NOT_MET, only=current),
            fit_failed_old=_count(outcomes, Outcome.NOT_MET, only=old),
            fit_unknown=_count(outcomes, Outcome.UNKNOWN) + _count(outcomes, Outcome.DOUBTFUL),
            fit_warnings=_count(outcomes, Outcome.MET_WITH_WARNING),
        )
        .annotate(
            fit_verdict=Case(
                When(fit_failed__gt=0, then=Value(Verdict.NOT_ELIGIBLE)),
                When(fit_failed_old__gt=0, then=Value(Verdict.NOT_ELIGIBLE_BY_OLD_ANSWER)),
                When(fit_unknown__gt=0, then=Value(Verdict.POSSIBLY_ELIGIBLE)),
                default=Value(Verdict.ELIGIBLE),
                output_field=models.CharField(),
            )
        )
    )


def old_not_eligible(queryset, variants: dict[str, dict]) -> dict[str, int]:
    """How many programs the old rules made not eligible for each set of ``with_fit``
    arguments, counted in one query as the summary counted them."""
    counts = {}
    for i, arguments in enumerate(variants.values()):
        outcomes = fit_outcomes(**arguments).values()
        fails = Q(*(Exact(o, Value(Outcome.NOT_MET)) for o in outcomes), _connector=Q.OR)
        counts[f"variant_{i}"] = Count("pk", filter=fails) if outcomes else Value(0)
    counted = queryset.aggregate(**counts)
    return {label: counted[f"variant_{i}"] for i, label in enumerate(variants)}
