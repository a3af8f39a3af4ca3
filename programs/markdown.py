"""Curator-written Markdown turned into HTML that is safe to show.

Markdown passes raw HTML through, so every result is cleaned with nh3 afterwards: only the
tags ordinary Markdown produces survive, links keep only http, https and mailto (or
relative) targets, and no attribute can carry script (no on* handlers, no style).
"""

import html
import re
from dataclasses import dataclass, field

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "dl",
    "dt",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
HEADINGS = ("h2", "h3", "h4", "h5", "h6")
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
    **{heading: {"id"} for heading in HEADINGS},
}
URL_SCHEMES = {"http", "https", "mailto"}
EXTENSIONS = ["tables", "fenced_code", "sane_lists"]
H1 = re.compile(r"<(/?)h1\b", re.IGNORECASE)


@dataclass(frozen=True)
class TocEntry:
    id: str
    title: str
    children: list["TocEntry"] = field(default_factory=list)


@dataclass(frozen=True)
class Rendered:
    html: SafeString
    toc: list[TocEntry]


def sanitize(markup: str) -> SafeString:
    # A page has one h1 (its title), so a top-level Markdown heading becomes an h2.
    markup = H1.sub(r"<\1h2", markup)
    clean = nh3.clean(
        markup,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    # Wide tables scroll on their own on a phone instead of widening the page. nh3 escapes
    # any "<table>" written as text, so only real tables match.
    clean = clean.replace("<table>", '<div class="table-wrap"><table>')
    clean = clean.replace("</table>", "</table></div>")
    return mark_safe(clean)  # nh3 has just removed everything unsafe.


def render(text: str) -> SafeString:
    """Markdown to sanitised HTML, without heading ids (for short answers shown together)."""
    return sanitize(markdown_lib.markdown(text or "", extensions=EXTENSIONS))


def render_with_toc(text: str) -> Rendered:
    """Markdown to sanitised HTML whose h2/h3 headings carry ids, plus a table of contents.

    Ids come from the heading text (with a numeric suffix for repeats), so a link to a
    section of a guide keeps working as long as the heading reads the same.
    """
    md = markdown_lib.Markdown(extensions=[*EXTENSIONS, "toc"])
    html = sanitize(md.convert(text or ""))
    return Rendered(html=html, toc=_toc_entries(md.toc_tokens, max_level=3))


def _toc_entries(tokens: list[dict], *, max_level: int) -> list[TocEntry]:
    entries = []
    for token in tokens:
        if token["level"] > max_level:
            continue
        entries.append(
            TocEntry(
                # The token's name is HTML-escaped text; templates escape it again.
                id=token["id"],
                title=html.unescape(token["name"]),
                children=_toc_entries(token["children"], max_level=max_level),
            )
        )
    return entries
