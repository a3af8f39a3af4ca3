"""The public directory: home, the program list and its CSV export, program, specialty and
state pages, and robots.txt."""

import datetime
import functools
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from programs import figures, fragments, listing, panels, presenters, timeline
from programs.csv_format import COLUMNS, EXPORT_ONLY_COLUMNS, export_only_cells, program_to_row
from programs.filters import (
    ABOUT_YOU,
    ABOUT_YOU_SESSION_KEY,
    ProgramFilter,
    list_data,
    public_query,
)
from programs.forms import OutdatedReportForm
from programs.models import (
    FaqEntry,
    Level,
    Program,
    ProgramSeasonDates,
    Season,
    Specialty,
    SpecialtyApplicationService,
    SpecialtyMatch,
    Sponsor,
)
from programs.shared import named, remembered
from programs.states import REGION_OF_STATE, Region, State
from residency_site.clients import over_hourly_limit

UPCOMING_DAYS = 30


@require_safe
@fragments.same_for_every_reader
def home(request):
    shared = fragments.rendered(
        "home",
        {part: f"programs/home.html#{part}" for part in ("lead", "directory")},
        home_context,
    )
    return render(request, "programs/home.html", {"shared": shared})


def home_context() -> dict:
    """What the home page shows every reader: how many programs there are, the quick links
    with their counts, the largest specialties, the deadlines of the next 30 days and the
    season at a glance."""
    upcoming = list(ProgramSeasonDates.objects.upcoming(days=UPCOMING_DAYS)[:8])
    today = timezone.localdate()
    season = Season.objects.current()
    residencies = Program.objects.open_to_applicants().residencies()
    return {
        "season": season,
        "timeline": timeline.main_match_rows(season, today=today) if season else [],
        "shortcuts": remembered("home:shortcuts", lambda: list(Specialty.objects.largest(12))),
        "upcoming": upcoming,
        "upcoming_until": today + datetime.timedelta(days=UPCOMING_DAYS),
        "listed": remembered("home:listed", residencies.listed),
        "visa_totals": remembered("home:visa_totals", residencies.visa_totals),
    }


# --- The list ---------------------------------------------------------------------------


def _filtered(request) -> ProgramFilter:
    programs = Program.objects.open_to_applicants().for_listing()
    return ProgramFilter(list_data(request), queryset=programs, request=request)


@require_safe
@fragments.same_for_every_reader
def program_list(request):
    if any(name in request.GET for name in ABOUT_YOU):
        # An old link with a score in it: the same list without, so that the address bar,
        # the history and the links on the page stop carrying it.
        return redirect(reverse("programs:list", query=public_query(request.GET) or None))
    filterset = _filtered(request)
    context = listing.list_context(
        request,
        filterset,
        rows=listing.program_rows,
        # Counted once per set of filters (and day, for "checked recently") for everyone.
        count=lambda: remembered(
            "list:count",
            filterset.qs.count,
            parts={**filterset.active_values(), "_day": timezone.localdate()},
        ),
        export_path=reverse("programs:export"),
        export_note="the import format, every column",
    )
    active, paginator = context["active"], context["paginator"]
    context |= {
        "fellowship_hint": None if paginator.count else listing.fellowship_hint(filterset),
        "search_hint": listing.search_hint(active.get("q"), path=request.path),
        "h1b_filed_url": listing.h1b_filed_url(request.GET, path=request.path),
        "shared_filters": shared_filters(filterset),
        "show_deadline": request.GET.get("sort") == "deadline"
        or bool({"deadline_after", "deadline_before"} & active.keys()),
    }
    return listing.render_list(request, "programs/program_list.html", context)


# The groups of the list's filters every reader sees the same for the same values, each
# with the fields whose values it shows. The specialties offered depend on the level.
SHARED_FILTER_GROUPS = {
    "search": ("q",),
    "sort": ("sort",),
    "levels": ("level", "region"),
    "specialty": ("level", "specialty"),
    "state": ("state",),
    "visas": ("visa", "img", "h1b_filed"),
    "more": ("setting", "deadline_after", "deadline_before", "verified"),
}


def shared_filters(filterset, *, fragment_name: str = "list-filters") -> dict[str, str]:
    """The list's filters every reader sees the same, a group of fields at a time
    (``SHARED_FILTER_GROUPS``): each group is rendered once per change of the directory for
    the values of its own fields, so that a new set of filters mostly reuses groups that
    other sets rendered already. The "About you" fields are shared (``about_you``) only
    while they are blank; a reader's own answers are rendered for that reader alone.
    ``fragment_name`` keeps apart the fragments of lists whose forms differ (the sort of the
    matches, say)."""
    form = filterset.form
    groups = dict(SHARED_FILTER_GROUPS)
    asks_about_you = all(field in form.fields for field in ABOUT_YOU)
    if asks_about_you and not any(form.data.get(field) for field in ABOUT_YOU):
        groups["about_you"] = ()
    keys = {
        named(group, {name: form.data.getlist(name) for name in fields}): group
        for group, fields in groups.items()
    }

    # The same values for every group not kept yet: made once, for the first.
    @functools.cache
    def context() -> dict:
        return {
            "form": form,
            "open_groups": listing.open_filter_groups(filterset),
            "deadlines_published": remembered(
                "list:deadlines-published",
                ProgramSeasonDates.objects.current().exclude(application_deadline=None).exists,
            ),
        }

    found = fragments.rendered_each(
        fragment_name,
        lambda key: {"html": f"includes/list_body.html#filter-{keys[key].replace('_', '-')}"},
        dict.fromkeys(keys, context),
    )
    return {group: found[key]["html"] for key, group in keys.items()}


@require_POST
def about_you(request):
    """The list's "About you" answers, kept in the session rather than the address; then
    back to the list with its public filters (those of the page, or for htmx of the address
    bar), from its first page. ``clear`` forgets one answer."""
    about = dict(request.session.get(ABOUT_YOU_SESSION_KEY) or {})
    if clear := request.POST.get("clear", ""):
        about.pop(clear, None)
    else:
        about = {name: request.POST.get(name, "").strip()[:20] for name in ABOUT_YOU}
    if about := {name: value for name, value in about.items() if value}:
        request.session[ABOUT_YOU_SESSION_KEY] = about
    else:
        request.session.pop(ABOUT_YOU_SESSION_KEY, None)
    shown = request.POST.get("query", "")
    if request.htmx and request.htmx.current_url:
        shown = urlsplit(request.htmx.current_url).query
    query = public_query(QueryDict(shown))
    query.pop("page", None)
    # 303: the browser, and htmx, follow it with a GET.
    return HttpResponseRedirect(reverse("programs:list", query=query or None), status=303)


@require_safe
def program_export(request):
    """Every program matching the list's filters, in the import format, streamed."""
    programs = _filtered(request).qs
    site = request.build_absolute_uri("/").rstrip("/")
    rows = (
        program_to_row(program) | export_only_cells(program, site=site)
        for program in programs.iterator(chunk_size=500)
    )
    return listing.csv_response([*COLUMNS, *EXPORT_ONLY_COLUMNS], rows, name="residency-programs")


# --- One program ------------------------------------------------------------------------


def _detail_context(request, program: Program, form: OutdatedReportForm) -> dict:
    """The program's page: its shared parts (the same for every reader, rendered once per
    change of the directory), the asker's own panels and the report form."""
    shared = fragments.rendered(
        f"program:{program.pk}",
        {
            part: f"programs/program_detail.html#{part}"
            for part in ("head", "description", "top", "body")
        },
        lambda: program_facts_context(program),
    )
    return {
        "program": program,
        "shared": shared,
        "form": form,
        "panels": panels.program_panels(request, program),
    }


def program_facts_context(program: Program) -> dict:
    """What a program's page shows every reader: its facts group by group, the season's
    dates, the Match's figures, its FAQ, and what it shares with every program of its
    specialty (``program_specialty_parts``)."""
    season = Season.objects.current()
    specialty = program.specialty
    service = SpecialtyApplicationService.objects.in_force(
        specialty=specialty, match_year=Season.objects.current_match_year()
    )
    # Read only when the fragments are rendered, once per change: nothing to remember.
    # Only what the program holds (``for_page``) is read.
    dates = ProgramSeasonDates.objects.for_program(program, season) if program.holds_dates else None
    tracks = list(program.nrmp_tracks.all()) if program.holds_tracks else []
    results = list(program.match_results.select_related("match")) if program.holds_results else []
    positions = list(program.positions.all()) if program.holds_positions else []
    faq_entries = (
        list(FaqEntry.objects.published().filter(program=program)) if program.holds_faq else []
    )
    facts = presenters.program_facts(program, service=service and service.service)
    canonical = settings.SITE_URL + program.get_absolute_url()
    return {
        "program": program,
        "season": season,
        "badges": presenters.visa_badges(program),
        "listing": facts.listing,
        "overview": facts.overview,
        "requirements": facts.requirements,
        # Read with the program (``for_listing``).
        "h1b": getattr(program.sponsor, "h1b_filings", None),
        "for_specialty": program_specialty_parts(specialty),
        "dates": presenters.dates_section(dates, season),
        "tracks": tracks,
        "history": figures.match_history(results),
        "positions": positions,
        "faq_entries": faq_entries,
        "canonical_url": canonical,
        "json_ld": presenters.program_json_ld(program, canonical, dates),
        "description": presenters.program_description(program),
    }


def program_specialty_parts(specialty: Specialty) -> fragments.Parts:
    """What a program's page shows of its specialty, the same on the page of every program
    of it: how to apply this season (the match, the application service and their dates)
    and the specialty's figures in the Match. Rendered once per change for the specialty."""
    return fragments.rendered(
        f"program-specialty:{specialty.pk}",
        {part: f"programs/program_detail.html#{part}" for part in ("apply", "in_the_match")},
        lambda: program_specialty_context(specialty),
    )


def program_specialty_context(specialty: Specialty) -> dict:
    season = Season.objects.current()
    match_year = Season.objects.current_match_year()
    service = SpecialtyApplicationService.objects.in_force(
        specialty=specialty, match_year=match_year
    )
    match = SpecialtyMatch.objects.in_force(specialty=specialty, match_year=match_year)
    statistics = remembered(
        f"specialty:{specialty.pk}:statistics", lambda: list(specialty.statistics.all())
    )
    return {
        "specialty": specialty,
        "season": season,
        "how": timeline.how_to_apply(season, specialty=specialty, service=service, match=match),
        "figures": figures.match_figures(statistics),
    }


# Built once (as a class-based view's ``queryset``): its annotations cost more to build than
# to run. Each page's query is a copy of it.
PAGE_PROGRAMS = Program.objects.for_page()


@require_safe
@fragments.same_for_every_reader
def program_detail(request, acgme_id):
    program = get_object_or_404(PAGE_PROGRAMS, acgme_id=acgme_id)
    context = _detail_context(request, program, OutdatedReportForm())
    return render(request, "programs/program_detail.html", context)


@require_http_methods(["GET", "POST"])
def report_outdated(request, acgme_id):
    program = get_object_or_404(PAGE_PROGRAMS, acgme_id=acgme_id)
    if request.method == "GET":
        # Reloading or sharing the form's address lands on the form, never on an error.
        return redirect(program.get_absolute_url() + "#report")
    form = OutdatedReportForm(request.POST)
    if form.is_valid() and over_hourly_limit(request, "report", settings.REPORTS_PER_HOUR):
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
    messages.success(
        request,
        "Thank you. The curators have your report in their review list.",
        extra_tags="report",
    )
    # No fragment: the confirmation takes the focus itself (autofocus), which a fragment
    # would stop browsers from doing.
    return redirect(program.get_absolute_url())


# --- Specialties and states -------------------------------------------------------------


@require_safe
@fragments.same_for_every_reader
def specialty_list(request):
    specialties = Specialty.objects.with_program_count().with_statistics()
    rows = [(s, figures.match_figures(s.statistics.all())) for s in specialties]
    context = {
        "residencies": [row for row in rows if row[0].level == Level.RESIDENCY],
        "fellowships": [row for row in rows if row[0].level == Level.FELLOWSHIP],
    }
    return render(request, "programs/specialty_list.html", context)


@require_safe
@fragments.same_for_every_reader
def specialty_detail(request, slug):
    shared = fragments.rendered(
        f"specialty:{slug}",
        {
            part: f"programs/specialty_detail.html#{part}"
            for part in ("title", "description", "head", "content")
        },
        lambda: specialty_context(slug),
    )
    return render(request, "programs/specialty_detail.html", {"shared": shared})


def specialty_context(slug: str) -> dict:
    """A specialty's page, the same for every reader: its programs by state, their visa and
    IMG answers, its fellowships, NRMP figures and FAQ."""
    specialty = get_object_or_404(Specialty.objects.select_related("parent"), slug=slug)
    programs = Program.objects.open_to_applicants().filter(specialty=specialty)
    statistics = list(specialty.statistics.order_by("nrmp_specialty", "-year"))
    totals = programs.totals_by_state()
    return {
        "specialty": specialty,
        "list_level": "" if specialty.level == Level.RESIDENCY else specialty.level,
        "subspecialties": Specialty.objects.subspecialties_of(specialty),
        "by_state": listing.state_counts(totals["by_state"]),
        "totals": totals,
        "listed": totals["listed"],
        "figures": figures.match_figures(statistics),
        "statistics": statistics,
        "faq_entries": FaqEntry.objects.published().filter(specialty=specialty),
        "canonical_url": settings.SITE_URL + specialty.get_absolute_url(),
    }


@require_safe
@fragments.same_for_every_reader
def state_detail(request, code):
    code = code.upper()
    if code not in State.values:
        raise Http404("No such state or territory.")
    if request.resolver_match.kwargs["code"] != code:
        return redirect("programs:state", code=code, permanent=True)
    programs = Program.objects.open_to_applicants().filter(state=code)
    context = {
        "code": code,
        "state_name": State(code).label,
        "region": Region(REGION_OF_STATE[code]).label,
        "programs": programs.residencies().by_specialty(),
        "fellowships": programs.fellowships().count_by_specialty(),
        "listed": programs.residencies().listed(),
        "canonical_url": settings.SITE_URL + reverse("programs:state", args=[code]),
    }
    return render(request, "programs/state_detail.html", context)


@require_safe
@fragments.same_for_every_reader
def sponsor_detail(request, code):
    sponsor = get_object_or_404(Sponsor.objects.select_related("h1b_filings"), code=code)
    programs = sponsor.programs.open_to_applicants()
    context = {
        "sponsor": sponsor,
        "h1b": getattr(sponsor, "h1b_filings", None),
        "residencies": programs.residencies().by_specialty(),
        "fellowships": programs.fellowships().by_specialty(),
        "canonical_url": settings.SITE_URL + sponsor.get_absolute_url(),
    }
    return render(request, "programs/sponsor_detail.html", context)


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's)."""
    return redirect(static("favicon.svg"), permanent=True)


@require_safe
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
