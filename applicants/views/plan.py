"""An applicant's plan: the shortlist, programs side by side, what applying will cost, and
the calendar with its private feed. All of it belongs to one person: another user gets 404,
a visitor the login page (except for the costs, which read a visitor's profile from their
session), and nothing personal is cached or put in a URL."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from applicants import calendar, costs, matching, presenters, services, signal_plan
from applicants.choices import Status
from applicants.filters import ShortlistFilter
from applicants.forms import CostWhatIfForm, ShortlistEntryForm
from applicants.models import CalendarFeed, ShortlistEntry
from programs import figures, timeline
from programs import presenters as program_presenters
from programs.models import (
    Fee,
    Program,
    ProgramSeasonDates,
    Season,
    Specialty,
    SpecialtyApplicationService,
    SpecialtyMatch,
)
from residency_site.redirects import next_url, redirect_to_next


def _fit_arguments(applicant) -> dict | None:
    if applicant is None:
        return None
    return matching.fit_arguments(applicant, year=matching.training_year())


# --- Shortlist ------------------------------------------------------------------------------


@never_cache
@login_required
@require_safe
def shortlist(request):
    applicant = services.current_applicant(request)
    entries = (
        ShortlistEntry.objects.of(request.user)
        .with_verdict(_fit_arguments(applicant))
        .with_status_order()
    )
    specialties = Specialty.objects.filter(
        pk__in=ShortlistEntry.objects.filter(user=request.user).values("program__specialty")
    )
    filterset = ShortlistFilter(request.GET, queryset=entries, specialties=specialties)
    rows = [
        (entry, ShortlistEntryForm(instance=entry, prefix=f"entry-{entry.pk}"))
        for entry in filterset.qs
    ]
    signals = signal_plan.signal_plan(request.user)
    for entry, _form in rows:
        entry.signal_view = signals.for_entry(entry)
    context = {
        "filterset": filterset,
        "form": filterset.form,
        "rows": rows,
        "total": ShortlistEntry.objects.filter(user=request.user).count(),
        "applicant": applicant,
        "statuses": Status,
        "list_url": request.get_full_path(),
        "signal_plan": signals,
    }
    return render(request, "applicants/shortlist.html", context)


def _save_button(request, program: Program, saved: bool):
    context = {"program": program, "saved": saved, "next": next_url(request, "")}
    return render(request, "includes/save_button.html", context)


@never_cache
@login_required
@require_POST
def shortlist_save(request, acgme_id):
    program = get_object_or_404(Program, acgme_id=acgme_id)
    services.save_to_shortlist(user=request.user, program=program)
    if request.htmx:
        return _save_button(request, program, saved=True)
    messages.success(request, f"Saved {program.name} to your shortlist.")
    return redirect_to_next(request, program.get_absolute_url())


@never_cache
@login_required
@require_POST
def shortlist_remove(request, acgme_id):
    """Take a program off the shortlist. One that holds a status or notes the applicant
    wrote is removed only when they say so: first they are asked, in place with htmx, on a
    page of its own without."""
    program = get_object_or_404(Program, acgme_id=acgme_id)
    try:
        removed = services.remove_from_shortlist(
            user=request.user,
            program=program,
            discard_writing=request.POST.get("discard") == "yes",
        )
    except services.WouldLoseWriting as asking:
        context = {
            "program": program,
            "entry": asking.entry,
            "question": presenters.unsave_question(asking.entry),
        }
        if request.htmx:
            context["next"] = next_url(request, "")
            return render(request, "applicants/shortlist_remove.html#question", context)
        context["next"] = next_url(request, program.get_absolute_url())
        return render(request, "applicants/shortlist_remove.html", context)
    if request.htmx:
        return _save_button(request, program, saved=False)
    with_writing = ", with what you wrote on it" if removed and removed.holds_writing else ""
    messages.success(request, f"Removed {program.name} from your shortlist{with_writing}.")
    return redirect_to_next(request, program.get_absolute_url())


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def shortlist_entry(request, pk):
    """One entry's status and notes. Another user's entry is a 404, never a 403, so the
    address says nothing about who saved what."""
    entry = get_object_or_404(ShortlistEntry.objects.of(request.user), pk=pk)
    anchor = f"{reverse('applicants:shortlist')}#entry-{entry.pk}"
    if request.method == "GET":
        return redirect(anchor)
    form = ShortlistEntryForm(request.POST, instance=entry, prefix=f"entry-{entry.pk}")
    if form.is_valid():
        services.update_entry(
            entry=entry, status=form.cleaned_data["status"], notes=form.cleaned_data["notes"]
        )
        if not request.htmx:
            messages.success(request, f"Saved your changes to {entry.program.name}.")
            return redirect_to_next(request, anchor)
    applicant = services.current_applicant(request)
    entry = ShortlistEntry.objects.of(request.user).with_verdict(_fit_arguments(applicant))
    entry = entry.get(pk=pk)
    entry.signal_view = signal_plan.signal_plan(request.user).for_entry(entry)
    context = {
        "entry": entry,
        "entry_form": form,
        "saved_now": form.is_valid(),
        "list_url": next_url(request, reverse("applicants:shortlist")).split("#")[0],
    }
    status = 200 if form.is_valid() else 400
    if request.htmx:
        return render(request, "applicants/shortlist.html#entry", context, status=status)
    return render(request, "applicants/shortlist_entry.html", context, status=status)


# --- Compare --------------------------------------------------------------------------------


def _compared_ids(request) -> list[str]:
    """The ACGME IDs asked for, in order, once each, from ``ids=a&ids=b`` or ``ids=a,b``."""
    ids = []
    for value in request.GET.getlist("ids"):
        ids += [part.strip() for part in value.split(",") if part.strip()]
    return list(dict.fromkeys(ids))


@never_cache
@require_safe
def compare(request):
    """Two to four programs side by side. The address holds only ACGME IDs; the verdicts
    are the asker's own, so a shared link shows each reader their own or none."""
    asked = _compared_ids(request)
    problems = []
    if len(asked) > presenters.COMPARE_MAX:
        problems.append(
            f"You ticked {len(asked)} programs; here are the first {presenters.COMPARE_MAX}. "
            "Untick some to compare others."
        )
        asked = asked[: presenters.COMPARE_MAX]
    applicant = services.current_applicant(request)
    programs = Program.objects.for_listing().filter(acgme_id__in=asked)
    if applicant is not None:
        programs = programs.with_fit(**_fit_arguments(applicant))
    found = {p.acgme_id: p for p in programs.prefetch_related("specialty__statistics")}
    if missing := [a for a in asked if a not in found]:
        shown = ", ".join(m[:12] for m in missing[: presenters.COMPARE_MAX])
        if len(missing) == 1:
            problems.append(f"No program has the ACGME ID {shown}: it was left out.")
        else:
            problems.append(f"No program has the ACGME IDs {shown}: they were left out.")
    compared = [found[a] for a in asked if a in found]
    if len(compared) < 2:
        problems.append(
            "Tick two to four programs in a list or on your shortlist, then choose “Compare”."
        )
    season = Season.objects.current()
    match_year = Season.objects.current_match_year()
    services_in_force = {
        p.pk: SpecialtyApplicationService.objects.in_force(
            specialty=p.specialty, match_year=match_year
        )
        for p in compared
    }
    facts = [
        program_presenters.program_facts(
            p, service=services_in_force[p.pk] and services_in_force[p.pk].service
        )
        for p in compared
    ]
    dates = (
        {
            d.program_id: d
            for d in ProgramSeasonDates.objects.filter(season=season, program__in=compared)
        }
        if season
        else {}
    )
    context = {
        "programs": compared,
        "problems": problems,
        "sections": presenters.compared_sections(facts) if facts else [],
        "figures": [figures.match_figures(p.specialty.statistics.all()) for p in compared],
        "fits": [presenters.program_fit(p, applicant) for p in compared] if applicant else [],
        "dates": [program_presenters.dates_section(dates.get(p.pk), season) for p in compared],
        "applicant": applicant,
        "saved_entries": _saved_entries(request.user, compared),
    }
    return render(request, "applicants/compare.html", context)


def _saved_entries(user, programs) -> list[ShortlistEntry | None]:
    """The asker's shortlist entry of each program (with its signal), or None."""
    if not user.is_authenticated:
        return []
    entries = ShortlistEntry.objects.filter(user=user, program__in=programs)
    entries = {e.program_id: e for e in entries.select_related("program")}
    return [entries.get(p.pk) for p in programs]


# --- Costs ----------------------------------------------------------------------------------


@never_cache
@require_safe
def cost_planner(request):
    """What applying costs: the asker's shortlist, when they have an account, and a what-if
    for any specialty or fellowship of the directory, which a visitor uses too, with the
    profile kept in their session."""
    applicant = services.current_applicant(request)
    season = Season.objects.current()
    match_year = Season.objects.current_match_year()
    fees = costs.fees_by_kind(Fee.objects.remembered_current())
    entries = []
    withdrawn = 0
    if request.user.is_authenticated:
        entries = list(
            ShortlistEntry.objects.of(request.user)
            .counted_for_costs()
            .with_verdict(_fit_arguments(applicant))
            .with_service(match_year)
            .with_match(match_year)
        )
        withdrawn = ShortlistEntry.objects.filter(
            user=request.user, status=Status.WITHDRAWN
        ).count()
    form = CostWhatIfForm(request.GET or None, specialties=Specialty.objects.all())
    what_if = None
    if form.is_valid():
        ranks = form.cleaned_data["ranks"]
        if specialty := form.cleaned_data["specialty"]:
            service = SpecialtyApplicationService.objects.in_force(
                specialty=specialty, match_year=match_year
            )
            match = SpecialtyMatch.objects.in_force(specialty=specialty, match_year=match_year)
            plan = costs.what_if_plan(
                specialty=specialty,
                service=service and service.service,
                match=match and match.match.kind,
                count=form.cleaned_data["programs"],
                applicant=applicant,
                fees=fees,
                ranks=ranks,
            )
            now = sum(1 for e in entries if e.program.specialty_id == specialty.pk)
            line = plan.specialties[0]
            what_if = {
                "plan": plan,
                "line": line,
                "now": now,
                "now_amount": line.application.cost(now),
            }
    # The ranks typed are the what-if's; the shortlist counts what its statuses say.
    plan = costs.cost_plan(entries, applicant=applicant, fees=fees)
    shown = plan.fees + (what_if["plan"].fees if what_if else [])
    context = {
        "plan": plan,
        "form": form,
        "what_if": what_if,
        "season": season,
        "applicant": applicant,
        "withdrawn": withdrawn,
        "ranks_included": costs.RANKS_INCLUDED,
        "fees": list({fee.pk: fee for fee in shown}.values()) or list(fees.values()),
    }
    return render(request, "applicants/costs.html", context)


# --- Calendar -------------------------------------------------------------------------------


def _calendar_items(user, *, today: datetime.date):
    season = Season.objects.current()
    if season is None:
        return None, []
    saved = Program.objects.filter(
        pk__in=ShortlistEntry.objects.filter(user=user)
        .exclude(status=Status.WITHDRAWN)
        .values("program")
    )
    owners = saved.with_application_service(season.match_year).with_match(season.match_year)
    events = timeline.events_for_programs(season, owners.only("pk", "specialty_id"))
    dates = ProgramSeasonDates.objects.filter(season=season, program__in=saved).select_related(
        "program__specialty"
    )
    return season, presenters.calendar_items(events, dates, today=today)


@never_cache
@login_required
@require_safe
def calendar_page(request):
    today = timezone.localdate()
    season, items = _calendar_items(request.user, today=today)
    feed = CalendarFeed.objects.filter(user=request.user).first()
    with_dates = {item.program.pk for item in items if item.program}
    without = (
        ShortlistEntry.objects.of(request.user)
        .exclude(status=Status.WITHDRAWN)
        .exclude(program__in=with_dates)
    )
    context = {
        "season": season,
        "upcoming": [item for item in items if item.days_left is not None and item.days_left >= 0],
        "unpublished": [item for item in items if item.date is None],
        "passed": [item for item in items if item.days_left is not None and item.days_left < 0],
        "without_dates": without,
        "feed_url": request.build_absolute_uri(
            reverse("applicants:calendar_feed", args=[feed.token])
        )
        if feed
        else "",
    }
    return render(request, "applicants/calendar.html", context)


@never_cache
@login_required
@require_POST
def calendar_feed_new(request):
    had_one = CalendarFeed.objects.filter(user=request.user).exists()
    services.new_calendar_feed(user=request.user)
    messages.success(
        request,
        "Here is a new private address for your calendar. The old one no longer works."
        if had_one
        else "Here is your private calendar address. Add it to your calendar app.",
    )
    return redirect(reverse("applicants:calendar") + "#feed")


@never_cache
@login_required
@require_POST
def calendar_feed_close(request):
    services.close_calendar_feed(user=request.user)
    messages.success(request, "Your calendar address no longer works.")
    return redirect(reverse("applicants:calendar") + "#feed")


@never_cache
@require_safe
def calendar_feed(request, token):
    """The private feed: the token is the only key, so calendar apps can read it."""
    feed = CalendarFeed.objects.filter(token=token).select_related("user").first()
    if feed is None:
        raise Http404("No calendar has this address.")
    season, items = _calendar_items(feed.user, today=timezone.localdate())
    body = calendar.personal_calendar(
        items, page_url=request.build_absolute_uri(reverse("applicants:calendar"))
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="residency-calendar.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
