"""Finding programs by what readers type: a name, a place, a specialty in their own words,
an ACGME ID or an NRMP code, misspelt or not. ``Program.objects.search(q)`` calls it.

A place is a city or a state. A city needs nothing of its own: it is one of the fields
every word is looked for in. A program stores only its state's code, so the query is also
read with each state it names taken as a place (``places_in``): the state's name ("texas",
"new york", "district of columbia"; misspelt by two letters swapped, "texsa", "new yrok", or
in a long one by a letter or two, "pensylvania"; the list says how it read them) or its
postal code as a word of its own ("MA", "Boston, MA", "D.C."). A code in capitals always
counts; in lowercase it counts unless readers mean a common word by it (``NOT_A_STATE``:
"in", "or", "me"…). A program matches when it has every word as typed, or is in the state
and has every other word, so a name with a state in it ("Massachusetts General", a
"Washington University" in Missouri) is still found by its name.

On PostgreSQL those matches come before the ones found by spelling alone; among them, a
program whose name has the state's words beside the word typed next to them comes first
(the reader named it: "Washington University internal medicine"), then the programs in the
state, then by rank.
"""

import difflib
import logging
import operator
import re
from dataclasses import dataclass
from functools import reduce

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, transaction
from django.db.models import F, Q
from django.db.models.functions import Lower

from programs.shared import generation, remembered
from programs.states import State

logger = logging.getLogger(__name__)


def search_programs(programs, q: str):
    """Programs matching ``q`` over name, sponsor, city, specialty and state, best match
    first.

    A bare ACGME ID or NRMP code finds its program; the words readers use for a
    specialty ("cardiology", "obgyn") are also read as its ACGME name, and a state's name
    or code as the state (the module's docstring says when).

    PostgreSQL ranks full-text matches and adds trigram similarity, so a misspelt
    "Massachusets General" still finds Massachusetts General Hospital. Other databases
    fall back to every word (or, when misspelt, one of its closest spellings among the
    directory's names) appearing somewhere in those fields, those at the closest spelling
    first, then by name.
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
    places = list(dict.fromkeys(place for reading in readings for place in places_in(reading)))
    if connections[programs.db].vendor == "postgresql":
        return _search_postgres(programs, readings, places)
    vocabulary = _vocabulary(programs.model)
    condition, closest = Q(), Q()
    for reading in readings:
        condition |= _every_word(reading, vocabulary)
        closest |= _every_word(reading, vocabulary, spellings=1)
    for place in places:
        condition |= Q(state=place.state) & _every_word(place.rest, vocabulary)
        closest |= Q(state=place.state) & _every_word(place.rest, vocabulary, spellings=1)
    # The programs with every word as typed or at its closest spelling first ("rochestr":
    # Rochester's before Chester's), then by name.
    return programs.filter(condition).order_by(_true(closest).desc(), Lower("name"), "acgme_id")


def _every_word(q: str, vocabulary: frozenset[str], *, spellings: int = 3) -> Q:
    """Every word of ``q``, as typed or at one of its ``spellings`` closest spellings, in a
    program's name, sponsor, city or specialty."""
    condition = Q()
    for word in q.split():
        either = Q()
        for spelling in _spellings(word, vocabulary, spellings):
            either |= (
                Q(name__icontains=spelling)
                | Q(sponsor__name__icontains=spelling)
                | Q(city__icontains=spelling)
                | Q(specialty__name__icontains=spelling)
            )
        condition &= either
    return condition


def _vocabulary(model) -> frozenset[str]:
    """The words of every program's name, city, sponsor and specialty, for correcting
    misspelt search words: built once per generation of the directory, kept in the shared
    cache and by each process."""
    kept_for = generation()
    if _vocabulary_kept.get("generation") != kept_for:

        def words_of_names():
            rows = model.objects.values_list("name", "city", "sponsor__name", "specialty__name")
            names = {name for row in rows for name in row}
            return frozenset(
                word for name in names for word in _WORD.findall(name.lower()) if len(word) > 3
            )

        _vocabulary_kept.clear()
        _vocabulary_kept.update(
            generation=kept_for, words=remembered("search:vocabulary", words_of_names)
        )
    return _vocabulary_kept["words"]


_vocabulary_kept: dict = {}


def _search_postgres(programs, readings: list[str], places: list["Place"]):
    """Served by the stored search document's and names' GIN indexes (migration 0010) and
    the state's index: a program matches every word of a reading, or is in a place the
    query names and matches every other word, or a name's spelling is close to ``q``
    (pg_trgm's strict word similarity at its threshold, ``SIMILARITY_THRESHOLD``)."""
    from django.contrib.postgres.search import (
        SearchQuery,
        SearchRank,
        TrigramSimilarity,
        TrigramStrictWordSimilarity,
    )

    def every_word(words: list[str]) -> SearchQuery:
        # websearch syntax: every word of one reading, or every word of another.
        return SearchQuery(" or ".join(words), search_type="websearch", config="english")

    q = readings[0]
    respelt, spelling = _respelt(programs, [*readings, *(place.rest for place in places)])
    query = every_word([alike for reading in readings for alike in respelt[reading]])
    matches = Q(search_document=query)
    ranked_by = query
    for state, rests in _by_state(places).items():
        in_state = Q(state=state)
        if "" not in rests:
            rest = every_word([alike for r in rests for alike in respelt[r]])
            in_state &= Q(search_document=rest)
            ranked_by |= rest
        matches |= in_state
    # Among the programs matching every word (or a place and every other word), one whose
    # name has a place's words beside the words typed next to them comes first: the reader
    # named it ("Washington University"). Then the programs in a place named, which
    # "pediatrics IN" needs: "in" is not searched for, so every pediatrics program matches.
    named = [
        Q(search_document=SearchQuery(phrase, search_type="phrase", config="english"))
        for place in places
        for phrase in place.phrases
    ]
    first = [_true(matches)]
    # A misspelt word's closest spelling first ("rochestr": Rochester's before Chester's).
    if closest := [respelt[r][0] for r in readings if respelt[r] != [r]]:
        first.append(_true(Q(search_document=every_word(closest))))
    if named:
        first.append(_true(reduce(operator.or_, named)))
    if places:
        first.append(_true(Q(state__in=sorted({place.state for place in places}))))
    if spelling:
        found = matches | Q(search_names__trigram_strict_word_similar=q)
        similarity = TrigramStrictWordSimilarity(q, "search_names")
    else:
        found, similarity = matches, models.Value(0.0)
    return (
        programs.filter(found)
        .annotate(
            search_rank=SearchRank(F("search_document"), ranked_by, cover_density=True),
            similarity=similarity,
        )
        .order_by(
            *(condition.desc() for condition in first),
            # Then by rank and closeness of spelling.
            (F("search_rank") + F("similarity")).desc(),
            # Among equals, the name closest to the whole query ("X Program" before "Y/X").
            TrigramSimilarity("name", q).desc(),
            Lower("name"),
            "acgme_id",
        )
    )


# At most this many spellings of a query are searched for when some of its words are
# misspelt.
MAX_RESPELLINGS = 8


def _respelt(programs, wordings: list[str]) -> tuple[dict[str, list[str]], bool]:
    """Each wording of the query as the directory spells it, and whether names must still be
    compared by spelling.

    A wording whose words some program's search document holds is itself. One with a word
    of letters no document holds (misspelt, likely) is read with that word at each of its
    closest spellings among the directory's names ("massachusets" as "massachusetts"), so
    the full-text index finds it. Names are compared by spelling (pg_trgm) only when no
    wording can be read so: that checks every name sharing a few letters with the query,
    which is every program when the query has a common word ("medical center": 1.4 s at
    100,000 programs).

    A word of the directory's names (``_vocabulary``: the words of the fields the document
    is made of) is known without asking the index, which for a common word reads every
    program holding it (9 ms for "sponsor" at 100,000 programs) to learn that one does.
    Which other words are unknown is remembered per generation."""
    words = sorted({word for wording in wordings for word in _search_words(wording)})
    vocabulary = _vocabulary(programs.model)
    unknown = set()
    if looked_up := [word for word in words if word not in vocabulary]:
        unknown = set(
            remembered(
                "search:unknown-words",
                lambda: _unknown_words(programs.model, programs.db, looked_up),
                parts=looked_up,
            )
        )
    respelt, readable = {}, False
    for wording in wordings:
        alike = [wording]
        for word in unknown & set(_search_words(wording)):
            if not word.isalpha():
                continue  # a number no program has: nothing to correct
            spellings = _spellings(word, vocabulary, 2)[1:]
            if not spellings:
                alike = []
                break
            alike = [
                _replace_word(text, word, spelling) for text in alike for spelling in spellings
            ][:MAX_RESPELLINGS]
        respelt[wording] = alike or [wording]
        readable |= bool(alike)
    return respelt, not readable


def _search_words(text: str) -> list[str]:
    return [word.strip(_PUNCTUATION).lower() for word in text.split() if word.strip(_PUNCTUATION)]


def _replace_word(text: str, word: str, spelling: str) -> str:
    return " ".join(
        spelling if typed.strip(_PUNCTUATION).lower() == word else typed for typed in text.split()
    )


def _unknown_words(model, using: str, words: list[str]) -> list[str]:
    """The words no program's search document holds (a stop word, which the search leaves
    out, is known), each looked up in the document's index."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT word FROM unnest(%s::text[]) AS word"
            " WHERE numnode(plainto_tsquery('english', word)) > 0 AND NOT EXISTS ("
            f"  SELECT 1 FROM {model._meta.db_table}"
            "   WHERE search_document @@ plainto_tsquery('english', word))",
            [words],
        )
        return [word for (word,) in cursor.fetchall()]


def _true(condition: Q) -> models.ExpressionWrapper:
    return models.ExpressionWrapper(condition, output_field=models.BooleanField())


def _by_state(places: list["Place"]) -> dict[str, list[str]]:
    """Each state named, with what the query says besides it in each reading."""
    rests: dict[str, list[str]] = {}
    for place in places:
        rests.setdefault(place.state, [])
        if place.rest not in rests[place.state]:
            rests[place.state].append(place.rest)
    return rests


# --- Places -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """A state a query names, and what else the query says."""

    state: str
    # The query without the state's words.
    rest: str
    # The state's words with the word typed before them, and with the one after: a name
    # when a program's name has them together ("Washington University").
    phrases: tuple[str, ...]
    # The words as typed when they misspell the state's name ("texsa"), else "".
    misspelt: str = ""


# Lowercase two-letter words that are not read as a state's code, because readers mean
# something else by them: common English words ("in", "or", "me", "hi", "oh", "ok", "as",
# "id"), particles of Spanish, French and Arabic names ("de", "la", "al": "Hospital de la
# Concepción", "La Crosse"), and the abbreviations of this field ("md", and "va", which
# readers of a residency directory mostly mean as Veterans Affairs). "pa" is read as
# Pennsylvania: physician assistant programs are not in the directory. Typed in capitals,
# every code is a state ("IN", "OR", "VA"); the words also still count as typed, so
# "VA Boston" finds the VA Boston programs either way.
NOT_A_STATE = frozenset(
    {"in", "or", "me", "hi", "oh", "ok", "as", "id", "de", "la", "al", "md", "va"}
)

# At most this many places are tried per reading of a query.
MAX_PLACES = 3


def _words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"[a-z]+", text.lower()))


STATE_NAMES = {_words(state.label): state.value for state in State}
STATE_NAMES[("virgin", "islands")] = State.VI.value
_LONGEST_NAME = max(len(words) for words in STATE_NAMES)
# One-word state names, for recognizing them misspelt.
_ONE_WORD_NAMES = {words[0]: code for words, code in STATE_NAMES.items() if len(words) == 1}
_PUNCTUATION = ",;:!?()[]\"'"
# Words between a place and a name ("University of Washington") or the rest of a query
# ("pediatrics in Texas"); stop words PostgreSQL's search leaves out anyway.
_LINKING_WORDS = frozenset({"of", "in", "at", "the", "and", "for"})
_CODE = re.compile(r"([A-Za-z]{2})\.?|([A-Za-z])\.([A-Za-z])\.?")


def places_in(reading: str) -> list[Place]:
    """The states ``reading`` names, each with the rest of the reading."""
    typed = reading.split()
    words = [word.strip(_PUNCTUATION) for word in typed]
    lowered = [word.lower().rstrip(".") for word in words]
    places = []
    i = 0
    while i < len(typed) and len(places) < MAX_PLACES:
        found = _state_at(words, lowered, i)
        if found is None:
            i += 1
            continue
        state, length, spelled = found
        typed_words = " ".join(words[i : i + length])
        misspelt = typed_words if spelled != typed_words else ""
        # "pediatrics in Texas": the rest is "pediatrics"; "in texas" is the place alone.
        others = words[:i] + words[i + length :]
        rest = " ".join(w for w in others if w and w.lower() not in _LINKING_WORDS)
        before = _neighbour(words[:i][::-1])[::-1]
        after = _neighbour(words[i + length :])
        phrases = [" ".join(p) for p in ([*before, spelled], [spelled, *after]) if len(p) > 1]
        places.append(Place(state, rest, tuple(phrases), misspelt))
        i += length
    return places


def _neighbour(words: list[str]) -> list[str]:
    """The first word of ``words`` that could be part of a name with a place's, and the
    linking words up to it ("University of" before "Washington"); [] when there is none."""
    for n, word in enumerate(words):
        if word.lower() not in _LINKING_WORDS:
            return words[: n + 1]
    return []


def _state_at(words: list[str], lowered: list[str], i: int) -> tuple[str, int, str] | None:
    """The state whose name or code starts at word ``i``, how many words it takes and how
    it is spelt; None when there is none."""
    for length in range(min(_LONGEST_NAME, len(words) - i), 0, -1):
        typed = tuple(lowered[i : i + length])
        if (state := STATE_NAMES.get(typed)) is not None:
            return state, length, " ".join(words[i : i + length])
        if length > 1 and (name := _misspelt_name(typed)):
            return STATE_NAMES[name], length, " ".join(name)
    word = words[i]
    if match := _CODE.fullmatch(word):
        code = (match[1] or match[2] + match[3]).upper()
        # Capitals, or dots ("D.C."), say a code was meant.
        meant = match[1] is None or word.isupper() or lowered[i] not in NOT_A_STATE
        if code in State.values and meant:
            return code, 1, word
    # A long state name a letter or two off ("Pensylvania", "Massachusets"); shorter words
    # and looser matches would take places' names for states ("Fontana" for Montana).
    if (name := _misspelt_word(lowered[i], _ONE_WORD_NAMES, cutoff=0.9)) is not None:
        return _ONE_WORD_NAMES[name], 1, name
    return None


def _misspelt_word(word: str, names, *, cutoff: float) -> str | None:
    """The name ``word`` misspells: two neighbouring letters swapped ("Texsa", "Yrok"), or,
    in a long word, a letter or two off at ``cutoff``."""
    if len(word) < 4 or not word.isalpha():
        return None
    for n in range(len(word) - 1):
        swapped = word[:n] + word[n + 1] + word[n] + word[n + 2 :]
        if swapped != word and swapped in names:
            return swapped
    if len(word) >= 7:
        close = difflib.get_close_matches(word, names, n=1, cutoff=cutoff)
        if close:
            return close[0]
    return None


def _misspelt_name(typed: tuple[str, ...]) -> tuple[str, ...] | None:
    """The state name of several words that ``typed`` spells with one word misspelt and the
    others right ("new yrok", "north carolna")."""
    for name in STATE_NAMES:
        if len(name) != len(typed):
            continue
        wrong = [n for n, word in enumerate(typed) if word != name[n]]
        if len(wrong) == 1 and _misspelt_word(typed[wrong[0]], {name[wrong[0]]}, cutoff=0.8):
            return name
    return None


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


# What checking a name's spelling against a query with pg_trgm's strict word similarity
# (``%>>``, ``<<%``) costs, in the planner's units of cpu_operator_cost. pg_trgm declares it
# at 1, as cheap as comparing two integers; it takes about 14 microseconds a row, which
# against a sequential scan's own cost measured on this table is about 500. At 1, the planner
# reads all 12,711 shipped programs and checks each (150-350 ms) rather than use the trigram
# index for any search that is not very selective. docs/performance.md has the plans.
TRIGRAM_MATCH_COST = 500
_TRIGRAM_MATCH_FUNCTIONS = (
    "strict_word_similarity_op(text, text)",
    "strict_word_similarity_commutator_op(text, text)",
)


def price_trigram_matching(*, using: str = DEFAULT_DB_ALIAS, **_signal) -> None:
    """Give pg_trgm's strict word similarity its cost (``TRIGRAM_MATCH_COST``), after every
    ``migrate`` (post_migrate): a restored dump loses it, since an extension's functions are
    recreated by the extension, not from the dump. The functions belong to the superuser
    that created the extension; a role that may not alter them gets a warning, and searches
    planned from the default cost."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is None:
            return
        try:
            with transaction.atomic(using=using):
                for function in _TRIGRAM_MATCH_FUNCTIONS:
                    cursor.execute(f"ALTER FUNCTION {function} COST {TRIGRAM_MATCH_COST}")
        except DatabaseError as error:
            logger.warning("pg_trgm's strict word similarity keeps its default cost: %s", error)


# Strict word similarity at which a misspelt query still counts as a match: names with a
# letter or two wrong score 0.6-0.9, while unrelated words that merely share a few letters
# ("Houston" and "Easton") stay below it.
SIMILARITY_THRESHOLD = 0.5

_WORD = re.compile(r"[a-z]+")


def _spellings(word: str, vocabulary: frozenset[str], closest: int = 3) -> list[str]:
    """The word itself, plus its ``closest`` spellings in the vocabulary when it is not one
    of its words (so "Massachusets" also looks for "massachusetts", and "jon" for "johns")."""
    lowered = word.lower()
    if len(lowered) < 3 or not lowered.isalpha() or lowered in vocabulary:
        return [word]
    cutoff = 0.8 if len(lowered) >= 5 else 0.75
    return [word, *difflib.get_close_matches(lowered, vocabulary, n=closest, cutoff=cutoff)]
