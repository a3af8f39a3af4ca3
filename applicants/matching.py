"""An applicant matched against programs: who the applicant is, what ``with_fit`` is asked
for them, and what would change their verdicts. The rules themselves live in one place,
``ProgramQuerySet.with_fit``; the rows are matched in the database, and the summary is
counted from the kinds of program the database groups them into (``summarize``)."""

from collections.abc import Callable
from dataclasses import asdict, dataclass, replace

from django.db.models import QuerySet
from django.utils import timezone

from applicants.models import IMG_TYPES, ApplicantType, Profile, VisaNeed
from programs.choices import Outcome, Verdict
from programs.models import Program, Season
from programs.querysets import contradictions, count_kinds, fit_evidence, kind_fits
from programs.requirements import asked_of, changes_that_could_help
from programs.shared import remembered


def _specialty_ids(profile: Profile) -> list[int]:
    """From ``Profile.objects.with_specialty_ids()``, or else read from the database."""
    if (ids := getattr(profile, "specialty_ids", None)) is not None:
        return [int(pk) for pk in ids.split(",") if pk]
    return [s.pk for s in profile.specialties.all()]


# The verdicts a better score, visa, experience or certificate could change.
NOT_ELIGIBLE = (Verdict.NOT_ELIGIBLE, Verdict.NOT_ELIGIBLE_BY_OLD_ANSWER)

# What an applicant chose rather than answered: what their matches are kept to.
CHOSEN = ("specialty_ids", "states")


@dataclass(frozen=True)
class Applicant:
    """A profile as matching reads it: from the database for an account, from the session
    for a visitor."""

    applicant_type: str
    graduation_year: int
    visa_needed: str = VisaNeed.NONE
    step2_score: int | None = None
    comlex2_score: int | None = None
    step3_passed: bool = False
    ecfmg_certified: bool = False
    usce_months: int = 0
    specialty_ids: tuple[int, ...] = ()
    states: tuple[str, ...] = ()

    @classmethod
    def answers(cls) -> list[str]:
        """The profile's answers an applicant carries, besides specialties and states."""
        return [name for name in cls.__dataclass_fields__ if name not in CHOSEN]

    @classmethod
    def from_answers(cls, answers, *, specialty_ids, states) -> "Applicant":
        """From a profile's answers (a mapping: the profile form's cleaned data, or a
        profile's fields), with empty answers at their defaults."""
        values = {name: answers.get(name) for name in cls.answers()}
        values = {name: value for name, value in values.items() if value is not None}
        return cls(
            **values, specialty_ids=tuple(sorted(specialty_ids)), states=tuple(sorted(states))
        )

    @classmethod
    def from_profile(cls, profile: Profile) -> "Applicant":
        return cls.from_answers(
            {name: getattr(profile, name) for name in cls.answers()},
            specialty_ids=_specialty_ids(profile),
            states=profile.states,
        )

    @classmethod
    def from_data(cls, data: dict) -> "Applicant":
        """From what ``to_data`` kept in a visitor's session."""
        fields = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        fields["specialty_ids"] = tuple(fields.get("specialty_ids", ()))
        fields["states"] = tuple(fields.get("states", ()))
        return cls(**fields)

    def to_data(self) -> dict:
        data = asdict(self)
        data["specialty_ids"] = list(self.specialty_ids)
        data["states"] = list(self.states)
        return data

    @property
    def is_img(self) -> bool:
        return self.applicant_type in IMG_TYPES

    @property
    def is_do(self) -> bool:
        return self.applicant_type == ApplicantType.US_DO

    @property
    def uses_comlex(self) -> bool:
        """A DO without a Step 2 CK score is matched on COMLEX Level 2 instead."""
        return self.is_do and self.step2_score is None and self.comlex2_score is not None


def training_year() -> int:
    """The year the current season's residents start training: 1 July of the Match year."""
    return Season.objects.current_match_year()


def fit_arguments(applicant: Applicant, *, year: int) -> dict:
    """What ``with_fit`` is asked for this applicant: every requirement that concerns them
    (``programs.requirements``); years since graduation are counted to ``year``, the
    season's training start."""
    return {**asked_of(applicant), "match_year": year}


def programs_for(applicant: Applicant) -> QuerySet[Program]:
    """The programs of the applicant's specialties (and states, when given) that take
    residents, ready for a list."""
    programs = Program.objects.open_to_applicants().for_listing()
    programs = programs.filter(specialty__in=applicant.specialty_ids)
    if applicant.states:
        programs = programs.filter(state__in=applicant.states)
    return programs


@dataclass(frozen=True)
class WhatIf:
    change: str
    opened: int  # programs that would no longer be "not eligible"


@dataclass(frozen=True)
class MatchSummary:
    verdicts: dict[str, int]  # programs per verdict
    unknown: dict[str, int]  # programs leaving each requirement unknown (``fit_step2``…)
    what_ifs: list[WhatIf]

    @property
    def total(self) -> int:
        return sum(self.verdicts.values())


def summarize(applicant: Applicant, *, year: int) -> MatchSummary:
    """How many of the applicant's programs have each verdict, how many leave each
    requirement unknown, and how many of the not-eligible ones a better score, another
    visa, more clinical experience or an ECFMG certificate would open. Each change can only
    turn a requirement from not met to met, so the difference in not-eligible counts is the
    number of programs it opens.

    Counted from the kinds of the applicant's programs (``ProgramQuerySet.step_kinds``:
    programs alike in everything that decides their outcomes), which every applicant of the
    same specialties and states shares, so one query of stored columns serves them all and
    no rule is compiled per applicant."""
    kinds = _changes(applicant)
    variants = _variants(kinds, year=year)
    arguments = fit_arguments(applicant, year=year)
    counts = count_kinds(
        _program_kinds(applicant, contradictions(arguments, *variants.values())),
        arguments,
        outcome=(Outcome.UNKNOWN, Outcome.DOUBTFUL),
        not_eligible_with=variants,
    )
    now = sum(counts.verdicts[verdict] for verdict in NOT_ELIGIBLE)
    what_ifs = []
    for k, changes in enumerate(kinds if now else []):
        # Each kind of change, smallest first; a bigger step is shown only if it opens more.
        shown = 0
        for i, (label, _who) in enumerate(changes):
            opened = now - counts.not_eligible_with[f"{k}_{i}"]
            if opened > shown:
                what_ifs.append(WhatIf(label, opened))
                shown = opened
    return MatchSummary(counts.verdicts, counts.outcomes, what_ifs)


def _variants(kinds: list[list[tuple[str, Applicant]]], *, year: int) -> dict[str, dict]:
    """The ``with_fit`` arguments of each change ``_changes`` found, by a label of its own."""
    return {
        f"{k}_{i}": fit_arguments(who, year=year)
        for k, changes in enumerate(kinds)
        for i, (_label, who) in enumerate(changes)
    }


def _program_kinds(applicant: Applicant, contradicted: dict) -> list[dict]:
    """The kinds of the applicant's programs, each with its members, from the shared cache
    when anyone asked for the same specialties and states in this generation of the
    directory and day. What is kept is the directory's alone (which programs of those
    specialties and states have each set of stored steps), as a list filtered by them would
    show; the applicant's answers are neither in its key nor in its value."""
    return remembered(
        "match-kinds-with-members",
        lambda: programs_for(applicant).step_kinds(contradicted, members=True),
        parts=[
            list(applicant.specialty_ids),
            list(applicant.states),
            timezone.localdate(),
            {key: str(q) for key, q in contradicted.items()},
        ],
    )


def _contradicted(applicant: Applicant, *, year: int) -> dict:
    """The contradictions ``summarize`` asks the kinds for (its entry of the shared cache)."""
    variants = _variants(_changes(applicant), year=year)
    return contradictions(fit_arguments(applicant, year=year), *variants.values())


def page_reader(
    applicant: Applicant, *, year: int, verdict: str = ""
) -> Callable[[int, int], list[Program]]:
    """How rows ``bottom`` to ``top`` of the applicant's matches (``programs_for``) in their
    default order, best verdict first and then by name, are read, only those of ``verdict``
    when given: as ``MatchFilter`` lists them, with no rule compiled.

    Every program's verdict and outcomes are its kind's (``kind_fits``, from the kinds the
    summary is counted from: the same entry of the shared cache), so the database is told
    only which programs have each verdict (``in_groups``) and reads the page's rows."""

    def read(bottom: int, top: int) -> list[Program]:
        arguments = fit_arguments(applicant, year=year)
        kinds = _program_kinds(applicant, _contradicted(applicant, year=year))
        fits = kind_fits(kinds, arguments)
        by_verdict = {value: [] for value in Verdict.values}
        for kind, fit in zip(kinds, fits, strict=True):
            by_verdict[fit["fit_verdict"]] += kind["members"]
        groups = [by_verdict[verdict]] if verdict else list(by_verdict.values())
        programs = list(
            programs_for(applicant)
            .with_application_service(year)
            .annotate(**fit_evidence(arguments))
            .in_groups(groups)[bottom:top]
        )
        shown = {program.pk for program in programs}
        fit_of = {
            pk: fit
            for kind, fit in zip(kinds, fits, strict=True)
            for pk in kind["members"]
            if pk in shown
        }
        for program in programs:
            program.__dict__.update(fit_of.get(program.pk, {}))
        return programs

    return read


def remembered_summary(applicant: Applicant, *, year: int) -> MatchSummary:
    """``summarize``, from the shared cache when the same answers were summarized in this
    generation of the directory and day (verdicts count facts as old from the day): a page
    rendered again after a change that is not one of the applicant's answers (a program
    saved) does not summarize them again, nor does another applicant with the same ones."""
    return remembered(
        "match-summary",
        lambda: summarize(applicant, year=year),
        parts=[asdict(applicant), year, timezone.localdate()],
    )


def _changes(applicant: Applicant) -> list[list[tuple[str, Applicant]]]:
    """Each kind of change to the applicant that could open programs, smallest first."""
    return [
        [(label, replace(applicant, **values)) for label, values in steps]
        for steps in changes_that_could_help(applicant)
    ]
