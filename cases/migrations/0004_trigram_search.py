"""Trigram indexes for the staff search on PostgreSQL (the production database).

Django's icontains is ``UPPER(col::text) LIKE UPPER(%s)``; a GIN trigram index on that
expression lets PostgreSQL answer it without reading every case. SQLite (the embedded
default, for small installations) has no such index and keeps scanning.
"""

from django.db import migrations

INDEXES = [
    ("cases_case_number_trgm", "cases_case", "number"),
    ("cases_caseperson_name_trgm", "cases_caseperson", "name"),
    ("reports_reportedperson_name_trgm", "reports_reportedperson", "name"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ((UPPER("{column}"::text)) gin_trgm_ops)')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_case_is_open"),
        ("reports", "0003_clockpause"),
    ]

    operations = [migrations.RunPython(create, drop)]
