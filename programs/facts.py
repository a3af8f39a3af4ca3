"""A program's facts, group by group: what each group is called, the fields it holds in
the order curators edit them, where its source and dates are kept, and how its page shows
it. :data:`FACT_GROUPS` is read by the admin's fieldsets, the program page and compare, the
CSV columns, the test factories and the generator, so a new group is written here once.

Each group keeps its own source (label and URL), the date the source published its facts
(``<group>_as_of``) and the date a curator last checked them (``<group>_verified_on``).
"""

import datetime
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.text import capfirst

from programs.choices import (
    STEP2_DOUBTFUL_BELOW,
    ApplicationService,
    EcfmgDeadline,
    ExperiencePolicy,
    FactGroup,
    GraduationPolicy,
    ScorePolicy,
    Setting,
    Tri,
    is_archived_source,
)
from programs.models import Program

NOT_REPORTED = "Not reported"
SOURCE_PARTS = ("source_label", "source_url", "as_of", "verified_on")


@dataclass
class Fact:
    label: str
    text: str
    kind: str = "plain"  # yes | no | unknown | doubt | plain
    url: str = ""
    note: str = ""


def tri_fact(label: str, value: str, note: str = "") -> Fact:
    return Fact(label, Tri(value).label, kind=value, note=note)


def number_fact(label: str, value, unit: str = "") -> Fact:
    if value is None:
        return Fact(label, NOT_REPORTED, kind="unknown")
    return Fact(label, f"{value}{unit}")


def choice_fact(label: str, choice) -> Fact:
    if choice.value == "unknown":
        return Fact(label, NOT_REPORTED, kind="unknown")
    return Fact(label, choice.label)


def day_fact(label: str, value: datetime.date | None, unknown: str = NOT_REPORTED) -> Fact:
    if value is None:
        return Fact(label, unknown, kind="unknown")
    return Fact(label, long_date(value))


def long_date(value: datetime.date) -> str:
    return f"{value:%B} {value.day}, {value.year}"


def doubted(label: str, reported: str, why: str) -> Fact:
    """A reported value that looks wrong: shown as reported, never as a fact, and never
    deciding a verdict. Nothing records a curator checking it, so nothing says one is."""
    return Fact(label, f"Reported as {reported}: looks wrong; not confirmed", "doubt", note=why)


def step2_fact(program: Program) -> Fact:
    label = "Step 2 CK minimum"
    if program.step2_minimum_doubted:
        return doubted(
            label,
            str(program.step2_minimum),
            f"Below {STEP2_DOUBTFUL_BELOW}, lower than any recent passing score.",
        )
    match program.step2_policy:
        case ScorePolicy.HARD:
            return Fact(label, f"{program.step2_minimum} (hard cutoff)")
        case ScorePolicy.PREFERRED:
            return Fact(label, f"{program.step2_minimum} preferred, not required")
        case ScorePolicy.NONE:
            return Fact(label, ScorePolicy.NONE.label)
    return Fact(label, NOT_REPORTED, kind="unknown")


def graduation_fact(program: Program) -> Fact:
    label = "Years since graduation"
    match program.graduation_policy:
        case GraduationPolicy.LIMIT:
            years = program.max_years_since_graduation
            return Fact(label, f"At most {years} year{'s' if years != 1 else ''}")
        case GraduationPolicy.NONE:
            return Fact(label, "No limit")
    return Fact(label, NOT_REPORTED, kind="unknown")


def usce_fact(program: Program) -> Fact:
    label = "US clinical experience"
    months = program.usce_months
    match program.usce_policy:
        case ExperiencePolicy.REQUIRED:
            return Fact(label, f"Required: at least {months} months")
        case ExperiencePolicy.PREFERRED:
            return Fact(label, f"Preferred ({months} months)" if months else "Preferred")
        case ExperiencePolicy.NOT_REQUIRED:
            return Fact(label, "Not required")
    return Fact(label, NOT_REPORTED, kind="unknown")


VISA_DOUBT = "In {year} it answered “no” to every IMG option, even US citizens: likely unanswered."
J1_LABEL = "Accepts J-1 (ECFMG-sponsored)"
H1B_LABEL = "Sponsors H-1B"


def h1b_filed_since_no(program: Program) -> bool:
    """Whether the program's sponsor filed H-1B applications for residents or fellows after
    the program's "no" to H-1B was dated: newer evidence that puts the "no" in doubt."""
    if program.sponsors_h1b != Tri.NO:
        return False
    filings = getattr(program.sponsor, "h1b_filings", None)
    answered = program.visa_verified_on or program.visa_as_of
    return bool(filings and filings.filed_to and (not answered or filings.filed_to > answered))


def h1b_filed_since(program: Program) -> str:
    """Why a "no" to H-1B is in doubt, in words that stand on their own (compare shows them
    without the filings' section)."""
    filings = program.sponsor.h1b_filings
    return (
        f"Its sponsoring institution filed {filings.filings} H-1B "
        f"application{'s' if filings.filings != 1 else ''} for residents and fellows "
        f"{filings.period} (US Department of Labor data), after this answer: it may sponsor "
        "H-1B now. Ask the program."
    )


def visa_facts(program: Program) -> list[Fact]:
    p = program
    inferred = "Inferred: it accepts a visa only IMGs need." if p.accepts_imgs_inferred else ""
    facts = [tri_fact("Accepts IMGs", p.accepts_imgs, note=inferred)]
    answered = p.visa_verified_on or p.visa_as_of
    doubt = VISA_DOUBT.format(year=answered.year if answered else "its undated source")
    for label, value in ((J1_LABEL, p.sponsors_j1), (H1B_LABEL, p.sponsors_h1b)):
        if p.visa_answers_doubted and value == Tri.NO:
            facts.append(doubted(label, "no", doubt))
        elif label == H1B_LABEL and h1b_filed_since_no(p):
            facts.append(
                Fact(
                    label,
                    "No, but newer filings say otherwise",
                    "doubt",
                    note=h1b_filed_since(p),
                )
            )
        else:
            facts.append(tri_fact(label, value))
    if p.h1b_note:
        facts.append(Fact("H-1B conditions", p.h1b_note))
    if p.h1b_step3_by:
        facts.append(Fact("H-1B needs Step 3 passed by", long_date(p.h1b_step3_by)))
    return facts


def eras_fact(program: Program, service: str | None) -> Fact:
    """ERAS participation as its source dated it, never as this season's service when the
    specialty has moved elsewhere since."""
    as_of = program.overview_as_of
    label = (
        f"Took applications through ERAS ({as_of.year})"
        if as_of
        else "Takes applications through ERAS"
    )
    fact = tri_fact(label, program.participates_in_eras)
    if (
        service
        and service != ApplicationService.ERAS
        and program.participates_in_eras != Tri.UNKNOWN
    ):
        fact.note = f"The specialty has applied through {ApplicationService(service).label} since."
    return fact


def place(program: Program) -> str:
    """ "Boston, Massachusetts", or the state alone when the city is not known."""
    state = program.get_state_display()
    return f"{program.city}, {state}" if program.city else state


# --- Each group's facts as its section shows them -------------------------------------------


def listing_facts(p: Program, service: str | None) -> list[Fact]:
    return [
        Fact("Specialty", p.specialty.name, url=p.specialty.get_absolute_url()),
        Fact("Sponsoring institution", p.sponsor.name, url=p.sponsor.get_absolute_url()),
        Fact("Location", place(p)),
        number_fact("Length of training", p.length_years, " years"),
        number_fact("Residents on duty (all years)", p.filled_positions),
        Fact("ACGME accreditation", p.get_accreditation_status_display()),
        day_fact("Accredited since", p.originally_accredited_on),
    ]


def overview_facts(p: Program, service: str | None) -> list[Fact]:
    facts = [
        choice_fact("Setting", Setting(p.setting)),
        number_fact("First-year positions", p.year1_positions),
        number_fact("Letters of recommendation required", p.required_letters),
    ]
    # The season's service says how to apply; an unanswered 2016 question adds nothing.
    if p.participates_in_eras != Tri.UNKNOWN or not service:
        facts.append(eras_fact(p, service))
    return facts


def score_facts(p: Program, service: str | None) -> list[Fact]:
    facts = [step2_fact(p), tri_fact("COMLEX Level 2 accepted", p.comlex_accepted)]
    if p.comlex_minimum is not None:
        facts.append(Fact("COMLEX Level 2 minimum", str(p.comlex_minimum)))
    return facts


def eligibility_facts(p: Program, service: str | None) -> list[Fact]:
    return [
        graduation_fact(p),
        usce_fact(p),
        choice_fact("ECFMG certificate needed", EcfmgDeadline(p.ecfmg_certified_by)),
    ]


# --- The registry ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FactGroupDefinition:
    """One group of facts, titled by its :class:`FactGroup` label. ``layout`` lists its
    fields as the admin lays them out (a tuple shares a line); ``present`` gives the facts
    its section shows, told the application service the specialty uses this season;
    ``about_applicants`` groups say what a program asks of applicants and are shown
    together under that heading."""

    group: FactGroup
    layout: tuple
    present: Callable[[Program, str | None], list[Fact]]
    about_applicants: bool = False

    @property
    def title(self) -> str:
        return self.group.label

    @property
    def fields(self) -> tuple[str, ...]:
        """The group's fields, in the admin's order."""
        return tuple(
            name for line in self.layout for name in (line if isinstance(line, tuple) else (line,))
        )

    @property
    def source_fields(self) -> tuple[str, ...]:
        """Where the group keeps its source, the source's date and the curator's check."""
        return tuple(f"{self.group}_{part}" for part in SOURCE_PARTS)


FACT_GROUPS: tuple[FactGroupDefinition, ...] = (
    FactGroupDefinition(
        FactGroup.LISTING,
        layout=(
            ("acgme_id", "name"),
            ("specialty", "sponsor"),
            "address",
            ("city", "state", "zip_code"),
            "accreditation_status",
            ("accreditation_effective_on", "originally_accredited_on"),
            ("length_years", "filled_positions"),
        ),
        present=listing_facts,
    ),
    FactGroupDefinition(
        FactGroup.OVERVIEW,
        layout=(
            ("website", "website_doubted"),
            "setting",
            ("year1_positions", "participates_in_eras"),
            "required_letters",
        ),
        present=overview_facts,
    ),
    FactGroupDefinition(
        FactGroup.VISA,
        layout=(
            ("accepts_imgs", "accepts_imgs_inferred"),
            ("sponsors_j1", "sponsors_h1b", "visa_answers_doubted"),
            ("h1b_note", "h1b_step3_by"),
        ),
        present=lambda p, service: visa_facts(p),
        about_applicants=True,
    ),
    FactGroupDefinition(
        FactGroup.SCORES,
        layout=(
            ("step2_policy", "step2_minimum", "step2_minimum_doubted"),
            ("comlex_accepted", "comlex_minimum"),
        ),
        present=score_facts,
        about_applicants=True,
    ),
    FactGroupDefinition(
        FactGroup.ELIGIBILITY,
        layout=(
            ("graduation_policy", "max_years_since_graduation"),
            ("usce_policy", "usce_months"),
            "ecfmg_certified_by",
        ),
        present=eligibility_facts,
        about_applicants=True,
    ),
)

BY_GROUP = {definition.group: definition for definition in FACT_GROUPS}


# --- A changed fact needs its source -----------------------------------------------------------

# A source without an address must say what it is: the program's own statement, or a document.
UNLINKED_SOURCE = re.compile(r"statement|document|letter|e-?mail|brochure|pdf", re.IGNORECASE)
PROGRAM_STATEMENT = "Program statement"


def changed_groups(
    old: Mapping[str, Any], new: Mapping[str, Any]
) -> list[tuple[FactGroupDefinition, list[str]]]:
    """The fact groups whose facts differ between ``old`` and ``new``, with the fields that
    changed."""
    groups = []
    for definition in FACT_GROUPS:
        changed = [name for name in definition.fields if old[name] != new[name]]
        if changed:
            groups.append((definition, changed))
    return groups


def unsourced_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, str]:
    """For each fact group whose facts differ between ``old`` and ``new`` (field values, each
    mapping holding every fact and source field), what its new source lacks, by field name:
    no value changes without the source that says it and the date it says it, so the page
    never attributes a new value to an old source. The old source stays in the history."""
    problems = {}
    for definition, changed in changed_groups(old, new):
        label_field, url_field, as_of_field, _checked = definition.source_fields
        label, url, as_of = new[label_field].strip(), new[url_field], new[as_of_field]
        names = ", ".join(capfirst(Program._meta.get_field(name).verbose_name) for name in changed)
        what = f"{definition.title} changed ({names})"
        if not label:
            problems[label_field] = (
                f"{what}: name the source that says the new value (a website, a document, or "
                f"“{PROGRAM_STATEMENT}”)."
            )
        elif is_archived_source(label):
            problems[label_field] = (
                f"{what}: the 2016 FREIDA scrape and the 2021–22 ACGME listing are kept for the "
                "record and cannot be the source of a new value."
            )
        elif not url and not UNLINKED_SOURCE.search(label):
            problems[url_field] = (
                f"{what}: give the source's address, or name a document or a program "
                "statement as the source."
            )
        if as_of is None:
            problems[as_of_field] = f"{what}: give the date the source says it."
        elif label_field not in problems and (label, url, as_of) == (
            old[label_field].strip(),
            old[url_field],
            old[as_of_field],
        ):
            problems[as_of_field] = (
                f"{what}, but its source and date did not: give the source that says the new "
                f"value and the date it says it ({old[label_field] or 'no source'} stays in the "
                "history)."
            )
    return problems


def fact_values(program: Program) -> dict[str, Any]:
    """Every fact and source field of a program, for ``unsourced_changes``."""
    names = [n for d in FACT_GROUPS for n in (*d.fields, *d.source_fields)]
    return {name: getattr(program, f"{name}_id" if name in RELATED else name) for name in names}


# Fact fields that are relations, compared by their keys.
RELATED = ("specialty", "sponsor")
