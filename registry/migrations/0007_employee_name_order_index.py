"""A B-tree in the order of the register search's results, on PostgreSQL (issue 20: a common name).

registry.selectors.employee_public_search ranks first the names that begin with the text, then the
others, each group in the order of ``UPPER(name) COLLATE "C"`` and id. This index holds the active
employees in exactly that order, so that PostgreSQL:

- finds the names that begin with the text as a range of it (``UPPER(name) LIKE 'DEWI%'`` becomes
  ``>= 'DEWI' AND < 'DEWJ'``: a B-tree in the "C" collation serves a LIKE prefix, whatever the
  database's own collation) and stops after the page (a LIMIT in index order, no sort);
- may walk it in order for a word met often elsewhere in the names ("Saputra"), stopping as soon as
  the page is full, rather than fetch and sort every match of the trigram index (migration 0006).

Before it, a common first name ("Dewi", one employee in 22) fetched every match to sort them: 119 ms
at 603,300 employees against 24 ms at 63,300 (docs/performance.md). SQLite has no such expression
index with a collation; the national installation runs on PostgreSQL (docs/deploy.md).
"""

from django.db import migrations

INDEX = "registry_employee_name_order"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f'CREATE INDEX IF NOT EXISTS {INDEX} ON registry_employee '
                          '((UPPER("name"::text)) COLLATE "C", id) WHERE active')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [("registry", "0006_employee_name_trigram_index")]

    operations = [migrations.RunPython(create, drop)]
