import pytest

from tests.factories import ProgramFactory, SpecialtyFactory

pytestmark = pytest.mark.django_db


def test_sitemap_lists_open_programs_specialties_and_states(client):
    open_program = ProgramFactory(state="TX")
    withdrawn = ProgramFactory(accreditation_status="withdrawn", state="OH")
    specialty = SpecialtyFactory()
    sitemap = client.get("/sitemap.xml").content.decode()
    assert open_program.get_absolute_url() in sitemap
    assert withdrawn.get_absolute_url() not in sitemap
    assert specialty.get_absolute_url() in sitemap
    assert "/states/TX/" in sitemap
    assert "/states/OH/" not in sitemap
