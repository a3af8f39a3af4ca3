import django_filters as filters

from applicants.choices import Status
from applicants.models import ShortlistEntry
from programs.choices import Verdict
from programs.filters import ABOUT_YOU, SORT_CHOICES, ProgramFilter
from programs.models import Specialty


class MatchFilter(ProgramFilter):
    """The program list's filters, search and sort over an applicant's matches: the profile
    takes the place of the "About you" fields, and the verdict can be chosen."""

    verdict = filters.ChoiceFilter(
        choices=Verdict.choices, label="Verdict", empty_label="Any verdict", method="filter_verdict"
    )

    def __init__(self, data=None, *args, fit_arguments: dict, **kwargs):
        self.fit_arguments = fit_arguments
        super().__init__(data, *args, **kwargs)
        for name in ABOUT_YOU:
            del self.filters[name]
            del self.form.fields[name]
        self.form.fields["sort"].choices = [("", "Eligible first, then name"), *SORT_CHOICES]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        # A search keeps its own best-match order; otherwise the best verdicts come first.
        if not data.get("sort") and not data.get("q"):
            queryset = queryset.best_verdict_first()
        return queryset

    def applicant(self) -> dict:
        return self.fit_arguments

    def uses_fit(self) -> bool:
        return True  # every match has a verdict

    def filter_verdict(self, queryset, name, value):
        return queryset.filter(fit_verdict=value)

    def fellowships_instead(self):
        return None  # matches are the profile's own specialties


# Every status but withdrawn: the programs one is still applying to.
ACTIVE = "active"


class ShortlistFilter(filters.FilterSet):
    """The shortlist's filters and sort; the queryset must be annotated ``with_verdict``."""

    status = filters.ChoiceFilter(
        choices=[(ACTIVE, "Any but withdrawn"), *Status.choices],
        label="Status",
        empty_label="Any status",
        method="filter_status",
    )
    specialty = filters.ModelChoiceFilter(
        field_name="program__specialty",
        to_field_name="slug",
        queryset=Specialty.objects.none(),
        label="Specialty",
        empty_label="Any specialty",
    )
    verdict = filters.ChoiceFilter(
        choices=Verdict.choices,
        label="Your verdict",
        empty_label="Any verdict",
        method="filter_verdict",
    )
    sort = filters.OrderingFilter(
        fields=(
            ("added_at", "added"),
            ("program__name", "name"),
            ("status_order", "status"),
            ("verdict_order", "verdict"),
        ),
        choices=[
            ("added", "Oldest saved first"),
            ("-added", "Newest saved first"),
            ("name", "Program name"),
            ("status", "Status, from considering to ranked"),
            ("verdict", "Verdict, eligible first"),
        ],
        label="Sort by",
        empty_label=None,
    )

    class Meta:
        model = ShortlistEntry
        fields = ["status", "specialty", "verdict"]

    def __init__(self, *args, specialties, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["specialty"].queryset = specialties

    def filter_verdict(self, queryset, name, value):
        return queryset.filter(verdict=value)

    def filter_status(self, queryset, name, value):
        if value == ACTIVE:
            return queryset.counted_for_costs()
        return queryset.filter(status=value)
