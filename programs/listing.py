"""The kit every list page shares (the program list and an applicant's matches): rows,
filter chips, hints, the paginator and its notes, the context and htmx rendering of a list
page, and its CSV export."""

import csv
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache, partial
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.http import QueryDict, StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from programs import fragments
from programs.choices import ApplicationService
from programs.csv_format import inert_for_spreadsheets
from programs.filters import ABOUT_YOU
from programs.models import Program
from programs.presenters import Badge, FitNote, Freshness, fit_notes, oldest_freshness, visa_badges
from programs.search import places_in
from programs.states import State

# --- A program in a list ----------------------------------------------------------------


@dataclass(frozen=True)
class ProgramRow:
    program: Program
    badges: list[Badge]
    notes: list["FitNote"]
    freshness: Freshness
    service: str  # the application service this season, when annotated and known
    # The row's HTML every reader sees the same (``templates/includes/program_row.html``'s
    # partials), rendered once per change of the directory: ``shared_row_parts``.
    shared: dict[str, str] = field(default_factory=dict)
    # A list row shows no fit (``templates/includes/program_row.html`` asks).
    fit = None

    @property
    def state_name(self) -> str:
        # What ``get_state_display`` says, without building a map of every state per row.
        return STATE_NAMES.get(self.program.state, self.program.state)


STATE_NAMES = dict(State.choices)


def _row_part(part: str, value: Callable[["ProgramRow"], Hashable]) -> Callable[[dict], str]:
    """A part of a row that shows one of its values alone (its badges, its freshness): the
    same for every row of that value, so rendered once per value (and day: it says what is
    stale) in this process, rather than once per row."""
    template = f"includes/program_row.html#{part}"

    @lru_cache(maxsize=1024)
    def render(value, day):
        return render_to_string(template, {part: value})

    return lambda context: render(value(context["row"]), timezone.localdate())


ROW_PARTS = {
    "head": "includes/program_row.html#head",
    "badges": _row_part("badges", lambda row: tuple(row.badges)),
    "compare": "includes/program_row.html#compare",
    "freshness": _row_part("freshness", lambda row: row.freshness),
}


def program_rows(programs) -> list[ProgramRow]:
    """List rows; reads the ``with_fit`` and ``with_application_service`` annotations where
    the queryset has them."""
    rows = [
        ProgramRow(
            program=p,
            badges=visa_badges(p),
            notes=fit_notes(p),
            freshness=oldest_freshness(p),
            service=_service_label(getattr(p, "application_service", None)),
        )
        for p in programs
    ]
    shared = shared_row_parts(rows)
    return [replace(row, shared=shared[_row_key(row)]) for row in rows]


def shared_row_parts(rows: list[ProgramRow]) -> dict[str, dict[str, str]]:
    """Each row's parts that every reader sees the same, from the shared cache in one read,
    rendered only for the rows this generation of the directory has not shown yet."""
    return fragments.rendered_each(
        "program-row", ROW_PARTS, {_row_key(row): partial(dict, row=row) for row in rows}
    )


def _row_key(row: ProgramRow) -> str:
    # A list whose queryset does not annotate the service shows none: a fragment of its own.
    return f"{row.program.pk}:{getattr(row.program, 'application_service', None) or ''}"


def _service_label(service: str | None) -> str:
    return ApplicationService(service).label if service else ""


# --- The list's filters -----------------------------------------------------------------


@dataclass(frozen=True)
class Chip:
    label: str
    remove_url: str
    # An "About you" answer is not in the address: its chip posts this name to forget it.
    clear: str = ""


def filter_chips(filterset, query: QueryDict, *, path: str) -> list[Chip]:
    """One removable chip per filter value in use, labelled by the form's own fields; each
    links to ``path`` (the list being filtered) without it, or, for an answer about the
    reader, forgets it from the session."""
    form = filterset.form
    chips = []

    def without(name, value=None):
        return _without(query, name, value, path=path)

    for name, value in filterset.active_values().items():
        field = form.fields[name]
        if name in ABOUT_YOU:
            chips.append(Chip(_chip_label(field, value), remove_url="", clear=name))
        elif isinstance(field, forms.ModelMultipleChoiceField):
            key = field.to_field_name or "pk"
            chips += [Chip(str(obj), without(name, str(getattr(obj, key)))) for obj in value]
        elif isinstance(field, forms.MultipleChoiceField):
            labels = dict(field.choices)
            chips += [Chip(labels[v], without(name, v)) for v in value]
        else:
            chips.append(Chip(_chip_label(field, value), without(name)))
    return chips


def h1b_filed_url(query: QueryDict, *, path: str) -> str:
    """When the list keeps programs known to sponsor H-1B, the same list by the institution's
    H-1B filings instead ("" otherwise): it also holds programs whose older "no" the filings
    contradict, which a "known to say yes" filter leaves out."""
    if "h1b" not in query.getlist("visa") or query.get("h1b_filed"):
        return ""
    query = QueryDict(_without(query, "visa", "h1b", path=path).partition("?")[2], mutable=True)
    query["h1b_filed"] = "1"
    return f"{path}?{query.urlencode()}"


def _chip_label(field: forms.Field, value) -> str:
    if isinstance(field, forms.NullBooleanField):
        return str(field.label)
    if isinstance(field, forms.ChoiceField):
        value = dict(field.choices)[value]
    elif isinstance(field, forms.DateField):
        value = f"{value:%b} {value.day}, {value.year}"
    elif isinstance(field, forms.CharField):
        value = f"“{value}”"
    return f"{field.label}: {value}"


def _without(query: QueryDict, name: str, value: str | None = None, *, path: str) -> str:
    """The list's URL with one filter value (or the whole filter) and the page removed."""
    query = query.copy()
    query.pop("page", None)
    if value is None:
        query.pop(name, None)
    else:
        query.setlist(name, [v for v in query.getlist(name) if v != value])
    return f"{path}?{query.urlencode()}" if query else path


@dataclass(frozen=True)
class SearchHint:
    text: str
    url: str


# Words a search cannot find in names, but a filter answers.
FILTER_WORDS = {
    "h1b": ("programs that reported sponsoring H-1B visas", {"visa": "h1b"}),
    "h-1b": ("programs that reported sponsoring H-1B visas", {"visa": "h1b"}),
    "j1": ("programs that reported accepting J-1 visas", {"visa": "j1"}),
    "j-1": ("programs that reported accepting J-1 visas", {"visa": "j1"}),
    "visa": ("programs that take a visa", {"visa": ["j1", "h1b"]}),
    "img": ("programs known to accept IMGs", {"img": "1"}),
    "imgs": ("programs known to accept IMGs", {"img": "1"}),
}


def search_hint(q: str, *, path: str) -> SearchHint | None:
    """A filter that answers what a search asked for, when the search names one."""
    for word in (q or "").lower().split():
        if word in FILTER_WORDS:
            what, query = FILTER_WORDS[word]
            url = f"{path}?{urlencode(query, doseq=True)}"
            return SearchHint(f"Looking for {what}? The filter lists them", url)
    return None


def place_notes(q: str) -> list[str]:
    """How a search read a misspelt state's name ("Read “texsa” as Texas.")."""
    return [
        f"Read “{place.misspelt}” as {State(place.state).label}."
        for place in places_in(" ".join((q or "").split())[:200])
        if place.misspelt
    ]


@dataclass(frozen=True)
class FellowshipHint:
    count: int
    url: str


def fellowship_hint(filterset) -> FellowshipHint | None:
    """When a search finds no residencies, how many fellowships it would find instead."""
    found = filterset.fellowships_instead()
    if not found:
        return None
    count, query = found
    return FellowshipHint(count, reverse("programs:list", query=query))


def open_filter_groups(filterset) -> dict[str, bool]:
    """Collapsible filter groups to show open: those in use or with an error."""
    form = filterset.form
    return {
        name: bool(form.data.get(name) or name in form.errors) for name in ("specialty", "state")
    }


# A list longer than this reads a page by the paginator's ``read``, when it is given one.
READ_BY_KEYS_ABOVE = 1_000


class CountedPaginator(Paginator):
    """A paginator told how to count (from the shared cache, say) instead of counting, and
    optionally how to read a page's rows ``bottom`` to ``top`` instead of slicing its list."""

    ranked_among = None  # every program listed is ranked (``SearchPaginator`` says otherwise)

    def __init__(
        self,
        *args,
        count: Callable[[], int],
        read: Callable[[int, int], list] | None = None,
        read_longer_than: int | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self._count = count
        self._read_rows = read
        self._read_longer_than = read_longer_than

    @cached_property
    def count(self) -> int:
        return self._count()

    def page(self, number):
        number = self.validate_number(number)
        # A short list is as quick to sort whole as to look up its page's keys first.
        longer_than = self._read_longer_than
        if longer_than is None:
            longer_than = READ_BY_KEYS_ABOVE
        if self._read_rows is None or self.count <= longer_than:
            return super().page(number)
        return self._get_page(self._read_rows(*_bounds(self, number)), number, self)


def _bounds(paginator: Paginator, number: int) -> tuple[int, int]:
    """Where page ``number`` starts and ends among the paginator's rows, as
    ``Paginator.page`` has them: the last page keeps its orphans."""
    bottom = (number - 1) * paginator.per_page
    top = bottom + paginator.per_page
    if top + paginator.orphans >= paginator.count:
        top = paginator.count
    return bottom, top


# A search matching more programs than this ranks this many of them (the first found).
RANKED_AT_MOST = 5_000


class SearchPaginator(Paginator):
    """A search's paginator. One query finds the keys of the programs matching (at most
    ``RANKED_AT_MOST`` + 1: their number is the count), a second ranks them and reads the
    page's programs.

    Ranking costs each match's text rank and spelling, so a search matching more than
    ``RANKED_AT_MOST`` programs (a word in most names: at 100,000 programs 0.7 s to rank them
    all) ranks and pages only the first ``RANKED_AT_MOST`` found, and ``ranked_among`` says
    so. The ranking reads only the columns it orders by, and the page's keys; the page's
    programs, with their sponsors and specialties, are read for those keys alone (and ordered
    again, the same way, among themselves)."""

    ranked_among = None

    @cached_property
    def count(self) -> int:
        return len(self._found)

    @cached_property
    def _found(self) -> list[int]:
        keys = list(self.object_list.order_by().values_list("pk", flat=True)[: RANKED_AT_MOST + 1])
        if len(keys) > RANKED_AT_MOST:
            self.ranked_among = RANKED_AT_MOST
            del keys[RANKED_AT_MOST:]
        return keys

    def page(self, number):
        number = self.validate_number(number)
        bottom, top = _bounds(self, number)
        if bottom >= top:
            return self._get_page([], number, self)
        ranked = self.object_list
        if self.ranked_among:
            ranked = ranked.among(self._found)
        on_page = ranked.values("pk")[bottom:top]
        return self._get_page(list(self.object_list.filter(pk__in=on_page)), number, self)


def get_page(paginator, requested: str):
    """The page asked for; a page before the first or not a number is the first, and one
    past the last is the last (``page_note`` says so)."""
    try:
        if int(requested) < 1:
            return paginator.page(1)
    except ValueError:
        pass
    return paginator.get_page(requested)


def page_note(requested: str, page) -> str:
    """Why the page shown is not the one asked for, or "" when it is."""
    if not requested or requested == str(page.number):
        return ""
    return (
        f"There is no page “{requested[:20]}”; showing page {page.number} "
        f"of {page.paginator.num_pages}."
    )


def state_counts(rows: list[dict]) -> list[dict]:
    """``totals_by_state()["by_state"]`` rows with each state's name, sorted by it."""
    labelled = [{**row, "label": State(row["state"]).label} for row in rows]
    return sorted(labelled, key=lambda row: row["label"])


# --- A list page ------------------------------------------------------------------------

PAGE_SIZE = 25


def list_context(
    request,
    filterset,
    *,
    rows: Callable[[list[Program]], list[ProgramRow]],
    count: Callable[[], int],
    export_path: str,
    export_note: str,
    read: Callable[[int, int], list] | None = None,
) -> dict:
    """What every list page shows (``templates/includes/list_body.html``): the filter form,
    the page asked for as ``rows(programs)``, the paginator counted by ``count()`` (from a
    cache, say), its notes and how the search read a misspelt place, the chips of the
    filters in use and the CSV link. ``read(bottom, top)``, when given, reads every page's
    programs in place of the filter set's queryset, which is then never built."""
    active = filterset.active_values()
    if read is not None:
        paginator = CountedPaginator([], PAGE_SIZE, count=count, read=read, read_longer_than=0)
    # A search counts the keys it finds and ranks only those keys to read a page.
    elif active.get("q"):
        paginator = SearchPaginator(filterset.qs, PAGE_SIZE)
    else:
        paginator = CountedPaginator(
            filterset.qs, PAGE_SIZE, count=count, read=filterset.page_reader()
        )
    requested = request.GET.get("page", "")
    page = get_page(paginator, requested)
    return {
        "form": filterset.form,
        "page": page,
        "rows": rows(page.object_list),
        "paginator": paginator,
        "page_note": page_note(requested, page),
        "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "chips": filter_chips(filterset, request.GET, path=request.path),
        "active": active,
        "place_notes": place_notes(active.get("q", "")),
        "open_groups": open_filter_groups(filterset),
        "export_path": export_path,
        "export_note": export_note,
    }


def render_list(request, template: str, context: dict):
    """A list page; for htmx, only its results (and its form too when a chip or a page
    link, not the form, changed the filters)."""
    if request.htmx and request.htmx.target == "results":
        redraw = request.headers.get("HX-Redraw-Filters") == "true"
        context["form_out_of_band"] = redraw or request.htmx.trigger != "filters"
        response = render(request, "includes/list_body.html#results", context)
    else:
        response = render(request, template, context)
    # The same address answers a whole page or its results: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request", "HX-Target", "HX-Redraw-Filters"])
    return response


class _Echo:
    """A file that hands back what is written to it, so a csv writer's lines can stream."""

    def write(self, value):
        return value


def csv_response(
    columns: list[str], rows: Iterable[Mapping[str, object]], *, name: str
) -> StreamingHttpResponse:
    """A list's export, streamed as it is read: a header of ``columns``, then one line per
    row (a cell per column, made inert for spreadsheets), as ``{name}-{today}.csv``."""

    def lines():
        writer = csv.DictWriter(_Echo(), fieldnames=columns)
        yield writer.writeheader()
        for row in rows:
            yield writer.writerow({k: inert_for_spreadsheets(str(v)) for k, v in row.items()})

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    return response
