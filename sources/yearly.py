"""The yearly facts no raw file holds (season dates, fees, application services), read from
yearly.toml, where each entry names its source."""

import tomllib
from collections import defaultdict
from pathlib import Path

from programs.choices import ApplicationService

YEARLY_FILE = Path(__file__).with_name("yearly.toml")

SEASON_EVENTS = [
    "eras_opens",
    "applicants_submit",
    "programs_review",
    "nrmp_registration",
    "rank_list_deadline",
    "match_day",
    "training_starts",
]
SEASON_COLUMNS = [
    "name",
    "match_year",
    "is_current",
    *[column for event in SEASON_EVENTS for column in (event, f"{event}_confirmed")],
    "source_label",
    "source_url",
    "notes",
]
FEE_COLUMNS = [
    "match_year",
    "kind",
    "specialty_code",
    "confirmed",
    "source_label",
    "source_url",
    "notes",
    "first",
    "last",
    "amount",
    "each",
]
APPLICATION_SERVICE_COLUMNS = [
    "specialty_code",
    "service",
    "first_match_year",
    "source_label",
    "source_url",
]


def read_yearly(path: Path = YEARLY_FILE) -> dict:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def _flag(value: bool) -> str:
    return "true" if value else "false"


def build_seasons(yearly: dict) -> list[dict[str, str]]:
    rows = []
    for season in yearly["season"]:
        row = {
            "name": season["name"],
            "match_year": str(season["match_year"]),
            "is_current": _flag(season["current"]),
            "source_label": season["source_label"],
            "source_url": season.get("source_url", ""),
            "notes": season["notes"],
        }
        for event in SEASON_EVENTS:
            row[event] = season[event]["date"].isoformat()
            row[f"{event}_confirmed"] = _flag(season[event]["confirmed"])
        rows.append(row)
    return sorted(rows, key=lambda r: r["match_year"])


def build_fees(yearly: dict) -> list[dict[str, str]]:
    """One row per band: the fees as published for the fee season, and the same amounts for
    every other season until their sources publish new ones, unconfirmed and saying so."""
    published = str(yearly["fee_season"])
    rows = []
    for season in sorted(str(s["match_year"]) for s in yearly["season"]):
        carried_over = season != published
        for fee in yearly["fee"]:
            notes = fee["notes"]
            if carried_over:
                notes = f"The latest published amount: the {season} one is not out yet. {notes}"
            for band in fee["bands"]:
                rows.append(
                    {
                        "match_year": season,
                        "kind": fee["kind"],
                        "specialty_code": fee.get("specialty_code", ""),
                        "confirmed": _flag(fee["confirmed"] and not carried_over),
                        "source_label": fee["source_label"],
                        "source_url": fee.get("source_url", ""),
                        "notes": notes,
                        "first": str(band["first"]),
                        "last": str(band.get("last", "")),
                        "amount": str(band["amount"]),
                        "each": _flag(band["each"]),
                    }
                )
    return rows


def build_application_services(acgme_rows, yearly: dict) -> list[dict[str, str]]:
    """Which service each residency specialty applies through, from a Match on: the usual
    one, except the specialties listed as exceptions. Fellowships are left out: their
    services vary."""
    services = yearly["application_services"]
    exceptions = defaultdict(list)
    for entry in services["exception"]:
        exceptions[entry["specialty_code"]].append(entry)
    codes = sorted({r["SpecialtyNumericCode"] for r in acgme_rows if r["IsSubspecialty"] == "0"})
    rows = []
    for code in codes:
        if code in services["unknown"]:
            continue
        for entry in exceptions.get(code, [services]):
            rows.append(
                {
                    "specialty_code": code,
                    "service": ApplicationService(entry["service"]).value,
                    "first_match_year": str(entry["first_match_year"]),
                    "source_label": entry["source_label"],
                    "source_url": entry.get("source_url", ""),
                }
            )
    return rows
