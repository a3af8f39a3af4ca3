"""Names such as "Washington University/B-JH/SLCH" are searched by their words: the stored
search document reads a slash as a space, where PostgreSQL's parser would otherwise take the
whole name for one file-path token and "university" would never match it."""

from django.db import migrations


def _function(words: str) -> str:
    return f"""
    CREATE OR REPLACE FUNCTION programs_program_search() RETURNS trigger AS $$
    DECLARE
        sponsor_name text;
        specialty_name text;
    BEGIN
        SELECT name INTO sponsor_name FROM programs_sponsor WHERE id = NEW.sponsor_id;
        SELECT name INTO specialty_name FROM programs_specialty WHERE id = NEW.specialty_id;
        NEW.search_document :=
            setweight(to_tsvector('english'::regconfig, {words.format("NEW.name")}), 'A')
            || setweight(to_tsvector('english'::regconfig, {words.format("sponsor_name")}), 'B')
            || setweight(to_tsvector('english'::regconfig, {words.format("specialty_name")}), 'B')
            || setweight(to_tsvector('english'::regconfig, COALESCE(NEW.city, '')), 'C');
        NEW.search_names := COALESCE(NEW.name, '') || ' ' || COALESCE(sponsor_name, '');
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """


SPLIT_AT_SLASHES = "replace(COALESCE({}, ''), '/', ' ')"
AS_STORED = "COALESCE({}, '')"
# Rewriting every program row makes the trigger fill its document again.
REFILL = "UPDATE programs_program SET search_names = search_names"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_function(SPLIT_AT_SLASHES))
        schema_editor.execute(REFILL)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_function(AS_STORED))
        schema_editor.execute(REFILL)


class Migration(migrations.Migration):
    dependencies = [("programs", "0011_h1b_step3_and_filing_dates")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
