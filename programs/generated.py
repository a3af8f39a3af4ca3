"""Generated programs for the benchmark: as many as asked, shaped like the shipped directory
(its mix of specialties, states and known and unknown facts), each labelled as generated in
its name, its sponsor and its sources. Never loaded into a database of real programs."""

import csv
import random
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import transaction

from programs.csv_format import PROGRAM_FIELD_COLUMNS
from programs.facts import FACT_GROUPS
from programs.importers import _parse_cell
from programs.models import Program, Specialty, Sponsor
from programs.shared import directory_loaded

GENERATED = "Generated"
# ACGME IDs of generated programs start with 9, which no real ACGME ID does; their
# sponsors' codes likewise (real ones are below 600000).
FIRST_ID = 9_000_000_000
FIRST_SPONSOR = 900_000
PROGRAMS_PER_SPONSOR = 12
BATCH = 5_000
# Who a generated fact is said to come from, in place of the real source it was drawn from.
SOURCE_FIELDS = [definition.source_fields[0] for definition in FACT_GROUPS]
IDENTITY_FIELDS = {"acgme_id", "name", "address", "city", "zip_code", "h1b_note"}


def _shapes(path: Path) -> list[tuple[str, dict]]:
    """The shipped programs as (specialty code, field values) to draw generated ones from."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    columns = [c for c in PROGRAM_FIELD_COLUMNS if c not in IDENTITY_FIELDS]
    return [(row["specialty_code"], {c: _parse_cell(c, row[c]) for c in columns}) for row in rows]


@transaction.atomic
def generate_programs(
    *,
    count: int,
    seed: int = 1,
    shipped: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Add ``count`` generated programs (and their generated sponsors) to a database whose
    specialties are loaded; returns how many were created."""
    rng = random.Random(seed)
    shapes = _shapes(shipped or settings.BASE_DIR / "fixtures" / "programs.csv")
    specialties = dict(Specialty.objects.values_list("code", "id"))
    shapes = [(code, values) for code, values in shapes if code in specialties]
    if not shapes:
        raise ValueError("Load the specialties first (manage.py load_directory).")
    start = FIRST_ID + Program.objects.filter(acgme_id__startswith="9").count()
    sponsors = Sponsor.objects.bulk_create(
        [
            Sponsor(
                code=f"{FIRST_SPONSOR + n:06d}",
                name=f"{GENERATED} sponsor {n}",
                city=f"{GENERATED} city {n % 400}",
                state=shapes[n % len(shapes)][1]["state"],
            )
            for n in range(count // PROGRAMS_PER_SPONSOR + 1)
        ],
        ignore_conflicts=True,
    )
    sponsor_ids = list(
        Sponsor.objects.filter(code__gte=str(FIRST_SPONSOR)).values_list("id", flat=True)
    ) or [s.pk for s in sponsors]
    made = 0
    while made < count:
        batch = []
        for n in range(made, min(made + BATCH, count)):
            code, values = rng.choice(shapes)
            program = Program(
                acgme_id=str(start + n),
                name=f"{GENERATED} program {n}",
                specialty_id=specialties[code],
                sponsor_id=rng.choice(sponsor_ids),
                city=f"{GENERATED} city {n % 400}",
                **values,
            )
            if program.website:
                program.website = f"https://program-{n}.generated.invalid/"
            for field in SOURCE_FIELDS:
                if getattr(program, field):
                    setattr(program, field, f"{GENERATED} for the benchmark")
                setattr(program, field.replace("_label", "_url"), "")
            program.last_verified_on = program.newest_verified_date()
            batch.append(program)
        Program.objects.bulk_create(batch)
        made += len(batch)
        if progress:
            progress(made, count)
    transaction.on_commit(directory_loaded)
    return made
