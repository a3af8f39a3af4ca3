"""An applicant's matches: every program of the profile's specialties with its verdict, as a
page and as a CSV file. Seen by the applicant alone: never cached, nothing personal in a URL."""

import csv

from django.contrib import messages
from django.http import StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from applicants import matching, presenters, services
from applicants.filters import MatchFilter
from programs import listing
from programs import presenters as program_presenters
from programs.choices import Level, Verdict
from programs.csv_format import inert_for_spreadsheets
from programs.models import Specialty
from programs.requirements import REQUIREMENTS
from programs.views.directory import PAGE_SIZE, render_list

# An export cell for a requirement not asked of this applicant.
NOT_ASKED = "not checked for you"


def _applicant_or_redirect(request):
    applicant = services.current_applicant(request)
    if applicant is not None:
        return applicant, None
    if request.user.is_authenticated:
        messages.info(request, "Tell us about yourself first, and we match every program.")
        return None, redirect("applicants:profile")
    return None, redirect(f"{reverse('applicants:login')}?next={request.path}")


def _matches(request, applicant):
    year = matching.training_year()
    return MatchFilter(
        request.GET,
        queryset=matching.programs_for(applicant),
        request=request,
        fit_arguments=matching.fit_arguments(applicant, year=year),
    ), year


@never_cache
@require_safe
def matches(request):
    applicant, elsewhere = _applicant_or_redirect(request)
    if elsewhere:
        return elsewhere
    filterset, year = _matches(request, applicant)
    summary = matching.summarize(applicant, year=year)
    active = filterset.active_values()
    chosen = set(applicant.specialty_ids)
    specialties = [s for s in Specialty.objects.remembered() if s.pk in chosen]
    paginator = listing.CountedPaginator(
        filterset.qs, PAGE_SIZE, count=lambda: _count(filterset, summary, specialties)
    )
    requested = request.GET.get("page", "")
    page = listing.get_page(paginator, requested)
    counts = summary.verdicts
    context = {
        "applicant": applicant,
        "form": filterset.form,
        "page": page,
        "rows": presenters.match_rows(page.object_list, applicant),
        "paginator": paginator,
        "page_note": listing.page_note(requested, page),
        "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "chips": listing.filter_chips(filterset, request.GET, path=request.path),
        "active": active,
        "open_groups": listing.open_filter_groups(filterset),
        "export_path": reverse("applicants:matches_export"),
        "export_note": "with your verdict and each requirement's outcome",
        "counts": counts,
        "unknown": presenters.most_often_unknown(summary.unknown, total=summary.total),
        "verdicts": Verdict,
        "specialties": specialties,
        "standings": presenters.standings(applicant, specialties),
        "profile_limits": presenters.profile_limits(applicant, specialties),
        "what_ifs": summary.what_ifs,
        "training_year": year,
    }
    return render_list(request, "applicants/matches.html", context)


def _count(filterset, summary: matching.MatchSummary, specialties) -> int:
    """How many matches the filters leave: from the summary when only a verdict is chosen
    (the list, like the summary, then holds every program of the profile's residencies)."""
    narrowed = filterset.active_values().keys() - {"verdict", "sort"}
    fellowships = any(s.level != Level.RESIDENCY for s in specialties)
    if narrowed or fellowships or not filterset.is_valid():
        return filterset.qs.count()
    verdict = filterset.form.cleaned_data.get("verdict")
    return summary.verdicts[verdict] if verdict else summary.total


class _Echo:
    def write(self, value):
        return value


@never_cache
@require_safe
def matches_export(request):
    """The matches, as filtered, with the verdict and each requirement's outcome."""
    applicant, elsewhere = _applicant_or_redirect(request)
    if elsewhere:
        return elsewhere
    filterset, _year = _matches(request, applicant)
    programs = filterset.qs

    def rows():
        writer = csv.writer(_Echo())
        yield writer.writerow(
            ["ACGME ID", "Program", "Specialty", "City", "State", "Verdict"]
            + [requirement.name for requirement in REQUIREMENTS]
            + ["Oldest facts", "Page"]
        )
        for program in programs.iterator(chunk_size=500):
            cells = [
                program.acgme_id,
                program.name,
                program.specialty.name,
                program.city,
                program.state,
                Verdict(program.fit_verdict).label,
            ]
            cells += [
                requirement.words.get(getattr(program, requirement.annotation, None), NOT_ASKED)
                for requirement in REQUIREMENTS
            ]
            cells.append(program_presenters.oldest_freshness(program).words)
            cells.append(request.build_absolute_uri(program.get_absolute_url()))
            yield writer.writerow([inert_for_spreadsheets(str(cell)) for cell in cells])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="my-matches-{stamp}.csv"'
    return response
