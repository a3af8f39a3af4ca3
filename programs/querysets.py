"""Read logic for programs: every list on the site starts from one of these."""

import datetime
import difflib
import re

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
        fall back to every word (or, when misspelt, one of its closest spellings among the
        directory's names) appearing somewhere in those fields, ordered by name.
        """
        q = " ".join(q.split())[:200]
        if not q:
            return self
        if self.db_connection_vendor() == "postgresql":
            return self._search_postgres(q)
        condition = models.Q()
        vocabulary = self._vocabulary()
        for word in q.split():
            spellings = models.Q()
            for spelling in _spellings(word, vocabulary):
                spellings |= (
                    models.Q(name__icontains=spelling)
                    | models.Q(sponsor__name__icontains=spelling)
                    | models.Q(city__icontains=spelling)
                    | models.Q(specialty__name__icontains=spelling)
                )
            condition &= spellings
        return self.filter(condition)

    def _vocabulary(self) -> frozenset[str]:
        """The words of every program's name, city, sponsor and specialty, for correcting
        misspelt search words where the database has no trigram matching. Cached until any
        program changes."""
        from django.core.cache import cache

        from programs.models import Program

        version = Program.objects.aggregate(n=models.Count("pk"), at=models.Max("updated_at"))
        stamp = version["at"].timestamp() if version["at"] else 0
        key = f"search-vocabulary:{version['n']}:{stamp}"
        if (words := cache.get(key)) is None:
            rows = Program.objects.values_list("name", "city", "sponsor__name", "specialty__name")
            names = {name for row in rows for name in row}
            words = frozenset(
                word for name in names for word in _WORD.findall(name.lower()) if len(word) > 3
            )
            cache.set(key, words, timeout=24 * 60 * 60)
        return words

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

_WORD = re.compile(r"[a-z]+")


def _spellings(word: str, vocabulary: frozenset[str]) -> list[str]:
    """The word itself, plus its closest spellings in the vocabulary when it appears in none
    of its words (so "Massachusets" also looks for "massachusetts")."""
    lowered = word.lower()
    if len(lowered) < 5 or not lowered.isalpha() or any(lowered in known for known in vocabulary):
        return [word]
    return [word, *difflib.get_close_matches(lowered, vocabulary, n=3, cutoff=0.8)]
