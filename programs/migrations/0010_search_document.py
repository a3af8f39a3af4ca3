"""The program's stored search document on PostgreSQL, kept by triggers.

A program's text search reads ``search_document`` (weighted: its name A, sponsor and
specialty B, city C) and typo-tolerant matching reads ``search_names`` (its name and its
sponsor's), each with a GIN index. A trigger fills both whenever a program is inserted or
updated; renaming a sponsor or a specialty refreshes its programs. The expression indexes of
migration 0003 that no search used are dropped.

On other databases the columns stay empty and search reads the names themselves.
"""

import django.contrib.postgres.search
from django.db import migrations, models

def _refill_on_rename(table: str) -> list[str]:
    """The function and trigger that rewrite a renamed ``programs_<table>``'s programs."""
    return [
        f"""
        CREATE OR REPLACE FUNCTION programs_{table}_search() RETURNS trigger AS $$
        BEGIN
            UPDATE programs_program SET {table}_id = {table}_id WHERE {table}_id = NEW.id;
            RETURN NULL;
        END
        $$ LANGUAGE plpgsql
        """,
        f"""
        CREATE TRIGGER programs_{table}_search
        AFTER UPDATE OF name ON programs_{table}
        FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
        EXECUTE FUNCTION programs_{table}_search()
        """,
    ]


CREATE = [
    """
    CREATE OR REPLACE FUNCTION programs_program_search() RETURNS trigger AS $$
    DECLARE
        sponsor_name text;
        specialty_name text;
    BEGIN
        SELECT name INTO sponsor_name FROM programs_sponsor WHERE id = NEW.sponsor_id;
        SELECT name INTO specialty_name FROM programs_specialty WHERE id = NEW.specialty_id;
        NEW.search_document :=
            setweight(to_tsvector('english'::regconfig, COALESCE(NEW.name, '')), 'A')
            || setweight(to_tsvector('english'::regconfig, COALESCE(sponsor_name, '')), 'B')
            || setweight(to_tsvector('english'::regconfig, COALESCE(specialty_name, '')), 'B')
            || setweight(to_tsvector('english'::regconfig, COALESCE(NEW.city, '')), 'C');
        NEW.search_names := COALESCE(NEW.name, '') || ' ' || COALESCE(sponsor_name, '');
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER programs_program_search
    BEFORE INSERT OR UPDATE ON programs_program
    FOR EACH ROW EXECUTE FUNCTION programs_program_search()
    """,
    # A renamed sponsor or specialty: its programs' rows are rewritten, which refills them.
    *(sql for table in ("sponsor", "specialty") for sql in _refill_on_rename(table)),
    # The programs already there.
    "UPDATE programs_program SET search_names = ''",
    "CREATE INDEX program_search_document ON programs_program USING gin (search_document)",
    "CREATE INDEX program_search_names_trgm ON programs_program "
    "USING gin (search_names gin_trgm_ops)",
    "DROP INDEX IF EXISTS program_name_city_fts",
    "DROP INDEX IF EXISTS program_city_trgm",
]

DROP = [
    "DROP TRIGGER IF EXISTS programs_specialty_search ON programs_specialty",
    "DROP FUNCTION IF EXISTS programs_specialty_search()",
    "DROP TRIGGER IF EXISTS programs_sponsor_search ON programs_sponsor",
    "DROP FUNCTION IF EXISTS programs_sponsor_search()",
    "DROP TRIGGER IF EXISTS programs_program_search ON programs_program",
    "DROP FUNCTION IF EXISTS programs_program_search()",
    "DROP INDEX IF EXISTS program_search_document",
    "DROP INDEX IF EXISTS program_search_names_trgm",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in CREATE:
            schema_editor.execute(sql)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("programs", "0009_fees")]

    operations = [
        migrations.AddField(
            model_name="program",
            name="search_document",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="program",
            name="search_names",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(create, drop, elidable=False),
    ]
