"""What pages show, built from models: a program's fact sections, NRMP figures, the list's
filter chips and rows, the timeline, FAQ topics and JSON-LD.

Plain dataclasses and functions, free of requests and templates, so that any page (the
directory's, and the shortlist and compare pages to come) shows a fact the same way.
"""

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from programs import markdown
from programs.choices import (
    STEP2_DOUBTFUL_BELOW,
    ApplicationService,
    EcfmgDeadline,
    ExperiencePolicy,
    FactGroup,
    FaqTopic,
    GraduationPolicy,
    Outcome,
    ScorePolicy,
    SeasonEvent,
    Setting,
    Tri,
)
from programs.freshness import is_stale
from programs.models import (
    FaqEntry,
    Program,
    ProgramSeasonDates,
    Season,
    SpecialtyApplicationService,
    SpecialtyStatistic,
)
from programs.states import State

NOT_REPORTED = "Not reported"


# --- Where a fact comes from and how old it is ------------------------------------------


@dataclass(frozen=True)
class Freshness:
    """A group of facts' source, the date the source published them and the date a curator
    last checked them against it: the two dates read differently ("as of Feb 2016 (FREIDA)"
    and "checked against the program's website by a curator on 3 Dec 2026")."""

    source_label: str = ""
    source_url: str = ""
    as_of: datetime.date | None = None
    verified_on: datetime.date | None = None

    @property
    def date(self) -> datetime.date | None:
        """How old the facts are: the newer of the two dates."""
        return max((d for d in (self.as_of, self.verified_on) if d), default=None)

    @property
    def stale(self) -> bool:
        return self.date is not None and is_stale(self.date)

    @property
    def words(self) -> str:
        """The same in plain text, for files: "as of Feb 2016 (FREIDA, 2016), not checked
        since"."""
        source = f" ({self.source_label})" if self.source_label else ""
        if self.verified_on:
            return f"checked by a curator on {self.verified_on.isoformat()}{source}"
        if self.as_of:
            return f"as of {self.as_of:%b %Y}{source}, not checked since"
        return f"source: {self.source_label}, not checked" if self.source_label else "not dated"

    @classmethod
    def of(cls, program: Program, group: FactGroup) -> "Freshness":
        label, url = program.source(group)
        return cls(label, url, program.as_of(group), program.verified_on(group))


def oldest_freshness(program: Program) -> Freshness:
    """The freshness of the program's oldest dated fact group: what a list row summarizes,
    so a row never looks fresher than its oldest facts."""
    dated = [f for group in FactGroup if (f := Freshness.of(program, group)).date]
    return min(dated, key=lambda f: f.date, default=Freshness())


# --- Facts ------------------------------------------------------------------------------


@dataclass
class Fact:
    label: str
    text: str
    kind: str = "plain"  # yes | no | unknown | doubt | plain
    url: str = ""
    note: str = ""


@dataclass
class FactSection:
    """Facts shown together under one source and its dates."""

    title: str
    facts: list[Fact]
    slug: str
    freshness: Freshness = field(default_factory=Freshness)


@dataclass
class ProgramFacts:
    listing: FactSection
    overview: FactSection
    requirements: list[FactSection]


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
    """A reported value that looks wrong: shown as reported, never as a fact."""
    return Fact(label, f"Reported as {reported}: looks wrong, being checked", "doubt", note=why)


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
            return Fact(label, "No minimum")
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


VISA_DOUBT = "In 2016 it answered “no” to every IMG option, even US citizens: likely unanswered."
J1_LABEL = "Accepts J-1 (ECFMG-sponsored)"
H1B_LABEL = "Sponsors H-1B"


def visa_facts(program: Program) -> list[Fact]:
    p = program
    inferred = "Inferred: it accepts a visa only IMGs need." if p.accepts_imgs_inferred else ""
    facts = [tri_fact("Accepts IMGs", p.accepts_imgs, note=inferred)]
    for label, value in ((J1_LABEL, p.sponsors_j1), (H1B_LABEL, p.sponsors_h1b)):
        if p.visa_answers_doubted and value == Tri.NO:
            facts.append(doubted(label, "no", VISA_DOUBT))
        else:
            facts.append(tri_fact(label, value))
    if p.h1b_note:
        facts.append(Fact("H-1B conditions", p.h1b_note))
    return facts


def _section(program: Program, group: FactGroup, title: str, facts: list[Fact]) -> FactSection:
    return FactSection(
        title=title, facts=facts, slug=group.value, freshness=Freshness.of(program, group)
    )


def program_facts(program: Program, *, service: str | None = None) -> ProgramFacts:
    """A program's facts in the sections its page shows, each with its source and dates.
    ``service`` is the application service its specialty uses this season, when known.
    Needs ``specialty`` and ``sponsor`` loaded (``for_listing()``)."""
    p = program
    scores = [step2_fact(p), tri_fact("COMLEX Level 2 accepted", p.comlex_accepted)]
    if p.comlex_minimum is not None:
        scores.append(Fact("COMLEX Level 2 minimum", str(p.comlex_minimum)))
    listing = [
        Fact("Specialty", p.specialty.name, url=p.specialty.get_absolute_url()),
        Fact("Sponsoring institution", p.sponsor.name, url=p.sponsor.get_absolute_url()),
        Fact("Location", place(p)),
        number_fact("Length of training", p.length_years, " years"),
        number_fact("Residents on duty (all years)", p.filled_positions),
        Fact("ACGME accreditation", p.get_accreditation_status_display()),
        day_fact("Accredited since", p.originally_accredited_on),
    ]
    overview = [
        choice_fact("Setting", Setting(p.setting)),
        number_fact("First-year positions", p.year1_positions),
        number_fact("Letters of recommendation required", p.required_letters),
    ]
    # The season's service says how to apply; an unanswered 2016 question adds nothing.
    if p.participates_in_eras != Tri.UNKNOWN or not service:
        overview.append(eras_fact(p, service))
    eligibility = [
        graduation_fact(p),
        usce_fact(p),
        choice_fact("ECFMG certificate needed", EcfmgDeadline(p.ecfmg_certified_by)),
    ]
    return ProgramFacts(
        listing=_section(p, FactGroup.LISTING, "ACGME listing", listing),
        overview=_section(p, FactGroup.OVERVIEW, "Program facts", overview),
        requirements=[
            _section(p, FactGroup.VISA, "IMGs and visas", visa_facts(p)),
            _section(p, FactGroup.SCORES, "Exam scores", scores),
            _section(
                p,
                FactGroup.ELIGIBILITY,
                "Graduation, clinical experience and ECFMG",
                eligibility,
            ),
        ],
    )


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


def dates_section(dates: ProgramSeasonDates | None, season: Season | None) -> FactSection:
    """A program's own dates for the season, each "not published" until a curator enters
    what the program publishes."""
    facts = [
        day_fact(label, dates and getattr(dates, name), unknown="Not published")
        for label, name in (
            ("Applications open", "applications_open"),
            ("Application deadline", "application_deadline"),
            ("Interviews from", "interviews_start"),
            ("Interviews until", "interviews_end"),
        )
    ]
    title = f"This program's dates for {season.name}" if season else "This program's dates"
    section = FactSection(title=title, facts=facts, slug="dates")
    if dates:
        section.freshness = Freshness(dates.source_label, dates.source_url, None, dates.verified_on)
    return section


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


def place(program: Program) -> str:
    """ "Boston, Massachusetts", or the state alone when the city is not known."""
    state = program.get_state_display()
    return f"{program.city}, {state}" if program.city else state


def program_description(program: Program) -> str:
    """The page's meta description: what, where, and the visas it is known to take."""
    facts = [
        f"{program.specialty.name} program in {place(program)}, "
        f"sponsored by {program.sponsor.name}."
    ]
    visas = []
    if program.sponsors_j1 == Tri.YES:
        visas.append("accept J-1 visas (sponsored by ECFMG)")
    if program.sponsors_h1b == Tri.YES:
        visas.append("sponsor H-1B visas")
    if visas:
        facts.append(f"Reported to {' and '.join(visas)}.")
    facts.append("IMG policy, score minimums, dates and NRMP statistics, each with its source.")
    return " ".join(facts)


# --- A program in a list ----------------------------------------------------------------


@dataclass(frozen=True)
class Badge:
    text: str
    kind: str  # yes | no | unknown | warning


def _tri_badge(label: str, value: str) -> Badge:
    text = {Tri.YES: "yes", Tri.NO: "no"}.get(value, "not reported")
    return Badge(f"{label}: {text}", value)


def visa_badges(program: Program) -> list[Badge]:
    """The visa and IMG facts a row shows, with doubted answers shown as being checked."""
    if program.visa_answers_doubted:
        badges = [Badge("Visa answers being checked", "warning")]
    else:
        badges = [_tri_badge("J-1 (ECFMG)", program.sponsors_j1)]
        badges.append(_tri_badge("H-1B", program.sponsors_h1b))
    imgs = _tri_badge("IMGs", program.accepts_imgs)
    if program.accepts_imgs_inferred:
        imgs = Badge("IMGs: yes (inferred)", imgs.kind)
    return [*badges, imgs]


@dataclass(frozen=True)
class ProgramRow:
    program: Program
    badges: list[Badge]
    notes: list["FitNote"]
    freshness: Freshness
    service: str  # the application service this season, when annotated and known


def program_rows(programs) -> list[ProgramRow]:
    """List rows; reads the ``with_fit`` and ``with_application_service`` annotations where
    the queryset has them."""
    return [
        ProgramRow(
            program=p,
            badges=visa_badges(p),
            notes=fit_notes(p),
            freshness=oldest_freshness(p),
            service=_service_label(getattr(p, "application_service", None)),
        )
        for p in programs
    ]


def _service_label(service: str | None) -> str:
    return ApplicationService(service).label if service else ""


# --- How a program fits the reader ------------------------------------------------------


@dataclass(frozen=True)
class FitNote:
    text: str
    outcome: Outcome

    @property
    def badge(self) -> str:
        return {Outcome.UNKNOWN: "unknown", Outcome.NOT_MET: "no"}.get(self.outcome, "warning")


def fit_notes(program: Program) -> list[FitNote]:
    """What a list row says about the requirements ``with_fit`` checked: the ones the
    program has not published, the preferred minimums the reader is below, and the ones
    the reader does not meet. Requirements that are met need no note."""
    notes = []
    for annotation, text in _fit_texts(program).items():
        outcome = getattr(program, annotation, None)
        if outcome in text:
            notes.append(FitNote(text[outcome], Outcome(outcome)))
    return notes


def _fit_texts(p: Program) -> dict[str, dict[str, str]]:
    unknown, warning, not_met = Outcome.UNKNOWN, Outcome.MET_WITH_WARNING, Outcome.NOT_MET
    return {
        "fit_step2": {
            unknown: "Step 2 CK minimum being checked"
            if p.step2_minimum_doubted
            else "Step 2 CK minimum not reported",
            warning: f"Prefers Step 2 CK {p.step2_minimum} or more",
            not_met: f"Step 2 CK minimum {p.step2_minimum}",
        },
        "fit_comlex": {
            unknown: "COMLEX Level 2 policy not reported",
            not_met: "COMLEX Level 2: does not accept your score",
        },
        "fit_graduation": {
            unknown: "Graduation-year limit not reported",
            not_met: f"Graduated at most {p.max_years_since_graduation} years before",
        },
        "fit_usce": {
            unknown: "US experience rule not reported",
            warning: "Prefers US clinical experience"
            + (f" ({p.usce_months} months)" if p.usce_months else ""),
            not_met: f"Requires {p.usce_months} months of US clinical experience",
        },
        "fit_visa": {
            unknown: "Visa answers being checked"
            if p.visa_answers_doubted
            else "Visa policy not reported",
            not_met: "Does not sponsor your visa",
        },
        "fit_img": {unknown: "IMG policy not reported", not_met: "Does not take IMGs"},
    }


# --- NRMP figures -----------------------------------------------------------------------


@dataclass
class Bar:
    label: str
    value: int | None
    percent: float
    css: str


@dataclass
class MatchFigures:
    """A specialty's NRMP figures, each from the most recent report that has it.

    NRMP publishes fill rates, who matched and score medians in different reports and
    years, so each figure keeps its own row (and so its own year and source).
    """

    fill: SpecialtyStatistic | None = None
    groups: SpecialtyStatistic | None = None
    scores: SpecialtyStatistic | None = None
    composition: list[Bar] = field(default_factory=list)
    img_share: float | None = None
    img_share_of_all: bool = True

    def __bool__(self):
        return bool(self.fill or self.groups or self.scores)


MATCHED_GROUPS = [
    ("US MD seniors", "matched_us_md", "md"),
    ("US DO seniors", "matched_us_do", "do"),
    ("US-citizen IMGs", "matched_us_img", "usimg"),
    ("Non-US-citizen IMGs", "matched_non_us_img", "img"),
]


def match_figures(statistics) -> MatchFigures:
    """The headline figures: rows that count only a small part of the specialty's programs
    never head it (they stay in the table of every figure)."""
    whole = [s for s in statistics if not s.covers_part_only]
    rows = sorted(whole, key=lambda s: (-s.year, -(s.positions_offered or 0)))

    def newest(test):
        return next((s for s in rows if test(s)), None)

    figures = MatchFigures(
        fill=newest(lambda s: s.percent_filled is not None),
        groups=newest(lambda s: s.matched_us_img is not None and s.matched_non_us_img is not None),
        scores=newest(lambda s: s.step2_median_us_md or s.step2_median_non_us_img),
    )
    if stat := figures.groups:
        counts = [(label, getattr(stat, name), css) for label, name, css in MATCHED_GROUPS]
        known = sum(value or 0 for _, value, _ in counts)
        total = stat.matched_total or known
        figures.img_share_of_all = bool(stat.matched_total)
        if total:
            figures.composition = [
                Bar(label, value, round(100 * (value or 0) / total, 1), css)
                for label, value, css in counts
            ]
            imgs = (stat.matched_us_img or 0) + (stat.matched_non_us_img or 0)
            figures.img_share = round(100 * imgs / total, 1)
    return figures


# --- A program's own Match history ------------------------------------------------------


@dataclass(frozen=True)
class HistoryYear:
    year: int
    offered: int
    matched: int
    width: float  # the year's positions against the busiest year, in percent
    percent: float  # filled, in percent of the year's positions


@dataclass(frozen=True)
class MatchHistory:
    years: list[HistoryYear]
    codes: list[str]
    source_label: str


def match_history(results) -> MatchHistory | None:
    """Positions offered and filled per Match year, all of a program's tracks together,
    newest first; None when none are recorded."""
    results = list(results)
    if not results:
        return None
    by_year: dict[int, list[int]] = {}
    for result in results:
        totals = by_year.setdefault(result.year, [0, 0])
        totals[0] += result.positions_offered
        totals[1] += result.matched
    busiest = max(offered for offered, _ in by_year.values()) or 1
    years = [
        HistoryYear(
            year=year,
            offered=offered,
            matched=matched,
            width=round(100 * offered / busiest, 1),
            percent=round(100 * matched / offered, 1) if offered else 0.0,
        )
        for year, (offered, matched) in sorted(by_year.items(), reverse=True)
    ]
    codes = sorted({result.nrmp_code for result in results})
    labels = "; ".join(sorted({result.source_label for result in results}))
    span = f"{years[-1].year}–{years[0].year}" if len(years) > 1 else str(years[0].year)
    return MatchHistory(years=years, codes=codes, source_label=f"{labels}, {span}")


# --- The list's filters -----------------------------------------------------------------


@dataclass(frozen=True)
class Chip:
    label: str
    remove_url: str


def filter_chips(filterset, query: QueryDict, *, path: str) -> list[Chip]:
    """One removable chip per filter value in use, labelled by the form's own fields; each
    links to ``path`` (the list being filtered) without it."""
    form = filterset.form
    chips = []

    def without(name, value=None):
        return _without(query, name, value, path=path)

    for name, value in filterset.active_values().items():
        field = form.fields[name]
        if isinstance(field, forms.ModelMultipleChoiceField):
            key = field.to_field_name or "pk"
            chips += [Chip(str(obj), without(name, str(getattr(obj, key)))) for obj in value]
        elif isinstance(field, forms.MultipleChoiceField):
            labels = dict(field.choices)
            chips += [Chip(labels[v], without(name, v)) for v in value]
        else:
            chips.append(Chip(_chip_label(field, value), without(name)))
    return chips


def _chip_label(field: forms.Field, value) -> str:
    if isinstance(field, forms.NullBooleanField):
        return str(field.label)
    if isinstance(field, forms.ChoiceField):
        value = dict(field.choices)[value]
    elif isinstance(field, forms.DateField):
        value = f"{value:%b} {value.day}, {value.year}"
    elif isinstance(field, forms.CharField):
        value = f"“{value}”"
    return f"{field.label}: {value}"


def _without(query: QueryDict, name: str, value: str | None = None, *, path: str) -> str:
    """The list's URL with one filter value (or the whole filter) and the page removed."""
    query = query.copy()
    query.pop("page", None)
    if value is None:
        query.pop(name, None)
    else:
        query.setlist(name, [v for v in query.getlist(name) if v != value])
    return f"{path}?{query.urlencode()}" if query else path


@dataclass(frozen=True)
class SearchHint:
    text: str
    url: str


# Words a search cannot find in names, but a filter answers.
FILTER_WORDS = {
    "h1b": ("programs that sponsor H-1B visas", {"visa": "h1b"}),
    "h-1b": ("programs that sponsor H-1B visas", {"visa": "h1b"}),
    "j1": ("programs that accept J-1 visas", {"visa": "j1"}),
    "j-1": ("programs that accept J-1 visas", {"visa": "j1"}),
    "visa": ("programs that take a visa", {"visa": ["j1", "h1b"]}),
    "img": ("programs known to accept IMGs", {"img": "1"}),
    "imgs": ("programs known to accept IMGs", {"img": "1"}),
}


def search_hint(q: str, *, path: str) -> SearchHint | None:
    """A filter that answers what a search asked for, when the search names one."""
    for word in (q or "").lower().split():
        if word in FILTER_WORDS:
            what, query = FILTER_WORDS[word]
            url = f"{path}?{urlencode(query, doseq=True)}"
            return SearchHint(f"Looking for {what}? The filter lists them", url)
    return None


@dataclass(frozen=True)
class FellowshipHint:
    count: int
    url: str


def fellowship_hint(filterset) -> FellowshipHint | None:
    """When a search finds no residencies, how many fellowships it would find instead."""
    found = filterset.fellowships_instead()
    if not found:
        return None
    count, query = found
    return FellowshipHint(count, reverse("programs:list", query=query))


def open_filter_groups(filterset) -> dict[str, bool]:
    """Collapsible filter groups to show open: those in use or with an error."""
    form = filterset.form
    return {
        name: bool(form.data.get(name) or name in form.errors) for name in ("specialty", "state")
    }


class CountedPaginator(Paginator):
    """A paginator told how to count (from the shared cache, say) instead of counting."""

    def __init__(self, *args, count: Callable[[], int], **kwargs):
        super().__init__(*args, **kwargs)
        self._count = count

    @cached_property
    def count(self) -> int:
        return self._count()


def get_page(paginator, requested: str):
    """The page asked for; a page before the first or not a number is the first, and one
    past the last is the last (``page_note`` says so)."""
    try:
        if int(requested) < 1:
            return paginator.page(1)
    except ValueError:
        pass
    return paginator.get_page(requested)


def page_note(requested: str, page) -> str:
    """Why the page shown is not the one asked for, or "" when it is."""
    if not requested or requested == str(page.number):
        return ""
    return (
        f"There is no page “{requested[:20]}”; showing page {page.number} "
        f"of {page.paginator.num_pages}."
    )


def state_counts(rows: list[dict]) -> list[dict]:
    """``count_by_state()`` rows with each state's name, sorted by it."""
    labelled = [{**row, "label": State(row["state"]).label} for row in rows]
    return sorted(labelled, key=lambda row: row["label"])


# --- FAQ --------------------------------------------------------------------------------


@dataclass(frozen=True)
class TopicGroup:
    topic: str
    label: str
    entries: list[FaqEntry]

    @property
    def anchor(self) -> str:
        return f"topic-{self.topic}"


def group_by_topic(entries) -> list[TopicGroup]:
    """Entries grouped under their topic, topics in the order FaqTopic declares them."""
    by_topic: dict[str, list[FaqEntry]] = {}
    for entry in entries:
        by_topic.setdefault(entry.topic, []).append(entry)
    return [
        TopicGroup(topic=topic.value, label=topic.label, entries=by_topic[topic.value])
        for topic in FaqTopic
        if topic.value in by_topic
    ]


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


# --- Structured data --------------------------------------------------------------------

# Characters that could end a <script> element or start markup inside it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def json_ld(data: dict) -> SafeString:
    """JSON for a ``<script type="application/ld+json">`` element, escaped as json_script
    escapes, so no value can close the element."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return mark_safe(text.translate(_SCRIPT_ESCAPES))  # noqa: S308 -- escaped above.


def program_json_ld(
    program: Program, canonical: str, dates: ProgramSeasonDates | None
) -> SafeString:
    address = {
        "@type": "PostalAddress",
        "addressLocality": program.city,
        "addressRegion": program.state,
        "postalCode": program.zip_code,
        "addressCountry": "US",
    }
    data = {
        "@context": "https://schema.org",
        "@type": "EducationalOccupationalProgram",
        "name": program.name,
        "identifier": program.acgme_id,
        "url": canonical,
        "occupationalCategory": program.specialty.name,
        "provider": {
            "@type": "Organization",
            "name": program.sponsor.name,
            "address": {k: v for k, v in address.items() if v},
        },
    }
    if program.website:
        data["sameAs"] = program.website
    if program.length_years:
        data["timeToComplete"] = f"P{program.length_years}Y"
    if program.year1_positions is not None:
        data["maximumEnrollment"] = program.year1_positions
    if dates and dates.application_deadline:
        data["applicationDeadline"] = dates.application_deadline
    if dates and dates.applications_open:
        data["applicationStartDate"] = dates.applications_open
    return json_ld(data)


def faq_json_ld(entries) -> SafeString:
    """schema.org FAQPage data for a list of entries."""
    return json_ld(
        {
            "@context": "https://schema.org",
            "@type": "FAQPage",
            "mainEntity": [
                {
                    "@type": "Question",
                    "name": entry.question,
                    "acceptedAnswer": {
                        "@type": "Answer",
                        "text": str(markdown.render(entry.answer)),
                    },
                }
                for entry in entries
            ],
        }
    )
