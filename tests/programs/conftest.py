import pytest

from programs.services import create_curator
from tests.factories import SpecialtyFactory


@pytest.fixture
def curator(db):
    return create_curator(
        username="generated-curator", email="curator@example.org", password="long-enough-phrase-7"
    )


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


@pytest.fixture
def specialty(db):
    """The specialty that generated CSV rows (``tests.factories.row``) belong to."""
    return SpecialtyFactory(code="640")
