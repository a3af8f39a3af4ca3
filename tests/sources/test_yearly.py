"""The yearly facts typed into yearly.toml: what they become, and that fixtures/ holds them."""

import datetime

import pytest
from django.conf import settings

from sources import yearly
from sources.tables import read_csv

FIXTURES = settings.BASE_DIR / "fixtures"


def listing(*codes_and_levels: tuple[str, str]) -> list[dict[str, str]]:
    """ACGME listing rows: (specialty code, "1" for a fellowship, "0" for a residency)."""
    return [{"SpecialtyNumericCode": c, "IsSubspecialty": level} for c, level in codes_and_levels]


def season(match_year: int) -> dict:
    """A season of yearly.toml whose every date is Match Day, confirmed."""
    match_day = {"date": datetime.date(match_year, 3, 20), "confirmed": True}
    events = dict.fromkeys(yearly.SEASON_EVENTS, match_day)
    return {
        "name": f"Match {match_year}",
        "match_year": match_year,
        "current": False,
        "source_label": "Generated",
        "notes": "",
        **events,
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


def test_season_dates_keep_whether_each_is_confirmed():
    facts = yearly.read_yearly()
    rows = {row["match_year"]: row for row in yearly.build_seasons(facts)}
    assert (rows["2026"]["match_day"], rows["2026"]["match_day_confirmed"]) == (
        "2026-03-20",
        "true",
    )
    assert rows["2026"]["rank_list_deadline_confirmed"] == "false"
    assert [row["match_year"] for row in yearly.build_seasons(facts)] == ["2026", "2027"]


def test_shipped_seasons_fees_and_services_are_what_yearly_toml_says():
    """Runs without the raw files: editing yearly.toml without rebuilding fixtures/ fails."""
    facts = yearly.read_yearly()
    residencies = [
        {"SpecialtyNumericCode": s["code"], "IsSubspecialty": "0"}
        for s in read_csv(FIXTURES / "specialties.csv")
        if s["level"] == "residency"
    ]
    assert read_csv(FIXTURES / "seasons.csv") == yearly.build_seasons(facts)
    assert read_csv(FIXTURES / "fees.csv") == yearly.build_fees(facts)
    assert read_csv(FIXTURES / "application_services.csv") == (
        yearly.build_application_services(residencies, facts)
    )
