from django import template
from django.urls import reverse

from programs import freshness

register = template.Library()


@register.simple_tag
def list_url(**filters):
    """The program list's address with these filters, e.g.
    ``{% list_url specialty=specialty.slug state="TX" %}``; empty values are left out."""
    query = {name: value for name, value in filters.items() if value not in (None, "")}
    return reverse("programs:list", query=query)


@register.filter
def is_stale(verified_on):
    """True when a fact verified on this day (or never) may be outdated."""
    return freshness.is_stale(verified_on)
