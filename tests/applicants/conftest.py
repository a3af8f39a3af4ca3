import pytest
from django.conf import settings

from applicants import services
from applicants.matching import Applicant
from programs.loaders import load_fees
from tests.factories import ProgramFactory, SeasonFactory, SpecialtyFactory, SpecialtyMatchFactory


@pytest.fixture
def internal_medicine(db):
    """A generated residency that fills through the NRMP Main Match."""
    specialty = SpecialtyFactory(name="Generated internal medicine", slug="generated-im")
    SpecialtyMatchFactory(specialty=specialty)
    return specialty


@pytest.fixture
def img(internal_medicine):
    """A non-US IMG who needs an H-1B: Step 2 CK 235, graduated 2020, 3 months of US
    experience, not yet ECFMG-certified."""
    return Applicant(
        applicant_type="non_us_img",
        graduation_year=2020,
        visa_needed="h1b",
        step2_score=235,
        usce_months=3,
        specialty_ids=(internal_medicine.pk,),
    )


@pytest.fixture
def applicant_user(django_user_model):
    return services.create_account(email="Applicant@Example.org", password="long-enough-phrase-7")


@pytest.fixture
def other_user(django_user_model):
    return services.create_account(email="other@example.org", password="long-enough-phrase-7")


@pytest.fixture
def answers(internal_medicine):
    return {
        "applicant_type": "non_us_img",
        "graduation_year": "2020",
        "step2_score": "235",
        "visa_needed": "h1b",
        "usce_months": "3",
        "specialties": [str(internal_medicine.pk)],
        "states": ["TX", "NY", "FL"],
    }


@pytest.fixture
def programs(internal_medicine):
    """Three generated internal medicine programs in the profile's states, one of each
    verdict for the IMG of ``answers``, and one in a state the profile did not ask for."""
    return {
        "eligible": ProgramFactory(
            name="Generated Houston IM",
            specialty=internal_medicine,
            state="TX",
            accepts_imgs="yes",
            sponsors_h1b="yes",
            step2_policy="none",
            graduation_policy="none",
            usce_policy="not_required",
            ecfmg_certified_by="rank_list",
        ),
        "possibly": ProgramFactory(
            name="Generated Bronx IM", specialty=internal_medicine, state="NY"
        ),
        "not": ProgramFactory(
            name="Generated Miami IM",
            specialty=internal_medicine,
            state="FL",
            step2_policy="hard",
            step2_minimum=240,
        ),
        "elsewhere": ProgramFactory(
            name="Generated Ohio IM", specialty=internal_medicine, state="OH"
        ),
    }


@pytest.fixture
def season(db):
    return SeasonFactory(match_year=2027, is_current=True)


@pytest.fixture
def shipped_fees(season):
    """The fees of fixtures/fees.csv: Match 2026's as published, the current season's the
    same amounts, unconfirmed. Emergency medicine fills through the NRMP Main Match."""
    SeasonFactory(match_year=2026, is_current=False)
    emergency = SpecialtyFactory(
        code="110", name="Emergency medicine (generated)", slug="generated-em"
    )
    SpecialtyMatchFactory(specialty=emergency)
    load_fees(path=settings.BASE_DIR / "fixtures" / "fees.csv", change_reason="test")
