import django_filters as filters

from programs.choices import Verdict
from programs.filters import ProgramFilter

# What the profile says instead of the list's "About you" fields.
ABOUT_YOU = ("step2", "yog", "usce", "fit")


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

    def applicant(self) -> dict:
        return self.fit_arguments

    def filter_verdict(self, queryset, name, value):
        return queryset.filter(fit_verdict=value)

    def fellowships_instead(self):
        return None  # matches are the profile's own specialties
