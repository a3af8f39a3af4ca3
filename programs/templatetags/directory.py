from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.urls import reverse

from programs import freshness, presenters
from programs.choices import H1B_EVIDENCE_PERIOD

register = template.Library()


@register.simple_tag
def list_url(**filters):
    """The program list's address with these filters, e.g.
    ``{% list_url specialty=specialty.slug state="TX" %}``; empty values are left out."""
    query = {name: value for name, value in filters.items() if value not in (None, "")}
    return reverse("programs:list", query=query)


@register.simple_tag
def h1b_evidence_period():
    """The filing dates the Department of Labor's H-1B evidence covers."""
    return H1B_EVIDENCE_PERIOD


@register.filter
def width(percent) -> str:
    """The class that draws a bar ``percent`` wide (``w-0`` to ``w-100``, in directory.css):
    the Content-Security-Policy allows no inline style attributes."""
    try:
        value = round(float(percent))
    except (TypeError, ValueError):
        value = 0
    return f"w-{min(max(value, 0), 100)}"


@register.filter
def answered_visa_badges(program):
    """:func:`programs.presenters.answered_visa_badges`."""
    return presenters.answered_visa_badges(program)


@register.filter
def is_stale(verified_on):
    """True when facts of this date (or of no known date) may be outdated."""
    return freshness.is_stale(verified_on)


@register.filter
def published(value, suffix=""):
    """A published figure with thousands separators (and ``suffix``), or "not published"
    when its source did not publish it: never "None" or a made-up zero."""
    if value is None or value == "":
        return "not published"
    return f"{intcomma(value)}{suffix}"


@register.simple_tag
def check_choices(field) -> list[dict]:
    """A multiple-choice field's options as plain values (id, value, label, checked), for
    a long list of checkboxes written straight into the template: rendering each box as a
    widget costs a template per box, and the lists hold hundreds."""
    chosen = {str(getattr(value, "pk", value)) for value in field.value() or ()}
    rows = []
    for index, (value, label) in enumerate(field.field.widget.choices):
        value = str(value)
        rows.append(
            {
                "id": f"{field.auto_id}_{index}",
                "value": value,
                "label": label,
                "checked": value in chosen,
            }
        )
    return rows
