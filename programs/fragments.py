"""HTML every reader sees the same (a program's row in a list, the list's filter form for a
set of filters, a program's facts, a specialty's page), rendered once per generation of the
directory and day and kept in the shared cache (``programs.shared``), so that every worker
reuses it until a curator changes the directory. The day is part of the key because pages
say whether a fact is stale or a date has passed.

A fragment is rendered without the request: no context processor runs for it, so nothing
personal (the asker, their profile, shortlist or messages, a CSRF token) can get into it.
Pages put those around the fragments, never inside."""

from collections.abc import Callable, Hashable, Mapping

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from programs.shared import TIMEOUT, generation, remembered


def rendered(name: str, templates: Mapping[str, str], context: Callable[[], dict], *, parts=None):
    """``{part: HTML}``, each part the template (or ``template#partial``) it names rendered
    with ``context()``, computed only when this generation has not rendered them yet.
    ``parts`` (anything JSON can write) tell apart fragments of the same name."""

    def render() -> dict[str, str]:
        values = context()
        return {part: render_to_string(template, values) for part, template in templates.items()}

    found = remembered(f"html:{name}", render, parts={"parts": parts, "day": timezone.localdate()})
    return {part: mark_safe(html) for part, html in found.items()}


def rendered_each(
    name: str,
    templates: Mapping[str, str],
    contexts: Mapping[Hashable, Callable[[], dict]],
) -> dict[Hashable, dict[str, SafeString]]:
    """``rendered`` for many fragments of one kind at once (a page's rows), keyed by the
    keys of ``contexts``, in one round trip to the cache."""
    prefix = f"directory:{generation()}:html:{name}:{timezone.localdate().isoformat()}"
    keys = {key: f"{prefix}:{key}" for key in contexts}
    found = cache.get_many(list(keys.values()))
    missing = {}
    fragments = {}
    for key, cache_key in keys.items():
        if cache_key not in found:
            values = contexts[key]()
            found[cache_key] = missing[cache_key] = {
                part: render_to_string(template, values) for part, template in templates.items()
            }
        fragments[key] = {part: mark_safe(html) for part, html in found[cache_key].items()}
    if missing:
        cache.set_many(missing, timeout=TIMEOUT)
    return fragments
