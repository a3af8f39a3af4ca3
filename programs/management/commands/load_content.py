from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programs.loaders import CONTENT_DIR, ContentError, load_content


class Command(BaseCommand):
    help = (
        "Load the shipped FAQ entries and guides from fixtures/content/. Missing ones are "
        "created by slug; ones that already exist keep curators' edits unless --update."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--directory", default=str(CONTENT_DIR), help="Folder with faq/ and guides/."
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help="Overwrite existing entries and guides with the shipped text.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Report, but save nothing.")

    def handle(self, *args, directory, update, dry_run, **options):
        try:
            results = load_content(directory=Path(directory), update=update, dry_run=dry_run)
        except ContentError as error:
            raise CommandError(str(error)) from error
        for kind, result in results.items():
            self.stdout.write(
                f"{kind}: {len(result.created)} created, {len(result.updated)} updated, "
                f"{len(result.unchanged)} left as they were"
            )
        if dry_run:
            self.stdout.write("Dry run: nothing was saved.")
