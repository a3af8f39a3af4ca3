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

    def with_current_deadline(self):
        """Annotate ``current_deadline``: the application deadline the program published for
        the current season, or None when it has published none."""
        from programs.models import ProgramSeasonDates

        deadline = ProgramSeasonDates.objects.filter(
            program=models.OuterRef("pk"), season__is_current=True
        )
        deadline = deadline.order_by().values("application_deadline")[:1]
        return self.annotate(current_deadline=models.Subquery(deadline))

    def search(self, q: str):
        """Programs matching ``q`` over name, sponsor, city and specialty, best match first.

        PostgreSQL ranks full-text matches and adds trigram similarity, so a misspelt
        "Massachusets General" still finds Massachusetts General Hospital. Other databases
        fall back to every word appearing somewhere in those fields, ordered by name.
        """
        q = " ".join(q.split())[:200]
        if not q:
            return self
        if self.db_connection_vendor() == "postgresql":
            return self._search_postgres(q)
        condition = models.Q()
        for word in q.split():
            condition &= (
                models.Q(name__icontains=word)
                | models.Q(sponsor__name__icontains=word)
                | models.Q(city__icontains=word)
                | models.Q(specialty__name__icontains=word)
            )
        return self.filter(condition)

    def _search_postgres(self, q: str):
        from django.contrib.postgres.search import (
            SearchQuery,
            SearchRank,
            SearchVector,
            TrigramSimilarity,
            TrigramStrictWordSimilarity,
        )
        from django.db.models.functions import Greatest

        vector = (
            SearchVector("name", weight="A", config="english")
            + SearchVector("sponsor__name", weight="B", config="english")
            + SearchVector("specialty__name", weight="B", config="english")
            + SearchVector("city", weight="C", config="english")
        )
        query = SearchQuery(q, search_type="websearch", config="english")
        similarity = Greatest(
            TrigramStrictWordSimilarity(q, "name"), TrigramStrictWordSimilarity(q, "sponsor__name")
        )
        return (
            self.annotate(
                document=vector,
                search_rank=SearchRank(vector, query, cover_density=True),
                similarity=similarity,
            )
            .alias(
                matches_every_word=models.ExpressionWrapper(
                    models.Q(document=query), output_field=models.BooleanField()
                )
            )
            .filter(
                models.Q(matches_every_word=True) | models.Q(similarity__gte=SIMILARITY_THRESHOLD)
            )
            .order_by(
                # Programs matching every word first, then by rank and closeness of spelling.
                models.F("matches_every_word").desc(),
                (models.F("search_rank") + models.F("similarity")).desc(),
                # Among equals, the name closest to the whole query ("X Program" before "Y/X").
                TrigramSimilarity("name", q).desc(),
                "name",
                "acgme_id",
            )
        )

    def db_connection_vendor(self) -> str:
        from django.db import connections

        return connections[self.db].vendor


# Strict word similarity at which a misspelt query still counts as a match: names with a
# letter or two wrong score 0.6-0.9, while unrelated words that merely share a few letters
# ("Houston" and "Easton") stay below it.
SIMILARITY_THRESHOLD = 0.5
