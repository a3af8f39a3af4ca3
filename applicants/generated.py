"""Generated applicants for the benchmark: accounts with profiles and shortlists, drawn at
random over the programs in the database, each labelled as generated. Never made where real
people have accounts."""

import random

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from applicants.choices import Status
from applicants.models import ApplicantType, Profile, ShortlistEntry, VisaNeed
from programs.models import Program

EMAIL = "generated-applicant-{n}@generated.invalid"


@transaction.atomic
def generate_applicants(*, count: int, password: str, seed: int = 1) -> list[str]:
    """Add ``count`` applicants, each with a profile in one or two specialties and a
    shortlist of their programs; returns their emails."""
    rng = random.Random(seed)
    by_specialty: dict[int, list[int]] = {}
    for pk, specialty_id in Program.objects.residencies().values_list("pk", "specialty_id"):
        by_specialty.setdefault(specialty_id, []).append(pk)
    specialties = [s for s, programs in by_specialty.items() if len(programs) >= 5]
    if not specialties:
        raise ValueError("Load or generate programs first.")
    User = get_user_model()
    hashed = make_password(password)
    emails = [EMAIL.format(n=n) for n in range(count)]
    users = User.objects.bulk_create(
        [User(username=email, email=email, password=hashed) for email in emails]
    )
    profiles, choices, entries = [], [], []
    for user in users:
        kind = rng.choice(list(ApplicantType))
        img = kind in (ApplicantType.US_IMG, ApplicantType.NON_US_IMG)
        profiles.append(
            Profile(
                user=user,
                applicant_type=kind,
                graduation_year=rng.randint(2012, 2026),
                step2_score=rng.randint(205, 265),
                visa_needed=rng.choice(list(VisaNeed))
                if kind == ApplicantType.NON_US_IMG
                else VisaNeed.NONE,
                usce_months=rng.choice([0, 0, 2, 3, 6, 12]),
                ecfmg_certified=img and rng.random() < 0.6,
                states=rng.sample(["TX", "NY", "FL", "CA", "IL", "PA", "OH", "MI"], 3)
                if rng.random() < 0.5
                else [],
            )
        )
        chosen = rng.sample(specialties, min(rng.choice([1, 1, 2]), len(specialties)))
        choices.append(chosen)
        for specialty in chosen:
            programs = by_specialty[specialty]
            for program in rng.sample(programs, min(rng.randint(5, 15), len(programs))):
                entries.append(
                    ShortlistEntry(user=user, program_id=program, status=rng.choice(list(Status)))
                )
    Profile.objects.bulk_create(profiles)
    Through = Profile.specialties.through
    Through.objects.bulk_create(
        [
            Through(profile_id=profile.pk, specialty_id=specialty)
            for profile, chosen in zip(profiles, choices, strict=True)
            for specialty in chosen
        ]
    )
    ShortlistEntry.objects.bulk_create(entries, ignore_conflicts=True)
    return emails
