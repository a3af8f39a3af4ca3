"""The yearly facts no raw file holds (seasons and their dates, matches, fees, program
signals, application services, which match each specialty uses), read from yearly.toml,
where each entry names its source."""

import tomllib
from collections import defaultdict
from pathlib import Path

from programs.choices import ApplicationService, EventStatus, MatchKind

YEARLY_FILE = Path(__file__).with_name("yearly.toml")

SEASON_COLUMNS = ["name", "match_year", "is_current", "source_label", "source_url", "notes"]
MATCH_COLUMNS = ["kind", "name", "short_name", "runs", "source_label", "source_url"]
EVENT_KIND_COLUMNS = ["slug", "name", "position", "meaning"]
EVENT_COLUMNS = [
    "match_year",
    "match",
    "service",
    "specialty_code",
    "kind",
    "detail",
    "date",
    "end_date",
    "status",
    "checked_on",
    "source_label",
    "source_url",
    "notes",
]
SPECIALTY_MATCH_COLUMNS = [
    "specialty_code",
    "match",
    "first_match_year",
    "source_label",
    "source_url",
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
    rows = [
        {
            "name": season["name"],
            "match_year": str(season["match_year"]),
            "is_current": _flag(season["current"]),
            "source_label": season["source_label"],
            "source_url": season.get("source_url", ""),
            "notes": _text(season["notes"]),
        }
        for season in yearly["season"]
    ]
    return sorted(rows, key=lambda r: r["match_year"])


def _text(value: str) -> str:
    """A TOML multi-line string as one paragraph."""
    return " ".join(value.split())


def build_matches(yearly: dict) -> list[dict[str, str]]:
    return [
        {
            "kind": MatchKind(match["kind"]).value,
            "name": match["name"],
            "short_name": match["short_name"],
            "runs": _text(match["runs"]),
            "source_label": match["source_label"],
            "source_url": match.get("source_url", ""),
        }
        for match in yearly["match"]
    ]


def build_event_kinds(yearly: dict) -> list[dict[str, str]]:
    return [
        {
            "slug": kind["slug"],
            "name": kind["name"],
            "position": str(kind["position"]),
            "meaning": _text(kind["meaning"]),
        }
        for kind in yearly["event_kind"]
    ]


def build_season_events(yearly: dict) -> list[dict[str, str]]:
    """Every season's dates. A confirmed date must name the day it was checked; a date no
    source publishes yet has no date and is never confirmed."""
    seasons = {season["match_year"] for season in yearly["season"]}
    kinds = {kind["slug"] for kind in yearly["event_kind"]}
    rows = []
    for event in yearly["event"]:
        status = EventStatus(event.get("status", EventStatus.PROJECTED))
        where = f"{event['season']} {event['kind']} {event.get('detail', '')}"
        if event["season"] not in seasons or event["kind"] not in kinds:
            raise ValueError(f"yearly.toml: an event names an unknown season or kind: {where}")
        if ("match" in event) == ("service" in event):
            raise ValueError(f"yearly.toml: an event needs a match or a service: {where}")
        if status == EventStatus.CONFIRMED and not ("date" in event and "checked_on" in event):
            raise ValueError(f"yearly.toml: a confirmed event needs date and checked_on: {where}")
        rows.append(
            {
                "match_year": str(event["season"]),
                "match": MatchKind(event["match"]).value if "match" in event else "",
                "service": ApplicationService(event["service"]).value if "service" in event else "",
                "specialty_code": event.get("specialty_code", ""),
                "kind": event["kind"],
                "detail": event.get("detail", ""),
                "date": event["date"].isoformat() if "date" in event else "",
                "end_date": event["end_date"].isoformat() if "end_date" in event else "",
                "status": status.value,
                "checked_on": event["checked_on"].isoformat() if "checked_on" in event else "",
                "source_label": event["source_label"],
                "source_url": event.get("source_url", ""),
                "notes": _text(event.get("notes", "")),
            }
        )
    return rows


def build_specialty_matches(acgme_rows, florida_tables: dict[str, set[str]], yearly: dict):
    """The match each specialty fills its positions through.

    ``florida_tables`` maps the NRMP Florida results file's tables ("Main", "Specialty") to
    the three-digit specialty codes of its program codes. Exceptions come first; then a code
    in the Specialty table is in NRMP's Specialties Matching Service and one in the Main
    table in the Main Match, each sourced to that file; any other residency is in the Main
    Match by the default source; any other fellowship is left out, for no source says.
    """
    config = yearly["specialty_matches"]
    exceptions = {entry["specialty_code"]: entry for entry in config["exception"]}
    tables = {"Specialty": MatchKind.NRMP_SMS, "Main": MatchKind.NRMP_MAIN}
    both = florida_tables.get("Main", set()) & florida_tables.get("Specialty", set())
    if both:
        raise ValueError(f"NRMP codes in both the Main and Specialty tables: {sorted(both)}")
    levels = {r["SpecialtyNumericCode"]: r["IsSubspecialty"] for r in acgme_rows}
    rows = []
    for code in sorted(levels):
        entry = exceptions.get(code)
        match, label, url = None, "", ""
        if entry:
            match, label, url = entry["match"], entry["source_label"], entry.get("source_url", "")
        else:
            for table, kind in tables.items():
                if code in florida_tables.get(table, set()):
                    match = kind
                    what = "Specialties Matching Service" if kind == MatchKind.NRMP_SMS else "Main"
                    label = f"{config['florida_source_label']} ({what} table)"
            if match is None and levels[code] == "0":
                match = config["residency_match"]
                label = config["residency_source_label"]
                url = config.get("residency_source_url", "")
        if match is None:
            continue
        rows.append(
            {
                "specialty_code": code,
                "match": MatchKind(match).value,
                "first_match_year": str(config["first_match_year"]),
                "source_label": label,
                "source_url": url,
            }
        )
    return rows


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


SIGNAL_COLUMNS = [
    "match_year",
    "specialty_code",
    "signals",
    "gold",
    "silver",
    "published_for",
    "confirmed",
    "source_label",
    "source_url",
    "notes",
]


def _service_in(yearly: dict, code: str, match_year: int) -> str | None:
    """The application service yearly.toml gives a specialty for a Match, or None."""
    services = yearly["application_services"]
    if code in services["unknown"]:
        return None
    entries = [e for e in services["exception"] if e["specialty_code"] == code] or [services]
    in_force = [e for e in entries if e["first_match_year"] <= match_year]
    return max(in_force, key=lambda e: e["first_match_year"])["service"] if in_force else None


def build_signals(yearly: dict) -> list[dict[str, str]]:
    """One row per season and specialty the signal table names: its counts as published for
    ``signal_season``, and the same counts for every other season, unconfirmed, until the
    season's own are published. A season whose service for the specialty is not ERAS gets
    no row: ERAS's table does not speak for it."""
    published = yearly["signal_season"]
    rows = []
    for season in sorted(s["match_year"] for s in yearly["season"]):
        for entry in yearly["signal"]:
            for code in entry["specialty_codes"]:
                if _service_in(yearly, code, season) != ApplicationService.ERAS:
                    continue
                rows.append(
                    {
                        "match_year": str(season),
                        "specialty_code": code,
                        "signals": str(entry.get("signals", "")),
                        "gold": str(entry.get("gold", "")),
                        "silver": str(entry.get("silver", "")),
                        "published_for": str(published),
                        "confirmed": _flag(season == published),
                        "source_label": yearly["signal_source_label"],
                        "source_url": yearly.get("signal_source_url", ""),
                        "notes": entry.get("notes", ""),
                    }
                )
    return rows
