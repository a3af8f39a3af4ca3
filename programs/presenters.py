"""What pages show, built from models: a program's fact sections, NRMP figures, the list's
filter chips and rows, the timeline, FAQ topics and JSON-LD.

Plain dataclasses and functions, free of requests and templates, so that any page (the
directory's, and the shortlist and compare pages to come) shows a fact the same way.
"""

import datetime
import json
from dataclasses import dataclass, field

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import SafeString, mark_safe

from programs import markdown
from programs.choices import (
    FactGroup,
    FaqTopic,
    Outcome,
    Tri,
)
from programs.facts import FACT_GROUPS, Fact, day_fact, h1b_filed_since_no, place, tri_fact
from programs.freshness import is_stale
from programs.models import (
    FaqEntry,
    Program,
    ProgramSeasonDates,
    Season,
)
from programs.requirements import REQUIREMENTS

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
class FactSection:
    """Facts shown together under one source and its dates."""

    title: str
    facts: list[Fact]
    slug: str
    freshness: Freshness = field(default_factory=Freshness)
    about_applicants: bool = False


@dataclass
class ProgramFacts:
    sections: list[FactSection]

    def _section(self, group: FactGroup) -> FactSection:
        return next(s for s in self.sections if s.slug == group.value)

    @property
    def listing(self) -> FactSection:
        return self._section(FactGroup.LISTING)

    @property
    def overview(self) -> FactSection:
        return self._section(FactGroup.OVERVIEW)

    @property
    def requirements(self) -> list[FactSection]:
        """The sections saying what the program asks of applicants."""
        return [s for s in self.sections if s.about_applicants]


def program_facts(program: Program, *, service: str | None = None) -> ProgramFacts:
    """A program's facts in the sections its page shows (``programs.facts.FACT_GROUPS``),
    each with its source and dates. ``service`` is the application service its specialty
    uses this season, when known. Needs ``specialty`` and ``sponsor`` loaded
    (``for_listing()``)."""
    return ProgramFacts(
        [
            FactSection(
                title=definition.title,
                facts=definition.present(program, service),
                slug=definition.group.value,
                freshness=Freshness.of(program, definition.group),
                about_applicants=definition.about_applicants,
            )
            for definition in FACT_GROUPS
        ]
    )


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
    takes_signals = dates.takes_signals if dates else Tri.UNKNOWN
    if takes_signals == Tri.UNKNOWN:
        facts.append(Fact("Takes program signals", "Not published", kind="unknown"))
    else:
        facts.append(tri_fact("Takes program signals", takes_signals))
    title = f"This program's dates for {season.name}" if season else "This program's dates"
    section = FactSection(title=title, facts=facts, slug="dates")
    if dates:
        section.freshness = Freshness(dates.source_label, dates.source_url, None, dates.verified_on)
    return section


def visa_year(program: Program) -> int | None:
    """The year of a program's visa answers: a curator's check, else the source's date."""
    answered = program.visa_verified_on or program.visa_as_of
    return answered.year if answered else None


def visa_dated_source(program: Program) -> str:
    """Who gave a program's visa answers and when: "FREIDA, 2016" (a source named with its
    year is not dated twice), "Program website, checked 2026", "undated"."""
    label, year = program.visa_source_label, visa_year(program)
    if program.visa_verified_on:
        return f"{label or 'source not recorded'}, checked {year}"
    if year is None:
        return f"{label}, undated" if label else "undated"
    if not label:
        return str(year)
    return label if str(year) in label else f"{label}, {year}"


def program_description(program: Program) -> str:
    """The page's meta description: what, where, and the visas it reported taking, with the
    source and year of the report (search results show it without the page around it)."""
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
        facts.append(f"Reported to {' and '.join(visas)} ({visa_dated_source(program)}).")
    facts.append(
        "IMG policy, score minimums, dates and NRMP statistics, each with its source and date."
    )
    return " ".join(facts)


# --- A program in a list ----------------------------------------------------------------


@dataclass(frozen=True)
class Badge:
    text: str
    kind: str  # yes | no | unknown | warning


def _when(year: int | None) -> str:
    return str(year) if year else "undated"


def _tri_badge(label: str, value: str, year: int | None, how: str = "") -> Badge:
    if value not in (Tri.YES, Tri.NO):
        return Badge(f"{label}: not reported", value)
    answer = "yes" if value == Tri.YES else "no"
    return Badge(f"{label}: {answer} ({how}{_when(year)})", value)


def visa_badges(program: Program) -> list[Badge]:
    """The visa and IMG answers a row and the program's page show, each with its year (a
    curator's check, else the source's date), so that FREIDA's answers of 2016 never read
    as this season's. The year is shown however recent: a badge without one would look
    current whether it is or not, and the reader need not know what "recent" means here.
    Doubted answers are shown as looking wrong, never as an answer."""
    year = visa_year(program)
    if program.visa_answers_doubted:
        badges = [Badge(f"Visa answers look wrong; not confirmed ({_when(year)})", "warning")]
    else:
        badges = [_tri_badge("J-1 (ECFMG)", program.sponsors_j1, year)]
        if h1b_filed_since_no(program):
            badges.append(Badge(f"H-1B: no ({_when(year)}), filings since", "warning"))
        else:
            badges.append(_tri_badge("H-1B", program.sponsors_h1b, year))
    how = "inferred, " if program.accepts_imgs_inferred else ""
    return [*badges, _tri_badge("IMGs", program.accepts_imgs, year, how)]


def answered_visa_badges(program: Program) -> list[Badge]:
    """The H-1B and J-1 answers a program gave, yes or no with their year, and nothing for
    what it never said: where a page lists many programs and says once what a missing badge
    means."""
    year = visa_year(program)
    badges = [
        _tri_badge("H-1B", program.sponsors_h1b, year),
        _tri_badge("J-1 (ECFMG)", program.sponsors_j1, year),
    ]
    return [badge for badge in badges if badge.kind in (Tri.YES, Tri.NO)]


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
    return [FitNote(*note) for r in REQUIREMENTS if (note := r.note(program))]


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
    # No maximumEnrollment: the first-year positions are FREIDA's count of 2016 for most
    # programs, and schema.org gives the property no date, so a search result would show
    # an old count as this year's.
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
