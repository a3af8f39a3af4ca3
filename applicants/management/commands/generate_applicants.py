from django.core.management.base import BaseCommand, CommandError

from applicants.generated import generate_applicants


class Command(BaseCommand):
    help = (
        "Add generated applicants (generated-applicant-N@generated.invalid) with profiles and "
        "shortlists: for the benchmark's own database only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=1_000)
        parser.add_argument("--password", required=True)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options):
        try:
            emails = generate_applicants(
                count=options["count"], password=options["password"], seed=options["seed"]
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"{len(emails):,} generated applicants added."))
