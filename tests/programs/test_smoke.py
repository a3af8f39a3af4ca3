import pytest

from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def test_program_page_answers_for_a_real_acgme_id_shape(client):
    program = ProgramFactory()
    assert client.get(program.get_absolute_url()).status_code == 200
