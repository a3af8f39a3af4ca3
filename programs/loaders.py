"""Loading the shipped data: the fixture files of fixtures/ (specialties, sponsors, then
programs through the curator import, then the other files in order) and the FAQ entries and
guides of fixtures/content/. Each load creates or updates rows by their natural key, in bulk
and with history, so loading again keeps curators' changes to rows the files do not change.
"""

import csv
import datetime
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from programs.importers import BATCH_SIZE, Progress, import_programs_file
from programs.models import (
    ChartingOutcome,
    EventKind,
    FaqEntry,
    Fee,
    FeeBand,
    Guide,
    Match,
    MatchEvent,
    NrmpTrack,
    Program,
    ProgramMatchResult,
    ProgramPositions,
    ProgramSuggestion,
    Season,
    SignalAllowance,
    Specialty,
    SpecialtyApplicationService,
    SpecialtyMatch,
    SpecialtyStatistic,
    Sponsor,
    SponsorH1bFilings,
)
from programs.shared import directory_loaded

CONTENT_DIR = settings.BASE_DIR / "fixtures" / "content"


# The other fixture files ---------------------------------------------------------------


@dataclass
class LoadCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self):
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _upsert(
    model: type[models.Model],
    key: str | tuple[str, ...],
    records: list[dict],
    *,
    user=None,
    change_reason: str,
) -> LoadCounts:
    """Create or update rows of ``model`` keyed by ``key``, in bulk and with history."""
    keys = (key,) if isinstance(key, str) else key
    existing = {tuple(getattr(o, k) for k in keys): o for o in model.objects.order_by()}
    counts = LoadCounts()
    to_create, to_update, fields = [], [], set()
    for record in records:
        obj = existing.get(tuple(record[k] for k in keys))
        if obj is None:
            to_create.append(model(**record))
            continue
        changed = {name for name, value in record.items() if getattr(obj, name) != value}
        for name in changed:
            setattr(obj, name, record[name])
        if changed:
            to_update.append(obj)
            fields |= changed
        else:
            counts.unchanged += 1
    history = {"default_user": user, "default_change_reason": change_reason}
    if to_create:
        if hasattr(model, "history"):
            bulk_create_with_history(to_create, model, batch_size=BATCH_SIZE, **history)
        else:
            model.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    if to_update:
        if hasattr(model, "history"):
            bulk_update_with_history(
                to_update, model, fields=sorted(fields), batch_size=BATCH_SIZE, **history
            )
        else:
            model.objects.bulk_update(to_update, sorted(fields), batch_size=BATCH_SIZE)
    counts.created, counts.updated = len(to_create), len(to_update)
    return counts


def _int(value: str) -> int | None:
    return int(value) if value != "" else None


def _date(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)


@transaction.atomic
def load_specialties(*, path: Path, user=None, change_reason: str) -> LoadCounts:
    """Specialties by ACGME code; parents are linked in a second pass."""
    rows = _csv_rows(path)

    def record(row: dict[str, str], ids: dict[str, int]) -> dict:
        return {
            "code": row["code"],
            "name": row["name"],
            "slug": row["slug"],
            "level": row["level"],
            "parent_id": ids[row["parent_code"]] if row["parent_code"] else None,
            "typical_length_years": _int(row["typical_length_years"]),
        }

    options = {"user": user, "change_reason": change_reason}
    counts = _upsert(
        Specialty, "code", [record(r, {}) for r in rows if not r["parent_code"]], **options
    )
    ids = dict(Specialty.objects.values_list("code", "id"))
    linked = _upsert(
        Specialty, "code", [record(r, ids) for r in rows if r["parent_code"]], **options
    )
    return LoadCounts(
        counts.created + linked.created,
        counts.updated + linked.updated,
        counts.unchanged + linked.unchanged,
    )


@transaction.atomic
def load_sponsors(*, path: Path, user=None, change_reason: str) -> LoadCounts:
    records = [{k: r[k] for k in ("code", "name", "city", "state")} for r in _csv_rows(path)]
    return _upsert(Sponsor, "code", records, user=user, change_reason=change_reason)


STATISTIC_NUMBERS = [
    "programs",
    "positions_offered",
    "matched_total",
    "matched_us_md",
    "matched_us_do",
    "matched_us_img",
    "matched_non_us_img",
    "unfilled_positions",
    "step2_median_us_md",
    "step2_median_non_us_img",
]


@transaction.atomic
def load_statistics(*, path: Path, user=None, change_reason: str) -> LoadCounts:
    """NRMP figures keyed by (NRMP label, year), linked to a specialty where mapped."""
    ids = dict(Specialty.objects.values_list("code", "id"))
    records = []
    for r in _csv_rows(path):
        record = {
            "nrmp_specialty": r["nrmp_specialty"],
            "year": int(r["year"]),
            "specialty_id": ids.get(r["specialty_code"]) if r["specialty_code"] else None,
            "percent_filled": Decimal(r["percent_filled"]) if r["percent_filled"] else None,
            "positions_scope": r["positions_scope"],
            "covers_part_only": r["covers_part_only"] == "true",
            "source_label": r["source_label"],
            "source_url": r["source_url"],
        }
        record.update({name: _int(r[name]) for name in STATISTIC_NUMBERS})
        records.append(record)
    return _upsert(
        SpecialtyStatistic,
        ("nrmp_specialty", "year"),
        records,
        user=user,
        change_reason=change_reason,
    )


@transaction.atomic
def load_seasons(*, path: Path, user=None, change_reason: str) -> LoadCounts:
    """Seasons by Match year. A season is only made current when no other one is, so a
    curator's choice of current season survives a reload."""
    current = Season.objects.current()
    records = []
    for r in _csv_rows(path):
        year = int(r["match_year"])
        is_current = r["is_current"] == "true" and (current is None or current.match_year == year)
        records.append(
            {
                "name": r["name"],
                "match_year": year,
                "is_current": is_current,
                "source_label": r["source_label"],
                "source_url": r["source_url"],
                "notes": r["notes"],
            }
        )
    return _upsert(Season, "match_year", records, user=user, change_reason=change_reason)


@transaction.atomic
def load_matches(*, path: Path, user=None, change_reason: str) -> LoadCounts:
    records = [
        {name: r[name] for name in ("kind", "name", "short_name", "runs")}
        | {"source_label": r["source_label"], "source_url": r["source_url"]}
        for r in _csv_rows(path)
    ]
    return _upsert(Match, "kind", records, user=user, change_reason=change_reason)


@transaction.atomic
def load_event_kinds(*, path: Path, user=None, change_reason: str) -> LoadCounts:
    records = [
        {
            "slug": r["slug"],
            "name": r["name"],
            "position": int(r["position"]),
            "meaning": r["meaning"],
        }
        for r in _csv_rows(path)
    ]
    return _upsert(EventKind, "slug", records, user=user, change_reason=change_reason)


@transaction.atomic
def load_season_events(*, path: Path, user=None, change_reason: str) -> LoadCounts:
    """Each season's dates. Only the events the database lacks are created: a date a
    curator has since corrected or confirmed stays as they left it."""
    seasons = dict(Season.objects.values_list("match_year", "id"))
    matches = dict(Match.objects.values_list("kind", "id"))
    kinds = dict(EventKind.objects.values_list("slug", "id"))
    specialties = dict(Specialty.objects.values_list("code", "id"))
    existing = set(
        MatchEvent.objects.values_list(
            "season_id", "match_id", "service", "specialty_id", "kind_id", "detail"
        )
    )
    counts = LoadCounts()
    to_create = []
    for r in _csv_rows(path):
        year = int(r["match_year"])
        if (
            year not in seasons
            or r["kind"] not in kinds
            or (r["match"] and r["match"] not in matches)
        ):
            raise ValueError(f"{path.name} names a season, match or kind the directory lacks: {r}")
        record = {
            "season_id": seasons[year],
            "match_id": matches[r["match"]] if r["match"] else None,
            "service": r["service"],
            "specialty_id": specialties[r["specialty_code"]] if r["specialty_code"] else None,
            "kind_id": kinds[r["kind"]],
            "detail": r["detail"],
        }
        if tuple(record.values()) in existing:
            counts.unchanged += 1
            continue
        to_create.append(
            MatchEvent(
                **record,
                date=_date(r["date"]) if r["date"] else None,
                end_date=_date(r["end_date"]) if r["end_date"] else None,
                status=r["status"],
                checked_on=_date(r["checked_on"]) if r["checked_on"] else None,
                source_label=r["source_label"],
                source_url=r["source_url"],
                notes=r["notes"],
            )
        )
    if to_create:
        bulk_create_with_history(
            to_create,
            MatchEvent,
            batch_size=BATCH_SIZE,
            default_user=user,
            default_change_reason=change_reason,
        )
    counts.created = len(to_create)
    return counts


@transaction.atomic
def load_specialty_matches(*, path: Path, user=None, change_reason: str) -> LoadCounts:
    ids = dict(Specialty.objects.values_list("code", "id"))
    matches = dict(Match.objects.values_list("kind", "id"))
    records = [
        {
            "specialty_id": ids[r["specialty_code"]],
            "match_id": matches[r["match"]],
            "first_match_year": int(r["first_match_year"]),
            "source_label": r["source_label"],
            "source_url": r["source_url"],
        }
        for r in _csv_rows(path)
    ]
    return _upsert(
        SpecialtyMatch,
        ("specialty_id", "first_match_year"),
        records,
        user=user,
        change_reason=change_reason,
    )


@transaction.atomic
def load_application_services(*, path: Path, user=None, change_reason: str) -> LoadCounts:
    ids = dict(Specialty.objects.values_list("code", "id"))
    records = [
        {
            "specialty_id": ids[r["specialty_code"]],
            "service": r["service"],
            "first_match_year": int(r["first_match_year"]),
            "source_label": r["source_label"],
            "source_url": r["source_url"],
        }
        for r in _csv_rows(path)
    ]
    return _upsert(
        SpecialtyApplicationService,
        ("specialty_id", "first_match_year"),
        records,
        user=user,
        change_reason=change_reason,
    )


def _program_ids() -> dict[str, int]:
    return dict(Program.objects.values_list("acgme_id", "id"))


@transaction.atomic
def load_nrmp_tracks(*, path: Path, user=None, change_reason: str) -> LoadCounts:
    ids = _program_ids()
    records = [
        {
            "program_id": ids[r["acgme_id"]],
            "code": r["nrmp_code"],
            "track_name": r["track_name"],
            "match_rule": r["match_rule"],
            "source_label": r["source_label"],
        }
        for r in _csv_rows(path)
    ]
    return _upsert(NrmpTrack, "code", records, user=user, change_reason=change_reason)


@transaction.atomic
def load_match_results(*, path: Path, user=None, change_reason: str) -> LoadCounts:
    ids = _program_ids()
    matches = dict(Match.objects.values_list("kind", "id"))
    records = [
        {
            "program_id": ids[r["acgme_id"]],
            "nrmp_code": r["nrmp_code"],
            "year": int(r["year"]),
            "match_id": matches[r["match"]],
            "positions_offered": int(r["positions_offered"]),
            "matched": int(r["matched"]),
            "source_label": r["source_label"],
            "source_url": r["source_url"],
        }
        for r in _csv_rows(path)
    ]
    return _upsert(ProgramMatchResult, ("nrmp_code", "year"), records, change_reason=change_reason)


@transaction.atomic
def load_positions(*, path: Path, user=None, change_reason: str) -> LoadCounts:
    ids = _program_ids()
    records = [
        {
            "program_id": ids[r["acgme_id"]],
            "as_of": _date(r["as_of"]),
            "approved": int(r["approved"]),
            "filled": int(r["filled"]),
            "source_label": r["source_label"],
            "source_url": r["source_url"],
        }
        for r in _csv_rows(path)
    ]
    return _upsert(ProgramPositions, ("program_id", "as_of"), records, change_reason=change_reason)


@transaction.atomic
def load_h1b_filings(*, path: Path, user=None, change_reason: str) -> LoadCounts:
    ids = dict(Sponsor.objects.values_list("code", "id"))
    records = [
        {
            "sponsor_id": ids[r["sponsor_code"]],
            "filings": int(r["filings"]),
            "specialties": r["specialties"],
            "wage_from": _int(r["wage_from"]),
            "wage_to": _int(r["wage_to"]),
            "employers": r["employers"],
            "period": r["period"],
            "filed_from": _date(r["filed_from"]),
            "filed_to": _date(r["filed_to"]),
            "source_label": r["source_label"],
            "source_url": r["source_url"],
        }
        for r in _csv_rows(path)
    ]
    return _upsert(SponsorH1bFilings, "sponsor_id", records, change_reason=change_reason)


@transaction.atomic
def load_charting_outcomes(*, path: Path, user=None, change_reason: str) -> LoadCounts:
    ids = dict(Specialty.objects.values_list("code", "id"))
    numbers = ["matched", "not_matched", "step2_q1", "step2_median", "step2_q3"]
    records = []
    for r in _csv_rows(path):
        record = {
            "nrmp_specialty": r["nrmp_specialty"],
            "specialty_id": ids.get(r["specialty_code"]) if r["specialty_code"] else None,
            "year": int(r["year"]),
            "applicant_group": r["applicant_group"],
            "step2_not_matched_median": _int(r["step2_not_matched_median"]),
            "match_rate": Decimal(r["match_rate"]) if r["match_rate"] else None,
            "applicants_per_position": (
                Decimal(r["applicants_per_position"]) if r["applicants_per_position"] else None
            ),
            "source_label": r["source_label"],
            "source_url": r["source_url"],
        }
        record.update({name: _int(r[name]) for name in numbers})
        records.append(record)
    key = ("nrmp_specialty", "applicant_group", "year")
    return _upsert(ChartingOutcome, key, records, user=user, change_reason=change_reason)


@transaction.atomic
def load_fees(*, path: Path, user=None, change_reason: str) -> LoadCounts:
    """Fees by season, kind and specialty, each with its bands. A fee curators have edited
    since is left as they made it: the file only adds what the database lacks."""
    seasons = dict(Season.objects.values_list("match_year", "id"))
    specialties = dict(Specialty.objects.values_list("code", "id"))
    fees: dict[tuple, dict] = {}
    for r in _csv_rows(path):
        key = (int(r["match_year"]), r["kind"], r["specialty_code"])
        fee = fees.setdefault(key, {"row": r, "bands": []})
        fee["bands"].append(
            FeeBand(
                first=int(r["first"]),
                last=_int(r["last"]),
                amount=int(r["amount"]),
                each=r["each"] == "true",
            )
        )
    existing = set(Fee.objects.values_list("season__match_year", "kind", "specialty__code"))
    counts = LoadCounts()
    for (year, kind, code), fee in fees.items():
        if (year, kind, code or None) in existing:
            counts.unchanged += 1
            continue
        r = fee["row"]
        if year not in seasons or (code and code not in specialties):
            missing = f"specialty {code}" if year in seasons else f"the Match {year} season"
            raise ValueError(f"{path.name} names {missing}, which the directory does not have.")
        created = Fee(
            season_id=seasons[year],
            kind=kind,
            specialty_id=specialties[code] if code else None,
            confirmed=r["confirmed"] == "true",
            source_label=r["source_label"],
            source_url=r["source_url"],
            notes=r["notes"],
        )
        created._change_reason = change_reason
        created._history_user = user
        created.save()
        for band in fee["bands"]:
            band.fee = created
        FeeBand.objects.bulk_create(fee["bands"])
        counts.created += 1
    return counts


@transaction.atomic
def load_signals(*, path: Path, user=None, change_reason: str) -> LoadCounts:
    """Signal allowances by season and specialty. Like fees, an allowance curators have
    edited since is left as they made it: the file only adds what the database lacks."""
    seasons = dict(Season.objects.values_list("match_year", "id"))
    specialties = dict(Specialty.objects.values_list("code", "id"))
    existing = set(SignalAllowance.objects.values_list("season__match_year", "specialty__code"))
    records = []
    counts = LoadCounts()
    for r in _csv_rows(path):
        year, code = int(r["match_year"]), r["specialty_code"]
        if (year, code) in existing:
            counts.unchanged += 1
            continue
        if year not in seasons or code not in specialties:
            missing = f"specialty {code}" if year in seasons else f"the Match {year} season"
            raise ValueError(f"{path.name} names {missing}, which the directory does not have.")
        allowance = SignalAllowance(
            season_id=seasons[year],
            specialty_id=specialties[code],
            signals=_int(r["signals"]),
            gold=_int(r["gold"]),
            silver=_int(r["silver"]),
            published_for=int(r["published_for"]),
            confirmed=r["confirmed"] == "true",
            source_label=r["source_label"],
            source_url=r["source_url"],
            notes=r["notes"],
        )
        allowance.full_clean(exclude=["season", "specialty"], validate_unique=False)
        records.append(allowance)
    history = {"default_user": user, "default_change_reason": change_reason}
    bulk_create_with_history(records, SignalAllowance, batch_size=BATCH_SIZE, **history)
    counts.created = len(records)
    return counts


# Where the suggestions come from; their file says "about 2024" because the list is undated.
NRMP_SUGGESTION_SOURCE = "NRMP program code list (about 2024)"


@transaction.atomic
def load_program_suggestions(*, path: Path, user=None, change_reason: str) -> LoadCounts:
    """Programs known only from the NRMP code list, for curators to review. A reload leaves
    each suggestion's status (a curator's decision) as it is, and never creates a program."""
    ids = dict(Specialty.objects.values_list("code", "id"))
    records = [
        {
            "nrmp_code": r["nrmp_code"],
            "track_name": r["track_name"],
            "institution_name": r["institution_name"],
            "state": r["institution_state"],
            "specialty_id": ids.get(r["specialty_code"]),
            "reason": r["reason"],
            "source_label": NRMP_SUGGESTION_SOURCE,
        }
        for r in _csv_rows(path)
    ]
    return _upsert(ProgramSuggestion, "nrmp_code", records, change_reason=change_reason)


# What load_directory loads after the programs, in order: (what, file, loader).
DATA_FILES = [
    ("NRMP statistics", "nrmp_statistics.csv", load_statistics),
    ("seasons", "seasons.csv", load_seasons),
    ("matches", "matches.csv", load_matches),
    ("kinds of event", "event_kinds.csv", load_event_kinds),
    ("season dates", "season_events.csv", load_season_events),
    ("specialties' matches", "specialty_matches.csv", load_specialty_matches),
    ("application services", "application_services.csv", load_application_services),
    ("Charting Outcomes", "charting_outcomes.csv", load_charting_outcomes),
    ("fees", "fees.csv", load_fees),
    ("signal allowances", "signals.csv", load_signals),
    ("NRMP tracks", "nrmp_codes.csv", load_nrmp_tracks),
    ("NRMP results", "nrmp_program_results.csv", load_match_results),
    ("ACGME positions", "acgme_positions.csv", load_positions),
    ("H-1B filings", "h1b_filings.csv", load_h1b_filings),
    ("NRMP program suggestions", "nrmp_codes_unlisted.csv", load_program_suggestions),
]


@transaction.atomic
def load_directory(
    *,
    fixtures_dir: Path,
    user=None,
    change_reason: str = "Loaded from fixtures/",
    progress: Progress | None = None,
) -> list[tuple[str, str]]:
    """Load every fixture file in order (specialties, sponsors, programs, then the files of
    ``DATA_FILES``); returns (what, summary) pairs. Raises ValueError when programs.csv is
    refused."""
    options = {"user": user, "change_reason": change_reason}
    done = [
        ("specialties", str(load_specialties(path=fixtures_dir / "specialties.csv", **options))),
        ("sponsors", str(load_sponsors(path=fixtures_dir / "sponsors.csv", **options))),
    ]
    result = import_programs_file(path=fixtures_dir / "programs.csv", progress=progress, **options)
    if result.errors:
        listed = "\n".join(f"  {error}" for error in result.errors[:50])
        raise ValueError(f"programs.csv was refused ({len(result.errors)} problems):\n{listed}")
    done.append(("programs", result.summary()))
    for what, filename, load in DATA_FILES:
        done.append((what, str(load(path=fixtures_dir / filename, **options))))
    transaction.on_commit(directory_loaded)
    return done


# The shipped FAQ entries and guides (fixtures/content/) ------------------------------


class ContentError(Exception):
    """A shipped content file that cannot be loaded; the message names the file."""


@dataclass
class LoadResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def read_content_file(path: Path) -> tuple[dict, str]:
    """Split a file into its TOML front matter (between +++ lines) and its Markdown body."""
    text = path.read_text(encoding="utf-8")
    parts = text.split("+++\n", 2)
    if len(parts) != 3 or parts[0].strip():
        raise ContentError(f"{path.name}: expected front matter between two '+++' lines")
    try:
        meta = tomllib.loads(parts[1])
    except tomllib.TOMLDecodeError as error:
        raise ContentError(f"{path.name}: front matter is not valid TOML ({error})") from error
    return meta, parts[2].strip() + "\n"


@transaction.atomic
def load_content(
    *, directory: Path = CONTENT_DIR, update: bool = False, dry_run: bool = False
) -> dict[str, LoadResult]:
    """Create the shipped guides and FAQ entries that are missing, matched by slug.

    Entries that already exist are left as curators edited them unless ``update`` is set,
    in which case the shipped text replaces theirs. With ``dry_run`` nothing is saved.
    """
    results = {
        "guides": _load_guides(directory / "guides", update=update),
        "faq": _load_faq(directory / "faq", update=update),
    }
    if dry_run:
        transaction.set_rollback(True)
    return results


def _content_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        raise ContentError(f"No content directory at {directory}")
    return sorted(directory.glob("*.md"))


def _load_guides(directory: Path, *, update: bool) -> LoadResult:
    result = LoadResult()
    for path in _content_files(directory):
        meta, body = read_content_file(path)
        fields = {
            "title": meta.get("title", ""),
            "summary": meta.get("summary", ""),
            "body": body,
            "order": meta.get("order", 0),
            "is_published": meta.get("published", True),
            "last_reviewed_on": meta.get("last_reviewed_on"),
            "sources": meta.get("sources", "").strip(),
        }
        _save(Guide, path, fields, update=update, result=result)
    return result


def _load_faq(directory: Path, *, update: bool) -> LoadResult:
    result = LoadResult()
    for path in _content_files(directory):
        meta, answer = read_content_file(path)
        fields = {
            "question": meta.get("question", ""),
            "answer": answer,
            "topic": meta.get("topic", ""),
            "order": meta.get("order", 0),
            "is_published": meta.get("published", True),
            "last_reviewed_on": meta.get("last_reviewed_on"),
            "source_label": meta.get("source_label", ""),
            "source_url": meta.get("source_url", ""),
            "specialty": _specialty(path, meta.get("specialty")),
        }
        entry = _save(FaqEntry, path, fields, update=update, result=result)
        if entry is not None:
            entry.related_guides.set(_guides(path, meta.get("related_guides", [])))
    return result


def _save(model, path: Path, fields: dict, *, update: bool, result: LoadResult):
    """Create or (with update) overwrite one row; returns it, or None when left alone."""
    slug = path.stem
    existing = model.objects.filter(slug=slug).first()
    if existing is not None and not update:
        result.unchanged.append(slug)
        return None
    obj = existing or model(slug=slug)
    for name, value in fields.items():
        setattr(obj, name, value)
    try:
        obj.full_clean(validate_unique=existing is None)
    except ValidationError as error:
        raise ContentError(f"{path.name}: {'; '.join(error.messages)}") from error
    obj.save()
    (result.updated if existing else result.created).append(slug)
    return obj


def _specialty(path: Path, code: str | None) -> Specialty | None:
    if not code:
        return None
    specialty = Specialty.objects.filter(code=code).first()
    if specialty is None:
        raise ContentError(f"{path.name}: no specialty with ACGME code {code}")
    return specialty


def _guides(path: Path, slugs: list[str]) -> list[Guide]:
    guides = list(Guide.objects.filter(slug__in=slugs))
    if missing := set(slugs) - {guide.slug for guide in guides}:
        raise ContentError(f"{path.name}: no guide with slug {', '.join(sorted(missing))}")
    return guides
