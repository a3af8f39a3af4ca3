import time

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError

from programs.loaders import load_directory
from programs.management.progress import progress_bar
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
        started = time.monotonic()
        try:
            done = load_directory(
                fixtures_dir=settings.BASE_DIR / "fixtures",
                progress=progress_bar(self.stdout, "programs: "),
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        for what, summary in done:
            self.stdout.write(f"{what}: {summary}")
        if "load_content" in get_commands():
            call_command("load_content", stdout=self.stdout, stderr=self.stderr)
        self.stdout.write(
            self.style.SUCCESS(f"Directory loaded in {time.monotonic() - started:.1f} s.")
        )
