"""What the applicants app shows on a program's page (``programs.panels``, registered in
``ApplicantsConfig.ready()``): saving the program to the shortlist, comparing it with the
programs saved last, and the asker's verdict for it with its reasons."""

from django.urls import reverse

from applicants import matching, presenters, services
from applicants.models import ShortlistEntry
from programs.models import Program
from programs.panels import Panel


def program_panel(request, program: Program) -> Panel:
    saved = ()
    if request.user.is_authenticated:
        saved = ShortlistEntry.objects.saved_acgme_ids(request.user)
    return Panel(
        "applicants/_program_panel.html",
        {
            "saved": program.acgme_id in saved,
            "compare_url": _compare_with_shortlist(program, saved),
            "fit": _fit(program, services.current_applicant(request)),
        },
    )


def _compare_with_shortlist(program: Program, saved: tuple[str, ...]) -> str:
    """The compare page for this program and the last programs the asker saved (up to
    three), or "" when they have saved none other."""
    others = [acgme_id for acgme_id in saved if acgme_id != program.acgme_id]
    others = others[: presenters.COMPARE_MAX - 1]
    if not others:
        return ""
    return reverse("applicants:compare", query={"ids": [program.acgme_id, *others]})


def _fit(program: Program, applicant: matching.Applicant | None) -> presenters.ProgramFit | None:
    """The verdict and reasons of this program for the applicant, or None without one."""
    if applicant is None:
        return None
    arguments = matching.fit_arguments(applicant, year=matching.training_year())
    fitted = Program.objects.filter(pk=program.pk).with_fit(**arguments).get()
    return presenters.program_fit(fitted, applicant)
