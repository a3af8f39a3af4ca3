"""Migration 0018's generated columns: on PostgreSQL one ALTER TABLE adds them all (each
added alone rewrites the table and its indexes), defined as AddField one by one would.
Elsewhere they are added one by one, as every migration of the SQLite test database shows."""

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from programs.migration_operations import AddGeneratedFields

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="one statement on PostgreSQL"),
]

STEPS = ("programs", "0018_requirements_stored_as_steps")


def collected(operations) -> list[str]:
    """The SQL ``operations`` run, in turn, from the state before migration 0018."""
    loader = MigrationLoader(connection)
    state = loader.project_state(("programs", "0017_signal_allowances"), at_end=True)
    with connection.schema_editor(collect_sql=True, atomic=False) as editor:
        for operation in operations:
            before = state.clone()
            operation.state_forwards("programs", state)
            operation.database_forwards("programs", editor, before, state)
    return editor.collected_sql


def test_the_generated_columns_are_added_as_adding_each_alone_would_add_them():
    loader = MigrationLoader(connection)
    [operation] = loader.get_migration(*STEPS).operations
    assert isinstance(operation, AddGeneratedFields)
    together = collected([operation])
    alone = collected(operation.operations)
    [statement] = together
    assert statement.count("ADD COLUMN") == len(operation.fields) == len(alone) == 23
    for one in alone:
        column = one.removeprefix('ALTER TABLE "programs_program" ').removesuffix(";")
        assert column in statement


def test_only_generated_fields_are_added_this_way():
    from django.db import models

    with pytest.raises(ValueError, match="not a generated field"):
        AddGeneratedFields("program", [("plain", models.IntegerField(null=True))])
