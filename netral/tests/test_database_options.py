"""PostgreSQL connections run without JIT compilation (netral/settings.py, issue 20)."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_postgresql_connections_do_not_jit_compile():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no JIT")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
