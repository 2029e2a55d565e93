"""Issue 20: a page whose form chooses among rows that grow must not grow with them.

``assert_page_does_not_grow(client, url, grow=...)`` renders the page, lets ``grow()`` add many rows
(300 agencies, employees, accounts...), renders it again and asserts that neither the size of the
page in bytes nor its number of queries changed (beyond a few bytes of numbers that differ).
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

SIZE_TOLERANCE = 64  # bytes: an id or a count with one more digit, never a row per row


def page_measure(client, url: str) -> tuple[int, int]:
    """(bytes, queries) of one GET of ``url``, which must answer 200."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(response.content), len(queries.captured_queries)


def assert_page_does_not_grow(client, url: str, *, grow) -> tuple[int, int]:
    client.get(url)  # caches warmed (the rules' catalog, the session), as on a running server
    size, queries = page_measure(client, url)
    grow()
    grown_size, grown_queries = page_measure(client, url)
    assert grown_queries == queries, f"{url}: {queries} queries with few rows, {grown_queries} with many"
    assert abs(grown_size - size) <= SIZE_TOLERANCE, f"{url}: {size} bytes with few rows, {grown_size} with many"
    return grown_size, grown_queries


def many_agencies(region, count: int = 300, *, prefix: str = "Pemerintah Kabupaten Contoh"):
    """``count`` agencies in ``region``, in one insert."""
    from organizations.models import Agency

    return Agency.objects.bulk_create([Agency(name=f"{prefix} {number:03d}", region=region)
                                       for number in range(count)])


def many_employees(agency, unit, count: int = 300, *, prefix: str = "Pegawai Contoh"):
    """``count`` active contract employees of ``agency`` (no NIP needed), in one insert."""
    from registry import identity
    from registry.models import Employee

    return Employee.objects.bulk_create([
        Employee(kind=Employee.Kind.CONTRACT, nip=None, name=f"{prefix} {number:03d}", position="Pengemudi",
                 agency=agency, unit=unit, active=True, register_number=identity.new_register_number())
        for number in range(count)])


def search_queries(client, url: str, params: dict) -> tuple[object, int]:
    """(response, queries) of one htmx search."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params, headers={"HX-Request": "true"})
    return response, len(queries.captured_queries)


def many_units(agency, count: int = 300, *, prefix: str = "Sekolah Dasar Negeri"):
    """``count`` units of ``agency``, in one insert."""
    from organizations.models import Unit

    return Unit.objects.bulk_create([Unit(agency=agency, name=f"{prefix} {number:03d}") for number in range(count)])
