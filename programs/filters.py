"""The program list's filters. Their GET parameters are a public contract: any result can be
bookmarked and shared, so names and values must stay stable.

Unknown is not no. ``visa`` and ``img`` keep only programs known to say yes. ``step2``,
``yog`` and ``usce`` are about the applicant: they are matched by
``Program.objects.with_fit`` and drop only programs whose published limit excludes the
applicant, keeping those that have published nothing (the row then says so); ``fit`` keeps
only programs known to meet every one of them. These four (``ABOUT_YOU``) are personal, so
they never travel in the address: the reader's session keeps them (``list_data``).
"""

import copy
import functools
from collections.abc import Callable

import django_filters as filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Lower
from django.http import QueryDict
from django.utils.functional import lazy

from programs.choices import (
    H1B_EVIDENCE_PERIOD,
    ExperiencePolicy,
    GraduationPolicy,
    Level,
    Outcome,
    Setting,
    Tri,
)
from programs.freshness import stale_period
from programs.models import Program, Season, Specialty
from programs.querysets import VISA_FIELDS
from programs.shared import remembered
from programs.states import STATES_IN_REGION, Region, State


class OneCheckbox(forms.CheckboxInput):
    """A checkbox that submits ``1``, so the URL reads ``img=1`` rather than ``img=on``."""

    def __init__(self, attrs=None):
        super().__init__(attrs, check_test=lambda value: value in (True, "1", "true", "True"))

    def format_value(self, value):
        return "1"

    def value_from_datadict(self, data, files, name):
        return data.get(name)


class _FlagField(forms.NullBooleanField):
    """On (``1``, ``true``, ``on``), off (``0``, ``false`` or nothing), or refused with a
    message, as any other filter's unknown value is."""

    default_error_messages = {"invalid": "“%(value)s” is neither 1 (on) nor 0 (off)."}
    VALUES = {"1": True, "true": True, "on": True, "0": False, "false": False, "": None}

    def to_python(self, value):
        if value is None or isinstance(value, bool):
            return value
        try:
            return self.VALUES[str(value).strip().lower()]
        except KeyError:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            ) from None

    def validate(self, value):
        pass


class FlagFilter(filters.BooleanFilter):
    """A yes-only switch: on keeps the programs it names, off leaves the list alone."""

    field_class = _FlagField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", OneCheckbox)
        super().__init__(*args, **kwargs)


class IntegerFilter(filters.NumberFilter):
    field_class = forms.IntegerField


class SortFilter(filters.OrderingFilter):
    """``sort``: one of a fixed set of orders; programs missing the value sort last, and
    ties fall back to the name and then the ACGME ID."""

    def get_ordering_value(self, param):
        descending = param.startswith("-")
        field = F(self.param_map[param.lstrip("-")])
        return field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)

    def filter(self, qs, value):
        if not value:
            return qs
        # Sorting by name is the tie-break itself: names without regard to case.
        orders = [self.get_ordering_value(p) for p in value if p and p != "name"]
        return qs.order_by(*orders, Lower("name"), "acgme_id")


class LevelChoice:
    RESIDENCY = Level.RESIDENCY.value
    FELLOWSHIP = Level.FELLOWSHIP.value
    ALL = "all"
    choices = [
        (RESIDENCY, "Residencies"),
        (FELLOWSHIP, "Fellowships"),
        (ALL, "Residencies and fellowships"),
    ]


SORT_CHOICES = [
    ("name", "Name (A–Z)"),
    ("-positions", "Most first-year positions"),
    ("state", "State"),
    ("deadline", "Earliest application deadline"),
    ("-verified", "Most recently checked by a curator"),
]


FIT_HELP = "Also hides programs that have not published one of these limits."


def _fit_help() -> str:
    """The fit switch's help, read when the form is shown: while no program's limit on years
    since graduation or on US clinical experience is recorded, it says so, since with either
    filled in the switch then leaves no program."""
    recorded = remembered(
        "list:limits_recorded",
        lambda: Program.objects.exclude(
            graduation_policy=GraduationPolicy.UNKNOWN, usce_policy=ExperiencePolicy.UNKNOWN
        ).exists(),
    )
    if recorded:
        return FIT_HELP
    return (
        f"{FIT_HELP} No program's limit on years since graduation or on US clinical "
        "experience is recorded yet: with either filled in, it leaves none."
    )


# The filters about the reader rather than the directory. They are posted to the session
# (programs.views.directory.about_you) and read from it, never from the address, so that no
# URL, browser history, shared link or access log holds a score or a graduation year.
ABOUT_YOU = ("step2", "yog", "usce", "fit")
ABOUT_YOU_SESSION_KEY = "list_about_you"
# The form those fields belong to in the page, apart from the filter form's GET.
ABOUT_YOU_FORM = "about-you"


def public_query(query: QueryDict) -> QueryDict:
    """``query`` without the filters about the reader."""
    query = query.copy()
    for name in ABOUT_YOU:
        query.pop(name, None)
    return query


def list_data(request) -> QueryDict:
    """The list's filter values: the address's public ones, and what the reader said about
    themselves from their session (the same parameters in the address are ignored)."""
    data = public_query(request.GET)
    for name, value in (request.session.get(ABOUT_YOU_SESSION_KEY) or {}).items():
        if name in ABOUT_YOU:
            data[name] = value
    return data


STATES_BY_NAME = sorted(State.choices, key=lambda c: c[1])


def _states_by_name() -> list[tuple[str, str]]:
    return STATES_BY_NAME


class _Filters(dict):
    """A class's filters, which each list copies (``FilterSet.__init__``) to point them at
    itself. A filter holds nothing a list changes but what it is given on the copy (its
    list, the model): a shallow copy of each does, where django-filter's deep copy would
    copy every choice, queryset and widget of each filter on every list."""

    def __deepcopy__(self, memo) -> dict:
        copies = {}
        for name, original in self.items():
            each = copies[name] = copy.copy(original)
            each.extra = dict(original.extra)
            # A filter by method calls it on its own list: bound again to the copy.
            each.method = original.method
        return copies


class _SpecialtiesField(filters.fields.ModelMultipleChoiceField):
    """The specialties chosen, checked against every specialty's key, slug, name and level
    kept in the shared cache (``_every_specialty``) rather than looked up in the database
    for every list; in the specialties' order, as the field's queryset gives them. Only the
    chosen ones become specialties, holding those four values (any other is read from the
    database if asked for)."""

    def _check_values(self, value):
        try:
            chosen = frozenset(value)
        except TypeError:
            raise ValidationError(
                self.error_messages["invalid_list"], code="invalid_list"
            ) from None
        every = _every_specialty()
        slugs = {values[SLUG] for values in every}
        for slug in chosen:
            self.validate_no_null_characters(slug)
            if str(slug) not in slugs:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": slug},
                )
        return [
            Specialty.from_db(self.queryset.db, SPECIALTY_VALUES, values)
            for values in every
            if values[SLUG] in chosen
        ]


class _SpecialtyFilter(filters.ModelMultipleChoiceFilter):
    field_class = _SpecialtiesField


# In the model's order of fields, as ``Model.from_db`` takes them.
SPECIALTY_VALUES = tuple(
    f.attname
    for f in Specialty._meta.concrete_fields
    if f.attname in {"id", "slug", "name", "level"}
)
SLUG = SPECIALTY_VALUES.index("slug")


def _every_specialty() -> list[tuple]:
    """Every specialty's ``SPECIALTY_VALUES``, in name order, from the shared cache until one
    changes: plain values, quicker to read on every list than the specialties themselves."""
    return remembered(
        "list:specialty-values", lambda: list(Specialty.objects.values_list(*SPECIALTY_VALUES))
    )


class ProgramFilter(filters.FilterSet):
    q = filters.CharFilter(
        label="Search",
        method="filter_search",
        max_length=200,
        help_text="Program, hospital, city or specialty.",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    specialty = _SpecialtyFilter(
        queryset=Specialty.objects.all(),
        to_field_name="slug",
        label="Specialty",
        method="filter_specialty",
        widget=forms.CheckboxSelectMultiple,
    )
    state = filters.MultipleChoiceFilter(
        # A function: each list copies its filters and fields, and a list of every state
        # would be copied with them.
        choices=_states_by_name,
        label="State",
        widget=forms.CheckboxSelectMultiple,
        # A program's own column: no join can repeat a program.
        distinct=False,
    )
    region = filters.ChoiceFilter(
        choices=Region.choices, label="Region", empty_label="Any region", method="filter_region"
    )
    level = filters.ChoiceFilter(
        choices=LevelChoice.choices, label="Level", empty_label=None, method="filter_level"
    )
    setting = filters.ChoiceFilter(
        choices=[c for c in Setting.choices if c[0] != Setting.UNKNOWN],
        label="Setting",
        empty_label="Any setting",
    )
    visa = filters.MultipleChoiceFilter(
        choices=[("j1", "Accepts J-1 (ECFMG-sponsored)"), ("h1b", "Sponsors H-1B")],
        label="Visa",
        method="filter_visa",
        widget=forms.CheckboxSelectMultiple,
    )
    img = FlagFilter(label="Known to accept IMGs", method="filter_img")
    h1b_filed = FlagFilter(
        label="Institution filed H-1B applications for residents",
        method="filter_h1b_filed",
        help_text=f"US Department of Labor data: applications filed {H1B_EVIDENCE_PERIOD}. "
        "Not every sponsoring institution appears in it.",
    )
    step2 = IntegerFilter(
        label="Your Step 2 CK score",
        method="filter_step2",
        min_value=1,
        max_value=300,
        help_text="Hides programs with a published hard minimum above it.",
    )
    yog = IntegerFilter(
        label="Year you graduated",
        method="filter_yog",
        min_value=1950,
        max_value=2100,
        help_text="Hides programs whose published limit on years since graduation excludes you.",
    )
    usce = IntegerFilter(
        label="Months of US clinical experience",
        method="filter_usce",
        min_value=0,
        max_value=120,
        help_text="Hides programs known to require more.",
    )
    fit = FlagFilter(
        label="Only programs known to fit you",
        method="filter_fit",
        help_text=lazy(_fit_help, str)(),
    )
    deadline_after = filters.DateFilter(
        label="Deadline on or after",
        method="filter_deadline_after",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Programs with no published deadline stay in the list.",
    )
    deadline_before = filters.DateFilter(
        label="Deadline on or before",
        method="filter_deadline_before",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Only programs with a published deadline.",
    )
    verified = FlagFilter(label="Checked by a curator recently", method="filter_verified")
    sort = SortFilter(
        label="Sort by",
        fields={
            "name": "name",
            "year1_positions": "positions",
            "state": "state",
            "current_deadline": "deadline",
            "last_verified_on": "verified",
        },
        choices=SORT_CHOICES,
        empty_label=None,
    )

    class Meta:
        model = Program
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        fields = self.form.fields
        fields["sort"].choices = [("", "Best match, then name"), *SORT_CHOICES]
        # "residency" stays a valid value, but the default option already reads so.
        fields["level"].widget.choices = [("", "Residencies"), *LevelChoice.choices[1:]]
        fields["verified"].label = f"Checked by a curator in the last {stale_period()}"
        for name in ABOUT_YOU:
            fields[name].widget.attrs["form"] = ABOUT_YOU_FORM
        self._offer_specialties_of_the_level()

    @classmethod
    def get_filters(cls):
        return _Filters(super().get_filters())

    def get_form_class(self):
        # Made once per class of filters: each form copies the fields it is made of.
        return _form_class(type(self))

    def _offer_specialties_of_the_level(self):
        """The specialty list offers the level being listed (residencies by default), plus
        any specialty already chosen; any specialty's slug stays valid."""
        level = self.data.get("level")
        if level not in (LevelChoice.FELLOWSHIP, LevelChoice.ALL):
            level = LevelChoice.RESIDENCY
        chosen = set(self.data.getlist("specialty")) if hasattr(self.data, "getlist") else set()
        field = self.form.fields["specialty"]
        field.widget.choices = [
            (slug, name)
            for slug, name, specialty_level in _specialties()
            if level == LevelChoice.ALL or specialty_level == level or slug in chosen
        ]

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        # Residencies unless asked otherwise; a chosen specialty already says which level.
        if not data.get("level") and not data.get("specialty"):
            queryset = queryset.residencies()
        queryset = queryset.with_application_service(self.match_year)
        # Each annotation only where the list uses it: they cost more to build and compile
        # than the rest of the query.
        if self.uses_deadline():
            queryset = queryset.with_current_deadline()
        if self.uses_fit():
            queryset = queryset.with_fit(**self.applicant())
        return super().filter_queryset(queryset)

    def uses_deadline(self) -> bool:
        """Whether the list sorts or filters by the current deadline (and so shows it)."""
        data = self.form.cleaned_data
        sort = [order.lstrip("-") for order in data.get("sort") or ()]
        return "deadline" in sort or bool(data.get("deadline_after") or data.get("deadline_before"))

    def uses_fit(self) -> bool:
        """Whether the list filters by how programs fit the reader."""
        return bool(self.applicant() or self.form.cleaned_data.get("fit"))

    def fellowships_instead(self) -> tuple[int, dict] | None:
        """When the default level (residencies) finds nothing, how many fellowships the same
        filters would find, and the query that lists them."""
        if not self.is_bound or not self.form.is_valid():
            return None
        data = self.form.cleaned_data
        if data.get("level") or data.get("specialty"):
            return None
        query = self.data.copy()
        query.pop("page", None)
        query["level"] = LevelChoice.FELLOWSHIP
        count = ProgramFilter(query, queryset=self.queryset).qs.count()
        # The link keeps the public filters; the session keeps the rest.
        return (count, public_query(query)) if count else None

    def page_reader(self) -> Callable[[int, int], list] | None:
        """How a page's rows ``bottom`` to ``top`` of ``qs`` are read quicker than by slicing
        it, where the sort allows (by deadline: ``by_deadline_rows``), or None."""
        if not self.is_valid():
            return None
        data = self.form.cleaned_data
        if data.get("sort") == ["deadline"] and not data.get("q"):
            return self.qs.by_deadline_rows
        return None

    def applicant(self) -> dict:
        """What the reader said about themselves, as ``with_fit`` arguments."""
        data = getattr(self.form, "cleaned_data", {})
        about = {
            "step2": data.get("step2"),
            "graduated": data.get("yog"),
            "usce_months": data.get("usce"),
        }
        about = {name: value for name, value in about.items() if value is not None}
        if "graduated" in about:
            about["match_year"] = self.match_year
        return about

    @property
    def match_year(self) -> int:
        if not hasattr(self, "_match_year"):
            self._match_year = Season.objects.current_match_year()
        return self._match_year

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_specialty(self, queryset, name, value):
        return queryset.filter(specialty__in=value) if value else queryset

    def filter_region(self, queryset, name, value):
        return queryset.filter(state__in=STATES_IN_REGION[value])

    def filter_level(self, queryset, name, value):
        if value == LevelChoice.ALL:
            return queryset
        return queryset.filter(specialty__level=value)

    def filter_visa(self, queryset, name, value):
        condition = Q()
        for visa in value:
            condition |= Q(**{VISA_FIELDS[visa]: Tri.YES})
        return queryset.filter(condition)

    def filter_img(self, queryset, name, value):
        return queryset.filter(accepts_imgs=Tri.YES) if value else queryset

    def filter_step2(self, queryset, name, value):
        return queryset.exclude(fit_step2=Outcome.NOT_MET)

    def filter_yog(self, queryset, name, value):
        return queryset.exclude(fit_graduation=Outcome.NOT_MET)

    def filter_usce(self, queryset, name, value):
        return queryset.exclude(fit_usce=Outcome.NOT_MET)

    def filter_fit(self, queryset, name, value):
        return queryset.filter(fit_failed=0, fit_failed_old=0, fit_unknown=0) if value else queryset

    def filter_deadline_after(self, queryset, name, value):
        return queryset.filter(Q(current_deadline__gte=value) | Q(current_deadline__isnull=True))

    def filter_deadline_before(self, queryset, name, value):
        return queryset.filter(current_deadline__lte=value)

    def filter_h1b_filed(self, queryset, name, value):
        return queryset.with_h1b_filings() if value else queryset

    def filter_verified(self, queryset, name, value):
        return queryset.recently_verified() if value else queryset

    def active_values(self) -> dict:
        """The valid filters a reader has set, without the defaults and the sort order."""
        if not self.is_bound:
            return {}
        self.errors  # noqa: B018 -- validate first; invalid values are then left out.
        data = getattr(self.form, "cleaned_data", {})
        return {name: value for name, value in data.items() if name != "sort" and _is_set(value)}


@functools.cache
def _form_class(filterset_class: type[filters.FilterSet]) -> type[forms.Form]:
    """The form of a class of filters, its fields made from copies of the class's filters:
    django-filter would make them anew for every list, and each form copies them again."""
    fields = {name: f.field for name, f in copy.deepcopy(filterset_class.base_filters).items()}
    return type(f"{filterset_class.__name__}Form", (filterset_class._meta.form,), fields)


def _specialties() -> list[tuple[str, str, str]]:
    """Every specialty's slug, name and level, in name order, from the shared cache until
    one changes: plain values, far quicker to read on every list than the specialties."""
    return remembered(
        "list:specialties", lambda: list(Specialty.objects.values_list("slug", "name", "level"))
    )


def _is_set(value) -> bool:
    if isinstance(value, list | tuple | QuerySet):
        return len(value) > 0
    return value not in (None, False, "")
