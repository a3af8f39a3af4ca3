import warnings

import pytest
from django.core.cache import CacheKeyWarning

from tests.factories import ProgramFactory, SpecialtyFactory

pytestmark = pytest.mark.django_db


def test_sitemap_lists_open_programs_specialties_and_states(client):
    open_program = ProgramFactory(state="TX")
    withdrawn = ProgramFactory(accreditation_status="withdrawn", state="OH")
    specialty = SpecialtyFactory()
    index = client.get("/sitemap.xml").content.decode()
    sections = ["pages", "programs", "specialties", "states"]
    assert all(f"http://testserver/sitemap-{name}.xml" in index for name in sections)
    programs = client.get("/sitemap-programs.xml").content.decode()
    assert open_program.get_absolute_url() in programs
    assert withdrawn.get_absolute_url() not in programs
    assert specialty.get_absolute_url() in client.get("/sitemap-specialties.xml").content.decode()
    states = client.get("/sitemap-states.xml").content.decode()
    assert "/states/TX/" in states and "/states/OH/" not in states


def test_a_sitemap_section_is_rendered_once_until_the_directory_changes(
    client, django_assert_num_queries
):
    first = ProgramFactory()
    client.get("/sitemap-programs.xml")
    with django_assert_num_queries(0):
        client.get("/sitemap-programs.xml")
    second = ProgramFactory()
    programs = client.get("/sitemap-programs.xml").content.decode()
    assert first.get_absolute_url() in programs and second.get_absolute_url() in programs


def test_unknown_sections_and_pages_are_not_found(client):
    assert client.get("/sitemap-nothing.xml").status_code == 404
    assert client.get("/sitemap-programs.xml", {"p": "99"}).status_code == 404
    assert client.get("/sitemap-programs.xml", {"p": "x\\x00"}).status_code == 404


def test_a_page_that_is_not_a_number_is_not_found_and_not_remembered(client):
    ProgramFactory()
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        assert client.get("/sitemap-programs.xml", {"p": "' OR 1=1"}).status_code == 404
        assert client.get("/sitemap-programs.xml", {"p": "١"}).status_code == 404
