"""NRMP program codes and Florida NRMP program results, joined to ACGME programs.

Sources (../shared/data/raw/, see each folder's PROVENANCE.md):

- ``nrmp_program_codes_wavegate/``: the NRMP program and institution code lists (about the
  2024 Match) from github.com/wavegate/residency-match (MIT). A program code is the 4-digit
  NRMP institution code + the 3-digit ACGME specialty code + a track letter and digit
  (1261140C0 = Massachusetts Gen Hosp, internal medicine, categorical).
- ``nrmp_program_results_florida_2020_2026/``: NRMP quota and matched per Florida program code,
  Match 2020 to 2026, compiled from NRMP "Program Results" by github.com/flchildrenshospitals.

Neither file carries an ACGME ID, so codes are joined by specialty digits, state and
institution name, and only confident joins are kept: a wrong code on a program page would make
an applicant rank the wrong program. A code joins a program when all of this holds:

1. Same specialty: the code's digits 5-7 are the program's ACGME specialty code.
2. Same state: the program is in a state of the NRMP institution (``institution_states``).
3. Names agree (``score_candidate``), once both are reduced to comparable words
   (``name_tokens``): *coverage*, the weighted share of the NRMP name found in the program's
   name, sponsor, address lines and city, is at least MIN_COVERAGE; the harmonic mean of
   coverage and *precision* (the share of the ACGME program name the NRMP name explains) is at
   least MIN_SCORE. Words weigh by rarity among ACGME names, so "Massachusetts" counts and
   "Hospital" barely does; the words of the track's specialty ("Family" in "Providence
   Hospital/Alaska Family Medicine Program") never count against precision. An institution's
   part after its last hyphen ("U Arizona COM-Tucson", "Kaiser Permanente-Fontana") must be
   found in the program (``name_form``). Where the program is the only one of its specialty
   and state with every word of the NRMP name and no other has MIN_COVERAGE of it, score and
   margin are not required (``_sole_full_fit``): there is no sister program to confuse it with.
4. Sites agree: a track naming a place ("Internal Medicine/Royal Oak") joins only a program
   that names it (``track_site``) or the place a reviewed site alias gives for it
   (SITE_ALIASES: "Grandview" at Kettering is Dayton); a code also in the Florida file must
   also fit the site that file's track name gives, and a code only in the Florida file must
   be in its city. A track naming no site does not take a program where another track of its
   institution and kind finds the site it names (``_not_other_sites``).
5. No near-tie: the best program beats the runner-up by MIN_MARGIN. Primary-care tracks go to
   a separate "(Primary Care)" program where one exists, other tracks never do.
6. Mutual best: no other NRMP institution, and no track of the same institution naming another
   site, fits that program within MIN_MARGIN (codes never used in the same Match excepted: a
   renumbered program's old and new codes). Tracks of one institution naming different sites
   never share a program.

``match_rule`` says which evidence joined a code: ``name-state-specialty``, or
``name-site-state-specialty`` when a site was also checked; ``fl-`` in front for a code only the
Florida file has; ``reviewed-override`` for CODE_OVERRIDES. Every judgement is a table below
(abbreviations, pathway words, institution aliases, site aliases, overrides), each entry with
its reason.

Codes that join nothing and that no listed program can be (``build_unlisted_codes``) are
mostly programs accredited after the 2021-22 listing; they are written for curators to review.

This module is pure: it reads CSV files and returns rows, with no Django models.
"""

import csv
import functools
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

WAVEGATE_PROGRAMS_FILE = "nrmp_program_codes_wavegate/nrmp_program_codes.csv"
WAVEGATE_INSTITUTIONS_FILE = "nrmp_program_codes_wavegate/nrmp_institution_codes.csv"
FLORIDA_FILE = "nrmp_program_results_florida_2020_2026/NRMP_2020_2026_Main_and_Specialty_FL.csv"
FLORIDA_YEARS = range(2020, 2027)
# The Match the wavegate snapshot lists codes for (its commit is of June 2024).
WAVEGATE_YEAR = 2024

NRMP_CODE_COLUMNS = ["acgme_id", "nrmp_code", "track_name", "match_rule"]
PROGRAM_RESULT_COLUMNS = ["acgme_id", "nrmp_code", "year", "positions_offered", "matched"]
UNLISTED_COLUMNS = [
    "nrmp_code",
    "track_name",
    "institution_name",
    "institution_state",
    "specialty_code",
    "reason",
]

# NRMP program code: institution (4 digits), specialty (3 characters: ACGME digits, or NRMP-only
# codes such as E01 clinical ultrasound), track type letter, track number (one or two digits).
NRMP_CODE = re.compile(
    r"^(?P<institution>\d{4})(?P<specialty>[0-9A-Z]\d\d)(?P<track>[A-Z])\d{1,2}$"
)

# Match rules written to ``match_rule``.
RULE_NAME = "name-state-specialty"
RULE_NAME_SITE = "name-site-state-specialty"
RULE_OVERRIDE = "reviewed-override"
RULE_FLORIDA_PREFIX = "fl-"

# Confidence floors (see the module docstring). Coverage below 0.7 means a distinctive part of
# the NRMP name is missing from the program (University of Illinois vs University of Chicago);
# the margin keeps two near-equal candidates (two campuses of one sponsor) from being guessed.
MIN_COVERAGE = 0.7
MIN_SCORE = 0.6
MIN_MARGIN = 0.15

US_STATES = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "DC": "District of Columbia",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "PR": "Puerto Rico",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
}

# Name normalisation -------------------------------------------------------------------------

# Abbreviations used in NRMP (and some ACGME) names, expanded the same way on both sides.
# "Med" and "Medicine" both become "medical" so "Family Med" meets "Family Medicine".
ABBREVIATIONS = {
    "affil": "affiliated",
    "ahec": "area health education center",
    "assoc": "associates",
    "bi": "beth israel",
    "ccf": "cleveland clinic foundation",
    "cchs": "college community health sciences",
    "chm": "college human medical",
    "cmsru": "cooper medical school rowan university",
    "cnty": "county",
    "co": "county",
    "coll": "college",
    "com": "college medical",
    "comm": "community",
    "ctr": "center",
    "ctrs": "centers",
    "dmc": "detroit medical center",
    "ecu": "east carolina university",
    "ed": "education",
    "educ": "education",
    "fam": "family",
    "fau": "florida atlantic university",
    "fdn": "foundation",
    "fiu": "florida international university",
    "fl": "florida",
    "ft": "fort",
    "gen": "general",
    "gme": "graduate medical education",
    "grad": "graduate",
    "grtr": "greater",
    "hlth": "health",
    "hmh": "hackensack meridian health",
    "hosp": "hospital",
    "hosps": "hospitals",
    "hsc": "health science center",
    "hscs": "health science center",
    "inst": "institute",
    "insts": "institutes",
    "intl": "international",
    "ismms": "icahn school medical mount sinai",
    "kcu": "kansas city university",
    "lecom": "lake erie college osteopathic medical",
    "lsu": "louisiana state university",
    "lsuhsc": "louisiana state university health science center",
    "mass": "massachusetts",
    "mc": "medical center",
    "med": "medical",
    "medicine": "medical",
    "mem": "memorial",
    "msucom": "michigan state university college osteopathic medical",
    "msuchm": "michigan state university college human medical",
    "mt": "mount",
    "natl": "national",
    "neomed": "northeast ohio medical university",
    "nyc": "new york city",
    "nymc": "new york medical college",
    "nyp": "new york presbyterian",
    "nyu": "new york university",
    "obh": "one brooklyn health",
    "ohsu": "oregon health science university",
    "osteo": "osteopathic",
    "prac": "practice",
    "presby": "presbyterian",
    "prog": "program",
    "progs": "programs",
    "psych": "psychiatric",
    "psychiatry": "psychiatric",
    "reg": "regional",
    "rehab": "rehabilitation",
    "res": "residency",
    "rfums": "rosalind franklin university medical science",
    "sch": "school",
    "sci": "science",
    "siu": "southern illinois university",
    "sjhmc": "saint joseph hospital medical center",
    "som": "school medical",
    "ssom": "sanford school medical",
    "st": "saint",
    "ste": "sainte",
    "suny": "state university new york",
    "svc": "service",
    "svcs": "services",
    "sys": "system",
    "teach": "teaching",
    "tju": "thomas jefferson university",
    "u": "university",
    "uab": "university alabama birmingham",
    "uams": "university arkansas medical science",
    "uc": "university california",
    "ucf": "university central florida",
    "uic": "university illinois chicago",
    "umass": "university massachusetts",
    "unc": "university north carolina",
    "univ": "university",
    "usf": "university south florida",
    "uvm": "university vermont",
    "va": "veterans affairs",
    "vcu": "virginia commonwealth university",
    "wsu": "wayne state university",
}

# Compound words split so both spellings meet ("HealthCare", "Health Care").
SPLIT_WORDS = {
    "healthcare": "health care",
    "healthsystem": "health system",
    "newyork": "new york",
    "mountainview": "mountain view",
    "rowansom": "rowan som",
}

# Words that carry no identity.
STOPWORDS = frozenset(
    {
        *("a", "an", "and", "at", "for", "in", "inc", "llc", "of", "on", "the"),
        *("program", "programs", "dept", "department", "division"),
        *("de", "del", "la", "las", "los", "el"),
    }
)

# Words too common to identify a site on their own (a site "St Josephs Hosp-South" is
# verified by "saint joseph south", not by "hospital").
WEAK_WORDS = frozenset(
    {
        *("hospital", "medical", "center", "health", "care", "system", "network", "clinic"),
        *("university", "college", "school", "campus", "graduate", "education"),
        *("regional", "community", "general"),
    }
)

# Capitalised abbreviations in NRMP institution names, matched case-sensitively as whole words
# before anything else (so "LA" in "Childrens Hospital-LA" is Los Angeles, not a Spanish "la").
# State codes inside a name ("Medical University of SC") are added from US_STATES, except the
# ones that mean something else here (VA: Veterans Affairs; LA: Los Angeles).
NRMP_CAPITALS = {
    "B I": "Beth Israel",
    "KC": "Kansas City",
    "LA": "Los Angeles",
    "LIJ": "Long Island Jewish",
    "NMH": "Northwestern Memorial Hospital",
    "NS": "North Shore",
    "R W": "Robert Wood",
    "SF": "San Francisco",
}
_STATE_CAPITALS = {code: name for code, name in US_STATES.items() if code not in {"VA", "LA"}}

_STATE_UNIVERSITY = re.compile(r"\b([a-z]+) (?:state|saint) university\b")
_DIRECTIONS = (
    "north south east west northern southern eastern western central northeast northeastern "
    "northwest northwestern southeast southeastern southwest southwestern"
)
_STATE_WORDS = {word for state in US_STATES.values() for word in state.lower().split()}
_STATE_WORDS -= {"new", "of", "district", "island", "rhode", "north", "south", "west"}
_DIRECTION_STATE = re.compile(
    rf"\b({'|'.join(_DIRECTIONS.split())}) ({'|'.join(sorted(_STATE_WORDS))})\b"
)


def _fold(text: str) -> str:
    """Lower-case ASCII with apostrophes dropped and every other mark a space."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = text.lower().replace("&", " and ").replace("+", " and ")
    text = re.sub(r"['`]", "", text)
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def _stem(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@functools.cache
def name_tokens(text: str) -> tuple[str, ...]:
    """Words of an institution or program name, in order, comparable across NRMP and ACGME.

    Both lists abbreviate differently ("Massachusetts Gen Hosp", "Massachusetts General
    Hospital"), so abbreviations are expanded, plurals and possessives folded and filler words
    dropped. Words that tell institutions apart only together are joined: "Florida State
    University" becomes ``floridastate university`` so it never looks like "University of
    Florida", and "University of South Alabama" keeps ``southalabama`` apart from "Alabama".
    """
    words: list[str] = []
    for word in _fold(text).split():
        for part in SPLIT_WORDS.get(word, word).split():
            words.extend(ABBREVIATIONS.get(part, part).split())
    joined = _DIRECTION_STATE.sub(r"\1\2", " ".join(words))
    joined = _STATE_UNIVERSITY.sub(r"\1state university", joined)
    return tuple(
        token for token in (_stem(word) for word in joined.split()) if token not in STOPWORDS
    )


_CAPITALS = {**_STATE_CAPITALS, **NRMP_CAPITALS}
_CAPITAL = re.compile(
    r"(?<![A-Za-z])("
    + "|".join(re.escape(short) for short in sorted(_CAPITALS, key=len, reverse=True))
    + r")(?![A-Za-z])"
)


def expand_nrmp_capitals(name: str) -> str:
    """An NRMP name with its capitalised abbreviations ("SC", "B I", "LA") spelled out."""
    return _CAPITAL.sub(lambda match: _CAPITALS[match.group(1)], name)


# NRMP institutions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Institution:
    """An NRMP institution of the wavegate list, with the states it may be in."""

    code: str
    name: str
    states: frozenset[str]


def state_suffix(name: str) -> str:
    """The USPS state code an NRMP institution name ends with ("Thomas Hospital-AL"), or ""."""
    match = re.search(r"-\s*([A-Z]{2})\s*$", name)
    if match and match.group(1) in US_STATES:
        return match.group(1)
    return ""


def _state_capitals_in(name: str) -> set[str]:
    return {
        code for code in _STATE_CAPITALS if re.search(rf"(?<![A-Za-z]){code}(?![A-Za-z])", name)
    }


def _states_spelled_in(name: str) -> set[str]:
    folded = f" {_fold(name)} "
    return {code for code, state in US_STATES.items() if f" {_fold(state)} " in folded}


def institution_states(rows: list[dict[str, str]]) -> dict[str, Institution]:
    """NRMP institutions by code, each with the states its programs may be in.

    Most names end in "-ST". Otherwise a state code inside the name counts ("Medical University
    of SC"); failing that, the list being grouped by state, the state of the nearest
    neighbours when both sides agree ("Massachusetts Gen Hosp" among MA names); failing that, a
    state spelled out in the name ("Univ of Wyoming-Casper", last in the file). A name whose
    own state disagrees with two agreeing neighbours ("NYMC-St Marys and St Clares-NY" among NJ
    names) keeps both states; the name still has to match.
    """
    own: list[set[str]] = []
    hints: list[set[str]] = []
    for row in rows:
        suffix = state_suffix(row["name"])
        mine = {suffix} if suffix else _state_capitals_in(institution_name(row["name"]))
        own.append(mine)
        hints.append(mine or _states_spelled_in(row["name"]))
    institutions: dict[str, Institution] = {}
    for index, row in enumerate(rows):
        before = next((h for h in reversed(hints[:index]) if len(h) == 1), set())
        after = next((h for h in hints[index + 1 :] if len(h) == 1), set())
        neighbours = before if before and before == after else set()
        states = own[index] | neighbours if own[index] else set(neighbours)
        if not states:
            states = _states_spelled_in(row["name"])
        code = row["institutionCode"].strip()
        if code not in institutions:
            institutions[code] = Institution(code, row["name"].strip(), frozenset(states))
    return institutions


def institution_name(name: str) -> str:
    """An NRMP institution name without its state suffix."""
    if state_suffix(name):
        return re.sub(r"-\s*[A-Z]{2}\s*$", "", name).strip()
    return name.strip()


# Tracks and sites ----------------------------------------------------------------------------

# Words of a track name after "/" that name a pathway, not a place: research, preliminary,
# the advanced specialty a preliminary year feeds, funding, year counts. Any other word is
# taken as a site and must be found in the program, so an unknown word drops the track rather
# than guessing. "Rural" and "Urban" are sites on purpose: they are usually separate programs.
_TRACK_WORDS = """
    research researcher investigator scientist scientists physician clinician clinical
    pathway path track trk star pstp prostar plus scholar scholars program
    preliminary prelim primary care categorical advanced reserved designated
    nondesignated non undesignated funded military international img sponsored
    md phd mph yr yrs year years pgy pg phase accelerated competency leadership academic
    global equity disparities tropical chronic dz mgmt hiv occupational public
    innovation innovations hospitalist general specialty osteopathic combined
    medical medicine internal surgery surgical surg neurology neuro dermatology derm
    ophthalmology ophthal opthalmology anesthesiology anesthesia anesth radiology rad
    interventional int intervent integ integrated diagnostic diag oncology onc radiation
    cellular pm pmr physical rehabilitation psychiatry psychiatric child adult
    adolescent forensic addiction geriatrics geriatric critical ct cardiothoracic
    pediatrics peds pediatric neuroscience molecular imaging nuclear nurad oms omfs
    oral maxillofacial urology ent otolaryngology orthopaedic orthopedic ortho
    plastic vascular transitional trans family emergency emer
    ap cp np anatomic anat neuropathology only prev preventive
    shabbos sabbath observed adv esir dedicated chief abim cap ndd t32 clin comb
    traditional lisom midocs rtt cardiac or
"""
TRACK_WORDS = frozenset(token for word in _TRACK_WORDS.split() for token in name_tokens(word))

# Abbreviated places in track names and NRMP name qualifiers, spelled as the ACGME list does.
SITE_ABBREVIATIONS = {
    "acmc": "advocate christ",
    "aimmc": "illinois masonic",
    "algh": "lutheran general",
    "bch": "beach",
    "bwh": "brigham women",
    "cinn": "cincinnati",
    "farm": "farmington",
    "hvsh": "huron valley sinai",
    "ia": "iowa",
    "mgh": "massachusetts general",
    "pete": "petersburg",
    "pt": "point",
    "rmc": "regional medical center",
    "uih": "university illinois hospital",
    "bkln": "brooklyn",
    "menomee": "menomonee",
    "sw": "southwest",
    "wi": "wisconsin",
    "vorhees": "voorhees",
    "dsm": "des moines",
    "chb": "children hospital",
    "bidmc": "beth israel deaconess",
}

# A site: alternatives, each a tuple of words that must all be found in the program.
Site = tuple[tuple[str, ...], ...]


# Pathways named with words that are otherwise parts of places ("Internal Med/Global Health").
PATHWAY_PHRASES = re.compile(r"\b(global|urban|public) health\b|\bhealth (equity|services)\b")


def site_words(text: str) -> tuple[str, ...]:
    """The words of a place in a track name or name qualifier, pathway words left out.

    The place is read as one phrase, as program names are, so "U of SC SOM Columbia" gives
    ``southcarolina`` as "University of South Carolina" in a program name does.
    """
    words = [
        SITE_ABBREVIATIONS.get(word, word)
        for word in _fold(PATHWAY_PHRASES.sub(" ", _fold(text))).split()
        if not word.isdigit() and len(word) > 1
    ]
    return tuple(
        token
        for token in name_tokens(" ".join(words))
        if token not in TRACK_WORDS and len(token) > 1
    )


def telling_words(words: Iterable[str]) -> tuple[str, ...]:
    """The words that are not WEAK_WORDS, or all of them when every one is.

    "St Josephs Hosp-South" is found by ``saint joseph south``, not by "hospital"; but "Denver
    Hlth" at an institution already named for Denver keeps ``health``, so that it does not
    shrink to nothing, or to the city.
    """
    words = tuple(words)
    strong = tuple(word for word in words if word not in WEAK_WORDS)
    return strong or words


def split_track(track_name: str) -> tuple[str, str]:
    """The specialty part and the suffix of an NRMP track name ("Internal Medicine/Royal Oak")."""
    base, _, suffix = track_name.partition("/")
    return base.strip(), suffix.strip()


def track_site(track_name: str) -> Site:
    """The site a track names, as alternatives; empty when it names none.

    "Internal Medicine/Royal Oak" names ``royal oak``; "Neuro Surg/Royal Oak & Dearborn" names
    ``royal oak`` or ``dearborn``; "Internal Medicine/Research" names none.
    """
    _, suffix = split_track(track_name)
    alternatives = (site_words(part) for part in re.split(r"&| and ", suffix) if part.strip())
    return tuple(words for words in alternatives if words)


@dataclass(frozen=True)
class NameForm:
    """An NRMP institution name as words, and the qualifier after its last hyphen."""

    words: frozenset[str]
    qualifier: tuple[str, ...]


@functools.cache
def name_form(name: str) -> NameForm:
    """An NRMP institution name, split into its words and a qualifier that must be found.

    The part after the last hyphen is a campus or hospital ("U Arizona COM-Tucson",
    "Kaiser Permanente-Fontana", "Zucker SOM-Northwell Lenox Hill Hosp"), so a program that
    does not name it is not that institution's.
    """
    expanded = expand_nrmp_capitals(institution_name(name))
    core, hyphen, qualifier = expanded.rpartition("-")
    words = frozenset(name_tokens(expanded))
    if not hyphen or not core.strip():
        return NameForm(words, ())
    return NameForm(words, telling_words(site_words(qualifier)))


# ACGME programs ------------------------------------------------------------------------------


_PRIMARY_CARE = re.compile(r"\bprimary care\b")
_PRIMARY_TRACK = re.compile(r"\bprim(ary)?\b")


@dataclass(frozen=True)
class ProgramText:
    """An ACGME program as the words the matcher compares."""

    acgme_id: str
    specialty_code: str
    state: str
    name_words: frozenset[str]
    all_words: frozenset[str]
    primary_care: bool = False


def _program_name(name: str) -> str:
    return re.sub(r"\s+Program\s*$", "", name.strip())


def program_text(row: dict[str, str]) -> ProgramText:
    """The words an NRMP name may be found in: program name, sponsor, address lines, city.

    Address lines with digits (streets, suites, boxes) are left out; lines without digits are
    usually the hospital or department ("Jackson Memorial Hospital").
    """
    name_words = frozenset(name_tokens(_program_name(row["name"])))
    all_words = set(name_words) | set(name_tokens(row.get("city", "")))
    all_words |= set(name_tokens(row.get("sponsor_name", "")))
    for line in row.get("address", "").splitlines():
        if not re.search(r"\d", line):
            all_words |= set(name_tokens(line))
    return ProgramText(
        acgme_id=row["acgme_id"],
        specialty_code=row["specialty_code"],
        state=row.get("state", ""),
        name_words=name_words,
        all_words=frozenset(all_words),
        primary_care=bool(_PRIMARY_CARE.search(_fold(row["name"]))),
    )


# Words that say what kind of body an institution is, not which one. The two lists word it
# differently ("U Tennessee Health Sci Ctr" runs the "University of Tennessee College of
# Medicine" programs), so these count little however rare they are.
KIND_WORDS = frozenset(
    name_tokens(
        "university school college medical health science center hospital system institute "
        "graduate education consortium network care services clinic foundation"
    )
)
KIND_WEIGHT = 0.7

# Words that say nothing at all about which institution it is: their absence from an ACGME
# name is no evidence ("U Washington Affil Hosps" is the "University of Washington Program").
NON_IDENTIFYING = frozenset({"affiliated", "teaching", "corporation", "corp"})


def word_weights(programs: list[dict[str, str]]) -> dict[str, float]:
    """How identifying each word is: the log of its rarity among distinct ACGME names.

    Counted over distinct program and sponsor names, so a sponsor with 80 fellowships does not
    make its own name look common. A word no ACGME name has gets the highest weight.
    """
    names = {_program_name(row["name"]) for row in programs}
    names |= {row.get("sponsor_name", "") for row in programs}
    frequency: Counter[str] = Counter()
    for name in names:
        frequency.update(set(name_tokens(name)))
    total = len(names)
    weights = {word: math.log((total + 1) / (count + 0.5)) for word, count in frequency.items()}
    weights[""] = math.log((total + 1) / 0.5)
    for word in KIND_WORDS:
        weights[word] = min(weights.get(word, KIND_WEIGHT), KIND_WEIGHT)
    for word in NON_IDENTIFYING:
        weights[word] = 0.0
    return weights


def _weight(words: Iterable[str], weights: dict[str, float]) -> float:
    """The summed weight of some words; ``fsum`` makes it exact, so the same whatever order a
    set yields its words in (which varies between runs)."""
    unknown = weights[""]
    return math.fsum(weights.get(word, unknown) for word in words)


@dataclass(frozen=True)
class Score:
    """How well a name fits a program (see ``score_candidate``)."""

    coverage: float
    precision: float

    @property
    def value(self) -> float:
        """The harmonic mean of coverage and precision (0 when either is 0)."""
        if not self.coverage or not self.precision:
            return 0.0
        return 2 * self.coverage * self.precision / (self.coverage + self.precision)


NO_FIT = Score(0.0, 0.0)


# How much a program-name word that no NRMP name uses counts against a fit
# (``score_candidate``).
UNCLAIMED_SHARE = 0.25


def score_candidate(
    words: frozenset[str],
    explained: frozenset[str],
    program: ProgramText,
    weights: dict[str, float],
    claimed: frozenset[str],
) -> Score:
    """How well an NRMP institution name fits one ACGME program.

    Coverage: the weighted share of the NRMP name found among the program's words. Precision:
    the weighted share of the ACGME program name that the NRMP name (with its sites) explains.
    Unexplained words that some NRMP name or site uses count in full ("Henry Ford Wyandotte
    Hospital" is a poor fit for "Henry Ford Hospital": Wyandotte is another NRMP institution);
    words no NRMP name uses count UNCLAIMED_SHARE ("David Geffen" in a UCLA program name).
    """
    total = _weight(words, weights)
    if not total:
        return NO_FIT
    coverage = _weight(words & program.all_words, weights) / total
    found = _weight(program.name_words & explained, weights)
    unexplained = program.name_words - explained
    other = _weight(unexplained & claimed, weights)
    other += UNCLAIMED_SHARE * _weight(unexplained - claimed, weights)
    if not found:
        return Score(coverage, 0.0)
    return Score(coverage, found / (found + other))


def site_found(site: Site, program: ProgramText) -> bool:
    """Whether the program's words name one of a site's alternatives (True for no site)."""
    return not site or any(set(words) <= program.all_words for words in site)


# NRMP tracks ---------------------------------------------------------------------------------

# Hand-reviewed other names of NRMP institutions, for labels that share too few words with the
# ACGME names of their programs. An alias is scored like the NRMP name, and the better counts.
INSTITUTION_ALIASES: dict[str, tuple[str, str]] = {
    "1032": (
        "Mayo Clinic College of Medicine and Science",
        "Mayo Clinic School of Grad Med Educ-FL: ACGME names Mayo's school by its newer name",
    ),
    "1033": (
        "University of Southern California/LAC+USC Medical Center",
        "U Southern California: the ACGME sponsor name, which writes USC",
    ),
    "1065": (
        "Sutter Santa Rosa Regional Hospital",
        "Sutter Med Ctr of Santa Rosa-CA: the hospital's name in the ACGME list",
    ),
    "1073": (
        "Kaiser Permanente Southern California (Anaheim)",
        "Kaiser Permanente-Orange Co-CA: Kaiser's Orange County medical center is in Anaheim",
    ),
    "1074": (
        "Saint Joseph Hospital (Denver)",
        "St Joseph Hospital SCL Health-CO: Saint Joseph Hospital in Denver, of SCL Health, which "
        "ACGME does not name",
    ),
    "1076": (
        "University of Colorado School of Medicine",
        "U Colorado SOM-Denver: the Anschutz programs are in Aurora, named 'University of Colorado "
        "Program'",
    ),
    "1175": (
        "University of Illinois College of Medicine at Peoria",
        "U Illinois COM-Peoria OSF: the college's programs at OSF Saint Francis; ACGME does not "
        "name the hospital. 2267 (UnityPoint Methodist) has the same alias, so a specialty both "
        "list stays unjoined",
    ),
    "1194": (
        "Saint Joseph Health System (Mishawaka)",
        "St Josephs Reg Med Ctr-IN: Saint Joseph Regional Medical Center is in Mishawaka",
    ),
    "1225": (
        "LSU Health Sciences Center/University Hospital and Clinics (Lafayette)",
        "LSUHSC University Hosps & Clinics-LA: University Hospital & Clinics is in Lafayette; "
        "without the city the LSU programs in Kenner and New Orleans fit as well",
    ),
    "1284": (
        "Salem Hospital",
        "North Shore Med Ctr/Salem Hosp-MA: the ACGME program name",
    ),
    "1292": (
        "St Joseph Mercy Ann Arbor",
        "Trinity Health Ann Arbor Hosp-MI: St Joseph Mercy Ann Arbor, renamed in 2023",
    ),
    "1319": (
        "St Joseph Mercy-Oakland",
        "Trinity Health Oakland-MI: St Joseph Mercy Oakland (Pontiac), renamed in 2023",
    ),
    "1328": (
        "Mayo Clinic College of Medicine and Science",
        "Mayo Clinic School of Grad Med Educ-MN: as 1032",
    ),
    "1329": (
        "Hennepin Healthcare",
        "Hennepin Co Med Ctr-MN: Hennepin County Medical Center's system has been Hennepin "
        "Healthcare since 2017",
    ),
    "1346": (
        "Iowa Medical Education Collaborative",
        "Mercy Med Ctr-Des Moines-IA: MercyOne Des Moines's programs are sponsored by the Iowa "
        "Medical Education Collaborative; the same three specialties (family medicine, psychiatry, "
        "general surgery) in Des Moines",
    ),
    "1353": (
        "Washington University/B-JH/SLCH Consortium",
        "Barnes-Jewish Hosp-MO: B-JH in the ACGME sponsor name is Barnes-Jewish Hospital",
    ),
    "1364": (
        "St Luke's Hospital (Chesterfield)",
        "St Lukes Hospital-St Louis-MO: St Luke's Hospital of St Louis is in Chesterfield",
    ),
    "1400": (
        "St Joseph Mercy Livingston",
        "Trinity Health Livingston Hosp-MI: St Joseph Mercy Livingston, renamed in 2023",
    ),
    "1418": (
        "St Mary Mercy Hospital",
        "Trinity Health Livonia Hosp-MI: St Mary Mercy Hospital, Livonia, renamed Trinity Health "
        "Livonia in 2023",
    ),
    "1452": (
        "United Health Services Hospitals (Johnson City)",
        "UHS-Wilson Med Ctr-NY: Wilson Medical Center is United Health Services' hospital in "
        "Johnson City",
    ),
    "1492": (
        "New York Presbyterian Hospital (Cornell Campus)",
        "NYP Hosp-Weill Cornell Med Ctr: ACGME names the campus, not Weill",
    ),
    "1495": (
        "New York Presbyterian Hospital (Columbia Campus)",
        "NYP Hosp-Columbia Univ Med Ctr: ACGME names the campus, as for 1492 (Cornell)",
    ),
    "1502": (
        "Conroe Medical Education Foundation",
        "Conroe Reg Med Ctr-TX: the family medicine program's sponsor in Conroe",
    ),
    "1541": (
        "Summa Health System",
        "Summa Health/NEOMED-OH: the ACGME sponsor name",
    ),
    "1542": (
        "Akron General Medical Center",
        "Akron Gen Med Ctr/NEOMED-OH: the ACGME name, without NEOMED",
    ),
    "1550": (
        "TriHealth (Good Samaritan Hospital)",
        "Good Samaritan Hosp-Cinn-OH: TriHealth's Good Samaritan Hospital, as ACGME names its "
        "programs",
    ),
    "1601": (
        "Lehigh Valley Health Network",
        "Lehigh Valley Hosp-PA: the ACGME sponsor is the hospital's health network",
    ),
    "1611": (
        "UPMC Medical Education (Erie)",
        "UPMC Hamot Med Ctr-PA: UPMC Hamot is UPMC's hospital in Erie",
    ),
    "1612": (
        "Allegheny Health Network Medical Education Consortium (SVH)",
        "St Vincent Hlth Ctr-PA: Saint Vincent Hospital, Erie, of Allegheny Health Network (SVH)",
    ),
    "1648": (
        "Allegheny Health Network Medical Education Consortium (AGH)",
        "Allegheny Gen Hosp-PA: AGH is Allegheny General Hospital",
    ),
    "1659": (
        "Allegheny Health Network Medical Education Consortium (WPH)",
        "Western Pennsylvania Hosp: WPH in the ACGME name is Western Pennsylvania Hospital, as AGH "
        "is Allegheny General (1648)",
    ),
    "1661": (
        "Tower Health (Wyomissing)",
        "Tower Health/Reading Hospital-PA: Reading Hospital is Tower Health's, in West "
        "Reading/Wyomissing",
    ),
    "1664": (
        "Robert Packer Hospital",
        "Guthrie/Robert Packer Hosp-PA: ACGME names the hospital without Guthrie",
    ),
    "1700": (
        "Zucker School of Medicine at Hofstra/Northwell",
        "Zucker SOM-Northwell NS/LIJ: ACGME names the North Shore-LIJ programs after the school "
        "alone; the other Northwell hospitals carry their own names",
    ),
    "1713": (
        "Texas A&M Health Science Center College of Medicine (Bryan)",
        "Texas A&M-Bryan/College Station: the college's programs in Bryan",
    ),
    "1722": (
        "University of Texas Health Science Center San Antonio Joe and Teresa Lozano Long School "
        "of Medicine",
        "U Texas HSC-San Antonio (UT Health San Antonio): the ACGME sponsor name; without it the "
        "military consortium in San Antonio fits the short label as well",
    ),
    "1725": (
        "Texas A&M College of Medicine-Scott and White Medical Center (Temple)",
        "Baylor Scott & White Med Ctr-TX: the Temple medical center, as ACGME names its programs; "
        "Round Rock is NRMP's 2318",
    ),
    "1741": (
        "Henry Ford Allegiance Health",
        "Henry Ford Jackson Hospital-MI: the Jackson hospital's name before 2023, as ACGME lists "
        "it; without it 'Allegiance' is claimed by no NRMP name and Henry Ford Hospital (Detroit) "
        "cannot be told from it",
    ),
    "1744": (
        "Augusta University/University of Georgia Medical Partnership",
        "AU-UGA Medical Partnership-GA: AU and UGA spelled out",
    ),
    "1804": (
        "Saint Elizabeths Hospital (Washington)",
        "St Elizabeths Hospital/DBH-DC: the ACGME name; DBH is the DC Department of Behavioral "
        "Health",
    ),
    "1813": (
        "University of Vermont Health Network-Champlain Valley Physicians Hospital",
        "UVM Health Network CVPH-NY: CVPH is Champlain Valley Physicians Hospital",
    ),
    "1824": (
        "University of Florida College of Medicine",
        "U Florida COM-Shands Hosp: ACGME names the Gainesville programs 'University of Florida "
        "Program' and does not say Shands",
    ),
    "1850": (
        "Riverside University Health System",
        "Riverside University Health Sys-CA: spelled out, so it is told from HCA's Riverside "
        "Community Hospital (1877)",
    ),
    "1852": (
        "USA Health",
        "U South Alabama Hospitals: USA Health is the University of South Alabama's system",
    ),
    "1869": (
        "Washington University/B-JH/SLCH Consortium",
        "St Louis Childrens Hosp-MO: SLCH in the ACGME sponsor name",
    ),
    "1877": (
        "HCA Healthcare Riverside",
        "Riverside Community Hospital-CA: HCA's Riverside hospital and its ACGME sponsor",
    ),
    "1911": (
        "Bayfront Health St Petersburg",
        "Bayfront Med Ctr-FL: Bayfront Medical Center, St Petersburg, now Bayfront Health",
    ),
    "1957": (
        "University of Mississippi Medical Center",
        "University Hosps-Jackson-MS: the University of Mississippi's hospitals in Jackson; ACGME "
        "names its programs 'University of Mississippi Medical Center'",
    ),
    "1994": (
        "University of Missouri-Columbia",
        "University Hosps-Columbia-MO: the University of Missouri's hospitals; ACGME names the "
        "university",
    ),
    "1995": (
        "Mercy Health Grand Rapids",
        "Trinity Health Grand Rapids-MI: Mercy Health Saint Mary's, Grand Rapids, renamed in 2023",
    ),
    "2013": (
        "PIH Health Hospital - Whittier",
        "Presby Intercommunity Hosp-CA: Presbyterian Intercommunity Hospital, Whittier, is PIH "
        "Health's hospital",
    ),
    "2014": (
        "U P Health System-Marquette",
        "UP Health System-Marquette-MI: ACGME writes UP as 'U P'",
    ),
    "2026": (
        "Southern Illinois University (Quincy)",
        "Quincy Fam Prac Ctr-IL: SIU's family medicine residency in Quincy",
    ),
    "2092": (
        "California Hospital Medical Center (Dignity Health)",
        "California Hosp Med Ctr: the ACGME program name",
    ),
    "2102": (
        "Mercy Health Muskegon",
        "Trinity Health Muskegon-MI: Mercy Health Muskegon, renamed in 2023; ACGME lists its "
        "programs as 'Mercy Health Program' in Muskegon",
    ),
    "2133": (
        "College Medical Center Long Beach",
        "College Med Ctr-CA: College Medical Center is in Long Beach; ACGME lists its program "
        "under OPTI West",
    ),
    "2136": (
        "Hackensack University Medical Center (Palisades)",
        "HMH-Palisades Med Ctr-NJ: Hackensack Meridian Health's Palisades Medical Center, listed "
        "by ACGME under Hackensack University Medical Center with the campus in parentheses",
    ),
    "2147": (
        "South Georgia Medical Education and Research Consortium",
        "South Georgia Med Ed & Res Consortium: 'Res' is Research here, not residency",
    ),
    "2152": (
        "Still OPTI (Kirksville)",
        "Still OPTI-Northeast Reg Med Ctr-MO: A.T. Still University's OPTI; Northeast Regional "
        "Medical Center is in Kirksville",
    ),
    "2155": (
        "McGaw Medical Center of Northwestern University",
        "Northwestern McGaw/RIC-IL: the ACGME sponsor of the Rehabilitation Institute of Chicago's "
        "program",
    ),
    "2156": (
        "Midwestern University GME Consortium",
        "Midwestern University OPTI-AZ: the university's osteopathic training institution (OPTI), "
        "which sponsors its programs as 'Midwestern University GME Consortium'",
    ),
    "2181": (
        "Wellspan Health/Good Samaritan Hospital",
        "Wellspan Health Good Sam Hosp-PA: the ACGME program name",
    ),
    "2192": (
        "HCA Healthcare LewisGale Hospital-Montgomery/VCOM",
        "HCA Healthcare LGH-Montgomery/VCOM-VA: LGH is LewisGale Hospital; the ACGME sponsor name",
    ),
    "2223": (
        "Valley Hospital (Las Vegas)",
        "Valley Hosp Med Ctr-NV: Valley Hospital Medical Center, Las Vegas, listed under OPTI West",
    ),
    "2247": (
        "McGaw Medical Center of Northwestern University",
        "Northwestern McGaw/NMH/VA-IL: the ACGME sponsor name",
    ),
    "2253": (
        "Mississippi Medical Education and Research Consortium",
        "Mississippi Med Ed Res Consortium: 'Res' is Research here, not residency",
    ),
    "2256": (
        "Nova Southeastern University College of Osteopathic Medicine",
        "Nova Southeastern University KPCOM-FL: KPCOM is the Kiran Patel College of Osteopathic "
        "Medicine",
    ),
    "2259": (
        "Baylor All Saints Medical Center Fort Worth",
        "Baylor S&W All Saints Med Ctr-TX: the ACGME sponsor name",
    ),
    "2267": (
        "University of Illinois College of Medicine at Peoria",
        "U Illinois COM-Peoria UPHM: the college's programs at UnityPoint Health Methodist; see "
        "1175",
    ),
    "2272": (
        "Kaiser Permanente Northern California (Modesto)",
        "Kaiser Permanente-Central Valley-CA: Kaiser's Central Valley area is Modesto and Manteca",
    ),
    "2288": (
        "Baptist Memorial Medical Education (Oxford)",
        "Baptist Mem Hosp North-MS: Baptist Memorial Hospital-North Mississippi is in Oxford; the "
        "Columbus program is another hospital's",
    ),
    "2299": (
        "Baptist Memorial Medical Education (Southaven)",
        "Baptist Mem Hosp DeSoto-MS: Baptist Memorial Hospital-DeSoto is in Southaven; ACGME names "
        "the Baptist GME sponsor and the city",
    ),
    "2310": (
        "Cornerstone Care Teaching Health Center",
        "Cornerstone Care THC-PA: THC is Teaching Health Center",
    ),
    "2311": (
        "Martin Luther King, Jr. Community Hospital",
        "MLK Jr Community Hospital: spelled out",
    ),
    "2318": (
        "Baylor Scott and White Medical Center - Round Rock",
        "Baylor S&W Med Ctr-Round Rock-TX: the ACGME name",
    ),
    "2329": (
        "HCA Healthcare/Mercer University School of Medicine (Summerville)",
        "Summerville Med Ctr-SC: HCA's Summerville Medical Center, whose programs ACGME lists "
        "under HCA/Mercer",
    ),
    "2375": (
        "Prime Health Care Consortium at St. Mary's and St. Clare Denville Hospital",
        "NYMC-St Marys and St Clares-NY: St Mary's (Passaic) and St Clare's (Denville), New "
        "Jersey; the ACGME sponsor name",
    ),
    "2805": (
        "University of South Dakota School of Medicine",
        "Univ of South Dakota SSOM: ACGME does not name Sanford",
    ),
    "2955": (
        "University of Alabama-Tuscaloosa",
        "U Alabama CCHS-Tuscaloosa: the College of Community Health Sciences is the University of "
        "Alabama's in Tuscaloosa",
    ),
    "3057": (
        "Vidant Medical Center/East Carolina University",
        "ECU Health Med Ctr-NC: ECU Health was Vidant Health until 2022",
    ),
    "3061": (
        "University of Alabama Medical Center (Selma Dallas County)",
        "UAB Selma Fam Med Res-AL: the ACGME program name",
    ),
    "3065": (
        "Centra Health (Lynchburg)",
        "Lynchburg Fam Med Res-VA: the Lynchburg family medicine residency is Centra Health's",
    ),
    "3069": (
        "St Mary's Hospital and Medical Center (Grand Junction)",
        "St Marys Med Ctr SCL Health-CO: St Mary's in Grand Junction, of SCL Health, which ACGME "
        "does not name",
    ),
    "3120": (
        "Boston VA Healthcare System (Brockton-West Roxbury)/Harvard Medical School",
        "Harvard South Shore-MA: the Harvard South Shore psychiatry residency at the Brockton VA",
    ),
    "3198": (
        "St Peter Hospital",
        "Providence St Peter Hospital-WA: ACGME names the hospital without Providence",
    ),
    "3200": (
        "Mayo Clinic College of Medicine and Science",
        "Mayo Clinic School of Grad Med Educ-AZ: as 1032",
    ),
}

# Hand-reviewed places of sites named in NRMP track names, by NRMP institution, for hospitals
# the ACGME list does not name: the program shows the place instead (its city, or its name
# spelled another way). A track naming the site is then found in a program naming either.
SITE_ALIASES: dict[tuple[str, str], tuple[str, str]] = {
    ("1042", "east bay"): (
        "Oakland",
        "Kaiser Permanente Oakland: its East Bay psychiatry residency is the Oakland program",
    ),
    ("1135", "srmc"): (
        "Sutter Roseville Medical Center",
        "Sutter Health: SRMC is Sutter Roseville Medical Center",
    ),
    ("1451", "christ"): (
        "Jersey City",
        "Hoboken University Medical Center: Christ Hospital is in Jersey City, the program's city",
    ),
    ("1492", "payne whitney"): (
        "Cornell",
        "NYP-Weill Cornell: Payne Whitney is the Cornell campus's psychiatry clinic",
    ),
    ("1550", "gsh bethesda"): (
        "Bethesda",
        "TriHealth Good Samaritan: GSH is Good Samaritan Hospital; the program is named for "
        "Bethesda North and Good Samaritan",
    ),
    ("1566", "rardin fpc"): (
        "Columbus",
        "Ohio State University: Rardin Family Practice Center is its family medicine clinic in "
        "Columbus",
    ),
    ("1576", "grandview"): (
        "Dayton",
        "Kettering Health Network: Grandview Medical Center is its hospital in Dayton (405 W Grand "
        "Ave, the address of the network's Dayton programs); Kettering Medical Center and Soin "
        "are in Kettering and Beavercreek",
    ),
    ("1652", "horizon"): (
        "Farrell",
        "UPMC Medical Education: UPMC Horizon's family medicine program is in Farrell",
    ),
    ("1811", "capitol hill"): (
        "Seattle",
        "Kaiser Permanente Washington: the Capitol Hill campus is in Seattle; Burien is newer than "
        "the list",
    ),
    ("1825", "valley baptist"): (
        "Harlingen",
        "UT Rio Grande Valley: Valley Baptist Medical Center is in Harlingen",
    ),
    ("1994", "crmc"): (
        "Capital Region Medical Center",
        "University of Missouri-Columbia: CRMC is Capital Region Medical Center, Jefferson City",
    ),
    ("1997", "sky ridge"): (
        "Lone Tree",
        "HCA HealthONE: Sky Ridge Medical Center is in Lone Tree",
    ),
    ("1997", "swedish"): (
        "Englewood",
        "HCA HealthONE: Swedish Medical Center is in Englewood",
    ),
    ("2004", "harlem mount sinai"): (
        "Harlem",
        "Institute for Family Health: its Harlem program, affiliated with Mount Sinai",
    ),
    ("2116", "gsmc"): (
        "Longview",
        "CHRISTUS Health: GSMC is Good Shepherd Medical Center, Longview",
    ),
    ("2128", "cape fear"): (
        "Fayetteville",
        "Campbell University: Cape Fear Valley Medical Center is its teaching hospital in "
        "Fayetteville",
    ),
    ("2128", "sampson"): (
        "Clinton",
        "Campbell University: Sampson Regional Medical Center is in Clinton",
    ),
    ("2128", "southeastern"): (
        "Lumberton",
        "Campbell University: Southeastern Health (UNC Health Southeastern) is in Lumberton",
    ),
    ("2154", "saint joseph"): (
        "Phoenix",
        "Creighton University (Arizona): St Joseph's Hospital and Medical Center is in Phoenix",
    ),
    ("2189", "sjmc"): (
        "Westlake",
        "University Hospitals Community Consortium: SJMC is St John Medical Center, in Westlake",
    ),
    ("2232", "westside"): (
        "Plantation",
        "HCA East Florida: Westside Regional Medical Center is in Plantation (8201 W Broward Blvd, "
        "the address of the division's Plantation programs)",
    ),
    ("2279", "harri methodist"): (
        "Fort Worth",
        "Texas Health Resources: Harris Methodist Hospital is its Fort Worth hospital",
    ),
    ("2279", "heb denton"): (
        "Bedford Denton",
        "Texas Health Resources: HEB is its Hurst-Euless-Bedford hospital; ACGME names the program "
        "(Bedford/Denton)",
    ),
    ("3027", "south"): (
        "Greenwood",
        "Community Health Network: Community Hospital South is on County Line Road at Greenwood, "
        "where the network's Greenwood program is (533 E County Line Rd)",
    ),
    ("3081", "mfhc"): (
        "Redding",
        "Mercy Medical Center Redding: MFHC is its Mercy Family Health Center",
    ),
    ("3198", "summit pacific"): (
        "Elma",
        "Providence St Peter: Summit Pacific Medical Center is in Elma",
    ),
}


def aliased_site(institution_code: str, site: Site) -> Site:
    """A site with the reviewed other names of its alternatives (SITE_ALIASES) added."""
    alternatives = list(site)
    for words in site:
        alias = SITE_ALIASES.get((institution_code, " ".join(words)))
        if alias:
            alternatives.append(name_tokens(alias[0]))
    return tuple(dict.fromkeys(alternatives))


# Hand-reviewed decisions on single codes, applied before any scoring: an ACGME ID, or "" to
# never join the code. An ID must be of the code's specialty and in the ACGME list.
CODE_OVERRIDES: dict[str, tuple[str, str]] = {
    "1007140C0": (
        "1400121022",
        "U Alabama Med Ctr-Birmingham IM is the University of Alabama Medical Center Program in "
        "Birmingham. The name also fits UAB's Huntsville campus program (its address says UAB), "
        "which is NRMP's U Alabama SOM-Huntsville (2947140C0)",
    ),
    "1007140C2": (
        "1400121022",
        "ABIM research pathway of the same program as 1007140C0",
    ),
    "1062110C0": (
        "1100513192",
        "UC San Francisco emergency medicine: the UCSF/San Francisco General Hospital program; "
        "UCSF-Fresno is another NRMP institution",
    ),
    "1096440C0": (
        "4400831065",
        "St Marys Hospital-CT general surgery: the 'St Mary's Hospital (Waterbury)' program",
    ),
    "1096440P0": (
        "4400831065",
        "preliminary track of the same program as 1096440C0",
    ),
    "1097440C0": (
        "4400811066",
        "Waterbury Hospital-CT general surgery: the 'Quinnipiac Netter (Waterbury Hospital)' "
        "program",
    ),
    "1097440P0": (
        "4400811066",
        "preliminary track of the same program as 1097440C0",
    ),
    "1102110C0": (
        "1101112190",
        "AdventHealth Florida emergency medicine, which the Florida file names 'Emergency "
        "Medicine/East Orlando': the only AdventHealth emergency medicine program in the list, at "
        "7727 Lake Underhill Road, AdventHealth East Orlando. The Tampa track (1102110C1) is newer "
        "than the list",
    ),
    "1121140C0": (
        "1401611454",
        "MacNeal Hospital-IL internal medicine: the 'Loyola Medicine MacNeal Hospital' program, "
        "Berwyn; Loyola (1170) has its own",
    ),
    "1184400C0": (
        "4003921183",
        "Griffin Memorial Hospital-OK psychiatry: the 'OSU Center for Health Sciences/Griffin "
        "Memorial Hospital' program, Norman",
    ),
    "1201140C0": (
        "1401831137",
        "Central Iowa Health System 'Internal Medicine/IA Methodist': the 'University of Iowa (Des "
        "Moines)' program, whose address is Iowa Methodist Medical Center's internal medicine "
        "residency; the University of Iowa's own name fits it as well",
    ),
    "1201140P0": (
        "1401831137",
        "preliminary track of the same program as 1201140C0",
    ),
    "1201320C0": (
        "3201831082",
        "Central Iowa Health System 'Pediatrics/Blank Childrens': Blank Children's Hospital is "
        "part of Iowa Methodist Medical Center, the program named for it",
    ),
    "1224140C0": (
        "1402121143",
        "LSU SOM-New Orleans internal medicine: the 'Louisiana State University Program' in New "
        "Orleans; University Hospital & Clinics (1225) is Lafayette's",
    ),
    "1224140P0": (
        "1402121143",
        "preliminary track of the same program as 1224140C0",
    ),
    "1225140C0": (
        "1402111144",
        "LSUHSC University Hosps & Clinics internal medicine: the Lafayette program; LSU New "
        "Orleans's (1224140C0) fits the LSU words as well",
    ),
    "1225140P0": (
        "1402111144",
        "preliminary track of the same program as 1225140C0",
    ),
    "1245140P0": (
        "",
        "U Maryland Mercy Med Ctr preliminary medicine: no program in the list is Mercy's, and it "
        "may be a track of a University of Maryland program; neither joined nor listed as missing",
    ),
    "1245140P1": (
        "",
        "as 1245140P0",
    ),
    "1261080A0": (
        "0802431043",
        "Massachusetts Gen Hosp 'Dermatology/Harvard Combined': the Harvard combined dermatology "
        "program, MGH/BIDMC/Brigham",
    ),
    "1284140C0": (
        "1402412180",
        "North Shore Med Ctr/Salem Hosp internal medicine: the Salem Hospital program; its track "
        "'Med-Prelim/Neurology-MGH' names the advanced program's hospital (MGH), which the "
        "program's address (Mass General Brigham Salem Hospital) also shows, so the name rules "
        "take it for another site",
    ),
    "1284140P0": (
        "1402412180",
        "preliminary track of the same program as 1284140C0",
    ),
    "1295140C0": (
        "1402521194",
        "Detroit Med Ctr/WSU 'Int Med/Det/Harper/VA': DMC/WSU's Detroit campus program (4201 St "
        "Antoine, the Harper and Detroit Receiving campus); the Sinai-Grace and Huron Valley-Sinai "
        "programs have their own codes (1295140C1, 1295140C2)",
    ),
    "1295440C1": (
        "4402500418",
        "Detroit Med Ctr/WSU 'General Surgery/Sinai-Grace': the DMC general surgery program at "
        "6071 W Outer Drive, Sinai-Grace Hospital's address (as the DMC/WSU (Sinai Grace) internal "
        "medicine program's)",
    ),
    "1371110C0": (
        "1100321203",
        "U Arizona COM-South Campus emergency medicine: the 'Tucson (South Campus)' program; the "
        "main campus (1015) has its own",
    ),
    "1386140C0": (
        "1403321228",
        "Englewood Hosp-NJ internal medicine: the 'Hackensack UMC/Englewood Hospital and Medical "
        "Center' program; Hackensack (1387) has its own",
    ),
    "1393140C0": (
        "1403311234",
        "Mountainside Hosp-NJ internal medicine: the 'Hackensack University Medical Center "
        "(Mountainside)' program, Montclair",
    ),
    "1393140P0": (
        "1403311234",
        "preliminary track of the same program as 1393140C0",
    ),
    "1518120C0": (
        "1203521216",
        "St Josephs Health-NY family medicine: the 'St Joseph's Health/SUNY HSC at Syracuse' "
        "program; St Joseph's in Yonkers is NYMC's (1525)",
    ),
    "1551140C0": (
        "1403811333",
        "Jewish Hospital-OH internal medicine: the 'Jewish Hospital of Cincinnati' program; U "
        "Cincinnati (1548) has its own",
    ),
    "1551140P0": (
        "1403811333",
        "preliminary track of the same program as 1551140C0",
    ),
    "1606120C0": (
        "1204131261",
        "Bryn Mawr Hospital 'Family Medicine/Bryn Mawr FP': the Main Line Health System/Bryn Mawr "
        "Hospital program",
    ),
    "1612110C0": (
        "1104100208",
        "St Vincent Hlth Ctr-PA emergency medicine: the Allegheny Health Network program in Erie, "
        "where Saint Vincent is AHN's hospital",
    ),
    "1628140C0": (
        "1404121380",
        "Hosp of the Univ of PA (HUP) internal medicine is the University of Pennsylvania Health "
        "System program. Its name fits Pennsylvania Hospital's own program as well, which is "
        "NRMP's Pennsylvania Hospital (1639140C0)",
    ),
    "1628140C1": (
        "1404121380",
        "ABIM research pathway of the same program as 1628140C0",
    ),
    "1628140M0": (
        "1404121380",
        "primary-care track of the same program as 1628140C0",
    ),
    "1628220C0": (
        "2204111256",
        "HUP obstetrics-gynecology: the UPHS program; see 1628140C0",
    ),
    "1628300C0": (
        "3004121314",
        "HUP pathology: the UPHS program; see 1628140C0",
    ),
    "1628300C1": (
        "3004121314",
        "HUP pathology AP/NP track: the UPHS program; see 1628140C0",
    ),
    "1628300C2": (
        "3004121314",
        "HUP pathology AP-only track: the UPHS program; see 1628140C0",
    ),
    "1628300C3": (
        "3004121314",
        "HUP pathology CP-only track: the UPHS program; see 1628140C0",
    ),
    "1631110C0": (
        "1104121122",
        "Einstein Philadelphia emergency medicine; see 2206110C0",
    ),
    "1631120C0": (
        "1204100714",
        "Einstein Philadelphia family medicine; see 2206110C0",
    ),
    "1631140C0": (
        "1404111369",
        "Einstein Philadelphia internal medicine (5401 Old York Road); see 2206110C0",
    ),
    "1631140P0": (
        "1404111369",
        "preliminary track of the same program as 1631140C0",
    ),
    "1631140P1": (
        "1404111369",
        "preliminary track of the same program as 1631140C0",
    ),
    "1631140P4": (
        "1404111369",
        "preliminary track of the same program as 1631140C0",
    ),
    "1631420A0": (
        "4204121165",
        "Einstein Philadelphia diagnostic radiology; see 2206110C0",
    ),
    "1639140C0": (
        "1404111376",
        "Pennsylvania Hospital internal medicine is the 'Pennsylvania Hospital of the University "
        "of Pennsylvania Health System' program; HUP's is the UPHS program (1628140C0)",
    ),
    "1639140P0": (
        "1404111376",
        "preliminary track of the same program as 1639140C0",
    ),
    "1639220C0": (
        "2204111252",
        "Pennsylvania Hospital obstetrics-gynecology; see 1639140C0",
    ),
    "1639300C0": (
        "3004111318",
        "Pennsylvania Hospital pathology; see 1639140C0",
    ),
    "1699140C0": (
        "1404721478",
        "UT Ascension St Thomas 'Internal Med/Midtown': the University of Tennessee (Nashville) "
        "program at Ascension Saint Thomas Midtown",
    ),
    "1699140P0": (
        "1404721478",
        "preliminary track of the same program as 1699140C0",
    ),
    "1699440C0": (
        "4404700378",
        "UT Ascension St Thomas 'General Surgery/West': the University of Tennessee College of "
        "Medicine (Nashville) program at Ascension Saint Thomas West",
    ),
    "1800110C0": (
        "1101012181",
        "MedStar Washington Hosp Ctr 'Emergency Med/Georgetown-WHC': the only MedStar emergency "
        "medicine program, Georgetown-Washington Hospital Center",
    ),
    "1800140C0": (
        "1401011097",
        "MedStar Washington Hosp Ctr internal medicine: the 'MedStar Health/Georgetown-Washington "
        "Hospital Center' program; Georgetown's own is 1801140C0",
    ),
    "1800140P0": (
        "1401011097",
        "preliminary track of the same program as 1800140C0",
    ),
    "1801440C0": (
        "4401000072",
        "MedStar Georgetown 'General Surgery/Georgetown-WHC': the 'MedStar "
        "Health/Georgetown-Washington Hospital' general surgery program",
    ),
    "1801440P0": (
        "4401000072",
        "preliminary track of the same program as 1801440C0",
    ),
    "1825120C0": (
        "1204811311",
        "UT Rio Grande Valley 'Family Medicine/McAllen Med Ctr': the 'University of Texas RGV "
        "(MMC)' program; MMC is McAllen Medical Center",
    ),
    "1844120C1": (
        "1204721299",
        "U Tennessee HSC 'Family Med/Jackson': the University of Tennessee (Jackson) program; the "
        "Memphis qualifier of the NRMP name is the college's",
    ),
    "1844260C0": (
        "2604721061",
        "U Tennessee HSC-Memphis orthopaedic surgery: the University of Tennessee/Campbell Clinic "
        "program, Memphis",
    ),
    "1956110C0": (
        "1100512003",
        "UCLA Med Ctr emergency medicine: the 'UCLA/UCLA Medical Center/Olive View' program, "
        "UCLA's emergency medicine residency",
    ),
    "1956140C0": (
        "1400511046",
        "UCLA Med Ctr internal medicine: the UCLA David Geffen School of Medicine/UCLA Medical "
        "Center program; Olive View-UCLA's is NRMP's 2950 and the VA's its own",
    ),
    "1956140C1": (
        "1400511046",
        "research track of the same program as 1956140C0",
    ),
    "2011120C0": (
        "1203831243",
        "Wright State Univ Boonshoft SOM family medicine: the 'Wright State University/Dayton "
        "Community Hospitals' program",
    ),
    "2032120C0": (
        "1204521375",
        "McLeod 'Family Med/Urban Florence': the McLeod Regional Medical Center program; the rural "
        "one is named (Rural)",
    ),
    "2070220C0": (
        "2203511204",
        "ISMMS Mount Sinai Morningside-West obstetrics-gynecology: the 'Icahn School of Medicine "
        "at Mount Sinai/West' program; Mount Sinai Hospital's (1490) fits the school name as well",
    ),
    "2070420A0": (
        "4203521224",
        "ISMMS Mount Sinai West diagnostic radiology; see 2070220C0",
    ),
    "2187140C0": (
        "1403500922",
        "Zucker SOM-Northwell Mather Hosp: the program named 'at Mather Hospital'; Northwell's "
        "school name (1700's alias) fits it too",
    ),
    "2187416A0": (
        "4163500015",
        "Mather Hospital interventional radiology; see 2187140C0",
    ),
    "2187420A0": (
        "4203500255",
        "Mather Hospital diagnostic radiology; see 2187140C0",
    ),
    "2189120C1": (
        "1203800706",
        "UH Community Consortium 'Fam Med/Osteo/Regionals': the Richmond Heights program (UH "
        "Regional Hospitals)",
    ),
    "2189140C1": (
        "1403800541",
        "UH Community Consortium 'Internal Medicine/Regionals': the Richmond Heights program (UH "
        "Regional Hospitals); St John (SJMC) is the Westlake program",
    ),
    "2206110C0": (
        "1104100213",
        "NRMP's Albert Einstein Healthcare Network (2206) is the Montgomery hospital: its internal "
        "medicine track is 'Internal Med/Montgomery' and its family medicine code 2206120C0 is "
        "the Montgomery program. Albert Einstein Med Ctr (1631) is the Philadelphia medical "
        "center. Both list emergency medicine, family medicine and radiology; ACGME has one of "
        "each in Philadelphia and one at Montgomery (East Norriton/Norristown). The network's name "
        "fits the Philadelphia programs best, so the name join was wrong",
    ),
    "2206120C0": (
        "1204100709",
        "Einstein Montgomery family medicine (Norristown); see 2206110C0",
    ),
    "2206420A0": (
        "4204100242",
        "Einstein Montgomery diagnostic radiology (East Norriton); see 2206110C0",
    ),
    "2223120C0": (
        "1203100702",
        "Valley Hosp Med Ctr-NV family medicine: the 'OPTI West/Valley Hospital (Las Vegas)' "
        "program at Valley Hospital Medical Center, 620 Shadow Lane",
    ),
    "2229120C0": (
        "1204100702",
        "Lower Bucks Hosp-PA family medicine: the 'Suburban Community Hospital (Lower Bucks "
        "Hospital)' program in Bristol, where Lower Bucks Hospital is; Suburban (East Norriton) is "
        "NRMP's 1970",
    ),
    "2229140C0": (
        "1404100909",
        "Lower Bucks Hospital internal medicine; see 2229120C0",
    ),
    "2250120C0": (
        "1200400729",
        "Conway Reg Health Sys family medicine: the Conway program; its rural track (2250120C1) is "
        "the Dardanelle program",
    ),
    "2250120C1": (
        "1200400002",
        "Conway Reg Health Sys 'Family Medicine/Rural': the Conway Regional Dardanelle program",
    ),
    "2319260C0": (
        "2603500224",
        "Zucker SOM-Northwell Huntington Hosp: the program named 'at Huntington Hospital'; see "
        "2187140C0",
    ),
    "2923120C0": (
        "1204821490",
        "U Texas Med Sch-Houston 'Family Medicine/HH/LBJ': the UT Health Science Center at Houston "
        "program (Harris Health's LBJ hospital)",
    ),
    "2947140C0": (
        "1400100893",
        "U Alabama SOM-Huntsville IM is the program at the UAB Huntsville Regional Medical Campus, "
        "Huntsville; see 1007140C0",
    ),
    "2950140C0": (
        "1400521047",
        "Olive View-UCLA Med Ctr internal medicine: the 'Olive View/UCLA Medical Center' program, "
        "Sylmar; UCLA's primary-care track there (1956140M1) is left out",
    ),
    "2950140P0": (
        "1400521047",
        "preliminary track of the same program as 2950140C0",
    ),
    "2950140P2": (
        "1400521047",
        "preliminary track of the same program as 2950140C0",
    ),
    "2950140P3": (
        "1400521047",
        "preliminary track of the same program as 2950140C0",
    ),
    "2978180A0": (
        "1803521077",
        "NYU Grossman neurology, 'NYU Man' (Manhattan): the only NYU Grossman neurology program in "
        "the list, at 222 E 41st Street",
    ),
    "2978440C0": (
        "4403521394",
        "NYU Grossman general surgery, 'NYU Man' (Manhattan): the program at 550 First Avenue; the "
        "Brooklyn program has its own code (2978440C1, 'NYU Bkln')",
    ),
    "3066120C0": (
        "1205521335",
        "Marshall University SOM-WV family medicine: the Marshall University School of Medicine "
        "program, Huntington; the Marshall Community Health Consortium's is in Gallipolis, Ohio",
    ),
    "3172140C4": (
        "1403500002",
        "Jacobi Med Ctr 'Internal Med/N Central Bronx': the 'Jacobi Medical Center/North Central "
        "Bronx Hospital' program",
    ),
    "3200260C0": (
        "2600300207",
        "Mayo Clinic School of Grad Med Educ-AZ orthopaedic surgery: the Mayo Clinic (Arizona) "
        "program; U Arizona COM-Phoenix fits its Arizona and Phoenix words",
    ),
    "3200440C0": (
        "4400321402",
        "Mayo Clinic (Arizona) general surgery; see 3200260C0",
    ),
    "3200440P0": (
        "4400321402",
        "preliminary track of the same program as 3200440C0",
    ),
    "3211140C0": (
        "1403321531",
        "St Peters University Hosp-NJ internal medicine: the 'Saint Peter's University "
        "Hospital/Rutgers RWJ' program; RWJ (2918) has its own",
    ),
    "3211140P0": (
        "1403321531",
        "preliminary track of the same program as 3211140C0",
    ),
    "3211220C0": (
        "2203312362",
        "Saint Peter's obstetrics-gynecology; see 3211140C0",
    ),
}


@dataclass(frozen=True)
class NrmpTrack:
    """One NRMP program code to join, with everything the matcher may use."""

    code: str
    institution_code: str
    names: tuple[str, ...]
    states: frozenset[str]
    track_name: str
    specialty_code: str
    site: Site
    constraints: tuple[Site, ...]
    source: str
    years: frozenset[int]

    @property
    def primary(self) -> bool:
        """A primary-care track: type M, or "Primary" in its name ("Pediatrics-Primary")."""
        track_type = NRMP_CODE.match(self.code).group("track")
        return track_type == "M" or bool(_PRIMARY_TRACK.search(_fold(self.track_name)))


def read_csv(path: Path) -> list[dict[str, str]]:
    """The rows of a UTF-8 CSV file; a byte-order mark, if any, is not part of the header."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def specific_site(site: Site, names: Iterable[str]) -> Site:
    """The part of a site that tells it apart from the institution itself.

    Words of the institution's own name are dropped: "Family Medicine/Columbia" at "Prisma
    Health-U of SC SOM Columbia" names no other place, so it is no site. A site of common words
    only ("Clin Ed", "Univ Hosp") is no site either, nor an alternative of common words only
    ("Comm" in "Diversity & Comm"). What is left loses its common words if anything more
    telling remains (``telling_words``): "Denver Hlth" at "U Colorado SOM-Denver" is found by
    ``health``. When any alternative is left empty, there is no site.
    """
    own = {word for name in names for word in name_form(name).words}
    alternatives = []
    for words in site:
        if all(word in WEAK_WORDS for word in words):
            continue
        left = telling_words(word for word in words if word not in own)
        if not left:
            return ()
        alternatives.append(left)
    return tuple(alternatives)


def _names(institution_code: str, *names: str) -> tuple[str, ...]:
    alias = INSTITUTION_ALIASES.get(institution_code)
    found = [name.strip() for name in names if name.strip()]
    if alias:
        found.append(alias[0])
    return tuple(dict.fromkeys(found))


def read_wavegate_tracks(raw_dir: Path) -> tuple[list[NrmpTrack], list[str]]:
    """The wavegate NRMP codes as tracks to join, and the codes that could not be read."""
    institutions = institution_states(read_csv(raw_dir / WAVEGATE_INSTITUTIONS_FILE))
    tracks: dict[str, NrmpTrack] = {}
    unreadable: list[str] = []
    for row in read_csv(raw_dir / WAVEGATE_PROGRAMS_FILE):
        code = row["code"].strip()
        match = NRMP_CODE.match(code)
        institution = institutions.get(code[:4])
        if not match or not institution:
            unreadable.append(code)
            continue
        names = _names(institution.code, institution.name)
        site = aliased_site(institution.code, specific_site(track_site(row["name"]), names))
        tracks.setdefault(
            code,
            NrmpTrack(
                code=code,
                institution_code=institution.code,
                names=names,
                states=institution.states,
                track_name=row["name"].strip(),
                specialty_code=match.group("specialty"),
                site=site,
                constraints=(site,) if site else (),
                source="wavegate",
                years=frozenset({WAVEGATE_YEAR}),
            ),
        )
    return sorted(tracks.values(), key=lambda track: track.code), sorted(unreadable)


# Florida program results ---------------------------------------------------------------------


@dataclass(frozen=True)
class FloridaRow:
    """One code of the Florida results file, with (quota, matched) per Match year."""

    code: str
    table: str
    institution: str
    institution_cleaned: str
    city: str
    specialty: str
    counts: dict[int, tuple[int, int]]

    @property
    def years(self) -> list[int]:
        """The Match years the code took part in (a 0/0 year is a year it did not)."""
        return sorted(year for year, pair in self.counts.items() if pair != (0, 0))


def read_florida(raw_dir: Path) -> list[FloridaRow]:
    """The Florida rows, one per code: a code listed twice keeps each year's nonzero figures."""
    path = raw_dir / FLORIDA_FILE
    if not path.is_file():
        return []
    by_code: dict[str, FloridaRow] = {}
    for row in read_csv(path):
        code = row["Program Code"].strip()
        counts = {
            year: (_count(row[f"{year} Quota"]), _count(row[f"{year} Matched"]))
            for year in FLORIDA_YEARS
        }
        current = FloridaRow(
            code=code,
            table=row["Table"].strip(),
            institution=row["Sponsoring Institution"].strip(),
            institution_cleaned=row["Sponsoring Institution Cleaned"].strip(),
            city=row["City Cleaned"].strip(),
            specialty=row["Specialty"].strip(),
            counts=counts,
        )
        earlier = by_code.get(code)
        if earlier is None:
            by_code[code] = current
        else:
            merged = {
                year: earlier.counts[year] if earlier.counts[year] != (0, 0) else pair
                for year, pair in counts.items()
            }
            by_code[code] = FloridaRow(**{**earlier.__dict__, "counts": merged})
    return sorted(by_code.values(), key=lambda row: row.code)


def _count(value: str) -> int:
    value = value.strip()
    return int(value) if value.isdigit() else 0


_CITY_STATE = re.compile(r"\(([A-Z]{2})\)\s*$")


def florida_city(city: str) -> tuple[str, str]:
    """A Florida-file city and its state: "Atlanta (GA)" is in Georgia, anything else in FL."""
    match = _CITY_STATE.search(city)
    if match and match.group(1) in US_STATES:
        return city[: match.start()].strip(), match.group(1)
    return city.strip(), "FL"


def florida_track(row: FloridaRow, wavegate: NrmpTrack | None) -> NrmpTrack | None:
    """A Florida row as a track to join.

    A code the wavegate list also has keeps that entry, and a site named in the Florida track
    name ("Psychiatry/JFK North") must also be found, so a code whose site changed between the
    two lists is dropped. A code only Florida has is matched on its own institution names
    (NRMP label and the file's cleaned one, which may name the site: "Florida State University
    COM (Pensacola)") and must be in the city the file gives. That city is not required of
    wavegate codes: the file often gives the sponsor's head-office city.
    """
    match = NRMP_CODE.match(row.code)
    if not match:
        return None
    institution_code = match.group("institution")
    if wavegate is not None:
        site = aliased_site(
            institution_code, specific_site(track_site(row.specialty), wavegate.names)
        )
        constraints = wavegate.constraints
        if site and site not in constraints:
            constraints = (*constraints, site)
        return NrmpTrack(
            **{
                **wavegate.__dict__,
                "site": wavegate.site or site,
                "constraints": constraints,
                "years": wavegate.years | set(row.years),
            }
        )
    city, state = florida_city(row.city)
    names = _names(institution_code, row.institution, row.institution_cleaned)
    own = (row.institution,)
    site = aliased_site(institution_code, specific_site(track_site(row.specialty), own))
    city_site = specific_site(((site_words(city),) if site_words(city) else ()), own)
    return NrmpTrack(
        code=row.code,
        institution_code=institution_code,
        names=names,
        states=frozenset({state}),
        track_name=row.specialty,
        specialty_code=match.group("specialty"),
        site=site,
        constraints=tuple(found for found in (site, city_site) if found),
        source="florida",
        years=frozenset(row.years),
    )


# Matching ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    """Where one code goes: an ACGME ID and the rule, or no ID and the reason. The score, the
    runner-up's score and the rival that blocked a join are kept for reviewing decisions."""

    code: str
    acgme_id: str = ""
    rule: str = ""
    reason: str = ""
    score: float = 0.0
    runner_up: float = 0.0
    rival: str = ""


class Matcher:
    """Scores NRMP tracks against the ACGME programs of their specialty and state."""

    def __init__(self, programs: list[dict[str, str]], tracks: list[NrmpTrack]):
        self.weights = word_weights(programs)
        self.programs = {row["acgme_id"]: program_text(row) for row in programs}
        self.by_specialty_state: dict[tuple[str, str], list[ProgramText]] = defaultdict(list)
        for text in sorted(self.programs.values(), key=lambda text: text.acgme_id):
            self.by_specialty_state[(text.specialty_code, text.state)].append(text)
        self.specialties = {text.specialty_code for text in self.programs.values()}
        self.forms = {
            track.code: tuple(name_form(name) for name in track.names) for track in tracks
        }
        claimed: set[str] = set()
        for track in tracks:
            for form in self.forms[track.code]:
                claimed |= form.words
            for site in track.constraints:
                claimed |= {word for words in site for word in words}
        self.claimed = frozenset(claimed)
        self._fits: dict[tuple[str, str], Score] = {}

    def candidates(self, track: NrmpTrack) -> list[ProgramText]:
        found: list[ProgramText] = []
        for state in sorted(track.states):
            found.extend(self.by_specialty_state.get((track.specialty_code, state), []))
        return found

    def fit(self, track: NrmpTrack, program: ProgramText) -> Score:
        """The track's score on a program: the best of its names whose qualifier is there,
        and no fit at all when a site the track names is not there."""
        key = (track.code, program.acgme_id)
        if key not in self._fits:
            self._fits[key] = self._fit(track, program)
        return self._fits[key]

    def _fit(self, track: NrmpTrack, program: ProgramText) -> Score:
        if program.primary_care and not track.primary:
            return NO_FIT
        if not all(site_found(site, program) for site in track.constraints):
            return NO_FIT
        site_words_ = frozenset(
            word for site in track.constraints for words in site for word in words
        )
        best = NO_FIT
        for form in self.forms[track.code]:
            if form.qualifier and not set(form.qualifier) <= program.all_words:
                continue
            explained = form.words | site_words_ | _specialty_words(track.track_name)
            score = score_candidate(form.words, explained, program, self.weights, self.claimed)
            if score.value > best.value:
                best = score
        return best

    def decide(self, tracks: list[NrmpTrack]) -> dict[str, Decision]:
        """One decision per code: the ACGME program it joins, or why it joins none."""
        rivals: dict[tuple[str, str], list[NrmpTrack]] = defaultdict(list)
        siblings: dict[tuple[str, str], list[NrmpTrack]] = defaultdict(list)
        for track in tracks:
            for state in track.states:
                rivals[(track.specialty_code, state)].append(track)
            siblings[(track.institution_code, track.specialty_code)].append(track)
        decisions = {}
        for track in tracks:
            decision = self._best(track, siblings[(track.institution_code, track.specialty_code)])
            if decision.acgme_id and decision.rule != RULE_OVERRIDE:
                decision = self._check_mutual(track, decision, rivals)
            decisions[track.code] = decision
        return _drop_site_conflicts(tracks, decisions)

    def _best(self, track: NrmpTrack, siblings: list[NrmpTrack]) -> Decision:
        override = CODE_OVERRIDES.get(track.code)
        if override is not None:
            acgme_id = override[0]
            if not acgme_id:
                return Decision(track.code, reason="reviewed override: never joined")
            program = self.programs.get(acgme_id)
            if program is None or program.specialty_code != track.specialty_code:
                return Decision(track.code, reason="reviewed override names no such program")
            return Decision(track.code, acgme_id, RULE_OVERRIDE, score=1.0)
        if track.specialty_code not in self.specialties:
            return Decision(track.code, reason="no ACGME program has this specialty code")
        if not track.states:
            return Decision(track.code, reason="institution state unknown")
        candidates = self.candidates(track)
        if not candidates:
            return Decision(track.code, reason="no ACGME program in this specialty and state")
        candidates = _not_other_sites(track, siblings, candidates)
        if not candidates:
            return Decision(track.code, reason="only programs of the institution's other sites")
        scored = sorted(
            ((self.fit(track, program), program) for program in candidates),
            key=lambda pair: (-pair[0].value, pair[1].acgme_id),
        )
        if track.primary:
            scored = _primary_care_first(scored)
        best_score, best = scored[0]
        runner_up = scored[1][0].value if len(scored) > 1 else 0.0
        if best_score.value == 0.0:
            return Decision(track.code, reason="site or name qualifier not found")
        if not _sole_full_fit(scored):
            if best_score.coverage < MIN_COVERAGE or best_score.value < MIN_SCORE:
                return Decision(
                    track.code,
                    reason="name too different",
                    score=best_score.value,
                    runner_up=runner_up,
                )
            if best_score.value - runner_up < MIN_MARGIN:
                return Decision(
                    track.code,
                    reason="ambiguous: several programs fit",
                    score=best_score.value,
                    runner_up=runner_up,
                )
        rule = RULE_NAME_SITE if track.constraints else RULE_NAME
        if track.source == "florida":
            rule = RULE_FLORIDA_PREFIX + rule
        return Decision(
            track.code, best.acgme_id, rule, score=best_score.value, runner_up=runner_up
        )

    def _check_mutual(
        self,
        track: NrmpTrack,
        decision: Decision,
        rivals: dict[tuple[str, str], list[NrmpTrack]],
    ) -> Decision:
        program = self.programs[decision.acgme_id]
        own = self.fit(track, program).value
        for rival in rivals.get((track.specialty_code, program.state), []):
            if _same_program_group(track, rival):
                continue
            fit = self.fit(rival, program)
            if fit.coverage >= MIN_COVERAGE and fit.value > own - MIN_MARGIN:
                return Decision(
                    track.code,
                    reason="another NRMP institution or site fits the program as well",
                    score=decision.score,
                    runner_up=decision.runner_up,
                    rival=rival.code,
                )
        return decision


def _not_other_sites(
    track: NrmpTrack, siblings: list[NrmpTrack], candidates: list[ProgramText]
) -> list[ProgramText]:
    """The candidates of a track naming no site, less the programs where another track of the
    same institution, specialty and kind (categorical, preliminary...) finds the site it names.

    An institution's bare track ("Family Medicine") is its main program; its other sites have
    tracks of their own ("Family Medicine/Seneca", "Family Medicine/Greer"), so the programs at
    those sites are not the bare track's. Tracks of another kind are no evidence: a preliminary
    year's suffix may name the advanced program's hospital ("Med-Prelim/Neurology-MGH"). A
    track naming a site is left as it is: its site already picks its program.
    """
    if track.site:
        return candidates
    kind = NRMP_CODE.match(track.code).group("track")
    sites = [
        sibling.constraints
        for sibling in siblings
        if sibling.code != track.code
        and sibling.site
        and sibling.years & track.years
        and NRMP_CODE.match(sibling.code).group("track") == kind
    ]
    return [
        program
        for program in candidates
        if not any(all(site_found(site, program) for site in found) for found in sites)
    ]


def _specialty_words(track_name: str) -> frozenset[str]:
    """The words of a track's specialty ("Family Medicine/Rural": ``family``), which explain
    the same words in a program name ("Providence Hospital/Alaska Family Medicine Program")
    without saying which institution it is. Kind words ("medical") are left out: they would
    explain "Medical Center" too."""
    return frozenset(name_tokens(split_track(track_name)[0])) - KIND_WORDS


# A whole NRMP name found in a program counts as this sure (coverage is a weighted share, so a
# full match can fall a rounding error short of 1).
FULL_COVERAGE = 0.999


def _sole_full_fit(scored: list[tuple[Score, ProgramText]]) -> bool:
    """Whether the best program is the only one that has every word of the NRMP name, and no
    other program has even MIN_COVERAGE of it.

    Precision and the margin tell a flagship from a sister hospital named like it ("Henry
    Ford Hospital", "Henry Ford Wyandotte Hospital"); where no other program of the specialty
    and state carries the name at all, a program name with more words than the NRMP label
    ("Arrowhead Regional Medical Center/Kaiser Permanente (Fontana)" for "Arrowhead Reg Med
    Ctr") has no rival to be confused with. The mutual-best check still applies.
    """
    best = scored[0][0]
    return (
        best.coverage > FULL_COVERAGE
        and best.precision > 0
        and all(score.coverage < MIN_COVERAGE for score, _ in scored[1:])
    )


def _primary_care_first(
    scored: list[tuple[Score, ProgramText]],
) -> list[tuple[Score, ProgramText]]:
    """For a primary-care track, the separate ACGME primary-care programs if one fits, else the
    others: "Medicine-Primary" at Yale is the "Yale-New Haven Medical Center (Primary Care)"
    program, at most places it is a track of the main internal medicine program."""
    fitting = [
        pair
        for pair in scored
        if pair[1].primary_care and pair[0].coverage >= MIN_COVERAGE and pair[0].value >= MIN_SCORE
    ]
    if fitting:
        return [pair for pair in scored if pair[1].primary_care]
    return [pair for pair in scored if not pair[1].primary_care]


def _same_program_group(track: NrmpTrack, rival: NrmpTrack) -> bool:
    """Whether a rival track is no evidence against ``track``.

    Tracks of one institution naming the same site (or none) are one program's tracks. A rival
    naming no site is less specific than a track naming one, so fitting as well says nothing
    against it. Codes never used in the same Match are a program's old and new codes
    (Kendall Regional's 1697140C0 until 2021, then 2232140C2), not rivals.
    """
    if not track.years & rival.years:
        return True
    if track.institution_code != rival.institution_code:
        return False
    return rival.site == track.site or not rival.site


def _drop_site_conflicts(
    tracks: list[NrmpTrack], decisions: dict[str, Decision]
) -> dict[str, Decision]:
    """Two tracks of one institution naming different sites, used in the same Match, cannot be
    the same program: both are dropped."""
    by_program: dict[tuple[str, str], list[NrmpTrack]] = defaultdict(list)
    for track in tracks:
        decision = decisions[track.code]
        if decision.acgme_id and track.site:
            by_program[(track.institution_code, decision.acgme_id)].append(track)
    result = dict(decisions)
    for group in by_program.values():
        for track in group:
            if any(other.site != track.site and other.years & track.years for other in group):
                result[track.code] = Decision(
                    track.code, reason="tracks naming different sites fit one program"
                )
    return result


# Building the output rows ------------------------------------------------------------------


@dataclass(frozen=True)
class Join:
    """Everything one run of the join found, for the rows and the build report."""

    tracks: list[NrmpTrack]
    decisions: dict[str, Decision]
    florida: list[FloridaRow]
    unreadable: list[str]

    @property
    def latest_florida_year(self) -> int:
        """The latest Match in the Florida file: its codes are the ones still in use."""
        return max((year for row in self.florida for year in row.years), default=0)

    def is_current(self, track: NrmpTrack) -> bool:
        """A wavegate code, or a Florida code used in the file's latest Match."""
        return track.source == "wavegate" or self.latest_florida_year in track.years


def join_codes(raw_dir: Path, programs: list[dict[str, str]]) -> Join:
    """Match the NRMP codes of both raw files, the wavegate list and the Florida results.

    Both lists take part in one run, so every code's rivals include the other list's codes, and
    a code in both is checked against both (see ``florida_track``).
    """
    wavegate, unreadable = read_wavegate_tracks(raw_dir)
    by_code = {track.code: track for track in wavegate}
    florida = read_florida(raw_dir)
    for row in florida:
        track = florida_track(row, by_code.get(row.code))
        if track is None:
            unreadable.append(row.code)
        else:
            by_code[row.code] = track
    tracks = sorted(by_code.values(), key=lambda track: track.code)
    decisions = Matcher(programs, tracks).decide(tracks)
    return Join(tracks, decisions, florida, sorted(unreadable))


def build_nrmp_codes(
    raw_dir: Path, programs: list[dict[str, str]], note: Callable[[str], None]
) -> list[dict[str, str]]:
    """NRMP program codes joined to ACGME programs, one row per confidently joined code.

    A program page needs the codes an applicant ranks, so only confident joins are kept (see the
    module docstring) and only codes in use: the wavegate list (about the 2024 Match) and
    Florida codes used in the Florida file's latest Match. A program may have several codes
    (categorical, preliminary, primary-care, research tracks). Sorted by ACGME ID, then code.
    """
    join = join_codes(raw_dir, programs)
    rows = []
    for track in join.tracks:
        decision = join.decisions[track.code]
        if decision.acgme_id and join.is_current(track):
            rows.append(
                {
                    "acgme_id": decision.acgme_id,
                    "nrmp_code": track.code,
                    "track_name": track.track_name,
                    "match_rule": decision.rule,
                }
            )
    rows.sort(key=lambda row: (row["acgme_id"], row["nrmp_code"]))
    _report_codes(join, programs, rows, note)
    return rows


# Words that say where an institution is, not which one: "AdventHealth Florida" shares
# ``florida`` with every Florida program.
STATE_TOKENS = frozenset(token for state in US_STATES.values() for token in name_tokens(state))


def build_unlisted_codes(
    raw_dir: Path, programs: list[dict[str, str]], note: Callable[[str], None]
) -> list[dict[str, str]]:
    """Codes of the wavegate list (about the 2024 Match) that are clearly programs the
    2021-22 ACGME listing lacks, for curators to review: most were accredited since.

    A code is listed only when it joins no program and nothing suggests a listed program is
    its own under another name: no ACGME program of its specialty in its institution's state
    shares a word of any of the institution's names (its NRMP label and reviewed alias, less
    kind words such as "Hospital" and the state's own name), no program of the specialty
    anywhere names the site its track names ("Trans/Anesthesiology Santa Clara"), and no
    sponsor the institution's other codes join has a program of the specialty in the state.
    Codes of NRMP-only specialties (combined programs the listing does not hold separately),
    of institutions in several states and of reviewed overrides are left out. Sorted by code.
    """
    join = join_codes(raw_dir, programs)
    texts: dict[tuple[str, str], list[ProgramText]] = defaultdict(list)
    by_specialty: dict[str, list[ProgramText]] = defaultdict(list)
    for row in programs:
        text = program_text(row)
        texts[(text.specialty_code, text.state)].append(text)
        by_specialty[text.specialty_code].append(text)
    sponsor = {row["acgme_id"]: row.get("sponsor_code", "") for row in programs}
    sponsored: set[tuple[str, str, str]] = {
        (row.get("sponsor_code", ""), row["specialty_code"], row.get("state", ""))
        for row in programs
    }
    institution_sponsors: dict[str, set[str]] = defaultdict(set)
    for track in join.tracks:
        decision = join.decisions[track.code]
        if decision.acgme_id and sponsor[decision.acgme_id]:
            institution_sponsors[track.institution_code].add(sponsor[decision.acgme_id])
    rows = []
    for track in join.tracks:
        decision = join.decisions[track.code]
        if (
            track.source != "wavegate"
            or decision.acgme_id
            or track.code in CODE_OVERRIDES
            or track.specialty_code not in by_specialty
            or len(track.states) != 1
        ):
            continue
        (state,) = track.states
        if _may_be_listed(track, state, texts, by_specialty, institution_sponsors, sponsored):
            continue
        reason = (
            f"no program of this specialty in {state} carries the institution's name"
            if texts.get((track.specialty_code, state))
            else f"no program of this specialty in {state}"
        )
        rows.append(
            {
                "nrmp_code": track.code,
                "track_name": track.track_name,
                "institution_name": institution_name(track.names[0]),
                "institution_state": state,
                "specialty_code": track.specialty_code,
                "reason": f"{reason} in the 2021-22 ACGME listing",
            }
        )
    note(
        f"NRMP codes: {len(rows)} codes of the wavegate list look like programs the ACGME "
        f"listing lacks ({len({row['nrmp_code'][:4] for row in rows})} institutions)."
    )
    return rows


def _may_be_listed(
    track: NrmpTrack,
    state: str,
    texts: dict[tuple[str, str], list[ProgramText]],
    by_specialty: dict[str, list[ProgramText]],
    institution_sponsors: dict[str, set[str]],
    sponsored: set[tuple[str, str, str]],
) -> bool:
    """Whether a listed program may be the unjoined track's own (see ``build_unlisted_codes``):
    a name with nothing but kind and state words cannot tell."""
    candidates = texts.get((track.specialty_code, state), [])
    for name in track.names:
        identity = name_form(name).words - KIND_WORDS - NON_IDENTIFYING - STATE_TOKENS
        if not identity or any(identity & program.all_words for program in candidates):
            return True
    if track.constraints and any(
        all(site_found(site, program) for site in track.constraints)
        for program in by_specialty[track.specialty_code]
    ):
        return True
    return any(
        (code, track.specialty_code, state) in sponsored
        for code in institution_sponsors[track.institution_code]
    )


def build_program_results(
    raw_dir: Path,
    programs: list[dict[str, str]],
    codes: list[dict[str, str]],
    note: Callable[[str], None],
) -> list[dict[str, str]]:
    """NRMP positions offered and matched per Florida program code and Match year.

    Gives a program page its fill history. One row per joined code and year it took part in (0
    offered and 0 matched means it did not). Codes are joined through ``codes`` (the rows of
    ``build_nrmp_codes``); Florida codes no longer in use, which ``codes`` leaves out, are joined
    by the same rules here, so a program's history under an old code is kept. Sorted by ACGME
    ID, code and year.
    """
    florida = read_florida(raw_dir)
    if not florida:
        note("NRMP program results: no Florida results file, no rows.")
        return []
    acgme_by_code = {row["nrmp_code"]: row["acgme_id"] for row in codes}
    join = join_codes(raw_dir, programs)
    tracks = {track.code: track for track in join.tracks}
    retired = 0
    for row in florida:
        track = tracks.get(row.code)
        decision = join.decisions.get(row.code)
        if row.code in acgme_by_code or track is None or join.is_current(track):
            continue
        if decision is not None and decision.acgme_id:
            acgme_by_code[row.code] = decision.acgme_id
            retired += 1
    rows = []
    joined: Counter[str] = Counter()
    for row in florida:
        acgme_id = acgme_by_code.get(row.code)
        if not acgme_id:
            continue
        joined[row.table] += 1
        for year in row.years:
            offered, matched = row.counts[year]
            rows.append(
                {
                    "acgme_id": acgme_id,
                    "nrmp_code": row.code,
                    "year": str(year),
                    "positions_offered": str(offered),
                    "matched": str(matched),
                    "table": row.table,
                }
            )
    rows.sort(key=lambda row: (row["acgme_id"], row["nrmp_code"], row["year"]))
    _report_results(florida, rows, joined, retired, join.latest_florida_year, note)
    return rows


def _report_codes(
    join: Join,
    programs: list[dict[str, str]],
    rows: list[dict[str, str]],
    note: Callable[[str], None],
) -> None:
    wavegate = [track for track in join.tracks if track.source == "wavegate"]
    joined = {row["nrmp_code"] for row in rows}
    florida_only = sum(track.source == "florida" and track.code in joined for track in join.tracks)
    in_wavegate = sum(track.code in joined for track in wavegate)
    note(
        f"NRMP codes: {in_wavegate} of {len(wavegate)} wavegate codes joined "
        f"({_percent(in_wavegate, len(wavegate))}), plus {florida_only} Florida codes of the "
        f"{join.latest_florida_year} Match that the wavegate list lacks: {len(rows)} rows."
    )
    if join.unreadable:
        note(f"NRMP codes: unreadable codes left out: {', '.join(join.unreadable)}.")
    rules = Counter(row["match_rule"] for row in rows)
    note("NRMP codes by rule: " + ", ".join(f"{rule} {n}" for rule, n in sorted(rules.items())))
    reasons = Counter(
        join.decisions[track.code].reason for track in wavegate if track.code not in joined
    )
    note(
        "NRMP wavegate codes not joined: "
        + "; ".join(f"{reason} {n}" for reason, n in sorted(reasons.items()))
    )
    covered = {track.specialty_code for track in wavegate}
    in_scope = [row for row in programs if row["specialty_code"] in covered]
    with_code = {row["acgme_id"] for row in rows}
    have = sum(row["acgme_id"] in with_code for row in in_scope)
    note(
        f"NRMP codes: {have} of {len(in_scope)} ACGME programs in the {len(covered)} specialty "
        f"codes of the wavegate list have a code ({_percent(have, len(in_scope))}); "
        f"{len(with_code)} programs have one in all."
    )
    used = sum(track.code in CODE_OVERRIDES for track in join.tracks)
    note(
        f"NRMP codes: {len(INSTITUTION_ALIASES)} reviewed institution aliases, "
        f"{len(SITE_ALIASES)} reviewed site aliases, {used} reviewed code overrides."
    )


def _report_results(
    florida: list[FloridaRow],
    rows: list[dict[str, str]],
    joined: Counter[str],
    retired: int,
    latest: int,
    note: Callable[[str], None],
) -> None:
    tables = Counter(row.table for row in florida)
    years = sorted({row["year"] for row in rows}) or ["-"]
    programs = len({row["acgme_id"] for row in rows})
    note(
        f"NRMP program results, Florida {years[0]}-{years[-1]}: {len(rows)} rows (code x year; "
        f"0/0 years left out) for {sum(joined.values())} of {len(florida)} codes on {programs} "
        f"ACGME programs: Main {joined['Main']} of {tables['Main']}, Specialty (fellowships) "
        f"{joined['Specialty']} of {tables['Specialty']}; {retired} of the codes were not used "
        f"in {latest} and are joined for their history only."
    )


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"
