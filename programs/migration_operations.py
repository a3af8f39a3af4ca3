"""Migration operations of the project's own."""

from django.db import migrations
from django.db.migrations.operations.base import Operation


class AddGeneratedFields(Operation):
    """``AddField`` for stored generated fields of one model, whose columns PostgreSQL adds
    in one ``ALTER TABLE``: each added alone rewrites the whole table and rebuilds every
    index of it, once per column. Other databases add them one by one."""

    reversible = True

    def __init__(self, model_name: str, fields: list[tuple[str, object]]):
        self.model_name = model_name
        self.fields = fields
        self.operations = [migrations.AddField(model_name, name, field) for name, field in fields]
        for name, field in fields:
            if not getattr(field, "generated", False):
                raise ValueError(f"{name} is not a generated field")

    def deconstruct(self):
        return (
            self.__class__.__qualname__,
            [],
            {"model_name": self.model_name, "fields": self.fields},
        )

    def state_forwards(self, app_label, state):
        for operation in self.operations:
            operation.state_forwards(app_label, state)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        model = to_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        if schema_editor.connection.vendor != "postgresql":
            self._one_by_one(app_label, schema_editor, from_state, forwards=True)
            return
        before = from_state.apps.get_model(app_label, self.model_name)
        columns, params = [], []
        for name, _field in self.fields:
            field = model._meta.get_field(name)
            definition, own = schema_editor.column_sql(before, field, include_default=True)
            columns.append(f"ADD COLUMN {schema_editor.quote_name(field.column)} {definition}")
            params += own
        table = schema_editor.quote_name(model._meta.db_table)
        schema_editor.execute(f"ALTER TABLE {table} {', '.join(columns)}", params)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._one_by_one(app_label, schema_editor, to_state, forwards=False)

    def _one_by_one(self, app_label, schema_editor, state, *, forwards):
        """Each ``AddField`` in turn, between the states before and after it (SQLite remakes
        the table from the state it is given)."""
        steps = []
        for operation in self.operations:
            before = state.clone()
            operation.state_forwards(app_label, state)
            steps.append((operation, before, state.clone()))
        if forwards:
            for operation, before, after in steps:
                operation.database_forwards(app_label, schema_editor, before, after)
        else:
            for operation, before, after in reversed(steps):
                operation.database_backwards(app_label, schema_editor, after, before)

    def describe(self):
        return f"Add {len(self.fields)} generated fields to {self.model_name}"

    @property
    def migration_name_fragment(self):
        return f"{self.model_name.lower()}_generated_fields"
