import pytest

from applicants import services
from applicants.matching import Applicant
from tests.factories import SpecialtyFactory


@pytest.fixture
def internal_medicine(db):
    return SpecialtyFactory(name="Generated internal medicine", slug="generated-im")


@pytest.fixture
def img(internal_medicine):
    """A non-US IMG who needs an H-1B: Step 2 CK 235, graduated 2020, 3 months of US
    experience, not yet ECFMG-certified."""
    return Applicant(
        applicant_type="non_us_img",
        graduation_year=2020,
        visa_needed="h1b",
        school_country="IN",
        step1_passed=True,
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
