"""Issue 20: the register search ranks the names that begin with the text first, and on PostgreSQL
reads only the page of a common name (migration 0007), never every match."""

import pytest
from django.db import connection

from registry.models import Employee
from registry.selectors import PUBLIC_SEARCH_LIMIT, employee_public_search

pytestmark = pytest.mark.django_db


def names(results):
    return [employee.name for employee in results]


def employees(agency, *names, unit=None, active=True):
    return Employee.objects.bulk_create([Employee(kind=Employee.Kind.PNS, nip=f"{199001012015011000 + i:018d}",
                                                  name=name, agency=agency, unit=unit, active=active)
                                         for i, name in enumerate(names, start=Employee.objects.count())])


def test_names_that_begin_with_the_text_come_first_then_the_others_each_in_name_order(agencies):
    employees(agencies["beltim"], "Agus Dewi Lestari", "Dewi Sartika", "dewi anggraini", "Sri Dewiyanti",
              "DEWI ZAHRA", "Budi Santoso")
    assert names(employee_public_search("Dewi")) == [
        "dewi anggraini", "Dewi Sartika", "DEWI ZAHRA",  # begin with it, whatever their capitals
        "Agus Dewi Lestari", "Sri Dewiyanti",  # contain it elsewhere
    ]
    assert names(employee_public_search("dEWI s")) == ["Dewi Sartika"]


def test_a_common_first_name_fills_the_page_with_names_that_begin_with_it(agencies):
    employees(agencies["beltim"], *[f"Dewi {letter}ulan" for letter in "QPONMLKJIHGFEDCBA"],
              "Ani Dewi", "Citra Dewi")
    results = names(employee_public_search("dewi"))
    assert len(results) == PUBLIC_SEARCH_LIMIT
    assert results == [f"Dewi {letter}ulan" for letter in "ABCDEFGHIJ"]


def test_staff_of_a_unit_named_like_the_text_rank_with_the_names_that_contain_it_elsewhere(agencies):
    dinkes = agencies["dinkes_beltim"]
    employees(agencies["beltim"], "Zaenal Abidin", "Kesehatan Putri", unit=dinkes)
    employees(agencies["beltim"], "Mira Kesehatania", "Kesehatan Budi")
    # "Kesehatan Putri" begins with the text and works in the unit: found once, in the first group.
    assert names(employee_public_search("kesehatan")) == [
        "Kesehatan Budi", "Kesehatan Putri", "Mira Kesehatania", "Zaenal Abidin",
    ]


def test_inactive_employees_are_in_neither_group(agencies):
    employees(agencies["beltim"], "Dewi Aktif", "Ani Dewi")
    employees(agencies["beltim"], "Dewi Pensiun", "Budi Dewi Pensiun", active=False)
    assert names(employee_public_search("Dewi")) == ["Dewi Aktif", "Ani Dewi"]


def test_wildcards_in_the_text_are_letters(agencies):
    employees(agencies["beltim"], "Dewi_Sari", "DewiXSari", "Dewi%Sari Putri", "Dewi Sari Wulan")
    assert names(employee_public_search("dewi_s")) == ["Dewi_Sari"]
    assert names(employee_public_search("i%sar")) == ["Dewi%Sari Putri"]


def test_the_ranked_search_still_takes_two_queries_with_the_units_and_agencies(agencies, django_assert_num_queries):
    employees(agencies["beltim"], "Dewi Satu", "Ani Dewi", unit=agencies["dinkes_beltim"])
    with django_assert_num_queries(2):
        results = [(employee.name, employee.unit.name, employee.agency.name)
                   for employee in employee_public_search("Dewi")]
    assert results == [("Dewi Satu", "Dinas Kesehatan", agencies["beltim"].name),
                       ("Ani Dewi", "Dinas Kesehatan", agencies["beltim"].name)]


# --- PostgreSQL: what the plan does ----------------------------------------------------------------

def _explain(queryset, *, analyze=False, settings=()) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        for setting in settings:
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute(f"EXPLAIN {'(ANALYZE, COSTS OFF, TIMING OFF) ' if analyze else ''}{sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL index")
def test_the_names_that_begin_with_the_text_are_a_range_of_the_order_index_read_in_order(agencies):
    from django.db.models.functions import Collate, Upper

    begins = (Employee.objects.filter(active=True, name__istartswith="Dewi")
              .order_by(Collate(Upper("name"), "C"), "pk")[:PUBLIC_SEARCH_LIMIT])
    # An empty table: forbid the other ways, and ask whether the index serves both the LIKE and the order.
    plan = _explain(begins, settings=("enable_seqscan", "enable_bitmapscan"))
    assert "registry_employee_name_order" in plan, plan
    assert "Index Cond: ((upper((name)::text) >= 'DEWI'::text) AND (upper((name)::text) < 'DEWJ'::text))" in plan
    assert "Sort" not in plan, plan


def _second_group(plan: str) -> str:
    return next(line for line in plan.splitlines() if 'Subquery Scan on "*SELECT* 2"' in line)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL plan")
def test_when_the_first_group_fills_the_page_the_second_is_never_read(agencies):
    employees(agencies["beltim"], *[f"Dewi Putri {number:02d}" for number in range(30)],
              *[f"Ani Dewi {number:02d}" for number in range(30)])
    plan = _explain(employee_public_search("Dewi"), analyze=True)
    assert "never executed" in _second_group(plan), plan
    # When it does not, the second group is read: one name begins with the text, one contains it.
    employees(agencies["beltim"], "Sri Dewi Putri 05")
    assert names(employee_public_search("Dewi Putri 05")) == ["Dewi Putri 05", "Sri Dewi Putri 05"]
    plan = _explain(employee_public_search("Dewi Putri 05"), analyze=True)
    assert "never executed" not in _second_group(plan), plan


def test_a_whole_name_of_several_words_is_found(agencies):
    employees(agencies["beltim"], "Maria Eka Saputra", "Maria Eka Saputra", "Agus Maria Eka Saputra", "Maria Eka")
    assert names(employee_public_search("Maria Eka Saputra")) == [
        "Maria Eka Saputra", "Maria Eka Saputra", "Agus Maria Eka Saputra"]
