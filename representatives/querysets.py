from django.db import models


class RepresentativeQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status="approved")

    def of(self, user):
        """The user's requests and representations, with their programs."""
        return self.filter(user=user).select_related("program", "program__specialty")

    def approved_for(self, user, acgme_id: str):
        """The user's approved representation of the program with this ACGME ID (or none)."""
        return self.approved().of(user).filter(program__acgme_id=acgme_id)


class ProposalQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status="pending")

    def of_program(self, program):
        """Every proposal for the program, by any of its representatives, newest first."""
        return self.filter(representative__program=program).for_review()

    def for_review(self):
        return self.select_related(
            "representative", "representative__program", "season", "decided_by"
        )


class ConfirmationQuerySet(models.QuerySet):
    def by_group(self, program, season) -> dict:
        """The program's latest confirmation of each fact group this season, by group."""
        if season is None:
            return {}
        rows = self.filter(representative__program=program, season=season)
        return {c.group: c for c in rows.select_related("representative").order_by("confirmed_at")}
