import time

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError

from programs import importers
from programs.models import Program


class Command(BaseCommand):
    help = (
        "Load the shipped directory from fixtures/: specialties, sponsors, programs, NRMP "
        "statistics and seasons, then the site content when load_content exists. Safe to run "
        "again: rows are matched by their keys, so a second run changes nothing, but fields "
        "that differ from fixtures/ are set back to the shipped values."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when programs already exist (used by make run on every start).",
        )

    def handle(self, *args, if_empty: bool, **options):
        if if_empty and Program.objects.exists():
            self.stdout.write("Programs are already loaded; nothing to do.")
            return
        fixtures = settings.BASE_DIR / "fixtures"
        reason = "Loaded from fixtures/"
        started = time.monotonic()
        steps = [
            ("specialties", importers.load_specialties, "specialties.csv"),
            ("sponsors", importers.load_sponsors, "sponsors.csv"),
        ]
        for label, load, filename in steps:
            counts = load(path=fixtures / filename, change_reason=reason)
            self.stdout.write(f"{label}: {counts}")

        result = importers.import_programs_file(
            path=fixtures / "programs.csv",
            change_reason=f"{reason}programs.csv",
            progress=self.show_progress,
        )
        if result.errors:
            for error in result.errors[:50]:
                self.stderr.write(f"  {error}")
            raise CommandError(
                f"fixtures/programs.csv was refused ({len(result.errors)} problems)."
            )
        self.stdout.write(f"programs: {result.summary()}")

        for label, load, filename in [
            ("NRMP statistics", importers.load_statistics, "nrmp_statistics.csv"),
            ("seasons", importers.load_seasons, "seasons.csv"),
        ]:
            counts = load(path=fixtures / filename, change_reason=reason)
            self.stdout.write(f"{label}: {counts}")

        if "load_content" in get_commands():
            call_command("load_content", stdout=self.stdout, stderr=self.stderr)
        self.stdout.write(
            self.style.SUCCESS(f"Directory loaded in {time.monotonic() - started:.1f} s.")
        )

    def show_progress(self, done: int, total: int) -> None:
        if done != total and not self.stdout.isatty():
            return
        width = 30
        filled = width * done // total
        self.stdout.write(
            f"\rprograms: [{'#' * filled}{'.' * (width - filled)}] {done}/{total}",
            ending="\n" if done == total else "",
        )
        self.stdout.flush()
