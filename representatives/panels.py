"""What this app adds to a program's page (``programs.panels``, registered in
``RepresentativesConfig.ready()``): the contact for applicants its representative gave and a
curator approved."""

from programs.models import Program
from programs.panels import Panel
from representatives.models import ProgramContact


def program_panel(request, program: Program) -> Panel | None:
    contact = ProgramContact.objects.filter(program=program).first()
    if contact is None:
        return None
    return Panel("representatives/_program_panel.html", {"contact": contact})
