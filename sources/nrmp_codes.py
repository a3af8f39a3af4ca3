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
   "Hospital" barely does. An institution's part after its last hyphen ("U Arizona
   COM-Tucson", "Kaiser Permanente-Fontana") must be found in the program (``name_form``).
4. Sites agree: a track naming a place ("Internal Medicine/Royal Oak") joins only a program
   that names it (``track_site``); a code also in the Florida file must also fit the site
   that file's track name gives, and a code only in the Florida file must be in its city.
5. No near-tie: the best program beats the runner-up by MIN_MARGIN. Primary-care tracks go to
   a separate "(Primary Care)" program where one exists, other tracks never do.
6. Mutual best: no other NRMP institution, and no track of the same institution naming another
   site, fits that program within MIN_MARGIN (codes never used in the same Match excepted: a
   renumbered program's old and new codes). Tracks of one institution naming different sites
   never share a program.

``match_rule`` says which evidence joined a code: ``name-state-specialty``, or
``name-site-state-specialty`` when a site was also checked; ``fl-`` in front for a code only the
Florida file has; ``reviewed-override`` for CODE_OVERRIDES. Every judgement is a table below
(abbreviations, pathway words, institution aliases, overrides), each entry with its reason.

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
    traditional lisom midocs
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
}

# A site: alternatives, each a tuple of words that must all be found in the program.
Site = tuple[tuple[str, ...], ...]


# Pathways named with words that are otherwise parts of places ("Internal Med/Global Health").
PATHWAY_PHRASES = re.compile(r"\b(global|urban|public) health\b|\bhealth (equity|services)\b")


def site_words(text: str) -> tuple[str, ...]:
    """The words of a place in a track name or name qualifier, pathway words left out."""
    words = []
    for word in _fold(PATHWAY_PHRASES.sub(" ", _fold(text))).split():
        if word.isdigit() or len(word) == 1:
            continue
        for token in name_tokens(SITE_ABBREVIATIONS.get(word, word)):
            if token not in TRACK_WORDS and len(token) > 1:
                words.append(token)
    return tuple(words)


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
    "1076": (
        "University of Colorado School of Medicine",
        "U Colorado SOM-Denver: the Anschutz programs are in Aurora, named 'University of "
        "Colorado Program'",
    ),
    "1328": (
        "Mayo Clinic College of Medicine and Science",
        "Mayo Clinic School of Grad Med Educ-MN: as 1032",
    ),
    "1353": (
        "Washington University/B-JH/SLCH Consortium",
        "Barnes-Jewish Hosp-MO: B-JH in the ACGME sponsor name is Barnes-Jewish Hospital",
    ),
    "1492": (
        "New York Presbyterian Hospital (Cornell Campus)",
        "NYP Hosp-Weill Cornell Med Ctr: ACGME names the campus, not Weill",
    ),
    "1601": (
        "Lehigh Valley Health Network",
        "Lehigh Valley Hosp-PA: the ACGME sponsor is the hospital's health network",
    ),
    "1648": (
        "Allegheny Health Network Medical Education Consortium (AGH)",
        "Allegheny Gen Hosp-PA: AGH is Allegheny General Hospital",
    ),
    "1700": (
        "Zucker School of Medicine at Hofstra/Northwell",
        "Zucker SOM-Northwell NS/LIJ: ACGME names the North Shore-LIJ programs after the "
        "school alone; the other Northwell hospitals carry their own names",
    ),
    "1741": (
        "Henry Ford Allegiance Health",
        "Henry Ford Jackson Hospital-MI: the Jackson hospital's name before 2023, as ACGME "
        "lists it; without it 'Allegiance' is claimed by no NRMP name and Henry Ford Hospital "
        "(Detroit) cannot be told from it",
    ),
    "1824": (
        "University of Florida College of Medicine",
        "U Florida COM-Shands Hosp: ACGME names the Gainesville programs 'University of Florida "
        "Program' and does not say Shands",
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
    "2247": (
        "McGaw Medical Center of Northwestern University",
        "Northwestern McGaw/NMH/VA-IL: the ACGME sponsor name",
    ),
    "3057": (
        "Vidant Medical Center/East Carolina University",
        "ECU Health Med Ctr-NC: ECU Health was Vidant Health until 2022",
    ),
    "3200": (
        "Mayo Clinic College of Medicine and Science",
        "Mayo Clinic School of Grad Med Educ-AZ: as 1032",
    ),
}

# Hand-reviewed decisions on single codes, applied before any scoring: an ACGME ID, or "" to
# never join the code. An ID must be of the code's specialty and in the ACGME list.
CODE_OVERRIDES: dict[str, tuple[str, str]] = {
    "1007140C0": (
        "1400121022",
        "U Alabama Med Ctr-Birmingham IM is the University of Alabama Medical Center Program "
        "in Birmingham. The name also fits UAB's Huntsville campus program (its address says "
        "UAB), which is NRMP's U Alabama SOM-Huntsville (2947140C0)",
    ),
    "1007140C2": ("1400121022", "ABIM research pathway of the same program as 1007140C0"),
    "2947140C0": (
        "1400100893",
        "U Alabama SOM-Huntsville IM is the program at the UAB Huntsville Regional Medical "
        "Campus, Huntsville; see 1007140C0",
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
        site = specific_site(track_site(row["name"]), names)
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
        site = specific_site(track_site(row.specialty), wavegate.names)
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
    site = specific_site(track_site(row.specialty), own)
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
            explained = form.words | site_words_
            score = score_candidate(form.words, explained, program, self.weights, self.claimed)
            if score.value > best.value:
                best = score
        return best

    def decide(self, tracks: list[NrmpTrack]) -> dict[str, Decision]:
        """One decision per code: the ACGME program it joins, or why it joins none."""
        rivals: dict[tuple[str, str], list[NrmpTrack]] = defaultdict(list)
        for track in tracks:
            for state in track.states:
                rivals[(track.specialty_code, state)].append(track)
        decisions = {}
        for track in tracks:
            decision = self._best(track)
            if decision.acgme_id and decision.rule != RULE_OVERRIDE:
                decision = self._check_mutual(track, decision, rivals)
            decisions[track.code] = decision
        return _drop_site_conflicts(tracks, decisions)

    def _best(self, track: NrmpTrack) -> Decision:
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
        f"{used} reviewed code overrides."
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
