"""A trigram index for the register's name search on PostgreSQL (issue 20: 6,000,000 employees).

registry.selectors.employee_public_search looks names up with ``icontains``, which PostgreSQL
writes as ``UPPER("name"::text) LIKE UPPER('%...%')``: a B-tree cannot serve a pattern that starts
with a wildcard, a GIN index of the same expression's trigrams can. pg_trgm ships with
PostgreSQL and is a trusted extension (13+): the database's owner may create it. SQLite has no
such index; the national installation runs on PostgreSQL (docs/deploy.md).
"""

from django.db import migrations

INDEX = "registry_employee_name_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(f'CREATE INDEX IF NOT EXISTS {INDEX} ON registry_employee '
                          'USING gin ((UPPER("name"::text)) gin_trgm_ops)')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [("registry", "0005_employee_email")]

    operations = [migrations.RunPython(create, drop)]
