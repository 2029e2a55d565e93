"""The register's name search can use the trigram index on PostgreSQL (migration 0006), not only a scan."""

import pytest
from django.db import connection

from registry.models import Employee
from registry.selectors import employee_public_search

pytestmark = pytest.mark.django_db


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # an empty table: ask whether the index can serve
        cursor.execute("SET LOCAL enable_indexscan = off")  # (not the name's B-tree walked in order)
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL index")
def test_the_name_condition_of_the_search_is_served_by_the_trigram_index():
    # The condition exactly as the ORM writes it for icontains: UPPER("name"::text) LIKE UPPER(...).
    assert "registry_employee_name_trgm" in _plan(Employee.objects.filter(name__icontains="Gunawan Kurnia")
                                                  .values("pk"))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL plan")
def test_the_search_has_no_sub_select_that_would_turn_its_conditions_into_a_filter():
    plan = _plan(employee_public_search("Gunawan Kurnia"))
    assert "SubPlan" not in plan, plan
