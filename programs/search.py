"""Finding programs by what readers type: a name, a place, a specialty in their own words,
an ACGME ID or an NRMP code, misspelt or not. ``Program.objects.search(q)`` calls it."""

import difflib
import re

from django.core.cache import cache
from django.db import connections, models
from django.db.models import Count, F, Q
from django.db.models.functions import Lower


def search_programs(programs, q: str):
    """Programs matching ``q`` over name, sponsor, city and specialty, best match first.

    A bare ACGME ID or NRMP code finds its program; the words readers use for a
    specialty ("cardiology", "obgyn") are also read as its ACGME name.

    PostgreSQL ranks full-text matches and adds trigram similarity, so a misspelt
    "Massachusets General" still finds Massachusetts General Hospital. Other databases
    fall back to every word (or, when misspelt, one of its closest spellings among the
    directory's names) appearing somewhere in those fields, ordered by name.
    """
    q = " ".join(q.split())[:200]
    if not q:
        return programs
    if ACGME_ID.fullmatch(q):
        return programs.filter(acgme_id=q)
    if NRMP_CODE.fullmatch(q):
        return programs.filter(nrmp_tracks__code__iexact=q)
    # Each way of reading the query: as typed, and with specialty words as their names.
    readings = list(dict.fromkeys([q, with_specialty_names(q)]))
    if connections[programs.db].vendor == "postgresql":
        return _search_postgres(programs, readings)
    vocabulary = _vocabulary(programs.model)
    condition = Q()
    for reading in readings:
        condition |= _every_word(reading, vocabulary)
    return programs.filter(condition)


def _every_word(q: str, vocabulary: frozenset[str]) -> Q:
    condition = Q()
    for word in q.split():
        spellings = Q()
        for spelling in _spellings(word, vocabulary):
            spellings |= (
                Q(name__icontains=spelling)
                | Q(sponsor__name__icontains=spelling)
                | Q(city__icontains=spelling)
                | Q(specialty__name__icontains=spelling)
            )
        condition &= spellings
    return condition


def _vocabulary(model) -> frozenset[str]:
    """The words of every program's name, city, sponsor and specialty, for correcting
    misspelt search words where the database has no trigram matching. Cached until any
    program changes."""
    programs = model.objects
    version = programs.aggregate(n=Count("pk"), at=models.Max("updated_at"))
    stamp = version["at"].timestamp() if version["at"] else 0
    key = f"search-vocabulary:{version['n']}:{stamp}"
    if (words := cache.get(key)) is None:
        rows = programs.values_list("name", "city", "sponsor__name", "specialty__name")
        names = {name for row in rows for name in row}
        words = frozenset(
            word for name in names for word in _WORD.findall(name.lower()) if len(word) > 3
        )
        cache.set(key, words, timeout=24 * 60 * 60)
    return words


def _search_postgres(programs, readings: list[str]):
    """Served by the stored search document's and names' GIN indexes (migration 0010):
    a program matches every word of a reading, or a name's spelling is close to ``q``
    (pg_trgm's strict word similarity at its threshold, ``SIMILARITY_THRESHOLD``)."""
    from django.contrib.postgres.search import (
        SearchQuery,
        SearchRank,
        TrigramSimilarity,
        TrigramStrictWordSimilarity,
    )

    q = readings[0]
    # websearch syntax: every word of one reading, or every word of another.
    query = SearchQuery(" or ".join(readings), search_type="websearch", config="english")
    return (
        programs.filter(Q(search_document=query) | Q(search_names__trigram_strict_word_similar=q))
        .annotate(
            search_rank=SearchRank(F("search_document"), query, cover_density=True),
            similarity=TrigramStrictWordSimilarity(q, "search_names"),
        )
        .alias(
            matches_every_word=models.ExpressionWrapper(
                Q(search_document=query), output_field=models.BooleanField()
            )
        )
        .order_by(
            # Programs matching every word first, then by rank and closeness of spelling.
            F("matches_every_word").desc(),
            (F("search_rank") + F("similarity")).desc(),
            # Among equals, the name closest to the whole query ("X Program" before "Y/X").
            TrigramSimilarity("name", q).desc(),
            Lower("name"),
            "acgme_id",
        )
    )


ACGME_ID = re.compile(r"[0-9]{10}")
NRMP_CODE = re.compile(r"[0-9]{7}[A-Za-z][0-9]{1,3}")

# What readers type for a specialty, and the words of its ACGME name to search instead.
SPECIALTY_WORDS = {
    "cardiology": "cardiovascular disease",
    "obgyn": "obstetrics gynecology",
    "ob/gyn": "obstetrics gynecology",
    "ob-gyn": "obstetrics gynecology",
    "ob gyn": "obstetrics gynecology",
    "peds": "pediatrics",
    "med peds": "internal medicine pediatrics",
    "med-peds": "internal medicine pediatrics",
    "psych": "psychiatry",
    "ent": "otolaryngology",
    "ortho": "orthopaedic",
    "orthopedic": "orthopaedic",
    "orthopedics": "orthopaedic",
    "neurosurgery": "neurological surgery",
    "gi": "gastroenterology",
    "pm&r": "physical medicine rehabilitation",
    "pmr": "physical medicine rehabilitation",
    "physiatry": "physical medicine rehabilitation",
    "derm": "dermatology",
    "rads": "radiology",
    "anesthesia": "anesthesiology",
    "im": "internal medicine",
    "em": "emergency medicine",
    "fm": "family medicine",
    "general surgery": "surgery",
    "gen surg": "surgery",
    "heme onc": "hematology oncology",
    "hem onc": "hematology oncology",
    "ty": "transitional year",
    "ophtho": "ophthalmology",
    "uro": "urology",
    "plastics": "plastic surgery",
    "ir": "interventional radiology",
    "mgh": "massachusetts general hospital",
    "bwh": "brigham and women's",
}
_SPECIALTY_WORD = re.compile(
    r"(?<![\w/&-])("
    + "|".join(re.escape(k) for k in sorted(SPECIALTY_WORDS, key=len, reverse=True))
    + r")(?![\w/&-])",
    re.IGNORECASE,
)


def with_specialty_names(q: str) -> str:
    """The query with readers' words for specialties replaced by their ACGME names."""
    return _SPECIALTY_WORD.sub(lambda m: SPECIALTY_WORDS[m.group(1).lower()], q)


# Strict word similarity at which a misspelt query still counts as a match: names with a
# letter or two wrong score 0.6-0.9, while unrelated words that merely share a few letters
# ("Houston" and "Easton") stay below it.
SIMILARITY_THRESHOLD = 0.5

_WORD = re.compile(r"[a-z]+")


def _spellings(word: str, vocabulary: frozenset[str]) -> list[str]:
    """The word itself, plus its closest spellings in the vocabulary when it is not one of
    its words (so "Massachusets" also looks for "massachusetts", and "jon" for "johns")."""
    lowered = word.lower()
    if len(lowered) < 3 or not lowered.isalpha() or lowered in vocabulary:
        return [word]
    cutoff = 0.8 if len(lowered) >= 5 else 0.75
    return [word, *difflib.get_close_matches(lowered, vocabulary, n=3, cutoff=cutoff)]
