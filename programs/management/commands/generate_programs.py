from django.core.management.base import BaseCommand, CommandError

from programs.generated import generate_programs
from programs.management.progress import progress_bar


class Command(BaseCommand):
    help = (
        "Add generated programs, labelled as generated, shaped like the shipped directory: "
        "for the benchmark's own database only, never one with real programs in it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--programs", type=int, default=100_000, help="How many (100,000).")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options):
        try:
            made = generate_programs(
                count=options["programs"],
                seed=options["seed"],
                progress=progress_bar(self.stdout),
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"{made:,} generated programs added."))
