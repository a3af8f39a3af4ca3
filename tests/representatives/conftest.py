import pytest

from applicants.services import create_account
from programs.services import create_curator
from representatives import services
from representatives.models import Decision
from tests.conftest import run_data_migration
from tests.factories import ProgramFactory, SeasonFactory

PASSWORD = "long-enough-phrase-7"


@pytest.fixture
def program(db):
    return ProgramFactory(
        name="Generated Riverside Internal Medicine",
        website="https://im.med.example.edu/residency",
        accepts_imgs="yes",
        sponsors_j1="yes",
        sponsors_h1b="no",
        visa_source_label="Generated program website",
        visa_source_url="https://im.med.example.edu/residency/visas",
        visa_as_of="2025-01-15",
        visa_verified_on="2025-02-01",
    )


@pytest.fixture
def other_program(db):
    return ProgramFactory(name="Generated Lakeside Surgery", website="https://surgery.example.org/")


@pytest.fixture
def season(db):
    return SeasonFactory(match_year=2027, is_current=True)


@pytest.fixture
def asker(db):
    return create_account(email="coordinator@example.com", password=PASSWORD)


@pytest.fixture
def curator(representatives_curators):
    return create_curator(
        username="generated-curator", email="curator@example.org", password=PASSWORD
    )


def approved(user, program, *, curator, name="Generated Coordinator", email=None):
    """A representative as a curator leaves them: asked, address verified, approved."""
    representative = services.ask_to_represent(
        user=user,
        program=program,
        name=name,
        role="Program coordinator",
        email=email or f"{name.split()[-1].lower()}@example.edu",
    )
    services.verify_email(token=services.verification_token(representative))
    representative.refresh_from_db()
    services.decide_requests(
        representatives=[representative], status=Decision.APPROVED, reason="", curator=curator
    )
    return representative


@pytest.fixture
def representative(asker, program, curator):
    return approved(asker, program, curator=curator)


@pytest.fixture
def representative_client(client, representative):
    client.force_login(representative.user)
    return client


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


@pytest.fixture
def representatives_curators(curators_group, django_db_blocker):
    """The Curators group with this app's permissions too, made again for tests that empty
    the database (``transaction=True``)."""
    with django_db_blocker.unblock():
        run_data_migration("representatives", "0002_curators_review_representatives")
    curators_group.refresh_from_db()
    return curators_group
