"""The program CSV import.

``import_programs`` is the one way programs arrive in bulk: ``manage.py import_programs``, the
curator upload in the admin and ``manage.py load_directory`` all call it. A file is checked
in full before anything is written, with the models' own rules (``full_clean``), so a file
that previews clean applies clean; one bad row means nothing is written and every bad row is
reported with its line number.
"""

import contextlib
import csv
import datetime
import functools
import io
import itertools
import operator
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, connection, connections, models, transaction
from django.db.models import DEFERRED
from django.db.models.expressions import DatabaseDefault
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from programs.csv_format import (
    COLUMNS,
    EXPORT_ONLY_COLUMNS,
    PROGRAM_FIELD_COLUMNS,
    from_spreadsheet,
)
from programs.facts import fact_values, unsourced_changes
from programs.models import (
    Program,
    Specialty,
    Sponsor,
)
from programs.shared import directory_loaded

REQUIRED_COLUMNS = ("acgme_id", "name", "specialty_code", "sponsor_code", "state")
BATCH_SIZE = 1000
# Rows of an imported file checked and written together.
CHUNK_SIZE = 2000
SAMPLE_SIZE = 20
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


_REQUIRED = object()  # an empty cell a choice without "unknown" refuses
_TEXT_FIELDS = (models.CharField, models.TextField, models.URLField)


def _cell_parser(column: str) -> Callable[[str], object]:
    """How a cell of ``column`` becomes the model field's Python value; empty means not
    known. The value is only converted here: the model's own validation (``full_clean``)
    checks it afterwards. What the field allows is read once, not for every cell."""
    model_field = Program._meta.get_field(column)
    choices = dict(model_field.choices or ())
    is_boolean = isinstance(model_field, models.BooleanField)
    if is_boolean:
        empty = model_field.default
    elif "unknown" in choices:
        empty = "unknown"
    elif choices:
        empty = _REQUIRED
    else:
        empty = None if model_field.null else ""
    # An address keeps its inner lines' indentation.
    strip = "\r\n " if column == "address" else None
    allowed = ", ".join(choices)
    kind = _KIND.get(model_field.get_internal_type(), "valid")
    # Text is its own Python value.
    to_python = None if type(model_field) in _TEXT_FIELDS else model_field.to_python

    def parse(raw: str):
        value = raw.strip(strip)
        if value.startswith("'"):
            value = from_spreadsheet(value)
        if value == "":
            if empty is _REQUIRED:
                raise ValidationError("needs a value")
            return empty
        if is_boolean:
            if (flag := BOOLEAN_CELLS.get(value.lower())) is None:
                raise ValidationError(f"{value!r} is not one of: true, false")
            return flag
        if choices and value not in choices:
            if column == "state":
                raise ValidationError(f"{value!r} is not a USPS state code (e.g. NY, DC, PR)")
            raise ValidationError(f"{value!r} is not one of: {allowed}")
        if to_python is None:
            return value
        try:
            return to_python(value)
        except ValidationError:
            raise ValidationError(f"{value!r} is not {kind}") from None

    return parse


_CELL_PARSERS = {column: _cell_parser(column) for column in PROGRAM_FIELD_COLUMNS}


def _parse_cell(column: str, raw: str):
    """One cell of ``column`` as the model field's Python value (``_cell_parser``)."""
    return _CELL_PARSERS[column](raw)


def _rule_problems(
    obj: models.Model, *, columns: dict[str, str] | None = None, cleaned: dict | None = None
) -> list[str]:
    """What ``full_clean`` refuses, each message named by its CSV column. Related rows are
    resolved by the import itself, and uniqueness by ACGME ID, so neither is queried here.

    The steps are ``full_clean``'s, but each field's own check (``Field.clean``: its type,
    length, choices and validators, which read the value alone) is made once per distinct
    value and kept in ``cleaned``, which the caller shares between the rows of a chunk:
    rows repeat most values (states, policies, dates, sources). ``clean`` and the rules
    (``validate_constraints``) read the whole row, and are checked on every one."""
    columns = columns or {}
    exclude = {f.name for f in obj._meta.fields if f.is_relation}
    errors = {}
    try:
        _clean_fields(obj, cleaned={} if cleaned is None else cleaned)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    try:
        obj.clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    # As full_clean: no rule is checked on a field that failed its own check.
    exclude.update(name for name in errors if name != NON_FIELD_ERRORS)
    try:
        obj.validate_constraints(exclude=exclude)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    return [
        message if name == NON_FIELD_ERRORS else f"{columns.get(name, name)}: {message}"
        for name, messages in ValidationError(errors).message_dict.items()
        for message in messages
    ]


def _clean_fields(obj: models.Model, *, cleaned: dict) -> None:
    """``Model.clean_fields`` but for relations and fields the object was read without, with
    the outcome of each field's check of a value it was given before taken from ``cleaned``.

    A field left out when the object was read (the search columns ``ProgramManager``
    defers) holds what the database wrote, which no row changes (they are not editable,
    and ``Field.clean`` does not check a field that is not): reading it would be a query
    for each program and field, and the checks make none (``_ImportBatch``)."""
    fields = _checked_fields(type(obj))
    if (known := cleaned.get(type(obj))) is None:
        known = cleaned[type(obj)] = [{} for _ in fields]
    # A new object has nothing deferred but its generated fields, which are not checked.
    deferred = () if obj._state.adding else obj.get_deferred_fields()
    errors = {}
    for f, outcomes in zip(fields, known, strict=True):
        if f.attname in deferred:
            continue
        raw_value = getattr(obj, f.attname)
        key = (type(raw_value), raw_value)
        try:
            outcome = outcomes.get(key)
        except TypeError:  # a value that cannot be a key is checked every time
            key = outcome = None
        if outcome is None:
            outcome = _clean_field(f, raw_value, obj)
            if key is not None:
                outcomes[key] = outcome
        if outcome is _UNCHECKED:
            continue
        valid, value = outcome
        if not valid:
            errors[f.name] = value
        elif value is not raw_value:
            setattr(obj, f.attname, value)
    if errors:
        raise ValidationError(errors)


_UNCHECKED = object()  # a value clean_fields leaves alone


@functools.cache
def _checked_fields(model: type[models.Model]) -> tuple[models.Field, ...]:
    """The fields ``_clean_fields`` checks: not relations (the import resolves those), nor
    generated fields (the database fills them)."""
    return tuple(f for f in model._meta.fields if not f.is_relation and not f.generated)


def _clean_field(f: models.Field, raw_value, obj: models.Model):
    """What ``Model.clean_fields`` makes of one field's value: ``_UNCHECKED``, or whether
    it is valid and its cleaned value or its errors."""
    # Django's reasons: empty and allowed blank, or left to the database's default.
    if (f.blank and raw_value in f.empty_values) or isinstance(raw_value, DatabaseDefault):
        return _UNCHECKED
    try:
        return True, f.clean(raw_value, obj)
    except ValidationError as error:
        return False, error.error_list


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
            field_columns=[c for c in header if c in _CELL_PARSERS],
            write=not dry_run,
            user=user,
            change_reason=change_reason,
        )
        batch.run(itertools.batched(rows, CHUNK_SIZE, strict=False), total, progress)
    except csv.Error as error:
        result.errors.append(RowError(1, "", f"not a readable CSV file ({error})"))
    if result.errors:
        # Chunks written before a refused row are undone with the rest.
        transaction.set_rollback(True)
    elif not dry_run:
        transaction.on_commit(directory_loaded)
    return result


@dataclass
class _ReadChunk:
    """A chunk's rows, each with its line and ACGME ID, and what the database holds for
    them: its programs already stored, and the sponsors of its codes not asked for before."""

    rows: list[tuple[int, dict[str, str], str]]
    existing: dict[str, Program]
    sponsors: dict[str, Sponsor]


@dataclass
class _CheckedChunk:
    """What checking a chunk found, kept apart from the result until the chunks before it
    are written, so that the result reads as if the chunks were checked and written one
    after the other."""

    rows: int
    errors: list[RowError] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    unchanged: int = 0
    to_create: list[Program] = field(default_factory=list)
    to_update: list[Program] = field(default_factory=list)
    changed_fields: set[str] = field(default_factory=set)
    new_sponsors: dict[str, Sponsor] = field(default_factory=dict)


class _ImportBatch:
    """Reads, checks and writes a file's rows a chunk at a time, writing while no row of
    the file has been refused.

    A chunk's checks are Python alone, and its writes are mostly the database's work, so the
    two overlap: while one chunk is written on the transaction's connection, in the calling
    thread, which lets go of the interpreter while the database works, the next chunk is
    checked in a worker thread. The checks read nothing from the database (connections are
    per thread, and a second one would be outside the transaction and see none of the rows
    written before): what a chunk needs from it is read beforehand, in the calling thread
    (``read``), and the worker is refused any query (``_check_without_queries``). The
    interpreter still runs one thread at a time, so a chunk's writes are made ready in Python
    before the next chunk's checks start, and only then sent (``_ChunkWrites``).

    Chunks are checked in the file's order, one after another, in the one worker: the
    sponsors a chunk creates and the first line of each ACGME ID are known to every later
    chunk's checks, a new sponsor being the same object (given its key when its chunk is
    written) wherever the file names it. Each chunk's outcome is added to the result and
    written in order too (``apply``), so the result, its errors' order and the progress
    reported are those of taking one chunk at a time.
    """

    def __init__(self, result: ImportResult, *, field_columns, write, user, change_reason):
        self.result = result
        self.field_columns = field_columns
        self.write = write
        self.user = user
        self.change_reason = change_reason
        self.specialties = {s.code: s for s in Specialty.objects.only("id", "code")}
        # Read and written by the checks alone, in the worker.
        self.sponsors: dict[str, Sponsor] = {}
        self.first_line_of: dict[str, int] = {}
        # Read and written by the calling thread alone.
        self.sponsor_codes_read: set[str] = set()
        self.rows_done = 0

    def run(
        self,
        chunks: Iterable[tuple[tuple[int, dict[str, str]], ...]],
        total: int,
        progress: Progress | None,
    ) -> None:
        """Check each chunk while the one before it is written (see the class)."""
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-checks") as worker:
            checking = None  # the previous chunk's checks, under way in the worker
            try:
                for chunk in chunks:
                    check_next = functools.partial(
                        worker.submit, self._check_without_queries, self.read(chunk)
                    )
                    if checking is None:
                        checking = check_next()
                    else:
                        checking = self.apply(checking.result(), total, progress, check_next)
            except csv.Error:
                # The rows read before the unreadable one count, as they would one chunk at
                # a time; the caller reports the file unreadable after them.
                if checking is not None:
                    self.apply(checking.result(), total, progress)
                raise
            if checking is not None:
                self.apply(checking.result(), total, progress)

    def read(self, chunk: Iterable[tuple[int, dict[str, str]]]) -> _ReadChunk:
        """The chunk's rows and what the database holds for them; in the calling thread."""
        rows = [(line, raw_row, _acgme_id(raw_row)) for line, raw_row in chunk]
        existing = {
            p.acgme_id: p
            for p in Program.objects.filter(acgme_id__in={r[2] for r in rows}).order_by()
        }
        codes = {from_spreadsheet((r[1].get("sponsor_code") or "").strip()) for r in rows}
        sponsors = {}
        # A code asked for before is either known to the checks already or not stored, but
        # for the sponsors an earlier chunk creates, which the checks know from that chunk.
        if unknown := codes - self.sponsor_codes_read:
            self.sponsor_codes_read.update(unknown)
            sponsors = {s.code: s for s in Sponsor.objects.filter(code__in=unknown).order_by()}
        return _ReadChunk(rows, existing, sponsors)

    def _check_without_queries(self, chunk: _ReadChunk) -> _CheckedChunk:
        """``check``, with any query refused: in the worker a query would go through a
        connection of its own, outside the import's transaction."""
        with contextlib.ExitStack() as refusals:
            for database in connections.all():
                refusals.enter_context(database.execute_wrapper(_refuse_query))
            try:
                return self.check(chunk)
            finally:
                # Only a refused query opens one.
                connections.close_all()

    def check(self, chunk: _ReadChunk) -> _CheckedChunk:
        """Each row of the chunk checked (Python alone, no query), and what it changes."""
        for code, sponsor in chunk.sponsors.items():
            # A sponsor known already may be one an earlier chunk created: it stays.
            self.sponsors.setdefault(code, sponsor)
        checked = _CheckedChunk(rows=len(chunk.rows))
        errors = checked.errors
        # Each field's own check of each value, made once for the chunk (_rule_problems).
        cleaned = {}
        for line, raw_row, acgme_id in chunk.rows:
            if None in raw_row:
                errors.append(RowError(line, acgme_id, "more cells than the header has"))
                continue
            if acgme_id in self.first_line_of:
                first = self.first_line_of[acgme_id]
                errors.append(RowError(line, acgme_id, f"ACGME ID already on line {first}"))
                continue
            self.first_line_of[acgme_id] = line
            row = {key: (value or "") for key, value in raw_row.items() if key is not None}
            try:
                program, fields = _program_from_row(
                    row,
                    acgme_id=acgme_id,
                    field_columns=self.field_columns,
                    existing=chunk.existing.get(acgme_id),
                    specialties=self.specialties,
                    sponsors=self.sponsors,
                    new_sponsors=checked.new_sponsors,
                    cleaned=cleaned,
                )
            except _RowProblems as problems:
                errors.extend(RowError(line, acgme_id, m) for m in problems.messages)
                continue
            if program.pk is None:
                checked.to_create.append(program)
                checked.changes.append(Change(acgme_id, program.name, "created"))
            elif fields:
                checked.to_update.append(program)
                checked.changed_fields.update(fields)
                checked.changes.append(
                    Change(acgme_id, program.name, "updated", tuple(sorted(fields)))
                )
            else:
                checked.unchanged += 1
        # Later rows of the same code are given the sponsor this chunk creates.
        self.sponsors.update(checked.new_sponsors)
        return checked

    def apply(
        self,
        checked: _CheckedChunk,
        total: int,
        progress: Progress | None,
        check_next: Callable[[], Future] | None = None,
    ) -> Future | None:
        """Add a chunk's outcome to the result, and write it while no row of the file has
        been refused; in the calling thread, chunk after chunk in the file's order.

        ``check_next`` starts the next chunk's checks, once this chunk's writes are ready to
        send (``_ChunkWrites``); what it gives back is returned."""
        result = self.result
        result.errors.extend(checked.errors)
        result.changes.extend(checked.changes)
        result.created += len(checked.to_create)
        result.updated += len(checked.to_update)
        result.unchanged += checked.unchanged
        result.sponsors_created += len(checked.new_sponsors)
        checking = None
        if self.write and not result.errors:
            try:
                with transaction.atomic():
                    writes = _ChunkWrites(checked, user=self.user, change_reason=self.change_reason)
                    checking = check_next and check_next()
                    writes.send()
            except DatabaseError as error:
                result.errors.append(RowError(None, "", f"the database refused the file: {error}"))
        if checking is None and check_next:
            checking = check_next()
        self.rows_done += checked.rows
        if progress:
            progress(self.rows_done, total)
        return checking


def _refuse_query(execute, sql, params, many, context):
    raise RuntimeError(f"a query while checking an imported file's rows: {sql}")


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
    cleaned: dict,
) -> tuple[Program, set[str]]:
    """The program a row describes (changes applied, not saved) and the fields it changed
    (for a new program, every field the row gives). ``cleaned``: see ``_rule_problems``."""
    if nul := [column for column, cell in row.items() if "\x00" in cell]:
        raise _RowProblems(
            [f"{column}: holds a NUL character, which cannot be stored" for column in nul]
        )
    messages = []
    values = {}
    for column in field_columns:
        try:
            values[column] = _CELL_PARSERS[column](row[column])
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
        elif problems := _rule_problems(new, columns=SPONSOR_COLUMNS, cleaned=cleaned):
            messages.extend(problems)
        else:
            sponsor = new_sponsors[sponsor_code] = new
    if messages:
        raise _RowProblems(messages)

    if existing is None:
        program = _new(Program, {"acgme_id": acgme_id, **values})
        program.specialty, program.sponsor = specialty, sponsor
        changed = {*values, "specialty", "sponsor"}
        before = None
    else:
        program, before, changed = existing, fact_values(existing), set()
        for name, value in values.items():
            if getattr(program, name) != value:
                setattr(program, name, value)
                changed.add(name)
        for name, related in (("specialty", specialty), ("sponsor", sponsor)):
            if related.pk is None or getattr(program, f"{name}_id") != related.pk:
                setattr(program, name, related)
                changed.add(name)
    # An unchanged program is as the database already holds it, and so within every rule.
    if changed and (problems := _rule_problems(program, cleaned=cleaned)):
        raise _RowProblems(problems)
    if before and (unsourced := unsourced_changes(before, fact_values(program))):
        raise _RowProblems([f"{column}: {message}" for column, message in unsourced.items()])
    program.last_verified_on = program.newest_verified_date()
    return program, changed


def _new(model: type[models.Model], values: dict[str, object]) -> models.Model:
    """``model(**values)`` (attribute names and values), by the quicker way Django makes the
    rows it reads: every field's value in order, its default where ``values`` has none, and
    generated fields left unset as they are by keywords."""
    return model(
        *(
            values[f.attname]
            if f.attname in values
            else DEFERRED
            if f.generated
            else f.get_default()
            for f in model._meta.concrete_fields
        )
    )


class _ChunkWrites:
    """A chunk's writes in two steps: making them ready, the Python work, and sending them,
    mostly the database's.

    On PostgreSQL the new rows' keys are taken from their sequences first (``_reserve_keys``)
    so that every row ``COPY`` writes, the programs' with their sponsors' keys and the
    history's with their programs', is built before anything is sent: the next chunk's
    checks, started between the two steps, then have the interpreter to themselves while the
    database writes, rather than taking turns with the building of rows. Elsewhere
    ``bulk_create`` does both in ``send``."""

    def __init__(self, checked: _CheckedChunk, *, user, change_reason: str):
        self.checked = checked
        self.user = user
        self.change_reason = change_reason
        self.copies: list[tuple[_Columns, list]] = []
        if connection.vendor == "postgresql":
            if checked.new_sponsors:
                self.copies += _copies_with_history(
                    Sponsor, list(checked.new_sponsors.values()), user, change_reason
                )
            if checked.to_create:
                self.copies += _copies_with_history(Program, checked.to_create, user, change_reason)

    def send(self) -> None:
        checked, user, change_reason = self.checked, self.user, self.change_reason
        if connection.vendor == "postgresql":
            for columns, rows in self.copies:
                _copy(columns, rows)
        else:
            if checked.new_sponsors:
                created = bulk_create_with_history(
                    list(checked.new_sponsors.values()),
                    Sponsor,
                    batch_size=BATCH_SIZE,
                    default_user=user,
                    default_change_reason=change_reason,
                )
                by_code = {s.code: s for s in created if s.pk} or {
                    s.code: s for s in Sponsor.objects.filter(code__in=list(checked.new_sponsors))
                }
                for program in [*checked.to_create, *checked.to_update]:
                    if program.sponsor.pk is None:
                        program.sponsor = by_code[program.sponsor.code]
            if checked.to_create:
                bulk_create_with_history(
                    checked.to_create,
                    Program,
                    batch_size=BATCH_SIZE,
                    default_user=user,
                    default_change_reason=change_reason,
                )
        if checked.to_update:
            now = timezone.now()
            for program in checked.to_update:
                program.updated_at = now
            fields = sorted({*checked.changed_fields, "updated_at", "last_verified_on"})
            bulk_update_with_history(
                checked.to_update,
                Program,
                fields=fields,
                batch_size=BATCH_SIZE,
                default_user=user,
                default_change_reason=change_reason,
            )


def _copies_with_history(
    model: type[models.Model], objects: list, user, change_reason: str
) -> list[tuple["_Columns", list]]:
    """The ``COPY`` writes of new rows and of their history, the objects given the keys they
    will be saved with.

    On PostgreSQL ``COPY`` takes each row as one line of text where ``INSERT`` takes a
    parameter per cell (two thirds of a large import's time went into assembling those).
    The rows were checked (``full_clean``) before, and the caller's transaction keeps the
    file all or nothing."""
    database = connections[connection.alias]
    for obj, pk in zip(objects, _reserve_keys(model, len(objects), database), strict=True):
        obj.pk = pk
        obj._state.adding, obj._state.db = False, connection.alias
    columns = _Columns(model, database, with_key=True)
    rows = []
    for obj in objects:
        # As bulk_create does: a related row saved since it was assigned gives its key.
        obj._prepare_related_fields_for_save(operation_name="copy")
        rows.append(columns.cells(obj))
    # The history rows simple_history's bulk_create_with_history would write: each object's
    # tracked cells as written, and the same date, user, reason and type for all.
    history = _Columns(model.history.model, database)
    shared = history.cells(
        history.model(
            history_date=timezone.now(),
            history_user=user,
            history_change_reason=change_reason,
            history_type="+",
        )
    )
    tracked = {f.attname for f in history.model.tracked_fields}
    written_at = {f.attname: n for n, f in enumerate(columns.fields)}
    shared_at = len(columns.fields)
    take = operator.itemgetter(
        *(
            written_at[f.attname] if f.attname in tracked else shared_at + n
            for n, f in enumerate(history.fields)
        )
    )
    return [(columns, rows), (history, [take([*row, *shared]) for row in rows])]


def _reserve_keys(model: type[models.Model], count: int, database) -> list[int]:
    """``count`` keys from the sequence of ``model``'s automatic primary key, in the order
    inserting the rows one after another would have taken them."""
    table = database.ops.quote_name(model._meta.db_table)
    with database.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)::regclass) FROM generate_series(1, %s)",
            [table, model._meta.pk.column, count],
        )
        return [pk for (pk,) in cursor.fetchall()]


class _Columns:
    """The columns ``COPY`` writes of a model (every one but the generated ones, and an
    automatic primary key unless ``with_key``), and an unsaved object's cells in them, as
    ``save`` would write them."""

    def __init__(self, model: type[models.Model], database, *, with_key: bool = False):
        self.model = model
        self.database = database
        self.fields = [
            f
            for f in model._meta.concrete_fields
            if not f.generated
            and (with_key or not (f.primary_key and isinstance(f, models.AutoField)))
        ]
        self._readers = [
            (
                f.attname,
                None if _saved_as_it_is(f) else f.pre_save,
                _TAKEN_AS_IT_IS.get(type(f.target_field if f.is_relation else f), ()),
                f.get_db_prep_save,
            )
            for f in self.fields
        ]

    def cells(self, obj: models.Model) -> list:
        database = self.database
        cells = []
        for attname, pre_save, plain, prepare in self._readers:
            value = getattr(obj, attname) if pre_save is None else pre_save(obj, True)
            # A value already of the type the database takes goes as it is: preparing it
            # (get_db_prep_save) would give it back unchanged, at a cost paid per cell.
            cells.append(value if type(value) in plain else prepare(value, database))
        return cells


# Field classes whose get_db_prep_save gives back a value of these types unchanged (on
# PostgreSQL an integer comes back wrapped as a psycopg integer of the column's size, which
# COPY writes alike).
_TAKEN_AS_IT_IS = {
    **dict.fromkeys((models.CharField, models.TextField, models.URLField), (str, type(None))),
    models.BooleanField: (bool, type(None)),
    **dict.fromkeys(
        (
            models.PositiveSmallIntegerField,
            models.PositiveIntegerField,
            models.IntegerField,
            models.BigIntegerField,
            models.AutoField,
            models.BigAutoField,
        ),
        (int, type(None)),
    ),
    models.DateField: (datetime.date, type(None)),
}


def _saved_as_it_is(field: models.Field) -> bool:
    """Whether ``save`` writes the field's attribute as it is (``pre_save`` reads it)."""
    if isinstance(field, models.DateField):  # dates, and times, set when saved
        return not (field.auto_now or field.auto_now_add)
    return type(field).pre_save is models.Field.pre_save


def _copy(columns: _Columns, rows: Iterable[list]) -> None:
    """Insert ``rows`` of cells in ``columns`` with PostgreSQL's ``COPY``."""
    database = columns.database
    quote = database.ops.quote_name
    names = ", ".join(quote(f.column) for f in columns.fields)
    statement = f"COPY {quote(columns.model._meta.db_table)} ({names}) FROM STDIN"
    with database.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def import_programs_file(*, path: Path, **options) -> ImportResult:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return import_programs(stream=stream, **options)
