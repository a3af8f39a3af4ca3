from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from programs import content, markdown
from programs.calendar import season_calendar


@require_GET
def faq(request):
    q = request.GET.get("q", "").strip()[: content.SEARCH_MAX_LENGTH]
    entries = content.published_faq_entries()
    if q:
        entries = content.search_faq(entries, q)
    entries = list(entries)
    return render(
        request,
        "programs/faq.html",
        {
            "q": q,
            "entries": entries,
            "groups": content.group_by_topic(entries),
            "json_ld": content.faq_json_ld(entries) if entries and not q else "",
        },
    )


@require_GET
def guide_list(request):
    return render(request, "programs/guide_list.html", {"guides": content.published_guides()})


@require_GET
def guide(request, slug):
    guide = get_object_or_404(content.published_guides(), slug=slug)
    return render(
        request,
        "programs/guide_detail.html",
        {
            "guide": guide,
            "body": markdown.render_with_toc(guide.body),
            "sources": markdown.render(guide.sources),
            "faq_entries": guide.faq_entries.filter(is_published=True),
        },
    )


@require_GET
def timeline(request):
    season = content.current_season()
    rows = content.timeline_rows(season, today=timezone.localdate()) if season else []
    upcoming = next((row for row in rows if not row.has_passed), None)
    return render(
        request,
        "programs/timeline.html",
        {
            "season": season,
            "rows": rows,
            "next_row": upcoming,
            "confirmed_count": sum(row.confirmed for row in rows),
        },
    )


@require_GET
def timeline_ics(request):
    season = content.current_season()
    if season is None:
        raise Http404("No season is current.")
    response = HttpResponse(
        season_calendar(season, page_url=request.build_absolute_uri(reverse("programs:timeline"))),
        content_type="text/calendar; charset=utf-8",
    )
    filename = f"residency-match-{season.match_year}.ics"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
