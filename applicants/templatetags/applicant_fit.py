from django import template

from applicants import matching, presenters
from programs.models import Program

register = template.Library()


@register.simple_tag(takes_context=True)
def program_fit(context, program: Program):
    """The verdict and reasons of one program for the asker's profile, or None without one:
    ``{% program_fit program as fit %}``."""
    applicant = context.get("applicant")
    if not applicant:
        return None
    arguments = matching.fit_arguments(applicant, year=matching.training_year())
    fitted = Program.objects.filter(pk=program.pk).with_fit(**arguments).get()
    return presenters.program_fit(fitted, applicant)
