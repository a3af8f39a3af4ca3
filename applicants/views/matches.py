"""An applicant's matches: every program of the profile's specialties with its verdict, as a
page and as a CSV file. Seen by the applicant alone: never cached by a browser or a proxy,
nothing personal in a URL; the page is kept on the server for its applicant alone, until
they or the directory change (``applicants.kept``)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from applicants import kept, matching, presenters, services
from applicants.filters import MatchFilter
from programs import listing
from programs import presenters as program_presenters
from programs.choices import Level, Verdict
from programs.freshness import stale_period
from programs.models import Specialty
from programs.requirements import REQUIREMENTS
from programs.views.directory import shared_filters

# An export cell for a requirement not asked of this applicant.
NOT_ASKED = "not checked for you"


def _applicant_or_redirect(request):
    applicant = services.current_applicant(request)
    if applicant is not None:
        return applicant, None
    # A visitor needs no account for their matches, only a profile (kept in the session).
    messages.info(request, "Tell us about yourself first, and we match every program.")
    return None, redirect("applicants:profile")


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
@kept.kept_for_the_person
def matches(request):
    applicant, elsewhere = _applicant_or_redirect(request)
    if elsewhere:
        return elsewhere
    filterset, year = _matches(request, applicant)
    summary = matching.remembered_summary(applicant, year=year)
    chosen = set(applicant.specialty_ids)
    specialties = [s for s in Specialty.objects.remembered() if s.pk in chosen]
    context = listing.list_context(
        request,
        filterset,
        rows=lambda programs: presenters.match_rows(programs, applicant),
        count=lambda: _count(filterset, summary, specialties),
        export_path=reverse("applicants:matches_export"),
        export_note="with your verdict and each requirement's outcome",
        read=_page_reader(filterset, applicant, year, specialties),
    )
    context |= {
        "applicant": applicant,
        "row_fit_template": "applicants/_program_fit_shown.html",
        "counts": summary.verdicts,
        "unknown": presenters.most_often_unknown(summary.unknown, total=summary.total),
        "verdicts": Verdict,
        "specialties": specialties,
        "standings": presenters.standings(applicant, specialties),
        "profile_limits": presenters.profile_limits(applicant, specialties),
        "what_ifs": summary.what_ifs,
        "training_year": year,
        "stale_period": stale_period(),
        # The filters every reader of the matches sees the same for these values, rendered
        # once per change of the directory rather than on each person's first visit.
        "shared_filters": shared_filters(filterset, fragment_name="match-filters"),
    }
    return listing.render_list(request, "applicants/matches.html", context)


def _summarized(filterset, specialties) -> bool:
    """Whether the list holds the programs the summary counts (every program of the
    profile's residencies, of one verdict when it is chosen): no other filter is in use."""
    narrowed = filterset.active_values().keys() - {"verdict", "sort"}
    fellowships = any(s.level != Level.RESIDENCY for s in specialties)
    return filterset.is_valid() and not narrowed and not fellowships


def _count(filterset, summary: matching.MatchSummary, specialties) -> int:
    """How many matches the filters leave: from the summary when only a verdict is chosen."""
    if not _summarized(filterset, specialties):
        return filterset.qs.count()
    verdict = filterset.form.cleaned_data.get("verdict")
    return summary.verdicts[verdict] if verdict else summary.total


def _page_reader(filterset, applicant, year: int, specialties):
    """The rows of a list the summary counts, in the default order (no sort chosen), read
    from the summary's kinds of program (``matching.page_reader``); None for any other list,
    which the filter set's queryset reads."""
    if not _summarized(filterset, specialties) or filterset.form.cleaned_data.get("sort"):
        return None
    verdict = filterset.form.cleaned_data.get("verdict") or ""
    return matching.page_reader(applicant, year=year, verdict=verdict)


EXPORT_COLUMNS = [
    *("ACGME ID", "Program", "Specialty", "City", "State", "Verdict"),
    *(requirement.name for requirement in REQUIREMENTS),
    *("Oldest facts", "Page"),
]


@never_cache
@require_safe
def matches_export(request):
    """The matches, as filtered, with the verdict and each requirement's outcome."""
    applicant, elsewhere = _applicant_or_redirect(request)
    if elsewhere:
        return elsewhere
    filterset, _year = _matches(request, applicant)
    programs = filterset.qs.iterator(chunk_size=500)
    rows = (_export_row(request, program) for program in programs)
    return listing.csv_response(EXPORT_COLUMNS, rows, name="my-matches")


def _export_row(request, program) -> dict[str, str]:
    outcomes = {
        requirement.name: requirement.words.get(
            getattr(program, requirement.annotation, None), NOT_ASKED
        )
        for requirement in REQUIREMENTS
    }
    return {
        "ACGME ID": program.acgme_id,
        "Program": program.name,
        "Specialty": program.specialty.name,
        "City": program.city,
        "State": program.state,
        "Verdict": Verdict(program.fit_verdict).label,
        **outcomes,
        "Oldest facts": program_presenters.oldest_freshness(program).words,
        "Page": request.build_absolute_uri(program.get_absolute_url()),
    }
