from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programs.importers import import_programs_file
from programs.management.progress import progress_bar


class Command(BaseCommand):
    help = (
        "Create or update programs from a CSV file in the programs.csv format (see "
        "fixtures/README.md), keyed by ACGME ID. All or nothing: when any row is invalid, "
        "nothing is written and every bad row is listed with its line number."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV file to import.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; write nothing."
        )
        parser.add_argument(
            "--reason",
            default="",
            help="Change reason for each program's history (default: the file name).",
        )

    def handle(self, *args, file: Path, dry_run: bool, reason: str, **options):
        if not file.is_file():
            raise CommandError(f"No file at {file}.")
        try:
            result = import_programs_file(
                path=file,
                dry_run=dry_run,
                change_reason=reason or f"Imported from {file.name}",
                progress=progress_bar(self.stdout),
            )
        except UnicodeDecodeError as error:
            raise CommandError(f"{file} is not UTF-8 text ({error}).") from None
        if result.errors:
            self.stderr.write(f"{file}: {len(result.errors)} problems; nothing was written.")
            for error in result.errors:
                self.stderr.write(f"  {error}")
            raise CommandError("The import was refused.")
        self.stdout.write(self.style.SUCCESS(result.summary()))
