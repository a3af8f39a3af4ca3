"""A newer ACGME listing, reviewed before it is applied.

``compute_listing_diff`` reads a listing file (the program CSV format, restricted to the ACGME
listing's columns) and says what applying it would do: programs new to the directory,
programs of the file's specialties that the file no longer lists (to be marked withdrawn,
never deleted) and the listing fields that changed, old beside new. Nothing is written.

``apply_listing_update`` computes the same diff afresh and applies it in one transaction
through ``import_programs``, so every model rule applies and every change is written to the
programs' history; the file's source and date become the listing group's source of each
new, changed or withdrawn program. One refused row and nothing is written.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.db import transaction

from programs.choices import Accreditation, FactGroup
from programs.csv_format import COLUMNS, RELATED_COLUMNS, program_to_row
from programs.facts import BY_GROUP
from programs.importers import RowError, import_programs
from programs.models import Program

LISTING_COLUMNS = [
    column
    for name in BY_GROUP[FactGroup.LISTING].fields
    for column in RELATED_COLUMNS.get(name, (name,))
]
assert set(LISTING_COLUMNS) <= set(COLUMNS)
SOURCE_COLUMNS = ("listing_source_label", "listing_source_url", "listing_as_of")
# The columns a withdrawal writes: what identifies the program, and its new status.
WITHDRAWAL_COLUMNS = (
    "acgme_id",
    "name",
    "specialty_code",
    "sponsor_code",
    "sponsor_name",
    "state",
    "accreditation_status",
)
# A program the newer listing no longer holds has lost its accreditation as far as the
# listing says; the curator reviewing the diff sees each one before it is applied.
WITHDRAWN_STATUS = Accreditation.WITHDRAWN


@dataclass(frozen=True)
class ListingSource:
    label: str
    url: str
    as_of: datetime.date


@dataclass(frozen=True)
class FieldChange:
    column: str
    old: str
    new: str


@dataclass(frozen=True)
class ListedProgram:
    line: int
    acgme_id: str
    name: str
    changes: tuple[FieldChange, ...] = ()


@dataclass
class ListingDiff:
    new: list[ListedProgram] = field(default_factory=list)
    changed: list[ListedProgram] = field(default_factory=list)
    withdrawn: list[Program] = field(default_factory=list)
    unchanged: int = 0
    specialty_codes: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        return (
            f"{len(self.new)} new, {len(self.withdrawn)} withdrawn, {len(self.changed)} changed,"
            f" {self.unchanged} unchanged"
        )


def _read(text: str) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    if not rows:
        return [], []
    return [name.strip() for name in rows[0]], rows[1:]


def _write(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _with_source(header: list[str], rows: list[list[str]], source: ListingSource) -> str:
    """The file with the listing's source on every row. Each row keeps the lines it spans and
    an empty line stays empty, so the import's line numbers are the file's."""
    cells = [source.label, source.url, source.as_of.isoformat()]
    padded = [[*row, *[""] * (len(header) - len(row)), *cells] if row else [] for row in rows]
    return _write([*header, *SOURCE_COLUMNS], padded)


def _column_of(field_name: str) -> str:
    return RELATED_COLUMNS.get(field_name, (field_name,))[0]


def compute_listing_diff(*, text: str, source: ListingSource) -> ListingDiff:
    """What applying the listing file ``text`` with ``source`` would do; writes nothing.

    Withdrawal candidates are only the programs not yet withdrawn, of the specialties the file
    lists, that the file does not hold: a file of one specialty withdraws nothing elsewhere."""
    diff = ListingDiff()
    header, rows = _read(text)
    if outside := [c for c in header if c not in LISTING_COLUMNS]:
        diff.errors.append(
            RowError(
                1,
                "",
                f"columns outside the ACGME listing: {', '.join(outside)} (a listing file holds"
                f" only {', '.join(LISTING_COLUMNS)}; its source is given with the upload)",
            )
        )
        return diff
    checked = import_programs(text=_with_source(header, rows, source), dry_run=True)
    if checked.errors:
        diff.errors = checked.errors
        return diff

    listed = _listed_rows(header, rows)
    existing = {
        p.acgme_id: p
        for p in Program.objects.filter(acgme_id__in=listed).select_related("specialty", "sponsor")
    }
    changes = {change.acgme_id: change for change in checked.changes}
    for acgme_id, (line, row) in listed.items():
        program = existing.get(acgme_id)
        if program is None:
            diff.new.append(ListedProgram(line, acgme_id, row.get("name", "")))
            continue
        fields = [
            name
            for name in (changes[acgme_id].fields if acgme_id in changes else ())
            if name not in BY_GROUP[FactGroup.LISTING].source_fields and name != "last_verified_on"
        ]
        if not fields:
            diff.unchanged += 1
            continue
        old = program_to_row(program)
        diff.changed.append(
            ListedProgram(
                line,
                acgme_id,
                program.name,
                tuple(
                    FieldChange(_column_of(name), old[_column_of(name)], row[_column_of(name)])
                    for name in fields
                ),
            )
        )
    diff.specialty_codes = sorted({row["specialty_code"] for _line, row in listed.values()})
    diff.withdrawn = list(
        Program.objects.filter(specialty__code__in=diff.specialty_codes, is_withdrawn=False)
        .exclude(acgme_id__in=listed)
        .select_related("specialty", "sponsor")
        .order_by("acgme_id")
    )
    return diff


def _listed_rows(header, rows) -> dict[str, tuple[int, dict[str, str]]]:
    """Each row by ACGME ID, with the line it starts on (the import has already refused
    a file with duplicated IDs or ragged rows)."""
    listed = {}
    line = 2
    for row in rows:
        if row:
            cells = {c: v.strip() for c, v in zip(header, row, strict=False)}
            listed[cells["acgme_id"]] = (line, cells)
        line += 1 + sum(cell.count("\n") for cell in row) if row else 1
    return listed


@transaction.atomic
def apply_listing_update(*, text: str, source: ListingSource, user=None) -> ListingDiff:
    """Compute the diff of ``text`` afresh and apply it in one transaction: create the new
    programs, write the changed fields and mark the missing programs withdrawn (never
    deleted), each with ``source`` as its listing source. Any refused row writes nothing;
    ``diff.errors`` then names it by the file's line."""
    diff = compute_listing_diff(text=text, source=source)
    if not diff.ok:
        return diff
    reason = f"Newer ACGME listing: {source.label} ({source.as_of.isoformat()})"
    header, rows = _read(text)
    listed = _listed_rows(header, rows)
    to_write = {p.acgme_id for p in (*diff.new, *diff.changed)}
    if to_write:
        kept = [row for row in rows if row and row[header.index("acgme_id")].strip() in to_write]
        result = import_programs(
            text=_with_source(header, kept, source), user=user, change_reason=reason
        )
        if result.errors:
            diff.errors = [
                RowError(
                    listed[e.acgme_id][0] if e.acgme_id in listed else e.line, e.acgme_id, e.message
                )
                for e in result.errors
            ]
            transaction.set_rollback(True)
            return diff
    if diff.withdrawn:
        withdrawals = []
        for program in diff.withdrawn:
            row = program_to_row(program)
            row["accreditation_status"] = WITHDRAWN_STATUS
            withdrawals.append([row[column] for column in WITHDRAWAL_COLUMNS])
        result = import_programs(
            text=_with_source(list(WITHDRAWAL_COLUMNS), withdrawals, source),
            user=user,
            change_reason=f"{reason}: no longer listed",
        )
        if result.errors:
            diff.errors = [
                RowError(None, e.acgme_id, f"withdrawing {e.acgme_id}: {e.message}")
                for e in result.errors
            ]
            transaction.set_rollback(True)
            return diff
    diff.applied = True
    return diff
