from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sources.build import build_fixtures


class Command(BaseCommand):
    help = (
        "Turn the raw reference files (ACGME listing, FREIDA 2016, NRMP tables, DOL LCAs) and "
        "the yearly facts in sources/yearly.toml into the normalized CSV files in fixtures/ "
        "that load_directory loads."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--raw-dir",
            type=Path,
            default=settings.BASE_DIR.parent / "shared" / "data" / "raw",
            help="Folder holding the raw files (default: ../shared/data/raw).",
        )
        parser.add_argument(
            "--out-dir",
            type=Path,
            default=settings.BASE_DIR / "fixtures",
            help="Where to write the CSV files (default: fixtures/).",
        )

    def handle(self, *args, raw_dir: Path, out_dir: Path, **options):
        if not raw_dir.is_dir():
            raise CommandError(f"No raw data folder at {raw_dir}; pass --raw-dir.")
        report = build_fixtures(raw_dir=raw_dir, out_dir=out_dir)
        for note in report.notes:
            self.stdout.write(note)
        self.stdout.write(self.style.SUCCESS(f"Wrote the fixtures to {out_dir}."))
