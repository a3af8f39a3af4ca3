"""Panels another app adds to a program's page, so the directory shows them without knowing
the app: each is a function of the request and the program that returns a ``Panel`` (a
template and its values) or None. An app registers its own in its ``AppConfig.ready()``."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import HttpRequest

from programs.models import Program


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict = field(default_factory=dict)  # the template reads them as ``panel``


PanelFunction = Callable[[HttpRequest, Program], Panel | None]

_registered: list[PanelFunction] = []


def register(panel: PanelFunction) -> PanelFunction:
    """Show ``panel`` on every program's page, after the panels registered before it."""
    if panel not in _registered:
        _registered.append(panel)
    return panel


def program_panels(request: HttpRequest, program: Program) -> list[Panel]:
    """The panels this program's page shows to this asker, in the order registered."""
    return [panel for function in _registered if (panel := function(request, program))]
