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

    def for_review(self):
        return self.select_related(
            "representative", "representative__program", "season", "decided_by"
        )
