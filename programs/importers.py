"""Writing the directory in bulk: the program CSV import, loading the shipped fixtures, and
loading the shipped FAQ entries and guides.

``import_programs`` is the one way programs arrive in bulk: ``manage.py import_programs``, the
curator upload in the admin and ``manage.py load_directory`` all call it. A file is checked
in full before anything is written, with the models' own rules (``full_clean``), so a file
that previews clean applies clean; one bad row means nothing is written and every bad row is
reported with its line number.
"""

import csv
import datetime
import io
import itertools
import tomllib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from programs.csv_format import (
    COLUMNS,
    EXPORT_ONLY_COLUMNS,
    PROGRAM_FIELD_COLUMNS,
    from_spreadsheet,
)
from programs.models import (
    ChartingOutcome,
    FaqEntry,
    Fee,
    FeeBand,
    Guide,
    NrmpTrack,
    Program,
    ProgramMatchResult,
    ProgramPositions,
    Season,
    SeasonEvent,
    Specialty,
    SpecialtyApplicationService,
    SpecialtyStatistic,
    Sponsor,
    SponsorH1bFilings,
)
from programs.shared import directory_loaded

REQUIRED_COLUMNS = ("acgme_id", "name", "specialty_code", "sponsor_code", "state")
BATCH_SIZE = 1000
# Rows of an imported file checked and written together.
CHUNK_SIZE = 2000
SAMPLE_SIZE = 20
CONTENT_DIR = settings.BASE_DIR / "fixtures" / "content"
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RowError:
    line: int | None  # None for a problem with the file as a whole
    acgme_id: str
    message: str

    def __str__(self):
        if self.line is None:
            return self.message
        where = f"line {self.line}" + (f" ({self.acgme_id})" if self.acgme_id else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Change:
    acgme_id: str
    name: str
    action: str  # "created" or "updated"
    fields: tuple[str, ...] = ()


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    sponsors_created: int = 0
    errors: list[RowError] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def sample(self) -> list[Change]:
        return self.changes[:SAMPLE_SIZE]

    def summary(self) -> str:
        verb = "would be" if self.dry_run else "were"
        if self.dry_run:
            outcome = "dry run, nothing written"
        else:
            outcome = "saved" if self.changes else "nothing to change"
        text = (
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
            f" ({outcome})"
        )
        if self.sponsors_created:
            text += f"; {self.sponsors_created} new sponsors {verb} created"
        return text


class _RowProblems(Exception):
    def __init__(self, messages: list[str]):
        self.messages = messages


BOOLEAN_CELLS = {"true": True, "false": False}
_KIND = {
    "PositiveSmallIntegerField": "a whole number",
    "PositiveIntegerField": "a whole number",
    "DateField": "a date written YYYY-MM-DD",
}
_PROGRAM_FIELDS = {name: Program._meta.get_field(name) for name in PROGRAM_FIELD_COLUMNS}


def _parse_cell(column: str, raw: str):
    """One cell as the model field's Python value; empty means not known. The value is only
    converted here: the model's own validation (``full_clean``) checks it afterwards."""
    model_field = _PROGRAM_FIELDS[column]
    value = from_spreadsheet(raw.strip() if column != "address" else raw.strip("\r\n "))
    if value == "":
        if isinstance(model_field, models.BooleanField):
            return model_field.default
        if model_field.choices and "unknown" in dict(model_field.choices):
            return "unknown"
        if model_field.choices:
            raise ValidationError("needs a value")
        return None if model_field.null else ""
    if isinstance(model_field, models.BooleanField):
        if value.lower() not in BOOLEAN_CELLS:
            raise ValidationError(f"{value!r} is not one of: true, false")
        return BOOLEAN_CELLS[value.lower()]
    if column == "state" and value not in dict(model_field.choices):
        raise ValidationError(f"{value!r} is not a USPS state code (e.g. NY, DC, PR)")
    if model_field.choices and value not in dict(model_field.choices):
        allowed = ", ".join(dict(model_field.choices))
        raise ValidationError(f"{value!r} is not one of: {allowed}")
    try:
        return model_field.to_python(value)
    except ValidationError:
        raise ValidationError(
            f"{value!r} is not {_KIND.get(model_field.get_internal_type(), 'valid')}"
        ) from None


def _rule_problems(obj: models.Model, *, columns: dict[str, str] | None = None) -> list[str]:
    """What ``full_clean`` refuses, each message named by its CSV column. Related rows are
    resolved by the import itself, and uniqueness by ACGME ID, so neither is queried here."""
    columns = columns or {}
    exclude = [f.name for f in obj._meta.fields if f.is_relation]
    try:
        obj.full_clean(exclude=exclude, validate_unique=False)
    except ValidationError as error:
        return [
            message if name == NON_FIELD_ERRORS else f"{columns.get(name, name)}: {message}"
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return []


SPONSOR_COLUMNS = {"code": "sponsor_code", "name": "sponsor_name"}


def _read_rows(stream: TextIO) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """Header and (starting line number, row) pairs, read as they are asked for; a row may
    span lines (addresses)."""
    reader = csv.DictReader(stream)
    header = [name.strip().lstrip("\ufeff") for name in (reader.fieldnames or [])]
    reader.fieldnames = header

    def rows():
        line = reader.line_num + 1
        for row in reader:
            yield line, row
            line = reader.line_num + 1

    return header, rows()


def _count_rows(stream: TextIO) -> int:
    """How many rows follow the header; the stream is left at its start."""
    start = stream.tell()
    count = sum(1 for _ in csv.reader(stream)) - 1
    stream.seek(start)
    return max(count, 0)


def _header_problems(header: list[str]) -> list[str]:
    problems = []
    if not header:
        return ["the file is empty"]
    if missing := [c for c in REQUIRED_COLUMNS if c not in header]:
        problems.append(f"missing required columns: {', '.join(missing)}")
    if unknown := [c for c in header if c not in COLUMNS and c not in EXPORT_ONLY_COLUMNS]:
        problems.append(
            f"unknown columns: {', '.join(unknown)} (see fixtures/README.md for the format)"
        )
    if duplicated := sorted({c for c in header if header.count(c) > 1}):
        problems.append(f"columns given twice: {', '.join(duplicated)}")
    return problems


@transaction.atomic
def import_programs(
    *,
    text: str | None = None,
    stream: TextIO | None = None,
    dry_run: bool = False,
    user=None,
    change_reason: str = "CSV import",
    progress: Progress | None = None,
) -> ImportResult:
    """Upsert programs by ACGME ID from CSV ``text`` (or a seekable text ``stream``) in the
    programs.csv format.

    All or nothing: when any row is invalid nothing is written and ``result.errors`` lists
    every bad row. A column absent from the file leaves that field alone on existing
    programs. Unknown sponsors are created from sponsor_code and sponsor_name; an unknown
    specialty code is an error. History records carry ``user`` and ``change_reason``.

    Rows are read, checked and written ``CHUNK_SIZE`` at a time inside one transaction,
    which is rolled back when any row is refused, so memory stays flat however long the
    file is.
    """
    result = ImportResult(dry_run=dry_run)
    if stream is None:
        stream = io.StringIO((text or "").lstrip("\ufeff"), newline="")
    try:
        total = _count_rows(stream)
        header, rows = _read_rows(stream)
        if problems := _header_problems(header):
            result.errors.extend(RowError(1, "", problem) for problem in problems)
            return result
        if not total:
            result.errors.append(RowError(2, "", "the file has a header but no rows"))
            return result
        batch = _ImportBatch(
            result,
            field_columns=[c for c in header if c in _PROGRAM_FIELDS],
            write=not dry_run,
            user=user,
            change_reason=change_reason,
        )
        done = 0
        for chunk in itertools.batched(rows, CHUNK_SIZE, strict=False):
            batch.add(chunk)
            done += len(chunk)
            if progress:
                progress(done, total)
    except csv.Error as error:
        result.errors.append(RowError(1, "", f"not a readable CSV file ({error})"))
    if result.errors:
        # Chunks written before a refused row are undone with the rest.
        transaction.set_rollback(True)
    elif not dry_run:
        transaction.on_commit(directory_loaded)
    return result


class _ImportBatch:
    """Checks one chunk of rows at a time against the database, and writes it while no row
    of the file has been refused."""

    def __init__(self, result: ImportResult, *, field_columns, write, user, change_reason):
        self.result = result
        self.field_columns = field_columns
        self.write = write
        self.user = user
        self.change_reason = change_reason
        self.specialties = {s.code: s for s in Specialty.objects.only("id", "code")}
        self.sponsors: dict[str, Sponsor] = {}
        self.first_line_of: dict[str, int] = {}

    def add(self, chunk: Iterable[tuple[int, dict[str, str]]]) -> None:
        result = self.result
        rows = [(line, raw_row, _acgme_id(raw_row)) for line, raw_row in chunk]
        existing = {
            p.acgme_id: p
            for p in Program.objects.filter(acgme_id__in={r[2] for r in rows}).order_by()
        }
        codes = {from_spreadsheet((r[1].get("sponsor_code") or "").strip()) for r in rows}
        if unknown := codes - self.sponsors.keys():
            self.sponsors.update(
                (s.code, s) for s in Sponsor.objects.filter(code__in=unknown).order_by()
            )
        new_sponsors: dict[str, Sponsor] = {}
        to_create: list[Program] = []
        to_update: list[Program] = []
        changed_fields: set[str] = set()
        for line, raw_row, acgme_id in rows:
            if None in raw_row:
                result.errors.append(RowError(line, acgme_id, "more cells than the header has"))
                continue
            if acgme_id in self.first_line_of:
                first = self.first_line_of[acgme_id]
                result.errors.append(RowError(line, acgme_id, f"ACGME ID already on line {first}"))
                continue
            self.first_line_of[acgme_id] = line
            row = {key: (value or "") for key, value in raw_row.items() if key is not None}
            try:
                program, fields = _program_from_row(
                    row,
                    acgme_id=acgme_id,
                    field_columns=self.field_columns,
                    existing=existing.get(acgme_id),
                    specialties=self.specialties,
                    sponsors=self.sponsors,
                    new_sponsors=new_sponsors,
                )
            except _RowProblems as problems:
                result.errors.extend(RowError(line, acgme_id, m) for m in problems.messages)
                continue
            if program.pk is None:
                to_create.append(program)
                result.changes.append(Change(acgme_id, program.name, "created"))
            elif fields:
                to_update.append(program)
                changed_fields.update(fields)
                result.changes.append(
                    Change(acgme_id, program.name, "updated", tuple(sorted(fields)))
                )
            else:
                result.unchanged += 1
        result.created += len(to_create)
        result.updated += len(to_update)
        result.sponsors_created += len(new_sponsors)
        if result.errors or not self.write:
            # Later sponsors of the same code are the ones this file creates.
            self.sponsors.update(new_sponsors)
            return
        try:
            with transaction.atomic():
                _write(
                    to_create,
                    to_update,
                    changed_fields,
                    new_sponsors,
                    self.user,
                    self.change_reason,
                )
        except DatabaseError as error:
            result.errors.append(RowError(None, "", f"the database refused the file: {error}"))
        self.sponsors.update(new_sponsors)


def _acgme_id(raw_row: dict) -> str:
    return from_spreadsheet((raw_row.get("acgme_id") or "").strip())


def _program_from_row(
    row: dict[str, str],
    *,
    acgme_id: str,
    field_columns: list[str],
    existing: Program | None,
    specialties: dict[str, Specialty],
    sponsors: dict[str, Sponsor],
    new_sponsors: dict[str, Sponsor],
) -> tuple[Program, set[str]]:
    """The program a row describes (changes applied, not saved) and the fields it changed."""
    if nul := [column for column, cell in row.items() if "\x00" in cell]:
        raise _RowProblems(
            [f"{column}: holds a NUL character, which cannot be stored" for column in nul]
        )
    messages = []
    values = {}
    for column in field_columns:
        try:
            values[column] = _parse_cell(column, row[column])
        except ValidationError as error:
            messages.append(f"{column}: {' '.join(error.messages)}")

    specialty_code = from_spreadsheet(row["specialty_code"].strip())
    specialty = specialties.get(specialty_code)
    if specialty is None:
        messages.append(f"specialty_code {specialty_code!r} is not a known ACGME specialty code")
    sponsor_code = from_spreadsheet(row["sponsor_code"].strip())
    sponsor = sponsors.get(sponsor_code) or new_sponsors.get(sponsor_code)
    if sponsor is None:
        sponsor_name = from_spreadsheet(row.get("sponsor_name", "").strip())
        new = Sponsor(code=sponsor_code, name=sponsor_name)
        if not sponsor_name:
            messages.append(
                f"sponsor_code {sponsor_code!r} is new; give its sponsor_name to create it"
            )
        elif problems := _rule_problems(new, columns=SPONSOR_COLUMNS):
            messages.extend(problems)
        else:
            sponsor = new_sponsors[sponsor_code] = new
    if messages:
        raise _RowProblems(messages)

    program = existing or Program(acgme_id=acgme_id)
    changed = set()
    for name, value in values.items():
        if getattr(program, name) != value:
            setattr(program, name, value)
            changed.add(name)
    for name, related in (("specialty", specialty), ("sponsor", sponsor)):
        if related.pk is None or getattr(program, f"{name}_id") != related.pk:
            setattr(program, name, related)
            changed.add(name)
    # An unchanged program is as the database already holds it, and so within every rule.
    if changed and (problems := _rule_problems(program)):
        raise _RowProblems(problems)
    program.last_verified_on = program.newest_verified_date()
    return program, changed


def _write(to_create, to_update, changed_fields, new_sponsors, user, change_reason) -> None:
    if new_sponsors:
        created = bulk_create_with_history(
            list(new_sponsors.values()),
            Sponsor,
            batch_size=BATCH_SIZE,
            default_user=user,
            default_change_reason=change_reason,
        )
        by_code = {s.code: s for s in created if s.pk} or {
            s.code: s for s in Sponsor.objects.filter(code__in=list(new_sponsors))
        }
        for program in [*to_create, *to_update]:
            if program.sponsor.pk is None:
                program.sponsor = by_code[program.sponsor.code]
    if to_create:
        bulk_create_with_history(
            to_create,
            Program,
            batch_size=BATCH_SIZE,
            default_user=user,
            default_change_reason=change_reason,
        )
    if to_update:
        now = timezone.now()
        for program in to_update:
            program.updated_at = now
        fields = sorted({*changed_fields, "updated_at", "last_verified_on"})
        bulk_update_with_history(
            to_update,
            Program,
            fields=fields,
            batch_size=BATCH_SIZE,
            default_user=user,
            default_change_reason=change_reason,
        )


def import_programs_file(*, path: Path, **options) -> ImportResult:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return import_programs(stream=stream, **options)


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
    events = [event.value for event in SeasonEvent]
    current = Season.objects.current()
    records = []
    for r in _csv_rows(path):
        year = int(r["match_year"])
        is_current = r["is_current"] == "true" and (current is None or current.match_year == year)
        record = {
            "name": r["name"],
            "match_year": year,
            "is_current": is_current,
            "source_label": r["source_label"],
            "source_url": r["source_url"],
            "notes": r["notes"],
        }
        for event in events:
            record[event] = _date(r[event])
            record[f"{event}_confirmed"] = r[f"{event}_confirmed"] == "true"
        records.append(record)
    return _upsert(Season, "match_year", records, user=user, change_reason=change_reason)


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
    records = [
        {
            "program_id": ids[r["acgme_id"]],
            "nrmp_code": r["nrmp_code"],
            "year": int(r["year"]),
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


# What load_directory loads after the programs, in order: (what, file, loader).
DATA_FILES = [
    ("NRMP statistics", "nrmp_statistics.csv", load_statistics),
    ("seasons", "seasons.csv", load_seasons),
    ("application services", "application_services.csv", load_application_services),
    ("Charting Outcomes", "charting_outcomes.csv", load_charting_outcomes),
    ("fees", "fees.csv", load_fees),
    ("NRMP tracks", "nrmp_codes.csv", load_nrmp_tracks),
    ("NRMP results", "nrmp_program_results.csv", load_match_results),
    ("ACGME positions", "acgme_positions.csv", load_positions),
    ("H-1B filings", "h1b_filings.csv", load_h1b_filings),
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
