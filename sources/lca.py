"""Evidence of H-1B sponsorship for residents and fellows, per ACGME sponsoring institution.

Source: US Department of Labor, H-1B LCA disclosure data, FY2025 Q2 (public domain), cut to
healthcare occupations (../shared/data/raw/dol_lca_fy2025_q2_healthcare/). A Labor Condition
Application (LCA) shows that an employer meant to employ someone in a role on H-1B; it is not
a granted visa, and one quarter misses most institutions, so a sponsor without rows here is
*not* evidence that it does not sponsor H-1B.

Three judgements are made here, each as an explicit table so it can be reviewed:

1. Which LCAs are for physicians in training (``trainee_decision``): the job title must
   name a trainee role and not a staff one, nothing may name another profession, the SOC
   code must be a physician's (or a catch-all code with a title that says physician), and
   the position must be full time.
2. Which ACGME sponsor an LCA employer is (``match_employers``): the LCA names the legal
   employer, so names are cleaned (``clean_name``). A join is made in one of three ways:

   - by name: a cleaned name equal to exactly one sponsor's in the worksite state, at a city
     where that sponsor or one of its programs is;
   - as the sponsor's physician organization: a cleaned name that is a sponsor's cleaned name,
     or that name less a trailing "Hospital", "Medical Center" or "Health System", followed
     by a physician-organization word ("Physicians Organization", "Physician Group",
     "Physicians", "Medical Group", "Faculty Practice"; ``PHYSICIAN_ORGANIZATION``), naming
     exactly one sponsor in the worksite state, *and* a worksite street address (house
     number and street, ``street_key``) and ZIP code that are those of one of that sponsor's
     programs. "Massachusetts General Physicians Organization" at 55 Fruit Street, 02114
     is Massachusetts General Hospital's; the same employer at another hospital's address
     is left unjoined;
   - through the reviewed alias table fixtures/lca_employer_aliases.csv, for anything less
     certain, and still only at the sponsor's own places: an alias without a
     ``worksite_address`` applies at any city of the sponsor or its programs; one with a
     ``worksite_address`` applies only at that street address, which must be an address of
     one of the sponsor's programs, and at that program's ZIP code. Parent systems and
     physician groups whose name is not the sponsor's are joined that way, address by
     address, each with a note naming the evidence: "Mass General Brigham" names two
     sponsors, and its LCAs at Massachusetts General Hospital's address count for MGH,
     those at Brigham and Women's address for Brigham and Women's.
3. What the offered wage is per year (``yearly_wage``), dropping wages that cannot be right.

This module is pure: it reads CSV files and returns rows, with no Django models.
"""

import csv
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

LCA_FILE = "dol_lca_fy2025_q2_healthcare/lca_fy2025_q2_healthcare.csv"
SOURCE_LABEL = "US Department of Labor, H-1B LCA disclosure data, FY2025 Q2"

H1B_FILING_COLUMNS = ["sponsor_code", "filings", "specialties", "wage_from", "wage_to", "employers"]
ALIAS_COLUMNS = ["employer_name", "worksite_state", "worksite_address", "sponsor_code", "note"]

# 1. Physicians in training ----------------------------------------------------------------

# SOC codes of physicians: the 2018 SOC 29-12xx group (29-1211 anesthesiologists to 29-1299,
# which DOL lists as "healthcare diagnosing or treating practitioners, all other" but which
# employers use for residents), and the 2010 SOC physician codes 29-1060 to 29-1069 that a few
# employers still file under.
PHYSICIAN_SOC = re.compile(r"^29-(12\d\d|106\d)")

# Catch-all SOC codes that employers also file residents under ("healthcare practitioners and
# technical workers, all other", "health technologists and technicians, all other"). They hold
# veterinary and pharmacy residents too, so a title under them must also say physician
# (PHYSICIAN_MARKER) or name a specialty (SPECIALTY_PATTERNS) at an employer that is not a
# university (UNIVERSITY_EMPLOYER).
CATCH_ALL_SOC = re.compile(r"^29-(9099|2099)")

# A trainee role named in the job title.
TRAINEE_TITLE = re.compile(
    r"""
      \bresidents?\b                     # Resident, Resident Physician, Chief Resident
    | \bfellows?\b | \bfellowship\b       # Fellow, Clinical Fellow, Fellow Physician
    | \bpgy | \bpgl\b | \bgl-?\d          # PGY-2, PHYSICIAN-PGY, Resident PGL-6, GL-1
    | \bhouse\s*(officer|staff)           # House Officer IV, House Staff Fellow
    | \bpost\s*-?\s*graduate\s+physician  # Post Graduate Physician
    | \bpost\s*-?\s*graduate\s+training   # Physician in a Post Graduate Training Program
    | \bphysician\s+in\s+training\b       # Surgeon - Physician in Training
    | \btrainee\b                         # Graduate Physician Trainee, GME Trainee
    | \bintern\b                          # (none in this quarter under physician SOC codes)
    """,
    re.IGNORECASE | re.VERBOSE,
)

# Titles that mention residents or fellows but are not a trainee's own training appointment.
NOT_A_TRAINEE = re.compile(
    r"""
      director | faculty | attending | preceptor | president | professor | coordinator
    | \bresident\s+care                   # nursing: "Resident Care Manager"
    | research\s+fellow                   # research posts, not clinical training
    | post\s*-?\s*doc
    | non-?\s*gme                         # "NON-GME FELLOW": says it is outside GME
    | moonlight                           # a trainee's second job, paid per shift
    | consultant                          # Mayo's staff title: a staff wage, not a trainee's
    """,
    re.IGNORECASE | re.VERBOSE,
)

# Other professions that also have residents and fellows. Checked on every title, whatever
# the SOC code, because a few are filed under physician or catch-all codes.
NON_PHYSICIAN_TITLE = re.compile(
    r"""
      pharmac | dental | dentist | orthodont | endodont | periodont | prosthodont
    | oral\s+(and\s+)?maxillofacial | \bomfs\b
    | podiatr | veterinar | animal | equine | chiropract | optometr | audiolog
    | psycholog | \bnurse | nursing | \brn\b | \bbsn\b
    | physical\s+therap | occupational\s+therap | respiratory\s+therap
    | speech | language\s+patholog | orthotis | prosthetis | orthotics | prosthetics
    | medical\s+physic | physician\s+assistant | advanced\s+practice | nurse\s+practitioner
    | genetic\s+counsel | dietitian | laboratory\s+scien | technologist
    """,
    re.IGNORECASE | re.VERBOSE,
)

# Words in a title that say the trainee is a physician; needed under catch-all SOC codes.
PHYSICIAN_MARKER = re.compile(
    r"physician|physcian|house\s*(officer|staff)|\bmedical\s+(resident|fellow)|\bgme\b|\bpgy",
    re.IGNORECASE,
)

# Specialties named in job titles, most specific first: a title gets the first that matches,
# so "Clinical Fellow in Internal Medicine/Nephrology" is Nephrology and "Resident in
# Internal Medicine/Pediatrics" is Internal Medicine-Pediatrics. Names follow ACGME's where
# ACGME has one, in title case. A title that names no specialty ("Resident Physician") gets
# none, and neither does one that only names a field ("Head & Neck", "Aortic Surgery",
# "Gene Therapy") that could belong to more than one specialty.
SPECIALTY_PATTERNS: list[tuple[str, str]] = [
    (r"internal\s+medicine\s*(/|-|and)\s*pediatrics|med-?peds", "Internal Medicine-Pediatrics"),
    (r"pediatric\s+(cardiac\s+)?anesthesi", "Pediatric Anesthesiology"),
    (r"cardiothoracic\s+anesthesi|cardiac\s+anesthesi", "Adult Cardiothoracic Anesthesiology"),
    (r"regional\s+anesthesi", "Regional Anesthesiology and Acute Pain Medicine"),
    (r"\bpain\s+medicine", "Pain Medicine"),
    (r"anesthesi", "Anesthesiology"),
    (r"pediatric\s+critical\s+care", "Pediatric Critical Care Medicine"),
    (
        r"pulmonary\s*(disease)?\s*(&|and|/)?\s*critical\s+care",
        "Pulmonary Disease and Critical Care Medicine",
    ),
    (r"surgical\s+critical\s+care", "Surgical Critical Care"),
    (r"critical\s+care\s+(medicine|internal)", "Critical Care Medicine"),
    (r"neonatal|neonatology", "Neonatal-Perinatal Medicine"),
    (r"pediatric\s+endocrinology", "Pediatric Endocrinology"),
    (r"pediatric\s+hematology", "Pediatric Hematology-Oncology"),
    (r"pediatric\s+neuroradiology", "Neuroradiology"),
    (r"pediatric\s+radiology", "Pediatric Radiology"),
    (r"pediatric\s+otolaryngology", "Pediatric Otolaryngology"),
    (r"pediatric\s+neurosurg", "Neurological Surgery"),
    (r"pediatric\s+surgery", "Pediatric Surgery"),
    (r"congenital\s+cardiac\s+surgery", "Congenital Cardiac Surgery"),
    (r"pediatric|\bpeds\b", "Pediatrics"),
    (r"heart\s+failure", "Advanced Heart Failure and Transplant Cardiology"),
    (r"electrophysiology", "Clinical Cardiac Electrophysiology"),
    (r"interventional\s+cardiology", "Interventional Cardiology"),
    (r"structural\s+heart", "Structural Heart Disease"),
    (r"surgery:\s*cardiovascular|cardiothoracic\s+surg|cardiac\s+surg", "Thoracic Surgery"),
    (r"cardiology|cardiovascular\s+(disease|fellow|resident)", "Cardiovascular Disease"),
    (r"nephrology", "Nephrology"),
    (r"endocrinology", "Endocrinology, Diabetes and Metabolism"),
    (r"gastroenterology|advanced\s+endoscopy", "Gastroenterology"),
    (r"hematology\s*(/|&|and|-)?\s*(medical\s+)?oncology", "Hematology and Medical Oncology"),
    (r"infectious\s+disease", "Infectious Disease"),
    (r"rheumatology", "Rheumatology"),
    (r"geriatric", "Geriatric Medicine"),
    (r"sleep\s+medicine", "Sleep Medicine"),
    (r"sports\s+medicine", "Sports Medicine"),
    (r"internal\s+medicine|\bim\b", "Internal Medicine"),
    (r"family\s+(medicine|practice)|\bfm\b", "Family Medicine"),
    (r"emergency\s+medicine", "Emergency Medicine"),
    (r"neuro-?\s*oncology", "Neuro-Oncology"),
    (r"neuroendovascular", "Endovascular Surgical Neuroradiology"),
    (r"neurosurg|neurological\s+surgery", "Neurological Surgery"),
    (r"neuroradiology", "Neuroradiology"),
    (r"neurology", "Neurology"),
    (r"addiction\s+psychiatry", "Addiction Psychiatry"),
    (r"psychiatr", "Psychiatry"),
    (r"minimally\s+invasive\s+gynecologic", "Minimally Invasive Gynecologic Surgery"),
    (r"obstetrics|ob\s*/\s*gyn|obgyn", "Obstetrics and Gynecology"),
    (r"radiation\s+oncology", "Radiation Oncology"),
    (r"interventional\s*(&|and)?\s*(diagnostic\s+)?radiology", "Interventional Radiology"),
    (r"abdominal\s+(radiology|imaging)", "Abdominal Radiology"),
    (r"musculoskeletal\s+(radiology|imaging)", "Musculoskeletal Radiology"),
    (r"nuclear\s+radiology", "Nuclear Radiology"),
    (r"nuclear\s+medicine", "Nuclear Medicine"),
    (r"cardiopulmonary\s+imaging", "Cardiothoracic Radiology"),
    (r"radiology", "Diagnostic Radiology"),
    (r"pathology", "Pathology"),
    (r"ophthalm|glaucoma|retina|cornea", "Ophthalmology"),
    (r"hand\s+surgery", "Hand Surgery"),
    (
        r"hip\s+preservation|limb\s+(strengthening|lengthening)|orthop(a)?edic",
        "Orthopaedic Surgery",
    ),
    (r"rhinology|otolaryngology", "Otolaryngology"),
    (r"urolog", "Urology"),
    (r"plastic\s+surgery", "Plastic Surgery"),
    (r"organ\s+transplant|transplant\s+surgery", "Transplant Surgery"),
    (r"colon\s+and\s+rectal|colorectal", "Colon and Rectal Surgery"),
    (r"vascular\s+surgery", "Vascular Surgery"),
    (r"general\s+surgery|\bin\s+surgery\b", "Surgery"),
]
SPECIALTY_RULES = [
    (re.compile(pattern, re.IGNORECASE), name) for pattern, name in SPECIALTY_PATTERNS
]


def title_specialty(title: str) -> str:
    """The specialty a job title names, normalised; "" when it names none."""
    for pattern, name in SPECIALTY_RULES:
        if pattern.search(title):
            return name
    return ""


# Under catch-all SOC codes, a title that only names a specialty ("Neurology Resident") is a
# physician's only away from universities: veterinary schools file their residents, with the
# same specialty names, under these codes.
UNIVERSITY_EMPLOYER = re.compile(r"\buniv(ersity)?\b|\bcollege\b", re.IGNORECASE)

# Employers that are animal hospitals or veterinary schools, whatever the title says.
NON_PHYSICIAN_EMPLOYER = re.compile(r"veterinar|animal|equine|\bpets?\b", re.IGNORECASE)


def trainee_decision(title: str, soc_code: str, employer: str = "", full_time: str = "Y") -> str:
    """Why an LCA is kept ("kept") or dropped (a short reason), from its job title, SOC code,
    employer name and FULL_TIME_POSITION. The reasons are counted in the build report, so a
    reviewer can see what each rule took. Residents and fellows train full time, so a
    part-time trainee LCA is a second job, like moonlighting, and is dropped."""
    title = title.strip()
    soc_code = soc_code.strip()
    if not TRAINEE_TITLE.search(title):
        return "not a trainee title"
    if NOT_A_TRAINEE.search(title):
        return "trainee word but not a training appointment"
    if NON_PHYSICIAN_TITLE.search(title) or NON_PHYSICIAN_EMPLOYER.search(employer):
        return "trainee in another profession"
    if not PHYSICIAN_SOC.match(soc_code):
        if not CATCH_ALL_SOC.match(soc_code):
            return "non-physician SOC code"
        says_physician = PHYSICIAN_MARKER.search(title) or (
            title_specialty(title) and not UNIVERSITY_EMPLOYER.search(employer)
        )
        if not says_physician:
            return "catch-all SOC code, title does not say physician"
    if full_time.strip().upper() == "N":
        return "part-time trainee position"
    return "kept"


def is_physician_trainee(
    title: str, soc_code: str, employer: str = "", full_time: str = "Y"
) -> bool:
    """Whether an LCA is for a resident or fellow physician in a training appointment."""
    return trainee_decision(title, soc_code, employer, full_time) == "kept"


def row_decision(row: dict[str, str]) -> str:
    """``trainee_decision`` for a row of the LCA file."""
    return trainee_decision(
        row["JOB_TITLE"], row["SOC_CODE"], row["EMPLOYER_NAME"], row["FULL_TIME_POSITION"]
    )


# 2. Employer names and places ------------------------------------------------------------

# Legal wrappers around an institution's name ("The Board of Regents of the University of
# X", "Trustees of the University of Pennsylvania"); the institution is what follows.
LEGAL_PREFIX = re.compile(
    r"^(the\s+)?(board\s+of\s+(regents|trustees|supervisors|governors)|regents|trustees"
    r"|rector\s+and\s+visitors|president\s+and\s+fellows|curators)\s+(of|for)\s+(the\s+)?"
)

# Words that say what kind of legal entity the employer is, not which institution. Only
# taken off the end of a name.
LEGAL_SUFFIX_WORDS = {
    "inc",
    "incorporated",
    "llc",
    "llp",
    "lp",
    "ltd",
    "pc",
    "pllc",
    "corp",
    "corporation",
    "company",
    "na",
    "nfp",
    "gme",
}

# Abbreviations spelled out, so "Univ of X Med Ctr" and "University of X Medical Center"
# agree. Applied word by word, to LCA and ACGME names alike.
WORD_ALIASES = {
    "univ": "university",
    "umass": "university of massachusetts",
    "med": "medical",
    "ctr": "center",
    "cntr": "center",
    "centre": "center",
    "hosp": "hospital",
    "hosps": "hospitals",
    "hlth": "health",
    "sys": "system",
    "st": "saint",
    "ste": "sainte",
    "mt": "mount",
    "ft": "fort",
    "hts": "heights",
    "twp": "township",
    "assn": "association",
    "natl": "national",
}

# A trailing "Medical Education" or "Graduate Medical Education" names the GME arm of an
# institution ("UPMC Medical Education"); it is taken off LCA and ACGME names alike.
GME_SUFFIX = re.compile(r"\s+(graduate\s+)?medical\s+education(\s+(program|corporation))?$")

# Markers that introduce another name for the same employer inside a name field.
OTHER_NAME_MARKER = re.compile(
    r"(?:^|\s)(?:d\s*/\s*b\s*/\s*a|dba|f\s*/\s*k\s*/\s*a|fka|a\s*/\s*k\s*/\s*a|aka)(?:\s|$)",
    re.IGNORECASE,
)

# Trade-name values that say there is none.
NO_TRADE_NAME = {"", "na", "n a", "none", "not applicable", "same"}


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def clean_name(name: str) -> str:
    """An institution's name reduced to what identifies it, for comparing LCA employer names
    with ACGME sponsor names: lower case, no punctuation or legal-entity words, abbreviations
    spelled out. "The Board of Regents of the Univ. of Generated, Inc." and "University of
    Generated" both become "university of generated"."""
    text = _ascii(name).lower().replace("&", " and ").replace("+", " and ")
    text = re.sub(r"['`]", "", text)
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    text = " ".join(WORD_ALIASES.get(word, word) for word in text.split())
    previous = None
    while previous != text:
        previous = text
        text = LEGAL_PREFIX.sub("", text)
        text = re.sub(r"^the\s+", "", text)
        words = text.split()
        while words and words[-1] in LEGAL_SUFFIX_WORDS:
            words.pop()
        text = GME_SUFFIX.sub("", " ".join(words))
    return text


def employer_names(employer: str, trade_name: str = "") -> set[str]:
    """The cleaned names an LCA gives its employer: the legal name, each part of it around a
    "d/b/a" or "f/k/a", and the same for the trade-name column."""
    names = set()
    for value in (employer, trade_name):
        value = value or ""
        for part in [value, *OTHER_NAME_MARKER.split(value)]:
            cleaned = clean_name(part)
            if cleaned not in NO_TRADE_NAME:
                names.add(cleaned)
    return names


def clean_city(city: str) -> str:
    """A city name for comparing places: "St. Louis", "Saint Louis", "ST LOUIS" and
    "St. Louis, MO" agree, and so do "Wilkes-Barre", "Wilkes Barre" and "Port land"."""
    text = re.sub(r",\s*[A-Za-z]{2}\s*$", "", city.strip())
    text = re.sub(r"[^a-z0-9]+", " ", _ascii(text).lower()).strip()
    return "".join(WORD_ALIASES.get(word, word) for word in text.split())


# A physician organization named after its institution: "Massachusetts General Physicians
# Organization", "The Christ Hospital Physicians LLC", "Generated Medical Group". Matched on
# the end of a cleaned name; what comes before it must name a sponsor.
PHYSICIAN_ORGANIZATION = re.compile(
    r"\s+(physicians?(\s+(organization|group|practice))?|medical\s+group"
    r"|faculty\s+(practice|group)(\s+plan)?)$"
)

# What a sponsor's name says it is, taken off its end to leave the name its physician
# organization shares: "Massachusetts General Hospital" leaves "massachusetts general".
SPONSOR_KIND = re.compile(r"\s+(hospitals?|medical\s+center|health\s+system)$")


def sponsor_core(cleaned: str) -> str:
    """A sponsor's cleaned name less a trailing "Hospital", "Medical Center" or "Health
    System"; the name itself when that would leave nothing."""
    return SPONSOR_KIND.sub("", cleaned) or cleaned


# Street addresses: the ACGME gives each program's address in lines ("Massachusetts General
# Hospital | GRB800 | 55 Fruit Street"), an LCA one WORKSITE_ADDRESS1 ("55 Fruit St."). They
# are compared by house number and street name alone: directions and the street's kind
# ("Street", "Blvd") are spelled differently or left out, and what follows them (suite,
# room, building) differs from program to program at one hospital.
STREET_END = re.compile(
    r"street|st|avenue|ave|av|boulevard|blvd|road|rd|drive|dr|parkway|pkwy|lane|ln|place|pl"
    r"|court|ct|way|circle|cir|highway|hwy|expressway|expy|terrace|ter|square|sq|plaza"
    r"|turnpike|tpke|pike"
    # what ends an address that leaves out the street's kind: "6565 Fannin, Suite 1901"
    r"|suite|room|rm|floor|fl|building|bldg|unit|box|ms"
)
COMPASS = {
    "n": "north",
    "s": "south",
    "e": "east",
    "w": "west",
    "ne": "northeast",
    "nw": "northwest",
    "se": "southeast",
    "sw": "southwest",
}
HOUSE_NUMBER = re.compile(r"^(\d+(?:-\d+)?)\s+(\S.*)$")


def street_key(address: str) -> str:
    """House number and street name of the first part of an address that has them, lower
    case, without directions or the street's kind: "1201 South Grand Blvd." and "1201 S
    Grand Boulevard, Suite 2" are both "1201 grand", "320 E. North Avenue" is "320 east
    north". "" when no part starts with a house number and a name ("UPMC Montefiore")."""
    for part in re.split(r"[|\n;,]|\s-\s", _ascii(address)):
        found = HOUSE_NUMBER.match(part.strip())
        if not found:
            continue
        words = []
        for word in re.sub(r"[^a-z0-9]+", " ", found[2].lower().replace(".", "")).split():
            if STREET_END.fullmatch(word) and words:
                break
            words.append(COMPASS.get(word, word))
        named = [word for word in words if word not in COMPASS.values()] or words
        if named:
            return " ".join([found[1], *named])
    return ""


def zip5(postal_code: str) -> str:
    """The five-digit ZIP code; "" when there is none."""
    digits = re.sub(r"\D", "", postal_code or "")
    return digits[:5] if len(digits) >= 5 else ""


def address_key(address: str, postal_code: str) -> tuple[str, str] | None:
    """(street key, ZIP) of an address; None when either is missing."""
    street, code = street_key(address), zip5(postal_code)
    return (street, code) if street and code else None


@dataclass(frozen=True)
class SponsorPlaces:
    """An ACGME sponsor, the (city, state) places where it or its programs are, and the
    street addresses (``address_key``) of its programs."""

    code: str
    name: str
    clean_name: str
    places: frozenset[tuple[str, str]]
    addresses: frozenset[tuple[str, str]] = frozenset()

    @property
    def states(self) -> frozenset[str]:
        return frozenset(state for _, state in self.places)

    @property
    def own_names(self) -> frozenset[str]:
        """The names its physician organization may be named after."""
        return frozenset({self.clean_name, sponsor_core(self.clean_name)})


def sponsor_places(
    sponsors: list[dict[str, str]], programs: list[dict[str, str]]
) -> dict[str, SponsorPlaces]:
    """Each sponsor with its own city and state and those of every program it sponsors, and
    the street addresses of its programs."""
    places: dict[str, set[tuple[str, str]]] = defaultdict(set)
    addresses: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for sponsor in sponsors:
        places[sponsor["code"]].add((clean_city(sponsor["city"]), sponsor["state"].strip()))
    for program in programs:
        code = program.get("sponsor_code")
        if code in places:
            places[code].add(
                (clean_city(program.get("city", "")), program.get("state", "").strip())
            )
            key = address_key(program.get("address", ""), program.get("zip_code", ""))
            if key:
                addresses[code].add(key)
    return {
        sponsor["code"]: SponsorPlaces(
            code=sponsor["code"],
            name=sponsor["name"],
            clean_name=clean_name(sponsor["name"]),
            places=frozenset(places[sponsor["code"]]),
            addresses=frozenset(addresses[sponsor["code"]]),
        )
        for sponsor in sponsors
    }


@dataclass(frozen=True)
class Alias:
    """A reviewed join of an LCA employer name in one worksite state, and where ``street``
    is set only at that street address (``street_key``), to a sponsor."""

    employer_name: str
    worksite_state: str
    worksite_address: str
    sponsor_code: str
    note: str

    @property
    def street(self) -> str:
        return street_key(self.worksite_address)

    def places(self, site: "EmployerSite", sponsor: SponsorPlaces) -> bool:
        """Whether the site is at one of the sponsor's places: its street address is one of
        the sponsor's programs' where the alias names an address, else its city is a city
        of the sponsor or its programs."""
        if self.worksite_address:
            return site.address_key in sponsor.addresses
        return (clean_city(site.city), site.state) in sponsor.places


AliasKey = tuple[str, str, str]  # (cleaned employer name, worksite state, street key or "")


def read_aliases(path: Path) -> dict[AliasKey, Alias]:
    """The reviewed alias table, keyed by (cleaned employer name, worksite state, street
    key of the worksite address, "" when the alias names none).

    Names are written as the LCA gives them, either the legal employer name or a "d/b/a"
    trade name, and compared after ``clean_name``, so one row covers every spelling of that
    name in that state; addresses likewise after ``street_key``.
    """
    rows = _read_csv(path)
    if rows and list(rows[0]) != ALIAS_COLUMNS:
        raise ValueError(f"{path.name}: columns must be {', '.join(ALIAS_COLUMNS)}")
    aliases: dict[AliasKey, Alias] = {}
    for row in rows:
        alias = Alias(
            employer_name=row["employer_name"].strip(),
            worksite_state=row["worksite_state"].strip().upper(),
            worksite_address=row["worksite_address"].strip(),
            sponsor_code=row["sponsor_code"].strip(),
            note=row["note"].strip(),
        )
        if alias.worksite_address and not alias.street:
            raise ValueError(
                f"{path.name}: {alias.worksite_address!r} is not a house number and street"
            )
        key = (clean_name(alias.employer_name), alias.worksite_state, alias.street)
        if key in aliases:
            raise ValueError(f"{path.name}: {row['employer_name']!r} is listed twice")
        aliases[key] = alias
    return aliases


@dataclass(frozen=True)
class EmployerSite:
    """An LCA employer (legal and trade name) at one worksite: the unit joined to a sponsor."""

    employer: str
    trade_name: str
    city: str
    state: str
    address: str = ""
    postal_code: str = ""

    @property
    def names(self) -> set[str]:
        return employer_names(self.employer, self.trade_name)

    @property
    def pair(self) -> tuple[str, str]:
        """The employer/state pair it belongs to: the cleaned legal name (before any
        "d/b/a") and the worksite state."""
        return (clean_name(OTHER_NAME_MARKER.split(self.employer)[0]), self.state)

    @property
    def address_key(self) -> tuple[str, str] | None:
        return address_key(self.address, self.postal_code)


@dataclass(frozen=True)
class Match:
    sponsor_code: str
    how: str  # "automatic", "organization" or "alias"


def _same_name_sponsor(site: EmployerSite, index: dict[str, list[SponsorPlaces]]):
    """The one sponsor in the site's state whose cleaned name is one of the site's names;
    None when there is none or more than one."""
    found = {
        sponsor.code: sponsor
        for name in site.names
        for sponsor in index.get(name, [])
        if site.state in sponsor.states
    }
    return next(iter(found.values())) if len(found) == 1 else None


def _organization_sponsor(site: EmployerSite, index: dict[str, list[SponsorPlaces]]):
    """The one sponsor in the site's state that one of the site's names calls itself the
    physician organization of (``PHYSICIAN_ORGANIZATION``); None when there is none or more
    than one."""
    found = {
        sponsor.code: sponsor
        for name in site.names
        if (stem := PHYSICIAN_ORGANIZATION.sub("", name)) != name
        for sponsor in index.get(stem, [])
        if site.state in sponsor.states
    }
    return next(iter(found.values())) if len(found) == 1 else None


def match_employers(
    sites: Iterable[EmployerSite],
    sponsors: dict[str, SponsorPlaces],
    aliases: dict[AliasKey, Alias],
) -> dict[EmployerSite, Match]:
    """Join employer sites to sponsors. Sites that are not joined are left out.

    Automatic joins come first, and only when certain: one of the site's cleaned names
    equals the cleaned name of exactly one sponsor in the worksite state, and the worksite
    city is a place of that sponsor or its programs, or another worksite of the same legal
    employer joined that way is (the employer *is* that sponsor, so "UPMC Medical
    Education" in Wexford follows its Pittsburgh sites).

    A physician organization named after exactly one sponsor in the state ("Generated
    Physicians Organization" of "Generated Hospital") is joined to it at a worksite whose
    street address and ZIP code are those of one of the sponsor's programs, and nowhere
    else: such groups also work at other hospitals, so the name alone does not place an LCA.

    The reviewed alias table joins the rest. An alias applies when its name is one of the
    site's names in its state and, if it names a worksite address, the site is at that
    address. It places the LCA only at the aliased sponsor's places (``Alias.places``): one
    legal employer can run the programs of several sponsors in a state (a university with
    campuses in three cities, a parent system of several hospitals), so a reviewed name
    alone does not place an LCA. Aliases naming different sponsors for one site cancel out.
    """
    index: dict[str, list[SponsorPlaces]] = defaultdict(list)
    own_names: dict[str, list[SponsorPlaces]] = defaultdict(list)
    for sponsor in sponsors.values():
        index[sponsor.clean_name].append(sponsor)
        for name in sponsor.own_names:
            own_names[name].append(sponsor)
    sites = sorted(set(sites), key=_site_order)

    candidates = {site: sponsor for site in sites if (sponsor := _same_name_sponsor(site, index))}
    placed = {
        (site.pair, sponsor.code)
        for site, sponsor in candidates.items()
        if (clean_city(site.city), site.state) in sponsor.places
    }
    matches = {
        site: Match(sponsor.code, "automatic")
        for site, sponsor in candidates.items()
        if (site.pair, sponsor.code) in placed
    }
    for site in sites:
        if site in matches:
            continue
        sponsor = _organization_sponsor(site, own_names)
        if sponsor and site.address_key in sponsor.addresses:
            matches[site] = Match(sponsor.code, "organization")
            continue
        applying = [aliases[key] for key in _alias_keys(site, aliases)]
        codes = {alias.sponsor_code for alias in applying}
        if len(codes) == 1:
            code = codes.pop()
            if any(alias.places(site, sponsors[code]) for alias in applying):
                matches[site] = Match(code, "alias")
    return matches


def _alias_keys(site: EmployerSite, aliases: dict[AliasKey, Alias]) -> set[AliasKey]:
    """The keys of the aliases that name the site: one of its names in its state, anywhere
    or at its street address."""
    streets = {"", street_key(site.address)}
    return {
        key
        for name in site.names
        for street in streets
        if (key := (name, site.state, street)) in aliases
    }


def _site_order(site: EmployerSite) -> tuple[str, ...]:
    return (site.state, site.employer, site.trade_name, site.city, site.address, site.postal_code)


# 3. Wages ---------------------------------------------------------------------------------

# Multipliers from each WAGE_UNIT_OF_PAY to a year of full-time work.
YEARLY_FACTOR = {"Year": 1, "Month": 12, "Bi-Weekly": 26, "Week": 52, "Hour": 2080}

# Offered yearly wages outside this range are broken (a yearly figure with an hourly unit, a
# missing digit): PGY-1 salaries start near $60,000 and no trainee is offered $1,000,000.
PLAUSIBLE_YEARLY_WAGE = (30_000, 1_000_000)


def yearly_wage(amount: str, unit: str) -> float | None:
    """An offered wage as US dollars per year; None when it is missing or cannot be right."""
    factor = YEARLY_FACTOR.get((unit or "").strip())
    try:
        value = float((amount or "").replace(",", "").replace("$", "").strip())
    except ValueError:
        return None
    if factor is None or value <= 0:
        return None
    yearly = value * factor
    low, high = PLAUSIBLE_YEARLY_WAGE
    return yearly if low <= yearly <= high else None


def wage_range(row: dict[str, str]) -> tuple[float, float] | None:
    """The yearly (from, to) wage an LCA offers; "to" is "from" when the LCA gives none.
    None when either end is broken or the range runs backwards."""
    unit = row.get("WAGE_UNIT_OF_PAY", "")
    wage_from = yearly_wage(row.get("WAGE_RATE_OF_PAY_FROM", ""), unit)
    if wage_from is None:
        return None
    raw_to = (row.get("WAGE_RATE_OF_PAY_TO") or "").strip()
    if raw_to == "" or _is_zero(raw_to):
        return (wage_from, wage_from)
    wage_to = yearly_wage(raw_to, unit)
    if wage_to is None or wage_to < wage_from:
        return None
    return (wage_from, wage_to)


def _is_zero(value: str) -> bool:
    try:
        return float(value.replace(",", "")) == 0
    except ValueError:
        return False


# All of it ---------------------------------------------------------------------------------


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def _dollars(value: float) -> str:
    return str(int(value + 0.5))


def _site(row: dict[str, str]) -> EmployerSite:
    return EmployerSite(
        employer=" ".join(row["EMPLOYER_NAME"].split()),
        trade_name=" ".join(row["TRADE_NAME_DBA"].split()),
        city=" ".join(row["WORKSITE_CITY"].split()),
        state=row["WORKSITE_STATE"].strip().upper(),
        address=" ".join(row["WORKSITE_ADDRESS1"].split()),
        postal_code=row["WORKSITE_POSTAL_CODE"].strip(),
    )


def _employer_labels(rows: list[dict[str, str]]) -> list[str]:
    """The LCA employer names of a sponsor's rows, one spelling per cleaned legal name (the
    most common, ties to the first in sort order), sorted case-insensitively."""
    spellings: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        name = " ".join(row["EMPLOYER_NAME"].split())
        spellings[clean_name(name)][name] += 1
    labels = [min(c, key=lambda name: (-c[name], name)) for c in spellings.values()]
    return sorted(labels, key=lambda name: (name.casefold(), name))


def build_h1b_filings(
    raw_dir: Path,
    sponsors: list[dict[str, str]],
    programs: list[dict[str, str]],
    aliases_path: Path,
    note: Callable[[str], None],
) -> list[dict[str, str]]:
    """Per ACGME sponsor with any, its resident/fellow LCAs in FY2025 Q2: how many, the
    specialties their titles name, the yearly wage range offered, and the LCA employer names
    joined to it. Rows are sorted by sponsor code; the same inputs give the same rows.

    A sponsor without a row has no evidence in this quarter, which is not evidence that it
    does not sponsor H-1B.
    """
    rows = _read_csv(raw_dir / LCA_FILE)
    note(f"H-1B LCAs: {len(rows):,} rows read ({SOURCE_LABEL}).")

    decisions = Counter(row_decision(r) for r in rows)
    trainees = [r for r in rows if row_decision(r) == "kept"]
    dropped = "; ".join(
        f"{reason}: {count:,}" for reason, count in sorted(decisions.items()) if reason != "kept"
    )
    note(f"H-1B LCAs: {len(trainees):,} physician-trainee LCAs kept. Dropped: {dropped}.")

    places = sponsor_places(sponsors, programs)
    aliases = read_aliases(aliases_path)
    unknown = sorted({a.sponsor_code for a in aliases.values()} - set(places))
    if unknown:
        raise ValueError(f"{aliases_path.name}: unknown sponsor codes {', '.join(unknown)}")
    for alias in aliases.values():
        streets = {street for street, _ in places[alias.sponsor_code].addresses}
        if alias.worksite_address and alias.street not in streets:
            raise ValueError(
                f"{aliases_path.name}: {alias.worksite_address!r} is not an address of a "
                f"program of sponsor {alias.sponsor_code}"
            )

    lcas_at = Counter(_site(r) for r in trainees)
    matches = match_employers(lcas_at, places, aliases)

    pair_hows: dict[tuple[str, str], set[str]] = defaultdict(set)
    lcas_by_how: Counter = Counter()
    for site, count in lcas_at.items():
        how = matches[site].how if site in matches else "unmatched"
        pair_hows[site.pair].add(how)
        lcas_by_how[how] += count
    pairs_by_how = Counter(
        next((how for how in ("alias", "automatic", "organization") if how in hows), "unmatched")
        for hows in pair_hows.values()
    )
    partly = sum(1 for hows in pair_hows.values() if "unmatched" in hows and len(hows) > 1)
    note(
        f"H-1B LCAs: {len(pair_hows)} employer/state pairs: {pairs_by_how['automatic']} "
        f"matched automatically, {pairs_by_how['organization']} as a sponsor's physician "
        f"organization at one of its programs' addresses, {pairs_by_how['alias']} through the "
        f"reviewed alias table, {pairs_by_how['unmatched']} unmatched ({partly} matched pairs "
        f"keep an unmatched worksite). LCAs: {lcas_by_how['automatic']} automatic, "
        f"{lcas_by_how['organization']} physician organization, {lcas_by_how['alias']} alias, "
        f"{lcas_by_how['unmatched']} unmatched."
    )
    named = Counter()
    for site, count in lcas_at.items():
        if site not in matches and _alias_keys(site, aliases):
            named[site.pair] += count
    if named:
        note(
            f"H-1B LCAs: {sum(named.values())} LCAs of {len(named)} aliased employers stay "
            f"unmatched: their worksite is not a place of the aliased sponsor."
        )
    used = {
        key
        for site, match in matches.items()
        if match.how == "alias"
        for key in _alias_keys(site, aliases)
    }
    for key in sorted(set(aliases) - used):
        alias = aliases[key]
        at = f", {alias.worksite_address}" if alias.worksite_address else ""
        note(f"H-1B LCAs: alias {alias.employer_name!r} ({key[1]}{at}) matched no LCA.")

    by_sponsor: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in trainees:
        match = matches.get(_site(row))
        if match:
            by_sponsor[match.sponsor_code].append(row)

    out = []
    broken = 0
    for code in sorted(by_sponsor):
        lcas = by_sponsor[code]
        wages = [wage for wage in map(wage_range, lcas) if wage is not None]
        broken += len(lcas) - len(wages)
        specialties = {title_specialty(r["JOB_TITLE"]) for r in lcas} - {""}
        out.append(
            {
                "sponsor_code": code,
                "filings": str(len(lcas)),
                "specialties": "; ".join(sorted(specialties)),
                "wage_from": _dollars(min(w[0] for w in wages)) if wages else "",
                "wage_to": _dollars(max(w[1] for w in wages)) if wages else "",
                "employers": "; ".join(_employer_labels(lcas)),
            }
        )
    low, high = PLAUSIBLE_YEARLY_WAGE
    covered = sum(count for how, count in lcas_by_how.items() if how != "unmatched")
    note(
        f"H-1B LCAs: {len(out)} sponsors with evidence, from {covered} LCAs; {broken} of "
        f"their wages dropped as missing or broken (unknown unit, outside "
        f"${low:,}-${high:,} a year, or a range running backwards)."
    )
    return out
