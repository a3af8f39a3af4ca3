"""Search and filter indexes for PostgreSQL: pg_trgm for typo-tolerant search, full-text and
trigram GIN indexes, and btree indexes for the list's sort orders and the level filter.

Only SQL, no model state: models.py stays the one description of the schema, and on other
databases (SQLite in development) this migration does nothing.
"""

from django.db import migrations

INDEXES = [
    # Typo-tolerant matching (word_similarity / <% operator) on program and sponsor names.
    "CREATE INDEX IF NOT EXISTS program_name_trgm ON programs_program USING gin (name gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS sponsor_name_trgm ON programs_sponsor USING gin (name gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS program_city_trgm ON programs_program USING gin (city gin_trgm_ops)",
    # Full-text search on the program's own text.
    "CREATE INDEX IF NOT EXISTS program_name_city_fts ON programs_program USING gin "
    "((to_tsvector('english'::regconfig, COALESCE(name, '')) || "
    "to_tsvector('english'::regconfig, COALESCE(city, ''))))",
    # Sort orders of the program list (name is also the default order).
    "CREATE INDEX IF NOT EXISTS program_name_order ON programs_program (name, acgme_id)",
    "CREATE INDEX IF NOT EXISTS program_year1_desc ON programs_program (year1_positions DESC NULLS LAST)",
    "CREATE INDEX IF NOT EXISTS program_verified_desc ON programs_program (last_verified_on DESC NULLS LAST)",
    # The level filter joins on specialty.level.
    "CREATE INDEX IF NOT EXISTS specialty_level ON programs_specialty (level)",
]

INDEX_NAMES = [sql.split(" IF NOT EXISTS ")[1].split()[0] for sql in INDEXES]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for sql in INDEXES:
        schema_editor.execute(sql)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEX_NAMES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("programs", "0002_curators_group")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
