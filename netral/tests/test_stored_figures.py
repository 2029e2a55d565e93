"""netral.stored_figures.store_changed: only what changed is written, and a large rewrite is analyzed."""

import pytest
from django.db import connection

from followup.models import PublicFigure
from netral import stored_figures
from netral.stored_figures import store_changed

pytestmark = pytest.mark.django_db

KEYS, FIELDS = ("election_id", "area", "measure", "detail"), ("province", "count")


def wanted(count: int, value: int) -> dict:
    return {("pilkada-2024", f"19.{n:02d}", "reports", ""): ("19", value) for n in range(count)}


@pytest.fixture
def analyze_calls(monkeypatch):
    calls = []
    original = stored_figures._analyze
    monkeypatch.setattr(stored_figures, "_analyze", lambda model: (calls.append(model), original(model)))
    return calls


def store(rows):
    return store_changed(PublicFigure, keys=KEYS, fields=FIELDS, wanted=rows)


def test_only_the_changed_rows_are_written_and_small_changes_are_not_analyzed(rules, analyze_calls):
    assert store(wanted(30, 1)) == 30
    assert store(wanted(30, 1)) == 0
    changed = {**wanted(30, 1), ("pilkada-2024", "19.00", "reports", ""): ("19", 2)}
    del changed[("pilkada-2024", "19.29", "reports", "")]
    assert store(changed) == 2  # one replaced, one gone
    assert dict(PublicFigure.objects.filter(area="19.00").values_list("measure", "count")) == {"reports": 2}
    assert analyze_calls == []


def test_a_large_rewrite_refreshes_the_planner_s_statistics(rules, analyze_calls):
    store(wanted(stored_figures.ANALYZE_AFTER_ROWS, 1))
    assert analyze_calls == [PublicFigure]
    if connection.vendor == "postgresql":  # ANALYZE sets the row estimate at once, in the transaction
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [PublicFigure._meta.db_table])
            assert cursor.fetchone()[0] == stored_figures.ANALYZE_AFTER_ROWS
