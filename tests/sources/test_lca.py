"""H-1B LCA evidence per sponsor: which LCAs are residents', which sponsor an employer is,
what the wage is per year, and that the reviewed alias table and hand-checked results hold."""

import csv
import re

import pytest
from django.conf import settings

from sources import lca

FIXTURES = settings.BASE_DIR / "fixtures"
ALIASES = FIXTURES / "lca_employer_aliases.csv"

LCA_HEADER = [
    "CASE_NUMBER",
    "JOB_TITLE",
    "SOC_CODE",
    "SOC_TITLE",
    "FULL_TIME_POSITION",
    "BEGIN_DATE",
    "END_DATE",
    "EMPLOYER_NAME",
    "TRADE_NAME_DBA",
    "WORKSITE_ADDRESS1",
    "WORKSITE_CITY",
    "WORKSITE_COUNTY",
    "WORKSITE_STATE",
    "WORKSITE_POSTAL_CODE",
    "WAGE_RATE_OF_PAY_FROM",
    "WAGE_RATE_OF_PAY_TO",
    "WAGE_UNIT_OF_PAY",
    "PW_WAGE_LEVEL",
    "Year",
    "Quarter",
]


def _read(path):
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# Which LCAs are for physicians in training -------------------------------------------------


@pytest.mark.parametrize(
    ("title", "soc"),
    [
        ("Resident - Internal Medicine", "29-1216.00"),
        ("Clinical Fellow", "29-1229.00"),
        ("PHYSICIAN-PGY-1", "29-1229.00"),
        ("House Officer IV", "29-1069"),  # 2010 SOC physician code
        ("Chief Resident of Pediatrics", "29-1221.00"),
        ("Physician in a Post Graduate Training Program", "29-1229.00"),
        ("Medical Resident", "29-1299.00"),
        ("House Staff Fellow Physician", "29-9099.00"),  # catch-all code, says physician
        ("Instructor/Fellow", "29-1229.00"),
    ],
)
def test_physician_trainee_titles_are_kept(title, soc):
    assert lca.trainee_decision(title, soc, "Generated Medical Center Inc") == "kept"


@pytest.mark.parametrize(
    ("title", "soc", "reason"),
    [
        ("Hospitalist", "29-1229.02", "not a trainee title"),
        ("Family Practice Residency Core Faculty Physician", "29-1215.00", "not a trainee title"),
        ("Program Director of Sports Medicine Fellowship", "29-1229.00", "not a training"),
        ("Clinical Fellow Moonlighter", "29-1216.00", "not a training"),
        ("Clinical Research Fellow", "29-1229.00", "not a training"),
        ("NON-GME FELLOW", "29-1229.00", "not a training"),
        ("Senior Associate Consultant / Emergency Medicine Resident", "29-1229.00", "not a"),
        ("Pharmacy Resident PGY2", "29-1051.00", "another profession"),
        ("Resident Physician - Podiatry", "29-1299.00", "another profession"),
        ("Oral and Maxillofacial Surgery Resident", "29-1299.00", "another profession"),
        ("Medical Physics Resident", "29-1229.00", "another profession"),
        ("Nurse Resident Fellow", "29-1141.00", "another profession"),
        ("Resident Physician 1", "29-1021.00", "non-physician SOC code"),
        ("Clinical Fellow", "29-9099.00", "catch-all SOC code"),
    ],
)
def test_other_trainees_and_staff_are_dropped_with_a_reason(title, soc, reason):
    assert reason in lca.trainee_decision(title, soc, "Generated Medical Center Inc")


def test_catch_all_code_with_only_a_specialty_is_a_physician_away_from_universities():
    title, soc = "Neurology Resident", "29-9099.00"
    assert lca.is_physician_trainee(title, soc, "Generated Health Care")
    assert not lca.is_physician_trainee(title, soc, "Generated University")


def test_veterinary_employers_and_part_time_positions_are_dropped():
    assert "another profession" in lca.trainee_decision(
        "Resident", "29-1229.00", "Generated Animal Hospital"
    )
    decision = lca.trainee_decision("Resident/Fellow", "29-1229.00", "Generated Clinic", "N")
    assert decision == "part-time trainee position"


@pytest.mark.parametrize(
    ("title", "specialty"),
    [
        ("Resident - Internal Medicine", "Internal Medicine"),
        ("Clinical Fellow in Internal Medicine/Nephrology", "Nephrology"),
        ("Resident in Internal Medicine/Pediatrics", "Internal Medicine-Pediatrics"),
        (
            "Fellow - Regional Anesthesiology & Acute Pain Medicine",
            "Regional Anesthesiology and Acute Pain Medicine",
        ),
        ("PHYSICIAN - PGY2 - DIAGNOSTIC RADIOLOGY", "Diagnostic Radiology"),
        ("Resident Physician in OB/GYN", "Obstetrics and Gynecology"),
        ("Physician “ PGY2- Pediatric Resident", "Pediatrics"),
        ("Resident Physician", ""),
        ("Head & Neck Fellow", ""),
    ],
)
def test_titles_name_one_normalised_specialty_or_none(title, specialty):
    assert lca.title_specialty(title) == specialty


# Names and places ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("The Board of Regents of the Univ. of Generated, Inc.", "university of generated"),
        ("Trustees of the University of Generated", "university of generated"),
        ("Generated GME Corporation", "generated"),
        ("Generated Medical Education", "generated"),
        ("St. Generated's Hosp. & Med. Ctr, LLC", "saint generateds hospital and medical center"),
        ("Generated-Sample Medical Center, Inc.", "generated sample medical center"),
    ],
)
def test_clean_name_drops_legal_wrappers_punctuation_and_abbreviations(raw, cleaned):
    assert lca.clean_name(raw) == cleaned


def test_employer_names_include_dba_and_trade_names_but_not_placeholders():
    names = lca.employer_names(
        "Generated Hospital, Inc. d/b/a Generated Health", "f/k/a Old Generated Hospital"
    )
    assert names >= {"generated hospital", "generated health", "old generated hospital"}
    assert lca.employer_names("Generated Hospital", "NOT APPLICABLE") == {"generated hospital"}


def test_city_spellings_agree():
    assert lca.clean_city("St. Generated") == lca.clean_city("SAINT GENERATED")
    assert lca.clean_city("Generated-Town, GT") == lca.clean_city("Generated Town")


SPONSORS = [
    {"code": "990001", "name": "Generated Medical Center", "city": "Sampletown", "state": "GT"},
    {
        "code": "990002",
        "name": "Generated University School of Medicine",
        "city": "Sampletown",
        "state": "GT",
    },
    {"code": "990003", "name": "Twin Generated Hospital", "city": "Northville", "state": "GT"},
    {"code": "990004", "name": "Twin Generated Hospital", "city": "Southville", "state": "GT"},
    {
        "code": "990005",
        "name": "Generated University School of Medicine Eastcampus",
        "city": "Eastville",
        "state": "GT",
    },
    # Two hospitals of one parent system in one city, like MGH and Brigham and Women's.
    {"code": "990006", "name": "Generated General Hospital", "city": "Sampletown", "state": "GT"},
    {"code": "990007", "name": "Sample Women's Hospital", "city": "Sampletown", "state": "GT"},
]
PROGRAMS = [
    {"acgme_id": "9990000001", "sponsor_code": "990001", "city": "Satellite", "state": "GT"},
    {
        "acgme_id": "9990000002",
        "sponsor_code": "990006",
        "address": "Generated General Hospital\nGRB 800\n55 Sample Street",
        "city": "Sampletown",
        "state": "GT",
        "zip_code": "99114",
    },
    {
        "acgme_id": "9990000003",
        "sponsor_code": "990007",
        "address": "Sample Women's Hospital\n75 Example Street, Suite 2",
        "city": "Sampletown",
        "state": "GT",
        "zip_code": "99115-6110",
    },
    {
        "acgme_id": "9990000004",
        "sponsor_code": "990003",
        "address": "12 Twin Road",
        "city": "Northville",
        "state": "GT",
        "zip_code": "99120",
    },
]


def _site(employer, city, state="GT", trade_name="", address="", postal_code=""):
    return lca.EmployerSite(employer, trade_name, city, state, address, postal_code)


def _alias(name, code, state="GT", address=""):
    key = (lca.clean_name(name), state, lca.street_key(address))
    return {key: lca.Alias(name, state, address, code, "generated")}


def _match(sites, aliases=None):
    places = lca.sponsor_places(SPONSORS, PROGRAMS)
    return lca.match_employers(sites, places, aliases or {})


def test_same_name_in_a_sponsor_city_or_program_city_matches_automatically():
    at_home = _site("Generated Medical Center, Inc.", "Sampletown")
    at_program = _site("The Generated Medical Center", "Satellite")
    matches = _match([at_home, at_program])
    assert matches[at_home] == lca.Match("990001", "automatic")
    assert matches[at_program] == lca.Match("990001", "automatic")


def test_other_worksites_of_an_automatically_matched_employer_follow_it():
    home, clinic = (
        _site("Generated Medical Center", "Sampletown"),
        _site("Generated Medical Center", "Faraway"),
    )
    assert _match([home, clinic])[clinic].sponsor_code == "990001"
    assert clinic not in _match([clinic])


def test_wrong_state_or_two_same_named_sponsors_stay_unmatched():
    elsewhere = _site("Generated Medical Center", "Sampletown", state="XX")
    twin = _site("Twin Generated Hospital", "Northville")
    assert _match([elsewhere, twin]) == {}


def test_different_name_needs_a_reviewed_alias():
    site = _site("Generated University", "Sampletown")
    assert _match([site]) == {}
    matches = _match([site], _alias("Generated University", "990002"))
    assert matches[site] == lca.Match("990002", "alias")


def test_alias_applies_only_at_the_aliased_sponsors_places():
    home, other_campus = (
        _site("Generated University", "Sampletown"),
        _site("Generated University", "Eastville"),
    )
    matches = _match([home, other_campus], _alias("Generated University", "990002"))
    assert set(matches) == {home}


def test_alias_can_name_the_trade_name_and_conflicting_aliases_cancel():
    site = _site("Generated Holding Company", "Northville", trade_name="Twin Generated North")
    assert _match([site], _alias("Twin Generated North", "990003"))[site].sponsor_code == ("990003")
    both = _alias("Twin Generated North", "990003") | _alias("Generated Holding Company", "990004")
    assert _match([site], both) == {}


def test_street_addresses_agree_however_they_are_spelt():
    assert lca.street_key("55 Sample St.") == lca.street_key("GRB 800 | 55 SAMPLE STREET")
    assert lca.street_key("1201 South Grand Blvd.") == lca.street_key("1201 S Grand, Suite 2")
    assert lca.street_key("320 E. North Avenue") == "320 east north"
    assert lca.street_key("Generated Hospital") == ""
    assert lca.address_key("55 Sample St", "99114-0001") == ("55 sample", "99114")


def test_physician_organization_joins_its_hospital_at_the_hospitals_address():
    # Like "Massachusetts General Physicians Organization" at 55 Fruit St, MGH's address.
    fellows = _site(
        "Generated General Physicians Organization, Inc.",
        "Sampletown",
        address="55 Sample St.",
        postal_code="99114",
    )
    group = _site(
        "Generated Medical Group", "Satellite", address="55 Sample St", postal_code="99114"
    )
    matches = _match([fellows, group])
    assert matches[fellows] == lca.Match("990006", "organization")
    assert group not in matches  # 55 Sample Street is not Generated Medical Center's


def test_physician_organization_away_from_its_hospitals_addresses_stays_unmatched():
    organization = "Generated General Physicians Organization"
    # like the MGH physicians organization at 75 Francis St, Brigham and Women's address
    at_other_hospital = _site(organization, "Sampletown", address="75 Example Street")
    other_zip = _site(organization, "Sampletown", address="55 Sample Street", postal_code="99999")
    common_name = _site(  # "Generated Medical Center" is a sponsor, but not here
        "Generated Medical Group", "Faraway", address="1 Faraway Road", postal_code="99130"
    )
    two_sponsors = _site(  # two sponsors are called Twin Generated Hospital
        "Twin Generated Hospital Physicians",
        "Northville",
        address="12 Twin Rd",
        postal_code="99120",
    )
    assert _match([at_other_hospital, other_zip, common_name, two_sponsors]) == {}


def test_parent_system_alias_joins_each_hospital_only_at_its_own_address():
    # Like "Mass General Brigham", the parent of two sponsors, filing at both.
    parent = "Generated Sample Partners Incorporated"
    aliases = _alias(parent, "990006", address="55 Sample Street") | _alias(
        parent, "990007", address="75 Example St"
    )
    general, womens, elsewhere, other_zip = (
        _site(parent, "Sampletown", address="55 Sample St", postal_code="99114"),
        _site(parent, "SAMPLETOWN", address="75 Example Street", postal_code="99115"),
        _site(parent, "Sampletown", address="300 Other Avenue", postal_code="99115"),
        _site(parent, "Sampletown", address="55 Sample Street", postal_code="99116"),
    )
    matches = _match([general, womens, elsewhere, other_zip], aliases)
    assert matches[general] == lca.Match("990006", "alias")
    assert matches[womens] == lca.Match("990007", "alias")
    # Sampletown is both sponsors' city, but these are not a program's street and ZIP.
    assert elsewhere not in matches and other_zip not in matches


# Wages ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "unit", "yearly"),
    [
        ("70000", "Year", 70000),
        ("35.00", "Hour", 72800),
        ("1,400", "Week", 72800),
        ("2800", "Bi-Weekly", 72800),
        ("6000", "Month", 72000),
    ],
)
def test_wages_convert_to_a_year(amount, unit, yearly):
    assert lca.yearly_wage(amount, unit) == yearly


@pytest.mark.parametrize(
    ("amount", "unit"),
    [("", "Year"), ("abc", "Year"), ("70000", "Fortnight"), ("35", "Year"), ("70000", "Hour")],
)
def test_broken_wages_are_dropped(amount, unit):
    assert lca.yearly_wage(amount, unit) is None


def test_a_range_running_backwards_is_broken_and_a_missing_top_is_the_bottom():
    row = {"WAGE_RATE_OF_PAY_FROM": "80000", "WAGE_RATE_OF_PAY_TO": "", "WAGE_UNIT_OF_PAY": "Year"}
    assert lca.wage_range(row) == (80000, 80000)
    assert lca.wage_range({**row, "WAGE_RATE_OF_PAY_TO": "70000"}) is None


# The whole build on generated files ---------------------------------------------------------


def _lca(title, employer, city, wage, unit="Year", soc="29-1229.00", trade="", to="", at=("", "")):
    row = dict.fromkeys(LCA_HEADER, "")
    row.update(
        JOB_TITLE=title,
        SOC_CODE=soc,
        FULL_TIME_POSITION="Y",
        EMPLOYER_NAME=employer,
        TRADE_NAME_DBA=trade,
        WORKSITE_ADDRESS1=at[0],
        WORKSITE_CITY=city,
        WORKSITE_STATE="GT",
        WORKSITE_POSTAL_CODE=at[1],
        WAGE_RATE_OF_PAY_FROM=wage,
        WAGE_RATE_OF_PAY_TO=to,
        WAGE_UNIT_OF_PAY=unit,
    )
    return row


def _build(tmp_path, lcas, alias_rows):
    lca_path = tmp_path / "raw" / lca.LCA_FILE
    lca_path.parent.mkdir(parents=True)
    with lca_path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.DictWriter(handle, fieldnames=LCA_HEADER)
        writer.writeheader()
        writer.writerows(lcas)
    alias_path = tmp_path / "aliases.csv"
    with alias_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(lca.ALIAS_COLUMNS)
        writer.writerows(alias_rows)
    notes = []
    rows = lca.build_h1b_filings(tmp_path / "raw", SPONSORS, PROGRAMS, alias_path, notes.append)
    return rows, notes


GENERATED_LCAS = [
    _lca("Resident - Internal Medicine", "Generated Medical Center, Inc.", "Sampletown", "70000"),
    _lca("Fellow - Nephrology", "GENERATED MEDICAL CENTER INC", "Satellite", "40", unit="Hour"),
    _lca("Resident", "Generated Medical Center, Inc.", "Sampletown", "65000", to="90000"),
    _lca("Resident", "Generated Medical Center, Inc.", "Sampletown", "7", unit="Year"),
    _lca("Pharmacy Resident", "Generated Medical Center, Inc.", "Sampletown", "50000"),
    _lca("Resident Physician", "Generated University", "Sampletown", "68000"),
    _lca("Resident Physician", "Twin Generated Hospital", "Northville", "68000"),
]


def test_build_counts_specialties_wages_and_employers_per_sponsor(tmp_path):
    rows, notes = _build(
        tmp_path,
        GENERATED_LCAS,
        [["Generated University", "GT", "", "990002", "generated university's medical school"]],
    )
    assert rows == [
        {
            "sponsor_code": "990001",
            "filings": "4",
            "specialties": "Internal Medicine; Nephrology",
            "wage_from": "65000",
            "wage_to": "90000",
            "employers": "Generated Medical Center, Inc.",
        },
        {
            "sponsor_code": "990002",
            "filings": "1",
            "specialties": "",
            "wage_from": "68000",
            "wage_to": "68000",
            "employers": "Generated University",
        },
    ]
    report = "\n".join(notes)
    assert "6 physician-trainee LCAs kept" in report
    assert (
        "3 employer/state pairs: 1 matched automatically, 0 as a sponsor's physician "
        "organization at one of its programs' addresses, 1 through the reviewed alias table"
    ) in report
    assert "1 unmatched" in report
    assert "2 sponsors with evidence, from 5 LCAs; 1 of their wages dropped" in report
    assert list(rows[0]) == lca.H1B_FILING_COLUMNS


def test_build_is_deterministic_whatever_the_row_order(tmp_path):
    first, _ = _build(tmp_path / "a", GENERATED_LCAS, [])
    second, _ = _build(tmp_path / "b", list(reversed(GENERATED_LCAS)), [])
    assert first == second


def test_alias_to_an_unknown_sponsor_stops_the_build(tmp_path):
    with pytest.raises(ValueError, match="unknown sponsor codes 999999"):
        _build(tmp_path, GENERATED_LCAS, [["Generated University", "GT", "", "999999", "typo"]])


def test_alias_at_an_address_no_program_of_the_sponsor_has_stops_the_build(tmp_path):
    alias = ["Generated Sample Partners", "GT", "75 Example Street", "990006", "wrong hospital"]
    with pytest.raises(ValueError, match="'75 Example Street' is not an address of a program"):
        _build(tmp_path, GENERATED_LCAS, [alias])


GENERAL, WOMENS, ELSEWHERE = "55 Sample St", "75 Example St.", "51 Other Street"


def _at(title, employer, address):
    zip_code = "99115" if address == WOMENS else "99114"
    return _lca(title, employer, "Sampletown", "70000", at=(address, zip_code))


# The hospital's physician organization files for clinical fellows and the parent system of
# both hospitals for residents, each at both hospitals' addresses and elsewhere.
ORGANIZATION, PARENT = "Generated General Physicians Organization", "Generated Sample Partners"
PARENT_SYSTEM_LCAS = [
    *(_at("Clinical Fellow", ORGANIZATION, address) for address in (GENERAL, WOMENS, ELSEWHERE)),
    *(_at("Resident", f"{PARENT} Incorporated", a) for a in (GENERAL, GENERAL, WOMENS, ELSEWHERE)),
]


def test_build_joins_a_physician_organization_and_a_parent_system_at_hospital_addresses(tmp_path):
    rows, notes = _build(
        tmp_path,
        PARENT_SYSTEM_LCAS,
        [
            [PARENT, "GT", "55 Sample Street", "990006", "names General"],
            [PARENT, "GT", "75 Example Street", "990007", "names Women's"],
        ],
    )
    filings = {row["sponsor_code"]: (row["filings"], row["employers"]) for row in rows}
    assert filings == {
        "990006": (
            "3",
            "Generated General Physicians Organization; Generated Sample Partners Incorporated",
        ),
        "990007": ("1", "Generated Sample Partners Incorporated"),
    }
    report = "\n".join(notes)
    assert "LCAs: 0 automatic, 1 physician organization, 3 alias, 3 unmatched." in report


# The reviewed alias table -----------------------------------------------------------------


def test_every_alias_points_to_a_shipped_sponsor_and_says_why():
    sponsors = {row["code"] for row in _read(FIXTURES / "sponsors.csv")}
    aliases = _read(ALIASES)
    assert aliases
    assert list(aliases[0]) == lca.ALIAS_COLUMNS
    for alias in aliases:
        assert alias["sponsor_code"] in sponsors, alias
        assert re.fullmatch(r"[A-Z]{2}", alias["worksite_state"]), alias
        assert alias["note"].strip() and "\n" not in alias["note"], alias
    keys = [
        (
            lca.clean_name(a["employer_name"]),
            a["worksite_state"],
            lca.street_key(a["worksite_address"]),
        )
        for a in aliases
    ]
    assert len(keys) == len(set(keys))


# Real data, checked by hand against the raw rows ----------------------------------------------


@pytest.fixture(scope="module")
def real_build(raw_dir):
    notes = []
    rows = lca.build_h1b_filings(
        raw_dir,
        _read(FIXTURES / "sponsors.csv"),
        _read(FIXTURES / "programs.csv"),
        ALIASES,
        notes.append,
    )
    return {row["sponsor_code"]: row for row in rows}, notes


@pytest.mark.parametrize(
    ("code", "filings", "specialty", "employer"),
    [
        # 89 "UPMC Medical Education" rows, less one dental orthodontics fellow.
        ("418024", "88", "Internal Medicine", "UPMC Medical Education"),
        # 43 BIDMC rows, less one Medical Lab Scientist.
        ("248076", "42", "Pathology", "Beth Israel Deaconess Medical Center, Inc."),
        # 21 Yale New Haven Hospital rows (two spellings), less two lab staff.
        ("080433", "19", "Neurology", "Yale New Haven Hospital"),
        # 12 Barnes-Jewish PGY + 10 St. Louis Children's PGY + 2 Washington University
        # clinical fellow associates in St. Louis (the Creve Coeur one is not a program city).
        ("289502", "24", "Pediatrics", "Barnes-Jewish Hospital"),
        # 33 St. Barnabas rows, less one podiatrist in post-graduate training.
        ("350348", "32", "", "ST. BARNABAS HOSPITAL"),
        # 73 "Clinical Resident"/"Visiting Resident" rows in Rochester, Scottsdale,
        # Jacksonville and Eau Claire; the Senior Associate Consultants are staff.
        ("260173", "73", "", "MAYO CLINIC"),
        # 38 House Staff rows in Iowa City; the North Liberty one is not a program city.
        ("180415", "38", "", "The University of Iowa"),
        # Massachusetts General Hospital: 18 Massachusetts General Physicians Organization
        # Clinical Fellows at 55 Fruit St, and Mass General Brigham Residents, 15 at 55 Fruit St
        # and 2 at 115 Mill St, Belmont (McLean Hospital, an MGH program address).
        ("240394", "35", "", "Massachusetts General Physicians Organization"),
        # Brigham and Women's: its own 26, 2 from its physicians organization and 15 Mass
        # General Brigham Residents at 75 Francis St and 60 Fenwood Rd.
        ("240438", "43", "", "Mass General Brigham Incorporated"),
        # SLUCare Physician Group (SSM Health Care Group) at 1201 and 1465 South Grand Blvd.
        ("289501", "11", "Internal Medicine", "SSM Health Care Group"),
        # OSF Healthcare System at 530 NE Glen Oak Ave, OSF Saint Francis Medical Center.
        ("160751", "9", "Gastroenterology", "OSF Healthcare System"),
        # Houston Methodist Specialty Physician Group at 6565 Fannin St.
        ("480172", "4", "", "TMH Physician Organization"),
        # 25 Medical House Staff rows; the Assistant Professors are faculty.
        ("120490", "25", "", "Emory University"),
    ],
)
def test_hand_checked_sponsors(real_build, code, filings, specialty, employer):
    rows, _ = real_build
    row = rows[code]
    assert row["filings"] == filings
    assert employer in row["employers"].split("; ")
    if specialty:
        assert specialty in row["specialties"].split("; ")


def test_massachusetts_general_hospital_has_filings_from_its_organizations(real_build):
    rows, _ = real_build
    assert rows["240394"]["employers"] == (
        "Mass General Brigham Incorporated; Massachusetts General Physicians Organization"
    )


def test_unsure_employers_stay_unmatched(real_build):
    rows, _ = real_build
    employers = {name for row in rows.values() for name in row["employers"].split("; ")}
    # Mass General Brigham's Residents at 300 Longwood Ave are at Boston Children's address,
    # which its name does not name; the MGH physicians organization's fellows at 75 Francis
    # St are at Brigham and Women's address, not MGH's.
    assert "Mass General Brigham Incorporated" not in rows["240152"]["employers"]
    assert "Massachusetts General Physicians Organization" not in rows["240438"]["employers"]
    # AdventHealth Tampa's Residents are at an address no sponsor's program gives.
    assert "University Community Hospital, Inc." not in employers
    # Affiliated hospitals that are not the sponsor stay apart from it.
    assert "Endeavor Health Clinical Operations" not in employers
    assert "NYC Health and Hospitals Corp." not in employers


def test_every_alias_is_used_and_the_report_counts_add_up(real_build):
    rows, notes = real_build
    report = "\n".join(notes)
    assert "matched no LCA" not in report
    kept = int(re.search(r"([\d,]+) physician-trainee LCAs kept", report)[1].replace(",", ""))
    matched = sum(int(row["filings"]) for row in rows.values())
    unmatched = int(re.search(r"alias, (\d+) unmatched", report)[1])
    assert matched + unmatched == kept
    assert all(
        row["wage_from"] and int(row["wage_from"]) <= int(row["wage_to"]) for row in rows.values()
    )
