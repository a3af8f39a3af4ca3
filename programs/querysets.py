"""Read logic for programs: every list on the site starts from one of these."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone


class ProgramQuerySet(models.QuerySet):
    def open_to_applicants(self):
        """Programs an applicant can still apply to: withdrawn ones are kept but hidden."""
        return self.filter(is_withdrawn=False)

    def residencies(self):
        return self.filter(specialty__level="residency")

    def fellowships(self):
        return self.filter(specialty__level="fellowship")

    def for_listing(self):
        """Everything a list row shows, in a fixed number of queries."""
        return self.select_related("specialty", "sponsor")

    def stale(self, today: datetime.date | None = None):
        """Programs not verified within STALE_AFTER_DAYS (or never verified)."""
        cutoff = (today or timezone.localdate()) - datetime.timedelta(
            days=settings.STALE_AFTER_DAYS
        )
        return self.filter(
            models.Q(last_verified_on__isnull=True) | models.Q(last_verified_on__lt=cutoff)
        )

    def recently_verified(self, today: datetime.date | None = None):
        return self.exclude(pk__in=self.stale(today).values("pk"))
