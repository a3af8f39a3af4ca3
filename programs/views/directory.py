"""The public directory: home, the program list and its CSV export, program, specialty and
state pages, and robots.txt."""

import csv
import datetime
import json
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from programs.csv_format import COLUMNS, inert_for_spreadsheets, program_to_row
from programs.filters import SORT_CHOICES, VISA_FIELDS, LevelChoice, ProgramFilter
from programs.forms import OutdatedReportForm
from programs.models import (
    EcfmgDeadline,
    ExperiencePolicy,
    FactGroup,
    FaqEntry,
    GraduationPolicy,
    Level,
    Program,
    ProgramSeasonDates,
    ScorePolicy,
    Season,
    Setting,
    Specialty,
    SpecialtyStatistic,
    Tri,
)
from programs.states import REGION_OF_STATE, Region, State

PAGE_SIZE = 25
REPORTS_PER_HOUR = 5


def current_season() -> Season | None:
    return Season.objects.filter(is_current=True).first()


def published_faq(**where):
    return (
        FaqEntry.objects.filter(is_published=True, **where)
        .select_related("program", "specialty")
        .prefetch_related("related_guides")
    )


# --- Home -------------------------------------------------------------------------------


@require_GET
def home(request):
    today = timezone.localdate()
    season = current_season()
    shortcuts = (
        Specialty.objects.filter(level=Level.RESIDENCY)
        .annotate(program_count=Count("programs", filter=Q(programs__is_withdrawn=False)))
        .filter(program_count__gt=0)
        .order_by("-program_count", "name")[:12]
    )
    soon = today + datetime.timedelta(days=30)
    upcoming = (
        ProgramSeasonDates.objects.filter(
            season__is_current=True,
            application_deadline__range=(today, soon),
            program__is_withdrawn=False,
        )
        .select_related("program", "program__specialty")
        .order_by("application_deadline", "program__name")[:8]
    )
    list_url = reverse("programs:list")
    context = {
        "season": season,
        "shortcuts": shortcuts,
        "upcoming": upcoming,
        "program_count": Program.objects.open_to_applicants().residencies().count(),
        "quick_links": [
            ("Programs sponsoring H-1B visas", f"{list_url}?visa=h1b"),
            ("Programs sponsoring J-1 visas", f"{list_url}?visa=j1"),
            ("Programs known to accept IMGs", f"{list_url}?img=1"),
            (
                "Deadlines in the next 30 days",
                f"{list_url}?{urlencode({'deadline_after': today.isoformat()})}&sort=deadline",
            ),
        ],
    }
    return render(request, "programs/home.html", context)


# --- The list ---------------------------------------------------------------------------


@dataclass
class Chip:
    label: str
    remove_url: str


def _without(query, name: str, value: str | None = None) -> str:
    """The query string with one filter value (or the whole filter) and the page removed."""
    query = query.copy()
    query.pop("page", None)
    if value is None:
        query.pop(name, None)
    else:
        query.setlist(name, [v for v in query.getlist(name) if v != value])
    return "?" + query.urlencode() if query else "?"


def _chips(filterset: ProgramFilter, query) -> list[Chip]:
    active = filterset.active_values()
    form = filterset.form
    chips = []
    for name, value in active.items():
        if name == "specialty":
            chips += [Chip(s.name, _without(query, name, s.slug)) for s in value]
        elif name == "state":
            chips += [Chip(State(code).label, _without(query, name, code)) for code in value]
        elif name == "visa":
            chips += [
                Chip(f"Sponsors {dict(form.fields['visa'].choices)[v]}", _without(query, name, v))
                for v in value
            ]
        else:
            chips.append(Chip(_chip_label(name, value), _without(query, name)))
    return chips


def _chip_label(name: str, value) -> str:
    match name:
        case "q":
            return f"Search: “{value}”"
        case "region":
            return f"Region: {Region(value).label}"
        case "level":
            return dict(LevelChoice.choices)[value]
        case "setting":
            return Setting(value).label
        case "img":
            return "Known to accept IMGs"
        case "step2":
            return f"Step 2 CK score {value}"
        case "yog":
            return f"Graduated {value}"
        case "usce":
            return f"{value} months of US clinical experience"
        case "deadline_after":
            return f"Deadline on or after {value:%b} {value.day}, {value.year}"
        case "verified":
            return "Verified in the last 12 months"
    return f"{name}: {value}"


def _filtered(request) -> ProgramFilter:
    return ProgramFilter(
        request.GET, queryset=Program.objects.open_to_applicants().for_listing(), request=request
    )


@require_GET
def program_list(request):
    filterset = _filtered(request)
    paginator = Paginator(filterset.qs, PAGE_SIZE)
    requested = request.GET.get("page", "")
    page = paginator.get_page(requested)
    page_note = ""
    if requested and requested != str(page.number):
        page_note = (
            f"There is no page “{requested[:20]}”; showing page {page.number} "
            f"of {paginator.num_pages}."
        )
    active = filterset.active_values()
    context = {
        "filter": filterset,
        "form": filterset.form,
        "page": page,
        "paginator": paginator,
        "page_note": page_note,
        "chips": _chips(filterset, request.GET),
        "active": active,
        "sort_label": dict(SORT_CHOICES).get(request.GET.get("sort", ""), ""),
        "searching": bool(active.get("q")),
        "export_url": reverse("programs:export") + _without(request.GET, "page").rstrip("?"),
        "open_groups": _open_groups(filterset),
        "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "show_deadline": request.GET.get("sort") == "deadline" or "deadline_after" in active,
    }
    template = "programs/program_list.html"
    if request.htmx and request.htmx.target == "results":
        template += "#results"
        # A chip or page link changed the filters from outside the form: redraw it too.
        context["form_out_of_band"] = request.htmx.trigger != "filters"
    return render(request, template, context)


def _open_groups(filterset: ProgramFilter) -> dict[str, bool]:
    """Collapsible filter groups to show open: those in use or with an error."""
    form = filterset.form
    return {
        name: bool(form.data.get(name) or name in form.errors) for name in ("specialty", "state")
    }


class _Echo:
    def write(self, value):
        return value


@require_GET
def program_export(request):
    """Every program matching the list's filters, in the import format, streamed."""
    programs = _filtered(request).qs

    def rows():
        writer = csv.DictWriter(_Echo(), fieldnames=COLUMNS)
        yield writer.writeheader()
        for program in programs.iterator(chunk_size=500):
            row = program_to_row(program)
            yield writer.writerow({k: inert_for_spreadsheets(v) for k, v in row.items()})

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="residency-programs-{stamp}.csv"'
    return response


# --- One program ------------------------------------------------------------------------


@dataclass
class Fact:
    label: str
    text: str
    kind: str = "plain"  # yes | no | unknown | plain
    url: str = ""


@dataclass
class FactSection:
    title: str
    facts: list[Fact]
    group: FactGroup | None = None
    source_label: str = ""
    source_url: str = ""
    verified_on: datetime.date | None = None
    stale: bool = False
    slug: str = ""
    notes: list[str] = field(default_factory=list)


NOT_REPORTED = "Not reported"


def _tri(label: str, value: str) -> Fact:
    return Fact(label, Tri(value).label, kind=value)


def _number(label: str, value, unit: str = "") -> Fact:
    if value is None:
        return Fact(label, NOT_REPORTED, kind="unknown")
    return Fact(label, f"{value}{unit}")


def _choice(label: str, choice) -> Fact:
    if choice.value == "unknown":
        return Fact(label, NOT_REPORTED, kind="unknown")
    return Fact(label, choice.label)


def _step2(program: Program) -> Fact:
    label = "Step 2 CK minimum"
    match program.step2_policy:
        case ScorePolicy.HARD:
            return Fact(label, f"{program.step2_minimum} (hard cutoff)")
        case ScorePolicy.PREFERRED:
            return Fact(label, f"{program.step2_minimum} preferred, not required")
        case ScorePolicy.NONE:
            return Fact(label, "No minimum")
    return Fact(label, NOT_REPORTED, kind="unknown")


def _graduation(program: Program) -> Fact:
    label = "Years since graduation"
    match program.graduation_policy:
        case GraduationPolicy.LIMIT:
            years = program.max_years_since_graduation
            return Fact(label, f"At most {years} year{'s' if years != 1 else ''}")
        case GraduationPolicy.NONE:
            return Fact(label, "No limit")
    return Fact(label, NOT_REPORTED, kind="unknown")


def _usce(program: Program) -> Fact:
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


def _section(program: Program, group: FactGroup, title: str, facts: list[Fact]) -> FactSection:
    label, url = program.source(group)
    return FactSection(
        title=title,
        facts=facts,
        group=group,
        source_label=label,
        source_url=url,
        verified_on=program.verified_on(group),
        stale=program.is_stale(group),
        slug=group.value,
    )


def _fact_sections(program: Program) -> dict[str, FactSection]:
    p = program
    comlex = _tri("COMLEX Level 2 accepted", p.comlex_accepted)
    scores = [_step2(p), comlex]
    if p.comlex_minimum is not None:
        scores.append(Fact("COMLEX Level 2 minimum", str(p.comlex_minimum)))
    visa = [
        _tri("Accepts IMGs", p.accepts_imgs),
        _tri("Sponsors J-1 visas", p.sponsors_j1),
        _tri("Sponsors H-1B visas", p.sponsors_h1b),
    ]
    if p.h1b_note:
        visa.append(Fact("H-1B conditions", p.h1b_note))
    return {
        "overview": _section(
            p,
            FactGroup.OVERVIEW,
            "Overview",
            [
                Fact("Specialty", p.specialty.name, url=p.specialty.get_absolute_url()),
                Fact("Sponsoring institution", p.sponsor.name),
                Fact("Location", f"{p.city}, {p.get_state_display()}" if p.city else p.state),
                _choice("Setting", Setting(p.setting)),
                _number("Length of training", p.length_years, " years"),
                _number("First-year positions", p.year1_positions),
                _number("Residents on duty (all years)", p.filled_positions),
                _tri("Takes applications through ERAS", p.participates_in_eras),
                _number("Letters of recommendation required", p.required_letters),
                Fact("ACGME accreditation", p.get_accreditation_status_display()),
                _day("Accredited since", p.originally_accredited_on),
            ],
        ),
        "visa": _section(p, FactGroup.VISA, "IMGs and visas", visa),
        "scores": _section(p, FactGroup.SCORES, "Exam scores", scores),
        "eligibility": _section(
            p,
            FactGroup.ELIGIBILITY,
            "Graduation, clinical experience and ECFMG",
            [
                _graduation(p),
                _usce(p),
                _choice("ECFMG certificate needed", EcfmgDeadline(p.ecfmg_certified_by)),
            ],
        ),
    }


def _day(label: str, value: datetime.date | None) -> Fact:
    if value is None:
        return Fact(label, NOT_REPORTED, kind="unknown")
    return Fact(label, f"{value:%B} {value.day}, {value.year}")


def _dates_section(dates: ProgramSeasonDates | None, season: Season | None) -> FactSection:
    day = _day
    d = dates
    facts = [
        day("Applications open", d and d.applications_open),
        day("Application deadline", d and d.application_deadline),
        day("Interviews from", d and d.interviews_start),
        day("Interviews until", d and d.interviews_end),
    ]
    title = f"Dates for {season.name}" if season else "Dates for the current season"
    section = FactSection(title=title, facts=facts, slug="dates")
    if d:
        section.source_label, section.source_url = d.source_label, d.source_url
        section.verified_on = d.verified_on
        cutoff = timezone.localdate() - datetime.timedelta(days=settings.STALE_AFTER_DAYS)
        section.stale = d.verified_on is None or d.verified_on < cutoff
    return section


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


GROUPS = [
    ("US MD seniors", "matched_us_md", "md"),
    ("US DO seniors", "matched_us_do", "do"),
    ("US-citizen IMGs", "matched_us_img", "usimg"),
    ("Non-US-citizen IMGs", "matched_non_us_img", "img"),
]


def match_figures(statistics) -> MatchFigures:
    rows = sorted(statistics, key=lambda s: (-s.year, -(s.positions_offered or 0)))

    def newest(test):
        return next((s for s in rows if test(s)), None)

    figures = MatchFigures(
        fill=newest(lambda s: s.percent_filled is not None),
        groups=newest(lambda s: s.matched_us_img is not None and s.matched_non_us_img is not None),
        scores=newest(lambda s: s.step2_median_us_md or s.step2_median_non_us_img),
    )
    if stat := figures.groups:
        counts = [(label, getattr(stat, name), css) for label, name, css in GROUPS]
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


def _json_ld(data: dict) -> str:
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)  # noqa: S308 -- escaped above, as json_script does.


def _program_json_ld(program: Program, canonical: str, dates) -> str:
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
    return _json_ld(data)


def _detail_context(request, program: Program, form: OutdatedReportForm) -> dict:
    season = current_season()
    dates = (
        ProgramSeasonDates.objects.filter(program=program, season=season).first()
        if season
        else None
    )
    sections = _fact_sections(program)
    canonical = settings.SITE_URL + program.get_absolute_url()
    figures = match_figures(program.specialty.statistics.all())
    return {
        "program": program,
        "season": season,
        "overview": sections["overview"],
        "requirements": [sections["visa"], sections["scores"], sections["eligibility"]],
        "dates": _dates_section(dates, season),
        "figures": figures,
        "faq_entries": published_faq(program=program),
        "form": form,
        "canonical_url": canonical,
        "json_ld": _program_json_ld(program, canonical, dates),
        "description": _program_description(program),
    }


def _program_description(program: Program) -> str:
    place = f"{program.city}, {program.get_state_display()}" if program.city else program.state
    facts = [f"{program.specialty.name} program in {place}, sponsored by {program.sponsor.name}."]
    visas = [
        name
        for name, value in (("J-1", program.sponsors_j1), ("H-1B", program.sponsors_h1b))
        if value == Tri.YES
    ]
    if visas:
        facts.append(f"Sponsors {' and '.join(visas)} visas.")
    facts.append("IMG policy, score minimums, dates and NRMP statistics, each with its source.")
    return " ".join(facts)


@require_GET
def program_detail(request, acgme_id):
    program = get_object_or_404(Program.objects.for_listing(), acgme_id=acgme_id)
    return render(
        request,
        "programs/program_detail.html",
        _detail_context(request, program, OutdatedReportForm()),
    )


def _client_key(request) -> str:
    return "outdated-report:" + request.META.get("REMOTE_ADDR", "unknown")


@require_POST
def report_outdated(request, acgme_id):
    program = get_object_or_404(Program.objects.for_listing(), acgme_id=acgme_id)
    form = OutdatedReportForm(request.POST)
    key = _client_key(request)
    if form.is_valid():
        cache.add(key, 0, timeout=60 * 60)
        if cache.incr(key) > REPORTS_PER_HOUR:
            form.add_error(
                None,
                "Thank you, but we have had several reports from you in the last hour. "
                "Please try again later.",
            )
    if not form.is_valid():
        context = _detail_context(request, program, form)
        status = 429 if form.non_field_errors() else 400
        return render(request, "programs/program_detail.html", context, status=status)
    if not form.is_spam:
        form.instance.program = program
        form.save()
    messages.success(request, "Thank you. A curator will check your report and fix the page.")
    return redirect(program.get_absolute_url() + "#report")


# --- Specialties and states -------------------------------------------------------------


@require_GET
def specialty_list(request):
    specialties = (
        Specialty.objects.annotate(
            program_count=Count("programs", filter=Q(programs__is_withdrawn=False))
        )
        .prefetch_related(
            Prefetch("statistics", queryset=SpecialtyStatistic.objects.order_by("-year"))
        )
        .order_by("name")
    )
    rows = [(s, match_figures(s.statistics.all())) for s in specialties]
    residencies = [row for row in rows if row[0].level == Level.RESIDENCY]
    fellowships = [row for row in rows if row[0].level != Level.RESIDENCY]
    return render(
        request,
        "programs/specialty_list.html",
        {"residencies": residencies, "fellowships": fellowships},
    )


@require_GET
def specialty_detail(request, slug):
    specialty = get_object_or_404(Specialty.objects.select_related("parent"), slug=slug)
    programs = Program.objects.open_to_applicants().filter(specialty=specialty)
    by_state = list(programs.values("state").annotate(count=Count("id")).order_by("state"))
    for row in by_state:
        row["label"] = State(row["state"]).label
    by_state.sort(key=lambda row: row["label"])
    totals = programs.aggregate(
        total=Count("id"),
        h1b=Count("id", filter=Q(**{VISA_FIELDS["h1b"]: Tri.YES})),
        j1=Count("id", filter=Q(**{VISA_FIELDS["j1"]: Tri.YES})),
        img=Count("id", filter=Q(accepts_imgs=Tri.YES)),
    )
    statistics = list(specialty.statistics.order_by("nrmp_specialty", "-year"))
    list_url = reverse("programs:list") + "?" + urlencode({"specialty": specialty.slug})
    if specialty.level != Level.RESIDENCY:
        list_url += "&level=fellowship"
    context = {
        "specialty": specialty,
        "subspecialties": specialty.subspecialties.annotate(
            program_count=Count("programs", filter=Q(programs__is_withdrawn=False))
        ).filter(program_count__gt=0),
        "by_state": by_state,
        "totals": totals,
        "figures": match_figures(statistics),
        "statistics": statistics,
        "list_url": list_url,
        "faq_entries": published_faq(specialty=specialty),
        "canonical_url": settings.SITE_URL + specialty.get_absolute_url(),
    }
    return render(request, "programs/specialty_detail.html", context)


@require_GET
def state_detail(request, code):
    code = code.upper()
    if code not in State.values:
        raise Http404("No such state or territory.")
    if request.resolver_match.kwargs["code"] != code:
        return redirect("programs:state", code=code, permanent=True)
    programs = (
        Program.objects.open_to_applicants()
        .filter(state=code)
        .residencies()
        .select_related("specialty", "sponsor")
        .order_by("specialty__name", "name")
    )
    fellowships = (
        Program.objects.open_to_applicants()
        .filter(state=code)
        .fellowships()
        .values("specialty__name", "specialty__slug")
        .annotate(count=Count("id"))
        .order_by("specialty__name")
    )
    list_url = reverse("programs:list")
    context = {
        "code": code,
        "state_name": State(code).label,
        "region": Region(REGION_OF_STATE[code]).label,
        "programs": programs,
        "fellowships": fellowships,
        "list_url": f"{list_url}?state={code}",
        "canonical_url": settings.SITE_URL + reverse("programs:state", args=[code]),
    }
    return render(request, "programs/state_detail.html", context)


@require_GET
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Disallow: {reverse('programs:export')}",
        "",
        f"Sitemap: {sitemap}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
