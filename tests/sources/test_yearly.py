"""The yearly facts typed into yearly.toml: what they become, and that fixtures/ holds them."""

import pytest
from django.conf import settings

from sources import yearly
from sources.tables import read_csv

FIXTURES = settings.BASE_DIR / "fixtures"


def listing(*codes_and_levels: tuple[str, str]) -> list[dict[str, str]]:
    """ACGME listing rows: (specialty code, "1" for a fellowship, "0" for a residency)."""
    return [{"SpecialtyNumericCode": c, "IsSubspecialty": level} for c, level in codes_and_levels]


def season(match_year: int) -> dict:
    """A season of yearly.toml."""
    return {
        "name": f"Match {match_year}",
        "match_year": match_year,
        "current": False,
        "source_label": "Generated",
        "notes": "",
    }


def test_application_services_come_from_the_reviewed_exceptions():
    rows = yearly.build_application_services(
        listing(("110", "0"), ("140", "0"), ("705", "0"), ("141", "1")), yearly.read_yearly()
    )
    assert [(r["specialty_code"], r["service"], r["first_match_year"]) for r in rows] == [
        ("110", "eras", "2025"),
        ("110", "residencycas", "2026"),
        ("140", "eras", "2025"),
    ]


def test_an_unknown_application_service_stops_the_build():
    facts = yearly.read_yearly()
    facts["application_services"]["service"] = "generated-service"
    with pytest.raises(ValueError, match="generated-service"):
        yearly.build_application_services(listing(("140", "0")), facts)


def test_a_season_without_published_fees_carries_the_latest_ones_unconfirmed():
    facts = {
        "fee_season": 2026,
        "season": [season(2027), season(2026)],
        "fee": [
            {
                "kind": "eras_residency",
                "confirmed": True,
                "source_label": "Generated",
                "notes": "Counted per specialty.",
                "bands": [{"first": 31, "amount": 30, "each": True}],
            }
        ],
    }
    rows = yearly.build_fees(facts)
    assert [(r["match_year"], r["confirmed"], r["last"]) for r in rows] == [
        ("2026", "true", ""),
        ("2027", "false", ""),
    ]
    assert rows[1]["notes"].startswith("The latest published amount: the 2027 one is not out")


def test_season_dates_keep_their_status_source_and_check():
    rows = yearly.build_season_events(yearly.read_yearly())
    by_key = {
        (r["match_year"], r["match"] or r["service"], r["kind"], r["detail"]): r for r in rows
    }
    match_day = by_key[("2026", "nrmp_main", "match_day", "")]
    assert (match_day["date"], match_day["status"], match_day["checked_on"]) == (
        "2026-03-20",
        "confirmed",
        "2026-12-02",
    )
    assert by_key[("2026", "nrmp_main", "rank_list_deadline", "")]["status"] == "projected"
    aua = by_key[("2027", "aua", "match_day", "")]
    assert (aua["date"], aua["status"]) == ("", "projected")
    assert aua["source_label"]


def test_the_2027_main_match_holds_every_date_that_matters_each_sourced():
    rows = [
        r
        for r in yearly.build_season_events(yearly.read_yearly())
        if r["match_year"] == "2027" and (r["match"] == "nrmp_main" or r["service"] == "eras")
    ]
    kinds = {r["kind"] for r in rows}
    assert kinds == {
        "applications_open",
        "applicants_submit",
        "programs_review",
        "registration_opens",
        "registration_deadline",
        "rank_list_opens",
        "rank_list_deadline",
        "match_week",
        "soap_round",
        "match_day",
        "training_starts",
    }
    soap = sorted(r["detail"] for r in rows if r["kind"] == "soap_round")
    assert soap == ["Round 1", "Round 2", "Round 3", "Round 4"]
    assert all(r["date"] and r["source_label"] for r in rows)
    assert all(r["status"] == "projected" for r in rows)


def test_a_confirmed_event_without_its_check_stops_the_build():
    facts = yearly.read_yearly()
    event = {k: v for k, v in facts["event"][0].items() if k != "checked_on"}
    facts["event"] = [event | {"status": "confirmed"}]
    with pytest.raises(ValueError, match="checked_on"):
        yearly.build_season_events(facts)


def test_each_specialty_maps_to_its_match_from_the_exceptions_and_the_nrmp_file():
    rows = yearly.build_specialty_matches(
        listing(
            ("480", "0"),
            ("240", "0"),
            ("020", "0"),
            ("140", "0"),
            ("200", "0"),
            ("141", "1"),
            ("999", "1"),
        ),
        {"Main": {"140"}, "Specialty": {"020", "141"}},
        yearly.read_yearly(),
    )
    got = {r["specialty_code"]: (r["match"], r["source_label"]) for r in rows}
    assert {code: match for code, (match, _label) in got.items()} == {
        "480": "aua",
        "240": "sf_match",
        "020": "nrmp_sms",
        "140": "nrmp_main",
        "200": "nrmp_main",
        "141": "nrmp_sms",
    }
    assert got["020"][1].endswith("(Specialties Matching Service table)")
    assert got["140"][1].endswith("(Main table)")
    assert got["200"][1].startswith("Columbia Vagelos")


def test_a_code_in_both_nrmp_tables_stops_the_build():
    with pytest.raises(ValueError, match="both"):
        yearly.build_specialty_matches(
            listing(("140", "0")), {"Main": {"140"}, "Specialty": {"140"}}, yearly.read_yearly()
        )


def test_every_shipped_residency_specialty_has_its_match():
    residencies = {
        s["code"] for s in read_csv(FIXTURES / "specialties.csv") if s["level"] == "residency"
    }
    matches = {
        r["specialty_code"]: r["match"] for r in read_csv(FIXTURES / "specialty_matches.csv")
    }
    assert residencies <= set(matches)
    assert (matches["480"], matches["240"]) == ("aua", "sf_match")
    sms = {"020", "060", "130", "460"}
    assert {code for code in residencies if matches[code] == "nrmp_sms"} == sms


def test_shipped_seasons_fees_and_services_are_what_yearly_toml_says():
    """Runs without the raw files: editing yearly.toml without rebuilding fixtures/ fails."""
    facts = yearly.read_yearly()
    residencies = [
        {"SpecialtyNumericCode": s["code"], "IsSubspecialty": "0"}
        for s in read_csv(FIXTURES / "specialties.csv")
        if s["level"] == "residency"
    ]
    assert read_csv(FIXTURES / "seasons.csv") == yearly.build_seasons(facts)
    assert read_csv(FIXTURES / "matches.csv") == yearly.build_matches(facts)
    assert read_csv(FIXTURES / "event_kinds.csv") == yearly.build_event_kinds(facts)
    assert read_csv(FIXTURES / "season_events.csv") == yearly.build_season_events(facts)
    assert read_csv(FIXTURES / "fees.csv") == yearly.build_fees(facts)
    assert read_csv(FIXTURES / "signals.csv") == yearly.build_signals(facts)
    assert read_csv(FIXTURES / "application_services.csv") == (
        yearly.build_application_services(residencies, facts)
    )


def test_the_signal_table_reaches_only_the_specialties_it_names_unconfirmed():
    rows = yearly.build_signals(yearly.read_yearly())
    by_key = {(r["match_year"], r["specialty_code"]): r for r in rows}
    assert {r["match_year"] for r in rows} == {"2026", "2027"}
    assert {r["confirmed"] for r in rows} == {"false"}
    assert {r["published_for"] for r in rows} == {"2025"}
    internal_medicine = by_key[("2027", "140")]
    assert (
        internal_medicine["signals"],
        internal_medicine["gold"],
        internal_medicine["silver"],
    ) == (
        "",
        "3",
        "12",
    )
    assert by_key[("2027", "260")]["signals"] == "30"
    # One line of the table, two of the directory's specialties.
    assert by_key[("2027", "416")]["gold"] == by_key[("2027", "420")]["gold"] == "6"
    # Not named, or named only as part of a wider directory specialty: no row, so unknown.
    for code in ("240", "480", "220", "380", "460"):
        assert ("2027", code) not in by_key
    # Emergency medicine applies through ResidencyCAS from Match 2026: ERAS's table is not its.
    assert ("2027", "110") not in by_key and ("2026", "110") not in by_key


def test_signal_counts_of_their_own_season_are_confirmed():
    facts = yearly.read_yearly()
    facts["signal_season"] = 2027
    rows = yearly.build_signals(facts)
    assert {r["confirmed"] for r in rows if r["match_year"] == "2027"} == {"true"}
    assert {r["confirmed"] for r in rows if r["match_year"] == "2026"} == {"false"}


def test_emergency_medicine_keeps_the_eras_table_for_a_season_it_applied_through_eras():
    facts = yearly.read_yearly()
    facts["season"] = [season(2025)]
    rows = yearly.build_signals(facts)
    assert [r["signals"] for r in rows if r["specialty_code"] == "110"] == ["5"]
