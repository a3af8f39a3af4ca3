"""The registry of fact groups (programs/facts.py): the admin, the program page, the CSV
columns, the factories and the generator all read it, so each group must be complete."""

import pytest
from django.contrib import admin

from programs.choices import FactGroup
from programs.csv_format import COLUMNS
from programs.facts import FACT_GROUPS
from programs.models import Program
from programs.presenters import program_facts
from programs.requirements import STORED_FIELDS
from tests.factories import ProgramFactory

PROGRAM_FIELDS = {f.name for f in Program._meta.get_fields()}
# Fields that belong to no group: bookkeeping, search columns, derived dates and the
# requirements' stored steps.
NOT_FACTS = {
    *STORED_FIELDS,
    "id",
    "created_at",
    "updated_at",
    "last_verified_on",
    "search_document",
    "search_names",
    "is_withdrawn",
}


def test_every_fact_group_has_one_definition_in_reading_order():
    assert [d.group for d in FACT_GROUPS] == list(FactGroup)


@pytest.mark.parametrize("definition", FACT_GROUPS, ids=lambda d: d.group.value)
def test_every_group_names_fields_and_source_fields_the_model_has(definition):
    assert set(definition.fields) <= PROGRAM_FIELDS
    assert set(definition.source_fields) <= PROGRAM_FIELDS


def test_every_stored_fact_belongs_to_exactly_one_group():
    grouped = [name for d in FACT_GROUPS for name in (*d.fields, *d.source_fields)]
    assert len(grouped) == len(set(grouped))
    concrete = {
        f.name
        for f in Program._meta.get_fields()
        if f.concrete and not f.auto_created and f.name not in NOT_FACTS
    }
    assert concrete == set(grouped)


def test_the_admin_lays_out_every_group_with_its_source_and_dates():
    fieldsets = dict(admin.site._registry[Program].fieldsets)
    for definition in FACT_GROUPS:
        lines = fieldsets[definition.title]["fields"]
        laid_out = {n for line in lines for n in (line if isinstance(line, tuple) else (line,))}
        assert laid_out == {*definition.fields, *definition.source_fields}


def test_every_group_is_in_the_csv_with_its_source_and_dates():
    for definition in FACT_GROUPS:
        assert set(definition.source_fields) <= set(COLUMNS)


@pytest.mark.django_db
def test_the_program_page_shows_a_section_per_group_titled_by_it():
    sections = program_facts(ProgramFactory()).sections
    assert [s.title for s in sections] == [d.title for d in FACT_GROUPS]
    assert all(s.facts for s in sections)
