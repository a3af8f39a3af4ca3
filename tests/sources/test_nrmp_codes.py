"""Joining NRMP program codes and Florida NRMP results to ACGME programs (sources.nrmp_codes).

The first half runs the rules on small generated inputs; the second runs the real join when
the raw files are on this machine and checks pairs that were verified by reading the names.
"""

import csv
from pathlib import Path

import pytest
from django.conf import settings

from sources import nrmp_codes

YEAR_COLUMNS = [f"{year} {kind}" for year in range(2026, 2019, -1) for kind in ("Quota", "Matched")]


# Generated inputs -----------------------------------------------------------------------------


def write_csv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows(rows)


def program(acgme_id: str, name: str, state: str = "VT", city: str = "Genville", **extra) -> dict:
    return {
        "acgme_id": acgme_id,
        "name": name,
        "specialty_code": acgme_id[:3],
        "sponsor_name": extra.get("sponsor_name", name.removesuffix(" Program")),
        "address": extra.get("address", "1 Generated Way"),
        "city": city,
        "state": state,
    }


def raw_dir(tmp_path: Path, institutions: dict[str, str], codes: dict[str, str]) -> Path:
    """A raw directory with a generated wavegate list: institution code -> name, code -> track."""
    write_csv(
        tmp_path / nrmp_codes.WAVEGATE_INSTITUTIONS_FILE,
        ["name", "institutionCode"],
        [{"name": name, "institutionCode": code} for code, name in institutions.items()],
    )
    write_csv(
        tmp_path / nrmp_codes.WAVEGATE_PROGRAMS_FILE,
        ["name", "code"],
        [{"name": track, "code": code} for code, track in codes.items()],
    )
    return tmp_path


def joined(tmp_path, institutions, codes, programs) -> dict[str, str]:
    rows = nrmp_codes.build_nrmp_codes(raw_dir(tmp_path, institutions, codes), programs, print)
    return {row["nrmp_code"]: row["acgme_id"] for row in rows}


def florida_row(code: str, institution: str, city: str, specialty: str, **years) -> dict:
    row = {
        "Table": "Main",
        "Sponsoring Institution": institution,
        "Sponsoring Institution Cleaned": institution,
        "SNHAF": "NOT",
        "City": city,
        "City Cleaned": city,
        "Specialty": specialty,
        "Specialty Cleaned": specialty,
        "Program Code": code,
    }
    row.update(dict.fromkeys(YEAR_COLUMNS, "0"))
    for year, (quota, matched) in years.items():
        row[f"{year[1:]} Quota"], row[f"{year[1:]} Matched"] = str(quota), str(matched)
    return row


# Names ----------------------------------------------------------------------------------------


def test_abbreviations_meet_the_spelled_out_name():
    assert nrmp_codes.name_tokens("Generated Gen Hosp") == nrmp_codes.name_tokens(
        "Generated General Hospital"
    )
    assert set(nrmp_codes.name_tokens("Generated Fam Med Ctr")) == set(
        nrmp_codes.name_tokens("Generated Family Medicine Center")
    )
    assert nrmp_codes.name_tokens("St Generated's HealthCare") == nrmp_codes.name_tokens(
        "Saint Generateds Health Care"
    )


def test_state_university_never_looks_like_university_of_the_state():
    state_school = set(nrmp_codes.name_tokens("Vermont State University"))
    flagship = set(nrmp_codes.name_tokens("University of Vermont"))
    assert "vermontstate" in state_school
    assert "vermont" not in state_school
    assert set(nrmp_codes.name_tokens("Vermont St Univ")) == state_school
    assert set(nrmp_codes.name_tokens("University of South Vermont")) != flagship


def test_state_suffix_is_a_real_state_code():
    assert nrmp_codes.state_suffix("Generated Hosp-VT") == "VT"
    assert nrmp_codes.state_suffix("Generated Hosp-ZZ") == ""
    assert nrmp_codes.state_suffix("U Generated Med Ctr-Genville") == ""
    assert nrmp_codes.institution_name("Generated Hosp-VT") == "Generated Hosp"


def test_a_name_without_a_state_takes_the_state_of_its_neighbours():
    rows = [
        {"name": "Generated Alpha Hosp-VT", "institutionCode": "9001"},
        {"name": "Generated Beta Med Ctr", "institutionCode": "9002"},
        {"name": "Generated Gamma Hosp-VT", "institutionCode": "9003"},
        {"name": "Generated Delta Hosp-NH", "institutionCode": "9004"},
        {"name": "Generated Epsilon Hosp-ME", "institutionCode": "9005"},
        {"name": "Generated Zeta Hosp-ME", "institutionCode": "9006"},
        {"name": "Univ of Wyoming-Generated", "institutionCode": "9007"},
    ]
    states = nrmp_codes.institution_states(rows)
    assert states["9002"].states == {"VT"}
    assert states["9004"].states == {"NH"}
    assert states["9007"].states == {"WY"}  # last in the list: the spelled-out state


def test_a_suffix_disagreeing_with_both_neighbours_keeps_both_states():
    rows = [
        {"name": "Generated Alpha Hosp-NJ", "institutionCode": "9001"},
        {"name": "Generated Beta Hosp-NY", "institutionCode": "9002"},
        {"name": "Generated Gamma Hosp-NJ", "institutionCode": "9003"},
    ]
    assert nrmp_codes.institution_states(rows)["9002"].states == {"NY", "NJ"}


def test_state_codes_inside_an_nrmp_name_are_spelled_out():
    assert "Vermont" in nrmp_codes.expand_nrmp_capitals("Medical University of VT")
    assert nrmp_codes.expand_nrmp_capitals("Generated VA Med Ctr") == "Generated VA Med Ctr"


# Tracks and sites -----------------------------------------------------------------------------


def test_a_track_suffix_names_a_site_or_a_pathway():
    assert nrmp_codes.track_site("Internal Medicine/Northtown") == (("northtown",),)
    assert nrmp_codes.track_site("Neuro Surg/Northtown & Southtown") == (
        ("northtown",),
        ("southtown",),
    )
    assert nrmp_codes.track_site("Internal Medicine/Research") == ()
    assert nrmp_codes.track_site("Med-Prelim/Neurology") == ()
    assert nrmp_codes.track_site("Internal Med/Global Health") == ()
    assert nrmp_codes.track_site("Internal Medicine") == ()


def test_a_site_the_institution_name_already_says_is_no_site():
    names = ["U Generated SOM-Genville"]
    assert nrmp_codes.specific_site(nrmp_codes.track_site("Family Medicine/Genville"), names) == ()
    # "Genville Health" is another hospital in the same city: the common word must be found.
    site = nrmp_codes.track_site("Family Med/Genville Hlth")
    assert nrmp_codes.specific_site(site, names) == (("health",),)
    # Common words alone ("Univ Hosp", "Clin Ed") name no site.
    assert nrmp_codes.specific_site(nrmp_codes.track_site("Internal Med/Clin Ed"), names) == ()


def test_the_part_after_the_last_hyphen_must_be_found():
    form = nrmp_codes.name_form("Generated Permanente-Northtown-VT")
    assert form.qualifier == ("northtown",)
    assert nrmp_codes.name_form("Generated Hosp-VT").qualifier == ()


# Matching -------------------------------------------------------------------------------------


def test_an_institution_joins_its_program_and_each_of_its_tracks(tmp_path):
    programs = [
        program("1404600001", "Generated Quillfeather Medical Center Program"),
        program("1404600002", "Generated Marrowby Hospital Program"),
        program("9994600001", "Generated Quillfeather Medical Center Program"),
        program("4404600001", "Generated Quillfeather Medical Center Program"),
    ]
    found = joined(
        tmp_path,
        {"9001": "Generated Quillfeather Med Ctr-VT", "9002": "Generated Marrowby Hosp-VT"},
        {
            "9001140C0": "Internal Medicine",
            "9001140P0": "Medicine-Preliminary",
            "9001140P1": "Med-Prelim/Neurology",
            "9001999P0": "Transitional",
            "9001440P0": "Surgery-Preliminary",
            "9002140C0": "Internal Medicine",
        },
        programs,
    )
    assert found == {
        "9001140C0": "1404600001",
        "9001140P0": "1404600001",
        "9001140P1": "1404600001",
        "9001999P0": "9994600001",
        "9001440P0": "4404600001",
        "9002140C0": "1404600002",
    }


def test_rows_say_the_rule_and_come_sorted(tmp_path):
    programs = [
        program("1404600002", "Generated Marrowby Health (Northtown) Program", city="Northtown"),
        program("1404600001", "Generated Quillfeather Hospital Program"),
    ]
    rows = nrmp_codes.build_nrmp_codes(
        raw_dir(
            tmp_path,
            {"9001": "Generated Quillfeather Hosp-VT", "9002": "Generated Marrowby Health-VT"},
            {"9002140C0": "Internal Medicine/Northtown", "9001140C0": "Internal Medicine"},
        ),
        programs,
        lambda line: None,
    )
    assert rows == [
        {
            "acgme_id": "1404600001",
            "nrmp_code": "9001140C0",
            "track_name": "Internal Medicine",
            "match_rule": "name-state-specialty",
        },
        {
            "acgme_id": "1404600002",
            "nrmp_code": "9002140C0",
            "track_name": "Internal Medicine/Northtown",
            "match_rule": "name-site-state-specialty",
        },
    ]


def test_sites_pick_one_of_several_programs_of_a_system_and_a_bare_track_stays_out(tmp_path):
    programs = [
        program("1404600001", "Generated Health (Northtown) Program", city="Northtown"),
        program("1404600002", "Generated Health (Southtown) Program", city="Southtown"),
    ]
    found = joined(
        tmp_path,
        {"9001": "Generated Health-VT"},
        {
            "9001140C0": "Internal Medicine/Northtown",
            "9001140C1": "Internal Medicine/Southtown",
            "9001140C2": "Internal Medicine/Easttown",
            "9001140P0": "Medicine-Preliminary",
        },
        programs,
    )
    assert found == {"9001140C0": "1404600001", "9001140C1": "1404600002"}


def test_a_bare_track_does_not_take_a_program_a_site_named_track_claims(tmp_path):
    # Only the Northtown program is listed; the bare "Internal Medicine" may be another site.
    programs = [program("1404600001", "Generated Health (Northtown) Program", city="Northtown")]
    found = joined(
        tmp_path,
        {"9001": "Generated Health-VT"},
        {"9001140C0": "Internal Medicine", "9001140C1": "Internal Medicine/Northtown"},
        programs,
    )
    assert found == {"9001140C1": "1404600001"}


def test_a_sister_hospital_of_the_same_system_is_not_the_flagship(tmp_path):
    programs = [
        program("1404600001", "Generated Ford Hospital Program"),
        program("1404600002", "Generated Ford Wyvern Hospital Program", city="Wyvern"),
    ]
    found = joined(
        tmp_path,
        {"9001": "Generated Ford Hospital-VT", "9002": "Generated Ford Wyvern Hosp-VT"},
        {"9001140C0": "Internal Medicine", "9002140C0": "Internal Medicine"},
        programs,
    )
    assert found == {"9001140C0": "1404600001", "9002140C0": "1404600002"}


def test_two_nrmp_institutions_fitting_one_program_join_neither(tmp_path):
    programs = [program("1404600001", "Generated Quillfeather Hospital Program")]
    found = joined(
        tmp_path,
        {"9001": "Generated Quillfeather Hosp-VT", "9002": "Generated Quillfeather Hospital-VT"},
        {"9001140C0": "Internal Medicine", "9002140C0": "Internal Medicine"},
        programs,
    )
    assert found == {}


def test_other_state_other_name_or_no_acgme_specialty_is_not_joined(tmp_path):
    programs = [
        program("1404600001", "Generated Quillfeather Hospital Program", state="NH"),
        program("1404600002", "Generated Marrowby Hospital Program"),
        program("1404600003", "Generated Ashgrove Hospital Program"),
    ]
    found = joined(
        tmp_path,
        {
            "9001": "Generated Quillfeather Hosp-VT",
            "9002": "Generated Thistlewood Hosp-VT",
            "9003": "Generated Ashgrove Hosp-VT",
        },
        {
            "9001140C0": "Internal Medicine",
            "9002140C0": "Internal Medicine",
            "9003705C0": "Medicine-Emergency Med",
        },
        programs,
    )
    assert found == {}


def test_primary_care_tracks_go_to_a_separate_primary_care_program(tmp_path):
    programs = [
        program("1404600001", "Generated Quillfeather Medical Center Program"),
        program("1404600002", "Generated Quillfeather Medical Center (Primary Care) Program"),
    ]
    found = joined(
        tmp_path,
        {"9001": "Generated Quillfeather Med Ctr-VT"},
        {"9001140C0": "Internal Medicine", "9001140M0": "Medicine-Primary"},
        programs,
    )
    assert found == {"9001140C0": "1404600001", "9001140M0": "1404600002"}


def test_a_reviewed_override_wins_and_must_name_a_program_of_the_specialty(tmp_path, monkeypatch):
    programs = [
        program("1404600001", "Generated Quillfeather Hospital Program"),
        program("1404600002", "Generated Marrowby Hospital Program"),
    ]
    monkeypatch.setattr(
        nrmp_codes,
        "CODE_OVERRIDES",
        {
            "9001140C0": ("1404600002", "generated: reviewed by hand"),
            "9001140C1": ("4404600002", "generated: wrong specialty"),
            "9002140C0": ("", "generated: never join"),
        },
    )
    found = joined(
        tmp_path,
        {"9001": "Generated Thistlewood Hosp-VT", "9002": "Generated Marrowby Hosp-VT"},
        {"9001140C0": "Internal Medicine", "9001140C1": "Internal Medicine", "9002140C0": "IM"},
        programs,
    )
    assert found == {"9001140C0": "1404600002"}


def test_the_join_is_the_same_on_every_run(tmp_path):
    programs = [
        program("1404600001", "Generated Health (Northtown) Program", city="Northtown"),
        program("1404600002", "Generated Health (Southtown) Program", city="Southtown"),
        program("1404600003", "Generated Quillfeather Hospital Program"),
    ]
    directory = raw_dir(
        tmp_path,
        {"9001": "Generated Health-VT", "9002": "Generated Quillfeather Hosp-VT"},
        {
            "9001140C1": "Internal Medicine/Southtown",
            "9001140C0": "Internal Medicine/Northtown",
            "9002140C0": "Internal Medicine",
        },
    )
    first = nrmp_codes.build_nrmp_codes(directory, programs, lambda line: None)
    second = nrmp_codes.build_nrmp_codes(directory, list(reversed(programs)), lambda line: None)
    assert first == second
    assert [row["nrmp_code"] for row in first] == ["9001140C0", "9001140C1", "9002140C0"]


def test_cnty_mass_and_joined_words_meet_the_spelled_out_name():
    assert nrmp_codes.name_tokens("Generated Cnty Hosp") == nrmp_codes.name_tokens(
        "Generated County Hospital"
    )
    assert nrmp_codes.name_tokens("Mass Generated Infirmary") == nrmp_codes.name_tokens(
        "Massachusetts Generated Infirmary"
    )
    assert nrmp_codes.name_tokens("Generated MountainView Hosp") == nrmp_codes.name_tokens(
        "Generated Mountain View Hospital"
    )


def test_a_qualifier_naming_a_state_is_read_as_program_names_are(tmp_path):
    # "U of SC" in the part after the hyphen must meet "University of South Carolina".
    programs = [
        program(
            "1404500001",
            "Generated Quillfeather/University of South Carolina SOM Northtown Program",
            state="SC",
        ),
        program("1404500002", "Generated Marrowby Hospital Program", state="SC"),
    ]
    found = joined(
        tmp_path,
        {"9001": "Generated Quillfeather-U of SC SOM Northtown"},
        {"9001140C0": "Internal Medicine"},
        programs,
    )
    assert found == {"9001140C0": "1404500001"}


def test_the_specialty_in_a_program_name_does_not_count_against_the_fit(tmp_path):
    # "Family" is another NRMP institution's word too; in a family medicine program's name it
    # is the specialty, so the Quillfeather program beats its Thornbury sister clearly.
    programs = [
        program("1204600001", "Generated Quillfeather Hospital Family Medicine Program"),
        program("1204600002", "Generated Quillfeather Thornbury Larkspur Hospital Program"),
        program("1404600002", "Generated Family Wyvern Clinic Program"),
        program("1404600003", "Generated Thornbury Larkspur Program"),
    ]
    found = joined(
        tmp_path,
        {
            "9001": "Generated Quillfeather Hosp-VT",
            "9002": "Generated Family Wyvern Clinic-VT",
            "9003": "Generated Thornbury Larkspur-VT",
        },
        {
            "9001120C0": "Family Medicine",
            "9002140C0": "Internal Medicine",
            "9003140C0": "Internal Medicine",
        },
        programs,
    )
    assert found["9001120C0"] == "1204600001"


# A joint program whose name carries two other NRMP institutions' words: its score stays
# under MIN_SCORE however well the Arrowby label is found in it.
JOINT = [
    program(
        "4404600001",
        "Generated Arrowby Regional Medical Center/Generated Kestrel Permanente Thornbury "
        "Wyvern Ashgrove Larkspur Program",
        sponsor_name="Generated Arrowby Regional Medical Center",
    ),
    program("1404600003", "Generated Kestrel Permanente Thornbury Program"),
    program("1404600004", "Generated Wyvern Ashgrove Larkspur Program"),
]
JOINT_INSTITUTIONS = {
    "9001": "Generated Arrowby Reg Med Ctr-VT",
    "9002": "Generated Kestrel Permanente Thornbury-VT",
    "9003": "Generated Wyvern Ashgrove Larkspur-VT",
}
JOINT_CODES = {
    "9001440C0": "General Surgery",
    "9002140C0": "Internal Medicine",
    "9003140C0": "Internal Medicine",
}


def test_the_only_program_carrying_the_whole_name_joins_despite_extra_words(tmp_path):
    programs = [*JOINT, program("4404600002", "Generated Marrowby Hospital Program")]
    found = joined(tmp_path, JOINT_INSTITUTIONS, JOINT_CODES, programs)
    assert found["9001440C0"] == "4404600001"


def test_a_program_with_the_whole_name_beside_a_close_rival_needs_the_full_score(tmp_path):
    rival = program(
        "4404600002",
        "Generated Arrowby Regional Medical Kestrel Permanente Thornbury Wyvern Ashgrove "
        "Larkspur Program",
    )
    found = joined(tmp_path, JOINT_INSTITUTIONS, JOINT_CODES, [*JOINT, rival])
    assert "9001440C0" not in found


def test_a_reviewed_institution_alias_joins_a_renamed_hospital(tmp_path, monkeypatch):
    programs = [program("1404600001", "Generated Saint Quillfeather Mercy Program")]
    institutions = {"9001": "Generated Trinity Health Northtown Hosp-VT"}
    codes = {"9001140C0": "Internal Medicine"}
    assert joined(tmp_path / "before", institutions, codes, programs) == {}
    monkeypatch.setattr(
        nrmp_codes,
        "INSTITUTION_ALIASES",
        {"9001": ("Generated Saint Quillfeather Mercy", "generated: the name before 2023")},
    )
    found = joined(tmp_path / "after", institutions, codes, programs)
    assert found == {"9001140C0": "1404600001"}


def test_a_reviewed_site_alias_finds_a_hospital_by_its_city(tmp_path, monkeypatch):
    programs = [
        program("0404600001", "Generated Health Network Program", city="Northtown"),
        program("0404600002", "Generated Health Network Program", city="Southtown"),
    ]
    institutions = {"9001": "Generated Health Network-VT"}
    codes = {"9001040C0": "Anesthesiology/Grandview"}
    assert joined(tmp_path / "before", institutions, codes, programs) == {}
    monkeypatch.setattr(
        nrmp_codes,
        "SITE_ALIASES",
        {("9001", "grandview"): ("Northtown", "generated: Grandview is the Northtown hospital")},
    )
    found = joined(tmp_path / "after", institutions, codes, programs)
    assert found == {"9001040C0": "0404600001"}


def test_a_bare_track_takes_the_program_no_other_site_of_its_kind_claims(tmp_path):
    # Other institutions claim "Northtown" and "Southtown" alike, so the two programs fit the
    # bare track equally; the Northtown track's site tells them apart.
    programs = [
        program("1204600001", "Generated Health (Northtown) Program", city="Northtown"),
        program("1204600002", "Generated Health (Southtown) Program", city="Southtown"),
        program("1404600003", "Generated Southtown Marrowby Clinic Program", city="Southtown"),
        program("1404600004", "Generated Northtown Marrowby Clinic Program", city="Northtown"),
    ]
    found = joined(
        tmp_path,
        {
            "9001": "Generated Health-VT",
            "9002": "Generated Southtown Marrowby Clinic-VT",
            "9003": "Generated Northtown Marrowby Clinic-VT",
        },
        {
            "9001120C0": "Family Medicine",
            "9001120C1": "Family Medicine/Northtown",
            "9002140C0": "Internal Medicine",
            "9003140C0": "Internal Medicine",
        },
        programs,
    )
    assert found["9001120C0"] == "1204600002"
    assert found["9001120C1"] == "1204600001"


def unlisted(tmp_path, institutions, codes, programs) -> dict[str, str]:
    rows = nrmp_codes.build_unlisted_codes(
        raw_dir(tmp_path, institutions, codes), programs, lambda line: None
    )
    return {row["nrmp_code"]: row["reason"] for row in rows}


def test_only_codes_no_listed_program_can_be_are_listed_as_missing(tmp_path, monkeypatch):
    # Institution names without the "Generated" of the program names: it would be a shared word.
    def sponsored(row, code):
        return {**row, "sponsor_code": code}

    programs = [
        sponsored(program("1404600001", "Generated Quillfeather Hospital Program"), "900001"),
        sponsored(program("2604600001", "Generated Marrowby Medical Center Program"), "900002"),
        sponsored(program("4404600001", "Generated Kestrel Health Program"), "900003"),
        sponsored(program("2204600001", "Generated Kestrel Health Program"), "900003"),
        sponsored(program("9994600001", "Generated Ashgrove Program", city="Northtown"), "900004"),
        sponsored(program("4404600005", "Generated Quillfeather (Northtown) Program"), "900001"),
        sponsored(program("4404600006", "Generated Quillfeather (Southtown) Program"), "900001"),
    ]
    monkeypatch.setattr(
        nrmp_codes, "CODE_OVERRIDES", {"9004440C0": ("4404600001", "generated: reviewed")}
    )
    found = unlisted(
        tmp_path,
        {
            "9001": "Thistlewood Hosp-VT",
            "9002": "Marrowby Med Ctr-VT",
            "9003": "Bramblecote Health-VT",
            "9004": "Wrenfield Hosp-VT",
            "9005": "Quillfeather Hosp-VT",
        },
        {
            # No VT internal medicine program carries "Thistlewood": a new program.
            "9001140C0": "Internal Medicine",
            # Joined, so not missing; its internal medicine has no Marrowby program.
            "9002260C0": "Orthopaedic Surgery",
            "9002140C0": "Internal Medicine",
            # The place its track names has a program (under another name): may be it.
            "9003999P0": "Transitional/Northtown",
            # Its surgery code joins Kestrel's program, and Kestrel has ob-gyn there too.
            "9004440C0": "General Surgery",
            "9004220C0": "Obstetrics-Gynecology",
            # Two Quillfeather surgery programs: ambiguous, but one of them is surely it.
            "9005440C0": "General Surgery",
            # No ACGME program has this specialty code: not a missing program.
            "9001705C0": "Medicine-Emergency Med",
        },
        programs,
    )
    assert set(found) == {"9001140C0", "9002140C0"}
    assert found["9001140C0"] == (
        "no program of this specialty in VT carries the institution's name in the 2021-22 "
        "ACGME listing"
    )


# Florida results ------------------------------------------------------------------------------


def test_florida_results_skip_years_without_participation_and_keep_old_codes(tmp_path):
    programs = [program("1401100001", "Generated Quillfeather Hospital Program", state="FL")]
    directory = raw_dir(
        tmp_path,
        {"9001": "Generated Quillfeather Hosp-FL"},
        {"9001140C0": "Internal Medicine"},
    )
    write_csv(
        directory / nrmp_codes.FLORIDA_FILE,
        ["Table", "Sponsoring Institution", "Sponsoring Institution Cleaned", "SNHAF", "City"]
        + ["City Cleaned", "Specialty", "Specialty Cleaned", "Program Code", *YEAR_COLUMNS],
        [
            florida_row(
                "9001140C0",
                "Generated Quillfeather Hosp-FL",
                "Genville",
                "Internal Medicine",
                y2026=(10, 10),
                y2025=(10, 9),
            ),
            # The same hospital's code before a renumbering: used in 2020 only.
            florida_row(
                "8001140C0",
                "Generated Quillfeather Hospital-FL",
                "Genville",
                "Internal Medicine",
                y2020=(8, 8),
            ),
            florida_row(
                "8002140C0", "Generated Thistlewood Hosp-FL", "Genville", "IM", y2026=(4, 4)
            ),
        ],
    )
    lines: list[str] = []
    codes = nrmp_codes.build_nrmp_codes(directory, programs, lines.append)
    assert {row["nrmp_code"] for row in codes} == {"9001140C0"}  # the old code is not listed
    results = nrmp_codes.build_program_results(directory, programs, codes, lines.append)
    assert results == [
        {"acgme_id": "1401100001", "nrmp_code": "8001140C0", "year": "2020"}
        | {"positions_offered": "8", "matched": "8", "table": "Main"},
        {"acgme_id": "1401100001", "nrmp_code": "9001140C0", "year": "2025"}
        | {"positions_offered": "10", "matched": "9", "table": "Main"},
        {"acgme_id": "1401100001", "nrmp_code": "9001140C0", "year": "2026"}
        | {"positions_offered": "10", "matched": "10", "table": "Main"},
    ]
    assert any("history only" in line for line in lines)


def test_a_florida_city_in_another_state_moves_the_code_there():
    assert nrmp_codes.florida_city("Generated City (GA)") == ("Generated City", "GA")
    assert nrmp_codes.florida_city("Genville") == ("Genville", "FL")


def test_no_florida_file_gives_no_results(tmp_path):
    directory = raw_dir(tmp_path, {"9001": "Generated Hosp-FL"}, {"9001140C0": "IM"})
    assert nrmp_codes.build_program_results(directory, [], [], lambda line: None) == []


# The real join -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real(raw_dir):
    """The real join, run once: (programs, specialty levels, codes, results, report lines)."""
    fixtures = settings.BASE_DIR / "fixtures"
    with (fixtures / "programs.csv").open(encoding="utf-8", newline="") as handle:
        programs = list(csv.DictReader(handle))
    with (fixtures / "specialties.csv").open(encoding="utf-8", newline="") as handle:
        levels = {row["code"]: row["level"] for row in csv.DictReader(handle)}
    lines: list[str] = []
    codes = nrmp_codes.build_nrmp_codes(raw_dir, programs, lines.append)
    results = nrmp_codes.build_program_results(raw_dir, programs, codes, lines.append)
    return programs, levels, codes, results, lines


# Verified by reading the NRMP and ACGME names side by side.
VERIFIED = {
    "1261140C0": "1402411169",  # Massachusetts Gen Hosp, IM -> MGH Program (IM)
    "1261140P0": "1402411169",  # MGH Medicine-Preliminary: a track of the same IM program
    "1261040C0": "0402431064",  # MGH Anesthesiology/PG 1-4 -> MGH anesthesiology
    "1978140C0": "1402512201",  # Beaumont Health-MI IM/Royal Oak -> Beaumont Health (Royal Oak)
    "1978140C1": "1402531188",  # Beaumont IM/Dearborn -> Beaumont Health (Dearborn)
    "2117140C0": "1401611114",  # Advocate IM/AIMMC -> Advocate Illinois Masonic Medical Center
    "1089140C0": "1400821085",  # Yale-New Haven IM -> Yale-New Haven Medical Center
    "1089140M0": "1400821496",  # Yale Medicine-Primary -> Yale-New Haven (Primary Care)
    "1739999P0": "9995100170",  # Riverside Reg Med Ctr-VA Transitional -> Riverside Regional TY
    "1242700C0": "7002314143",  # Johns Hopkins Hosp Med-Peds -> Johns Hopkins University
    "1483440C0": "4403511217",  # Zucker SOM-Northwell Lenox Hill GS -> ... at Lenox Hill Hospital
    "1300140C0": "1402511189",  # Henry Ford Hospital IM -> Henry Ford Hospital (Detroit)
    "2037120C0": "1200512040",  # Kaiser Permanente-Fontana FM -> KP Southern California (Fontana)
    "1824140C1": "1401100949",  # U Florida COM-Shands IM/Pensacola -> UF COM (Pensacola)
    "1102120C0": "1201111088",  # AdventHealth FM (Florida file: /Winter Park) -> (Winter Park)
    "2232140C2": "1401100926",  # HCA East FL Division IM/Kendall -> ... Kendall Regional
    # Hosp of the Univ of PA (HUP) IM -> the UPHS program; Pennsylvania Hospital -> its own
    "1628140C0": "1404121380",
    "1639140C0": "1404111376",
    "1722040C0": "0404821155",  # U Texas HSC-San Antonio anesthesiology -> UT Health SA (alias)
    "1102110C0": "1101112190",  # AdventHealth EM (Florida file: /East Orlando) -> the only one
    "2206120C0": "1204100709",  # Einstein Healthcare Network FM -> Einstein Montgomery (Norristown)
    "1631120C0": "1204100714",  # Albert Einstein Med Ctr FM -> the Philadelphia program
    "1681140C0": "1404521404",  # Prisma Health-U of SC SOM Columbia IM -> ... SOM Columbia
    "1576040C0": "0403800176",  # Kettering Anesthesiology/Grandview -> the Dayton program
    "1957140C0": "1402721209",  # University Hosps-Jackson-MS IM -> Univ of Mississippi MC
    "1418140C0": "1402512540",  # Trinity Health Livonia IM -> St Mary Mercy Hospital
    "1346140C0": "1401800139",  # Mercy Med Ctr-Des Moines IM -> Iowa Medical Ed Collaborative
    "2189120C1": "1203800706",  # UH Community Consortium FM/Regionals -> Richmond Heights
    "1683120C0": "1204511292",  # Prisma Greenville bare FM -> Greenville, not Greer or Seneca
}

# Must stay out: guessing would put a wrong code on a program page.
NOT_JOINED = {
    "1590120C0": "Cahaba FM/Rural: two Cahaba FM programs in Centreville, neither says rural",
    "1590120C1": "Cahaba FM/Urban: as above",
    "1102140C2": "AdventHealth IM/Tampa: no Tampa program in the 2021-22 list (not Orlando)",
    "1826140C3": "Florida State University IM/Pensacola: not University of Florida (Pensacola)",
    "1076120C0": "U Colorado FM/Denver Health: not the University Hospital FM program",
    "1824140P0": "UF bare Medicine-Preliminary: UF has Gainesville and Pensacola IM programs",
    "1956140M1": "UCLA Med-Primary/Olive View: Olive View-UCLA is another NRMP institution",
    "1102260C0": "AdventHealth orthopaedic surgery: no AdventHealth program in the 2021-22 list",
    "1175120C0": "UIC Peoria OSF FM: OSF and UnityPoint Methodist both claim the one program",
    "1245140P0": "UM Mercy preliminary medicine: reviewed override, never joined",
}


def test_verified_codes_join_their_programs(real):
    _, _, codes, _, _ = real
    found = {row["nrmp_code"]: row["acgme_id"] for row in codes}
    assert {code: found.get(code) for code in VERIFIED} == VERIFIED


def test_ambiguous_codes_are_left_out(real):
    _, _, codes, _, _ = real
    found = {row["nrmp_code"] for row in codes}
    assert not found & set(NOT_JOINED)


def test_every_code_row_is_consistent(real):
    programs, _, codes, _, _ = real
    specialty = {row["acgme_id"]: row["specialty_code"] for row in programs}
    assert len({row["nrmp_code"] for row in codes}) == len(codes)
    assert all(specialty[row["acgme_id"]] == row["nrmp_code"][4:7] for row in codes)
    assert codes == sorted(codes, key=lambda row: (row["acgme_id"], row["nrmp_code"]))
    assert {row["match_rule"] for row in codes} <= {
        "name-state-specialty",
        "name-site-state-specialty",
        "fl-name-state-specialty",
        "fl-name-site-state-specialty",
        "reviewed-override",
    }


def test_most_residency_programs_get_a_code(real):
    programs, levels, codes, _, lines = real
    residencies = [row for row in programs if levels[row["specialty_code"]] == "residency"]
    with_code = {row["acgme_id"] for row in codes}
    share = sum(row["acgme_id"] in with_code for row in residencies) / len(residencies)
    assert share > 0.80  # measured: 4,480 of 5,579 (80.3%)
    assert len(codes) > 5900  # measured: 5,978
    assert any(line.startswith("NRMP codes:") for line in lines)


def test_florida_results_cover_joined_codes_and_old_ones(real):
    _, _, codes, results, _ = real
    assert all(int(row["positions_offered"]) or int(row["matched"]) for row in results)
    assert {row["year"] for row in results} == {str(year) for year in range(2020, 2027)}
    current = {row["nrmp_code"] for row in codes}
    kendall = [row for row in results if row["nrmp_code"] == "1697140C0"]
    assert "1697140C0" not in current  # Kendall Regional's code until 2021
    assert [(row["acgme_id"], row["year"]) for row in kendall] == [
        ("1401100926", "2020"),
        ("1401100926", "2021"),
    ]
    assert len(results) > 3500  # measured: 3,924 rows for 720 codes


@pytest.fixture(scope="module")
def real_unlisted(raw_dir, real):
    programs, _, _, _, _ = real
    return nrmp_codes.build_unlisted_codes(raw_dir, programs, lambda line: None)


def test_codes_listed_as_missing_join_no_program(real, real_unlisted):
    _, _, codes, _, _ = real
    listed = {row["nrmp_code"] for row in real_unlisted}
    assert "1102260C0" in listed  # AdventHealth orthopaedic surgery, accredited since
    assert not listed & {row["nrmp_code"] for row in codes}
    assert not listed & set(nrmp_codes.CODE_OVERRIDES)
    assert len(listed) > 40  # measured: 51
