from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

from applicants.presenters import VERDICT_BADGES
from programs.choices import Verdict

register = template.Library()


@register.filter
def dollars(amount: int | None) -> str:
    """An amount in whole US dollars: "$1,234"; an unknown amount stays unknown."""
    return "not known" if amount is None else f"${intcomma(amount)}"


@register.filter
def verdict_label(value: str | None) -> str:
    return Verdict(value).label if value else ""


@register.filter
def verdict_badge(value: str | None) -> str:
    return VERDICT_BADGES.get(value, "unknown")


@register.simple_tag(takes_context=True)
def compare_without(context, acgme_id: str) -> str:
    """The compare page's address without one of its programs."""
    request = context["request"]
    ids = [
        part.strip()
        for value in request.GET.getlist("ids")
        for part in value.split(",")
        if part.strip() and part.strip() != acgme_id
    ]
    query = request.GET.copy()
    query.setlist("ids", ids)
    return f"{request.path}?{query.urlencode()}"
