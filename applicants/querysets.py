"""Reads about one person's plans: their shortlist, with each program's verdict for their
profile computed in the database."""

from django.db import models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Cast

from applicants.choices import Status
from programs.choices import Verdict
from programs.models import Program


def _in_order(name: str, values: list) -> models.Case:
    return models.Case(
        *(models.When(**{name: value}, then=index) for index, value in enumerate(values)),
        default=len(values),
        output_field=models.IntegerField(),
    )


class ProfileQuerySet(models.QuerySet):
    def with_specialty_ids(self):
        """Annotate ``specialty_ids``: the chosen specialties' ids, comma separated, read
        with the profile in one query."""
        ids = models.StringAgg(
            Cast("specialties__id", output_field=models.CharField()),
            delimiter=models.Value(","),
            default=models.Value(""),
        )
        return self.annotate(specialty_ids=ids)


class ShortlistEntryQuerySet(models.QuerySet):
    def of(self, user):
        """The user's entries with the program facts their pages show."""
        return self.filter(user=user).select_related("program__specialty", "program__sponsor")

    def saved_acgme_ids(self, user) -> tuple[str, ...]:
        """The ACGME IDs on the user's shortlist, latest saved first, in one query."""
        entries = self.filter(user=user).order_by("-added_at", "-pk")
        return tuple(entries.values_list("program__acgme_id", flat=True))

    def with_verdict(self, fit_arguments: dict | None):
        """Annotate ``verdict``: the program's verdict for the profile ``fit_arguments``
        describe (``applicants.matching.fit_arguments``), or None without a profile."""
        if fit_arguments is None:
            none = models.Value(None, output_field=models.CharField())
            return self.annotate(verdict=none, verdict_order=models.Value(0))
        verdict = (
            Program.objects.filter(pk=OuterRef("program"))
            .with_fit(**fit_arguments)
            .values("fit_verdict")[:1]
        )
        return self.annotate(verdict=Subquery(verdict)).annotate(
            verdict_order=_in_order("verdict", list(Verdict))
        )

    def with_status_order(self):
        """Annotate ``status_order``: the status's place in an application's course."""
        return self.annotate(status_order=_in_order("status", list(Status)))

    def with_service(self, match_year: int):
        """Annotate ``service``: the application service of the program's specialty for
        that Match (None where no source says)."""
        service = (
            Program.objects.filter(pk=OuterRef("program"))
            .with_application_service(match_year)
            .values("application_service")[:1]
        )
        return self.annotate(service=Subquery(service))

    def with_match(self, match_year: int):
        """Annotate ``match_kind``: the match of the program's specialty for that Match
        (None where no source says)."""
        match = (
            Program.objects.filter(pk=OuterRef("program"))
            .with_match(match_year)
            .values("match_kind")[:1]
        )
        return self.annotate(match_kind=Subquery(match))

    def counted_for_costs(self):
        """Entries an applicant still pays for or has paid for: all but the withdrawn."""
        return self.exclude(status=Status.WITHDRAWN)
