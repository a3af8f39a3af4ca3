"""Read logic: every list, count and lookup that a page, the admin or a sitemap needs is a
named method here. Matching an applicant against programs' requirements is one of them:
``Program.objects.with_fit(...)``.

Every list has a total order (ties broken by a unique key), so pages never repeat or skip a
row, and names sort without regard to case.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.apps import apps
from django.db import models
from django.db.models import (
    Case,
    Count,
    Exists,
    Expression,
    F,
    Func,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    StringAgg,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest, Lower, Replace
from django.db.models.lookups import Exact, LessThan
from django.utils import timezone

from programs.choices import (
    Level,
    Outcome,
    ReportStatus,
    Tri,
    Verdict,
)
from programs.freshness import stale_cutoff
from programs.requirements import (
    BY_ANNOTATION,
    BY_ARGUMENT,
    DOES_NOT_APPLY,
    REQUIREMENTS,
    STORED_FIELDS,
    VISA_FIELDS,
    Requirement,
)
from programs.search import search_programs
from programs.shared import remembered


def _model(name: str) -> type[models.Model]:
    return apps.get_model("programs", name)


def _with_program_count(queryset, *, include_withdrawn: bool):
    condition = None if include_withdrawn else Q(programs__is_withdrawn=False)
    # A GROUP BY query leaves Meta.ordering out, so the order is restated.
    return queryset.annotate(program_count=Count("programs", filter=condition)).order_by(
        *queryset.query.order_by or queryset.model._meta.ordering
    )


class SpecialtyQuerySet(models.QuerySet):
    def remembered(self) -> list:
        """Every specialty in name order, read from the shared cache until one changes."""
        return remembered("specialties:all", lambda: list(self.model.objects.all()))

    def residencies(self):
        return self.filter(level=Level.RESIDENCY)

    def fellowships(self):
        return self.filter(level=Level.FELLOWSHIP)

    def with_program_count(self, *, include_withdrawn: bool = False):
        """Annotate ``program_count``: programs taking residents (all, for curators)."""
        return _with_program_count(self, include_withdrawn=include_withdrawn)

    def largest(self, limit: int):
        """The residency specialties with the most programs taking residents."""
        return (
            self.residencies()
            .with_program_count()
            .filter(program_count__gt=0)
            .order_by("-program_count", Lower("name"), "code")[:limit]
        )

    def with_statistics(self):
        """Prefetch each specialty's NRMP figures, newest first."""
        statistics = _model("SpecialtyStatistic").objects.order_by("-year", "nrmp_specialty")
        return self.prefetch_related(Prefetch("statistics", queryset=statistics))

    def subspecialties_of(self, specialty):
        """The fellowships that build on ``specialty`` and have programs taking residents."""
        return self.filter(parent=specialty).with_program_count().filter(program_count__gt=0)


class SponsorQuerySet(models.QuerySet):
    def with_program_count(self, *, include_withdrawn: bool = False):
        """Annotate ``program_count``: programs taking residents (all, for curators)."""
        return _with_program_count(self, include_withdrawn=include_withdrawn)


class SeasonQuerySet(models.QuerySet):
    def current(self):
        """The season applicants are in now, or None before curators set one up; read from
        the shared cache until a season changes."""
        return remembered("season:current", lambda: self.filter(is_current=True).first())

    def current_match_year(self) -> int:
        """The current season's Match year; before any season is set up, next spring's."""
        season = self.current()
        return season.match_year if season else timezone.localdate().year + 1

    def with_event_counts(self):
        return self.annotate(
            event_count=Count("events", distinct=True),
            confirmed_events=Count("events", filter=Q(events__status="confirmed"), distinct=True),
        )


class ProgramSeasonDatesQuerySet(models.QuerySet):
    def current(self):
        return self.filter(season__is_current=True)

    def upcoming(self, *, days: int = 30, today: datetime.date | None = None):
        """Application deadlines of the current season within ``days`` from today, soonest
        first, for programs taking residents."""
        today = today or timezone.localdate()
        return (
            self.current()
            .filter(
                application_deadline__range=(today, today + datetime.timedelta(days=days)),
                program__is_withdrawn=False,
            )
            .select_related("program", "program__specialty")
            .order_by("application_deadline", Lower("program__name"), "program__acgme_id")
        )

    def for_program(self, program, season):
        """A program's dates for one season, or None when it has published none."""
        if season is None:
            return None
        return self.filter(program=program, season=season).first()


FAQ_SEARCH_MAX_LENGTH = 100
FAQ_SEARCH_MAX_WORDS = 8
# Abbreviations readers search for, and what the answers write out.
FAQ_WORDS = {
    "usce": ("clinical experience",),
    "img": ("international medical graduate",),
    "imgs": ("international medical graduate",),
    "rol": ("rank order list",),
    "lor": ("letter",),
    "lors": ("letter",),
    "cs": ("clinical skills",),
}


class InForceQuerySet(models.QuerySet):
    """Rows that hold for a specialty from one Match on (``first_match_year``): the row in
    force for a Match is the latest from that year or before."""

    # The name of the rows in the shared cache, and the relations read with them.
    cache_name = ""
    related: tuple[str, ...] = ()

    def in_force(self, *, specialty, match_year: int):
        """The specialty's row for ``match_year``, or None when no source says; read from
        the shared cache until one changes."""
        return remembered(
            f"specialty:{specialty.pk}:{self.cache_name}:{match_year}",
            lambda: (
                self.filter(specialty=specialty, first_match_year__lte=match_year)
                .select_related(*self.related or [None])
                .order_by("-first_match_year")
                .first()
            ),
        )


class SpecialtyMatchQuerySet(InForceQuerySet):
    cache_name = "match"
    related = ("match",)

    def in_force_for(self, specialty_ids, *, match_year: int) -> dict:
        """The match in force per specialty id, for many specialties in one query."""
        rows = (
            self.filter(specialty__in=specialty_ids, first_match_year__lte=match_year)
            .select_related("match")
            .order_by("specialty", "-first_match_year")
        )
        found = {}
        for row in rows:
            found.setdefault(row.specialty_id, row)
        return found


class MatchEventQuerySet(models.QuerySet):
    def of_season(self, season):
        return self.filter(season=season).select_related("kind", "match", "specialty")

    def for_specialty(self, *, season, match, service: str, specialty):
        """The dates that apply to a specialty's programs: its match's (the whole match's,
        or this specialty's own calendar within it) and its application service's."""
        owners = Q(pk__in=[])
        if match is not None:
            owners |= Q(match=match)
        if service:
            owners |= Q(service=service)
        return (
            self.of_season(season)
            .filter(owners)
            .filter(Q(specialty__isnull=True) | Q(specialty=specialty))
        )


class SpecialtyApplicationServiceQuerySet(InForceQuerySet):
    """The service a specialty's programs take applications through, per Match."""

    cache_name = "service"


class FeeQuerySet(models.QuerySet):
    def with_bands(self):
        return self.select_related("season", "specialty").prefetch_related("bands")

    def current(self):
        """The current season's fees, with their bands."""
        return self.filter(season__is_current=True).with_bands()

    def remembered_current(self) -> list:
        """``current()``, read from the shared cache until a fee, band or season changes."""
        return remembered("fees:current", lambda: list(self.current()))


class SignalAllowanceQuerySet(models.QuerySet):
    def for_season(self, season):
        """The season's allowances by specialty id (none before a season is set up)."""
        if season is None:
            return {}
        return {a.specialty_id: a for a in self.filter(season=season).select_related("season")}


class FaqEntryQuerySet(models.QuerySet):
    def published(self):
        """Published entries with what their listing shows (published related guides only)."""
        guides = _model("Guide").objects.published()
        return (
            self.filter(is_published=True)
            .select_related("specialty", "program")
            .prefetch_related(Prefetch("related_guides", queryset=guides))
        )

    def search(self, q: str):
        """Entries whose question or answer contains every word of ``q``, ignoring case and
        hyphens (so "h1b" finds "H-1B"); an abbreviation also finds what it stands for."""
        terms = [_plain(t) for t in q[:FAQ_SEARCH_MAX_LENGTH].split()[:FAQ_SEARCH_MAX_WORDS]]
        terms = [term for term in terms if term]
        if not terms:
            return self
        entries = self.alias(
            question_plain=_plain_text("question"), answer_plain=_plain_text("answer")
        )
        for term in terms:
            condition = Q()
            for spelling in (term, *FAQ_WORDS.get(term, ())):
                condition |= Q(question_plain__contains=spelling)
                condition |= Q(answer_plain__contains=spelling)
            entries = entries.filter(condition)
        return entries


def _plain(text: str) -> str:
    return text.lower().replace("-", "")


def _plain_text(field: str):
    """A text field lowercased and without hyphens, as ``_plain`` makes a search word."""
    return Replace(Lower(field), Value("-"), Value(""), output_field=models.TextField())


class GuideQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class OutdatedReportQuerySet(models.QuerySet):
    def awaiting_review(self):
        return self.filter(status=ReportStatus.NEW)


# How many programs a group holds, and the first and last dates of the listings that say so
# (a curator's check, else the listing's date), as ReportedCount.summed reads them.
_LISTING_DATED = Coalesce("listing_verified_on", "listing_as_of")
LISTED = {
    "listed": Count("id"),
    "listed_first": Min(_LISTING_DATED),
    "listed_last": Max(_LISTING_DATED),
}


class ProgramQuerySet(models.QuerySet):
    # What ``with_fit`` was asked, by annotation, which ``fit_counts`` compares variants with.
    _fit_values: dict = {}

    def _clone(self):
        clone = super()._clone()
        clone._fit_values = self._fit_values
        return clone

    def open_to_applicants(self):
        """Programs an applicant can still apply to: withdrawn ones are kept but hidden."""
        return self.filter(is_withdrawn=False)

    def residencies(self):
        return self.filter(specialty__level=Level.RESIDENCY)

    def fellowships(self):
        return self.filter(specialty__level=Level.FELLOWSHIP)

    def for_listing(self):
        """Everything a list row shows, in a fixed number of queries (the sponsor's H-1B
        filings too: they can put a program's "no" to H-1B in doubt)."""
        return self.select_related("specialty", "sponsor", "sponsor__h1b_filings")

    def for_page(self):
        """``for_listing``, and whether the program holds any of the records its page
        lists (NRMP codes, Match results, ACGME positions, its own FAQ, this season's
        dates): most hold few of them, and a page reads only those it holds."""

        def held(model: str, **filters):
            return Exists(_model(model).objects.filter(program=OuterRef("pk"), **filters))

        return self.for_listing().annotate(
            holds_tracks=held("NrmpTrack"),
            holds_results=held("ProgramMatchResult"),
            holds_positions=held("ProgramPositions"),
            holds_faq=held("FaqEntry", is_published=True),
            holds_dates=held("ProgramSeasonDates", season__is_current=True),
        )

    # Freshness

    def stale(self, today: datetime.date | None = None):
        """Programs no curator has checked within STALE_AFTER_DAYS (or ever)."""
        cutoff = stale_cutoff(today)
        return self.filter(Q(last_verified_on__isnull=True) | Q(last_verified_on__lt=cutoff))

    def recently_verified(self, today: datetime.date | None = None):
        return self.filter(last_verified_on__gte=stale_cutoff(today))

    def verified_long_ago(self, today: datetime.date | None = None):
        return self.filter(last_verified_on__lt=stale_cutoff(today))

    def never_verified(self):
        return self.filter(last_verified_on__isnull=True)

    def doubted(self):
        """Programs with a reported value that looks wrong and is being checked."""
        return self.filter(
            Q(step2_minimum_doubted=True) | Q(visa_answers_doubted=True) | Q(website_doubted=True)
        )

    # Counts for the specialty, state and sitemap pages

    def visa_totals(self) -> dict:
        """How many programs there are (``total``), and how many are known to take each visa
        (``j1``, ``h1b``) and IMGs (``img``), each a :class:`ReportedCount` with the sources
        and dates it rests on; ``reported`` counts the programs known to take any of them.
        Most of these answers are FREIDA's of 2016: a count of them has to say so. ``listed``
        is :meth:`listed`, read in the same query."""
        return self._totals()[0]

    def totals_by_state(self) -> dict:
        """:meth:`visa_totals` with ``by_state``, ``{"state": code, "count": n}`` per state
        that has programs, by code: all read in one query."""
        totals, rows = self._totals("state")
        by_state: dict[str, int] = {}
        for row in rows:
            by_state[row["state"]] = by_state.get(row["state"], 0) + row["listed"]
        totals["by_state"] = [
            {"state": state, "count": by_state[state]} for state in sorted(by_state)
        ]
        return totals

    def _totals(self, *fields: str) -> tuple[dict, list[dict]]:
        """:meth:`visa_totals`, and the rows it sums, grouped by ``fields`` too."""
        dated = Coalesce("visa_verified_on", "visa_as_of")
        kinds = {
            **{visa: Q(**{field: Tri.YES}) for visa, field in VISA_FIELDS.items()},
            "img": Q(accepts_imgs=Tri.YES),
        }
        kinds["reported"] = Q(*kinds.values(), _connector=Q.OR)
        # One row per pair of sources (and of ``fields``): a handful, however many
        # programs there are.
        rows = list(
            self.order_by()
            .values(*fields, "visa_source_label", "listing_source_label")
            .annotate(
                **LISTED,
                **{kind: Count("id", filter=q) for kind, q in kinds.items()},
                **{f"{kind}_first": Min(dated, filter=q) for kind, q in kinds.items()},
                **{f"{kind}_last": Max(dated, filter=q) for kind, q in kinds.items()},
            )
        )
        totals: dict = {
            kind: ReportedCount.summed(rows, kind, "visa_source_label") for kind in kinds
        }
        totals["listed"] = ReportedCount.summed(rows, "listed", "listing_source_label")
        totals["total"] = totals["listed"].count
        return totals, rows

    def listed(self) -> "ReportedCount":
        """How many programs there are, with the listings that say so and their dates: the
        directory is the ACGME listing of a given year, and a count of it says which."""
        rows = self.order_by().values("listing_source_label").annotate(**LISTED)
        return ReportedCount.summed(rows, "listed", "listing_source_label")

    def count_by_specialty(self):
        """``specialty__name``, ``specialty__slug`` and ``count`` per specialty, by name."""
        return (
            self.order_by()
            .values("specialty__name", "specialty__slug")
            .annotate(count=Count("id"))
            .order_by(Lower("specialty__name"), "specialty__slug")
        )

    def by_specialty(self):
        """Grouped by specialty (for a page that lists them under headings), then by name."""
        return self.select_related("specialty", "sponsor").order_by(
            Lower("specialty__name"), "specialty__code", Lower("name"), "acgme_id"
        )

    def states(self) -> list[str]:
        return list(self.order_by("state").values_list("state", flat=True).distinct())

    # Dates

    def with_current_deadline(self):
        """Annotate ``current_deadline``: the application deadline the program published for
        the current season, or None when it has published none."""
        deadline = (
            _model("ProgramSeasonDates")
            .objects.current()
            .filter(program=models.OuterRef("pk"))
            .order_by()
            .values("application_deadline")[:1]
        )
        return self.annotate(current_deadline=models.Subquery(deadline))

    def by_deadline_rows(self, bottom: int, top: int) -> list:
        """Rows ``bottom`` to ``top`` of this ``with_current_deadline`` queryset in the list's
        deadline order (the current deadline, unknown last, then the name without regard to
        case, then the ACGME ID), the queryset's own order for the rows read.

        Sorting the whole list by a deadline read per program costs a join of every program
        listed with its wide row (0.3 to 0.5 s at 100,000 programs). The same order is the
        programs with a deadline by it, then the others by name: each part's keys come from a
        narrow query (the first from the season's dates, the second along the name's index),
        and only the page's rows are read in full."""
        season = _model("Season").objects.current()
        keys = self.order_by().values_list("pk", flat=True)
        wanted = top - bottom
        if wanted <= 0:
            return []
        found = []
        undated_from = bottom
        if season is not None:
            dated = keys.filter(
                season_dates__season=season, season_dates__application_deadline__isnull=False
            ).order_by("season_dates__application_deadline", Lower("name"), "acgme_id")
            found = list(dated[bottom:top])
            if len(found) < wanted:
                # How many programs with a deadline come before the others.
                before = bottom + len(found) if found or not bottom else dated.count()
                undated_from = max(0, bottom - before)
                has_deadline = Exists(
                    _model("ProgramSeasonDates").objects.filter(
                        program=OuterRef("pk"), season=season, application_deadline__isnull=False
                    )
                )
                keys = keys.filter(~has_deadline)
        if len(found) < wanted:
            undated = keys.order_by(Lower("name"), "acgme_id")
            found += undated[undated_from : undated_from + wanted - len(found)]
        return list(self.filter(pk__in=found)) if found else []

    def with_application_service(self, match_year: int):
        """Annotate ``application_service``: the service the program's specialty takes
        applications through for that Match (None where no source says)."""
        service = (
            _model("SpecialtyApplicationService")
            .objects.filter(
                specialty=models.OuterRef("specialty"), first_match_year__lte=match_year
            )
            .order_by("-first_match_year")
            .values("service")[:1]
        )
        return self.annotate(application_service=models.Subquery(service))

    def with_match(self, match_year: int):
        """Annotate ``match_kind``: the match the program's specialty fills its positions
        through in that Match (None where no source says)."""
        match = (
            _model("SpecialtyMatch")
            .objects.filter(
                specialty=models.OuterRef("specialty"), first_match_year__lte=match_year
            )
            .order_by("-first_match_year")
            .values("match__kind")[:1]
        )
        return self.annotate(match_kind=models.Subquery(match))

    def with_h1b_filings(self):
        """Programs whose sponsoring institution filed H-1B applications for residents in
        the period the Department of Labor data covers."""
        return self.filter(sponsor__h1b_filings__isnull=False)

    # Matching an applicant

    def with_fit(self, **applicant):
        """Annotate how every program's requirements compare with one applicant, in SQL.

        Each requirement of ``programs.requirements`` the applicant gave a value for gets an
        annotation (``fit_step2``, ``fit_visa``…) holding an
        :class:`~programs.choices.Outcome`: ``met``, ``met_with_warning``, ``not_met``,
        ``unknown`` (the program has not published it), ``doubtful`` (its answer is
        doubted, or newer evidence contradicts it) or ``not_applicable`` (given as
        ``DOES_NOT_APPLY``: the rule does not concern this applicant). ``fit_failed`` counts
        requirements not met by current facts, ``fit_failed_old`` those not met only by an
        answer older than STALE_AFTER_DAYS, ``fit_unknown`` the unknown and doubtful ones
        and ``fit_warnings`` the warnings; ``fit_verdict`` sums them up as a
        :class:`~programs.choices.Verdict`, and ``fit_rank`` is its place among them (0
        eligible … 3 not eligible), by which lists are sorted and counted. Requirements
        without a value are neither checked nor counted.

        Each outcome is one comparison of the applicant's number with the threshold of the
        program's stored step (``programs.requirements``), and each is written once into
        the verdict, so the SQL stays small however many rules there are.

        ``step2`` and ``comlex`` are scores (0: the applicant has none, so a hard minimum is
        not met), ``graduated`` the year of graduation (counted to ``match_year``, by default
        the current season's), ``usce_months`` months of US clinical experience, ``visa`` the
        visas any of which would do (a ``VisaAsked``, or "j1"/"h1b" or a list of them),
        ``is_img`` whether the applicant graduated outside the US and Canada,
        ``ecfmg_certified`` whether an IMG already is.
        """
        values = _fit_values(**applicant)
        outcomes = {name: _outcome(BY_ANNOTATION[name], value) for name, value in values.items()}
        evidence = _evidence(outcomes)
        weights = _weights(outcomes)
        fitted = (
            self.annotate(**outcomes, **evidence)
            .annotate(
                fit_failed=_count(weights.values(), WEIGHTS[Outcome.NOT_MET]),
                fit_failed_old=_count(weights.values(), WEIGHTS[Outcome.NOT_MET] - 1),
                fit_unknown=_count(weights.values(), WEIGHTS[Outcome.UNKNOWN]),
                fit_warnings=_count((F(name) for name in outcomes), Outcome.MET_WITH_WARNING.value),
                fit_rank=_rank(weights.values()),
            )
            .annotate(
                fit_verdict=_Switch(F("fit_rank"), {i: v.value for i, v in enumerate(Verdict)})
            )
        )
        fitted._fit_values = values
        return fitted

    def best_verdict_first(self):
        """A ``with_fit`` queryset ordered eligible, possibly eligible, not eligible, then by
        name."""
        return self.order_by("fit_rank", Lower("name"), "acgme_id")

    def among(self, keys: list[int]):
        """The programs whose primary key is one of ``keys``, sent as one array parameter
        however many there are (``_AnyOf``)."""
        return self.filter(_AnyOf(F("pk"), keys))

    def in_groups(self, groups: list[list[int]]):
        """The programs whose primary keys the groups hold, those of the first group first,
        each group by name and then ACGME ID: with the programs of each verdict as the
        groups, the order of ``best_verdict_first`` with no rule compiled. A group is one
        parameter (an array), however many programs it holds."""
        if not any(groups):
            return self.none()
        if len(groups) == 1:
            return self.among(groups[0]).order_by(Lower("name"), "acgme_id")
        # The largest group is what no other group holds: the fewest primary keys are sent.
        largest = max(range(len(groups)), key=lambda i: len(groups[i]))
        whens = [
            When(_AnyOf(F("pk"), group), then=Value(i))
            for i, group in enumerate(groups)
            if group and i != largest
        ]
        rank = Case(*whens, default=Value(largest)) if whens else Value(largest)
        return self.order_by(rank, Lower("name"), "acgme_id")

    def verdict_counts(self) -> dict[str, int]:
        """How many programs of a ``with_fit`` queryset have each verdict, in one query."""
        return self.fit_counts().verdicts

    def outcome_counts(self, outcome: Outcome) -> dict[str, int]:
        """For each requirement a ``with_fit`` queryset was asked about (``fit_step2``…), how
        many programs have this outcome for it, in one query."""
        return self.fit_counts(outcome=outcome).outcomes

    def fit_counts(
        self,
        *,
        outcome: Outcome | tuple[Outcome, ...] | None = None,
        not_eligible_with: dict[str, dict] | None = None,
    ) -> "FitCounts":
        """In one query over a ``with_fit`` queryset: how many programs have each verdict;
        with ``outcome``, how many have it for each requirement asked about; and for each
        named set of ``with_fit`` arguments, how many programs they would make not
        eligible."""
        names = [r.annotation for r in REQUIREMENTS if r.annotation in self.query.annotations]
        asked = self._fit_values
        # Each variant's outcomes, written only for the requirements whose value it changes.
        variants = {
            label: _fit_values(**arguments)
            for label, arguments in (not_eligible_with or {}).items()
        }
        changed = {
            f"variant_{i}_{name}": _outcome(BY_ANNOTATION[name], value)
            for i, values in enumerate(variants.values())
            for name, value in values.items()
            if name not in asked or asked[name] != value
        }
        # Programs come in few kinds (a handful of outcomes each): the database counts the
        # programs of each kind, and the kinds are summed up here.
        kinds = self.order_by().values("fit_rank", *names, **changed).annotate(programs=Count("pk"))
        wanted = [outcome] if isinstance(outcome, str) else list(outcome or ())
        counts = FitCounts(
            verdicts=dict.fromkeys(Verdict.values, 0),
            outcomes=dict.fromkeys(names, 0) if outcome is not None else {},
            not_eligible_with=dict.fromkeys(variants, 0),
        )
        verdicts = Verdict.values
        for kind in kinds:
            programs = kind["programs"]
            counts.verdicts[verdicts[kind["fit_rank"]]] += programs
            for name in counts.outcomes:
                counts.outcomes[name] += programs if kind[name] in wanted else 0
            for i, (label, values) in enumerate(variants.items()):
                outcomes = [kind.get(f"variant_{i}_{name}", kind.get(name)) for name in values]
                if Outcome.NOT_MET in outcomes:
                    counts.not_eligible_with[label] += programs
        return counts

    def step_kinds(self, contradictions: dict[str, Q], *, members: bool = False) -> list[dict]:
        """The programs grouped by everything that decides their outcomes for any applicant
        (their stored steps, whether each group of their facts is old, and, for each
        requirement in ``contradictions``, whether newer evidence contradicts a "not met"),
        each kind with how many programs it has (and, with ``members``, their primary keys
        as a list): ``count_kinds`` reads an applicant's counts from them in Python, and
        ``kind_fits`` each kind's outcomes, with no rule compiled. A few dozen kinds for a
        few hundred programs; they change only with the directory and the day."""
        cutoff = Value(stale_cutoff())
        groups = sorted({r.group for r in REQUIREMENTS})
        dated = {g: Coalesce(f"{g}_verified_on", f"{g}_as_of") for g in groups}
        flags = {f"old_{g}": _flag(LessThan(date, cutoff)) for g, date in dated.items()}
        flags |= {f"contradicted_{key}": _flag(q) for key, q in contradictions.items()}
        pks = StringAgg(Cast("pk", models.TextField()), Value(","))
        listed = {"members": pks} if members else {}
        kinds = list(
            self.order_by()
            .annotate(**flags)
            .values(*STORED_FIELDS, *flags)
            .annotate(programs=Count("pk"), **listed)
        )
        for kind in kinds if members else []:
            kind["members"] = [int(pk) for pk in kind["members"].split(",")]
        return kinds

    # Text search

    def search(self, q: str):
        """Programs matching ``q``, best match first (``programs.search``)."""
        return search_programs(self, q)


@dataclass(frozen=True)
class ReportedCount:
    """How many programs a group of facts says something of, with what the count rests on:
    the sources that said it and the first and last dates they said it (a curator's check,
    else the source's date), so that a count of 2016 answers reads as one."""

    count: int
    sources: tuple[str, ...] = ()
    first: datetime.date | None = None
    last: datetime.date | None = None

    MAX_SOURCES = 2

    @classmethod
    def summed(cls, rows, kind: str, source: str) -> "ReportedCount":
        """The count of ``kind`` over rows grouped by source (``kind``, ``kind_first`` and
        ``kind_last`` in each), with the sources and dates of the rows that count any."""
        counted = [row for row in rows if row[kind]]
        firsts = [row[f"{kind}_first"] for row in counted if row[f"{kind}_first"]]
        lasts = [row[f"{kind}_last"] for row in counted if row[f"{kind}_last"]]
        return cls(
            count=sum(row[kind] for row in counted),
            sources=tuple(sorted({row[source] for row in counted} - {""})),
            first=min(firsts, default=None),
            last=max(lasts, default=None),
        )

    @property
    def when(self) -> str:
        """ "in 2016", "between 2016 and 2026", "at no recorded date" when nothing counted
        has a date, and nothing when nothing is counted."""
        if not self.count:
            return ""
        if not self.first:
            return "at no recorded date"
        if self.first.year == self.last.year:
            return f"in {self.first.year}"
        return f"between {self.first.year} and {self.last.year}"

    @property
    def source_names(self) -> str:
        """ "FREIDA, 2016", or the first few sources and how many more."""
        names = "; ".join(self.sources[: self.MAX_SOURCES])
        more = len(self.sources) - self.MAX_SOURCES
        if more > 0:
            names += f"; {more} other source{'s' if more != 1 else ''}"
        return names or "no source recorded"


@dataclass(frozen=True)
class FitCounts:
    verdicts: dict[str, int]
    outcomes: dict[str, int]
    not_eligible_with: dict[str, int]


def _fit_values(*, match_year: int | None = None, **applicant) -> dict:
    """The value of each requirement ``with_fit`` is asked about (its arguments, which
    ``with_fit`` documents), by the annotation of its outcome; the year of graduation becomes
    the years from it to the training start."""
    unknown = applicant.keys() - BY_ARGUMENT.keys()
    if unknown:
        raise TypeError(f"with_fit() got unexpected arguments: {', '.join(sorted(unknown))}")
    graduated = applicant.get("graduated")
    if graduated is not None and graduated is not DOES_NOT_APPLY:
        match_year = match_year or _model("Season").objects.current_match_year()
        applicant["graduated"] = match_year - graduated
    return {
        requirement.annotation: applicant[requirement.argument]
        for requirement in REQUIREMENTS
        # A visa is asked about only when the applicant needs one.
        if applicant.get(requirement.argument) not in (None, [], ())
    }


def _outcome(requirement: Requirement, value) -> Expression:
    """One requirement's outcome for an applicant: a comparison of the applicant's number with
    the threshold the program's stored step holds, never the rule itself."""
    measured = requirement.measured(value)
    if isinstance(measured, Outcome):
        return Value(measured.value, output_field=models.CharField())
    column = partial(requirement.column, measured.case)
    outcome = F(column("above"))
    if column("threshold") in STORED_FIELDS:
        below = LessThan(Value(measured.number), F(column("threshold")))
        outcome = Case(When(below, then=F(column("below"))), default=outcome)
    if (contradicted := requirement.contradicted(value)) is not None:
        refused = Exact(outcome, Value(Outcome.NOT_MET.value))
        outcome = Case(
            When(refused & contradicted, then=Value(Outcome.DOUBTFUL.value)), default=outcome
        )
    return outcome


def _flag(condition) -> Expression:
    """True where the condition holds, False where it does not or is NULL."""
    return Case(When(condition, then=Value(True)), default=Value(False))


def contradictions(*arguments: dict) -> dict[str, Q]:
    """For each requirement whose "not met" newer evidence can put in doubt for one of these
    sets of ``with_fit`` arguments, the condition of that evidence (``step_kinds`` flags it)."""
    found = {}
    for values in arguments:
        for name, value in _fit_values(**values).items():
            requirement = BY_ANNOTATION[name]
            if value is DOES_NOT_APPLY:
                continue
            if (q := requirement.contradicted(value)) is not None:
                found.setdefault(requirement.key, q)
    return found


def count_kinds(
    kinds: list[dict],
    arguments: dict,
    *,
    outcome: tuple[Outcome, ...] = (),
    not_eligible_with: dict[str, dict] | None = None,
) -> "FitCounts":
    """``fit_counts`` of a ``with_fit(**arguments)`` queryset, from its ``step_kinds``: each
    kind's outcomes are the comparisons ``_outcome`` writes in SQL, its verdict the heaviest
    weight (``WEIGHTS``), counted once per kind rather than once per program."""
    asked = _fit_values(**arguments)
    readers = {name: _kind_outcome(name, value) for name, value in asked.items()}
    # Each variant reads again only the outcomes whose value it changes.
    variants = {}
    for label, values in (not_eligible_with or {}).items():
        values = _fit_values(**values)
        same = [n for n, v in values.items() if n in asked and asked[n] == v]
        changed = [_kind_outcome(n, v) for n, v in values.items() if n not in same]
        variants[label] = (same, changed)
    counts = FitCounts(
        verdicts=dict.fromkeys(Verdict.values, 0),
        outcomes=dict.fromkeys(asked, 0) if outcome else {},
        not_eligible_with=dict.fromkeys(variants, 0),
    )
    verdicts = Verdict.values
    for kind in kinds:
        programs = kind["programs"]
        outcomes = {name: read(kind) for name, read in readers.items()}
        counts.verdicts[verdicts[_kind_rank(kind, outcomes)]] += programs
        for name in counts.outcomes:
            counts.outcomes[name] += programs if outcomes[name] in outcome else 0
        for label, (same, changed) in variants.items():
            if any(outcomes[n] == Outcome.NOT_MET for n in same) or any(
                read(kind) == Outcome.NOT_MET for read in changed
            ):
                counts.not_eligible_with[label] += programs
    return counts


def _kind_outcome(annotation: str, value) -> Callable[[dict], str | None]:
    """``_outcome`` for one requirement and value, in Python: a function of a kind of program
    (``step_kinds``)."""
    requirement = BY_ANNOTATION[annotation]
    measured = requirement.measured(value)
    if isinstance(measured, Outcome):
        return lambda kind: measured.value
    above, threshold, below = (
        requirement.column(measured.case, part) for part in ("above", "threshold", "below")
    )
    contradicted = None
    if requirement.contradicted(value) is not None:
        contradicted = f"contradicted_{requirement.key}"

    def outcome(kind: dict) -> str | None:
        found = kind[above]
        limit = kind.get(threshold)
        if limit is not None and measured.number < limit:
            found = kind[below]
        if contradicted and found == Outcome.NOT_MET and kind[contradicted]:
            return Outcome.DOUBTFUL.value
        return found

    return outcome


def _kind_rank(kind: dict, outcomes: dict[str, str | None]) -> int:
    """``_rank`` of ``_weights`` for one kind of program, in Python."""
    return max(_kind_weights(kind, outcomes), default=0)


def _kind_weights(kind: dict, outcomes: dict[str, str | None]) -> list[int]:
    """``_weights`` for one kind of program, in Python."""
    weights = []
    for annotation, outcome in outcomes.items():
        weight = WEIGHTS.get(outcome, 0)
        if outcome == Outcome.NOT_MET and kind[f"old_{BY_ANNOTATION[annotation].group}"]:
            weight -= 1
        weights.append(weight)
    return weights


def kind_fits(kinds: list[dict], arguments: dict) -> list[dict]:
    """What ``with_fit(**arguments)`` annotates on the programs of each kind
    (``step_kinds``, with the contradictions of ``arguments``), in Python: each outcome, the
    counts of failed, old, unknown and warned requirements, the rank and the verdict, with
    the same names. A program read without ``with_fit`` and given its kind's values (and the
    evidence ``fit_evidence`` annotates) reads as one read with it."""
    readers = {name: _kind_outcome(name, value) for name, value in _fit_values(**arguments).items()}
    verdicts = Verdict.values
    fits = []
    for kind in kinds:
        outcomes = {name: read(kind) for name, read in readers.items()}
        weights = _kind_weights(kind, outcomes)
        rank = max(weights, default=0)
        fits.append(
            outcomes
            | {
                "fit_failed": weights.count(WEIGHTS[Outcome.NOT_MET]),
                "fit_failed_old": weights.count(WEIGHTS[Outcome.NOT_MET] - 1),
                "fit_unknown": weights.count(WEIGHTS[Outcome.UNKNOWN]),
                "fit_warnings": list(outcomes.values()).count(Outcome.MET_WITH_WARNING.value),
                "fit_rank": rank,
                "fit_verdict": verdicts[rank],
            }
        )
    return fits


def fit_evidence(arguments: dict) -> dict[str, Expression]:
    """The evidence annotations ``with_fit(**arguments)`` adds (``Requirement.evidence``)."""
    return _evidence(_fit_values(**arguments))


def _evidence(annotations) -> dict[str, Expression]:
    return {
        name: expression
        for annotation in annotations
        for name, expression in BY_ANNOTATION[annotation].evidence.items()
    }


def _count(expressions, value) -> Expression:
    """How many of the expressions have this value (0 when there are none)."""
    total = Value(0)
    for expression in expressions:
        total += _Switch(expression, {value: 1}, default=0, output_field=models.IntegerField())
    return models.ExpressionWrapper(total, output_field=models.IntegerField())


class _AnyOf(Func):
    """``expression = ANY(%s)``: whether the expression is one of the values, sent as one
    array parameter (elsewhere than PostgreSQL, an ``IN`` list)."""

    output_field = models.BooleanField()

    def __init__(self, expression, values):
        super().__init__(expression)
        self.values = list(values)

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.get_source_expressions()[0])
        marks = ", ".join("%s" for _ in self.values)
        return f"{sql} IN ({marks})", (*params, *self.values)

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return f"{sql} = ANY(%s)", (*params, self.values)


class _Switch(Func):
    """``CASE expression WHEN key THEN value … END``: the expression written once, however many
    values it is told apart by (a searched ``Case`` would write it once per ``When``)."""

    def __init__(self, expression, values: dict, *, default=None, output_field=None):
        super().__init__(expression, output_field=output_field or models.CharField())
        self.values, self.default = values, default

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.get_source_expressions()[0])
        whens = " ".join("WHEN %s THEN %s" for _ in self.values)
        params = [*params, *(p for item in self.values.items() for p in item), self.default]
        return f"CASE {sql} {whens} ELSE %s END", params


# What an outcome weighs against a program, in the order of the verdicts (``Verdict``):
# eligible 0, possibly eligible 1, not eligible by an old answer 2, not eligible 3. A "not met"
# weighs one less where the facts that decide it are older than STALE_AFTER_DAYS.
WEIGHTS = {Outcome.NOT_MET: 3, Outcome.UNKNOWN: 1, Outcome.DOUBTFUL: 1}


class _Weight(Func):
    """What one requirement's outcome weighs against a program (``WEIGHTS``), given whether
    the facts that decide it are old. The outcome is written once."""

    output_field = models.IntegerField()

    def as_sql(self, compiler, connection, **extra_context):
        (outcome, outcome_params), (old, old_params) = (
            compiler.compile(e) for e in self.get_source_expressions()
        )
        params = list(outcome_params)
        whens = []
        for value, weight in WEIGHTS.items():
            if value == Outcome.NOT_MET:
                whens.append(f"WHEN %s THEN (CASE WHEN {old} THEN %s ELSE %s END)")
                params += [value.value, *old_params, weight - 1, weight]
            else:
                whens.append("WHEN %s THEN %s")
                params += [value.value, weight]
        return f"CASE {outcome} {' '.join(whens)} ELSE 0 END", params


def _weights(outcomes: dict[str, Expression]) -> dict[str, Expression]:
    """Each annotated outcome's weight against the program. The curator's check, else the
    source's date, says how old the facts are; undated facts are not counted as old."""
    cutoff = stale_cutoff()
    weights = {}
    for annotation in outcomes:
        group = BY_ANNOTATION[annotation].group
        dated = Coalesce(f"{group}_verified_on", f"{group}_as_of")
        weights[annotation] = _Weight(F(annotation), LessThan(dated, Value(cutoff)))
    return weights


def _rank(weights) -> Expression:
    """The verdict's place in ``Verdict``: the heaviest of the weights."""
    weights = list(weights)
    if len(weights) > 1:
        return Greatest(*weights, output_field=models.IntegerField())
    return weights[0] if weights else Value(0, output_field=models.IntegerField())
