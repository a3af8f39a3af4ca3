"""What this app adds to a program's page (``programs.panels``, registered in
``RepresentativesConfig.ready()``): the contact for applicants its representative gave and a
curator approved."""

from programs.models import Program
from programs.panels import Panel
from programs.shared import remembered
from representatives.models import ProgramContact


def program_panel(request, program: Program) -> Panel | None:
    # Few programs have a contact: the others' pages read none. A new or removed contact
    # renews the directory's generation (``RepresentativesConfig.ready()``).
    holders = remembered(
        "representatives:contact-holders",
        lambda: frozenset(ProgramContact.objects.values_list("program_id", flat=True)),
    )
    if program.pk not in holders:
        return None
    contact = ProgramContact.objects.filter(program=program).first()
    if contact is None:
        return None
    return Panel("representatives/_program_panel.html", {"contact": contact})
