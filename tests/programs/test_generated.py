"""Generated data for the benchmark: shaped like the shipped directory, labelled as
generated, and within every rule the database enforces."""

import pytest
from django.conf import settings

from applicants.generated import generate_applicants
from applicants.models import Profile, ShortlistEntry
from programs.generated import generate_programs
from programs.loaders import load_specialties
from programs.models import Program

pytestmark = pytest.mark.django_db


@pytest.fixture
def specialties(db):
    load_specialties(path=settings.BASE_DIR / "fixtures" / "specialties.csv", change_reason="t")


def test_generated_programs_are_labelled_and_keep_every_rule(specialties):
    assert generate_programs(count=300, seed=3) == 300
    programs = Program.objects.select_related("sponsor")
    assert programs.count() == 300
    for program in programs:
        assert program.name.startswith("Generated program")
        assert program.sponsor.name.startswith("Generated sponsor")
        assert program.acgme_id.startswith("9")
        assert "generated.invalid" in program.website or not program.website
        program.full_clean(exclude=["specialty", "sponsor"])
    assert programs.values("specialty").distinct().count() > 20
    assert programs.filter(sponsors_h1b="unknown").exists()
    assert programs.exclude(sponsors_h1b="unknown").exists()


def test_generated_applicants_have_profiles_and_shortlists(specialties):
    generate_programs(count=400, seed=3)
    emails = generate_applicants(count=5, password="generated-password-1", seed=3)
    assert all(e.endswith("@generated.invalid") for e in emails)
    assert Profile.objects.count() == 5
    assert ShortlistEntry.objects.count() >= 5
