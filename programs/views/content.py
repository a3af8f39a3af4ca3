"""The FAQ, the guides and the season's timeline with its calendar file."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from programs import markdown, presenters
from programs.calendar import season_calendar
from programs.models import FaqEntry, Guide, Season
from programs.querysets import FAQ_SEARCH_MAX_LENGTH
from programs.timeline import season_calendars


@require_safe
def faq(request):
    q = request.GET.get("q", "").strip()[:FAQ_SEARCH_MAX_LENGTH]
    entries = list(FaqEntry.objects.published().search(q))
    context = {
        "q": q,
        "entries": entries,
        "groups": presenters.group_by_topic(entries),
        "json_ld": presenters.faq_json_ld(entries) if entries and not q else "",
    }
    return render(request, "programs/faq.html", context)


@require_safe
def guide_list(request):
    return render(request, "programs/guide_list.html", {"guides": Guide.objects.published()})


@require_safe
def guide(request, slug):
    guide = get_object_or_404(Guide.objects.published(), slug=slug)
    context = {
        "guide": guide,
        "body": markdown.render_with_toc(guide.body),
        "sources": markdown.render(guide.sources),
        "faq_entries": guide.faq_entries.published(),
    }
    return render(request, "programs/guide_detail.html", context)


@require_safe
def timeline(request):
    season = Season.objects.current()
    calendars = season_calendars(season, today=timezone.localdate()) if season else []
    context = {"season": season, "calendars": calendars}
    return render(request, "programs/timeline.html", context)


@require_safe
def timeline_ics(request):
    season = Season.objects.current()
    if season is None:
        raise Http404("No season is current.")
    page_url = request.build_absolute_uri(reverse("programs:timeline"))
    response = HttpResponse(
        season_calendar(season, page_url=page_url), content_type="text/calendar; charset=utf-8"
    )
    filename = f"residency-match-{season.match_year}.ics"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
