"""Issue 19's data migration, run for real: the duties written as JSON text become Duty records.

Migrating back to 0001 writes every duty's text into the JSON lists again (the reverse
step); migrating forward makes records of them, owner party and text as written, in order.
It runs on SQLite and on PostgreSQL, whichever the suite runs on.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([target for target in targets if target[1] is not None]).apps


def newest():
    """The agreements app's newest migration (only it: another app's newer files are not this test's concern)."""
    return [node for node in MigrationExecutor(connection).loader.graph.leaf_nodes() if node[0] == "agreements"]


@pytest.fixture
def back_to_the_newest():
    yield
    migrate(newest())


def test_the_duties_written_as_text_become_records_and_back(mou, seed_data, back_to_the_newest):
    old = migrate([("agreements", "0001_initial")])
    Item = old.get_model("agreements", "WorkPlanItem")
    first = Item.objects.get(agreement_id=mou.pk, number="1.a")
    assert first.duties_first == seed_data["work_plan"][0]["duties_first"]  # the reverse step kept the text
    assert first.duties_second == seed_data["work_plan"][0]["duties_second"]
    Item.objects.filter(agreement_id=mou.pk, number="3").update(
        duties_first=["Melakukan pertukaran data kepada PIHAK KEDUA."], duties_second=[])

    migrate(newest())
    from agreements.models import Duty

    duties = Duty.objects.filter(item__agreement=mou).select_related("party", "item")
    texts = [(duty.item.number, duty.party.position, duty.order, duty.text) for duty in duties]
    expected = []
    for spec in seed_data["work_plan"]:
        first_duties, second_duties = spec["duties_first"], spec["duties_second"]
        if spec["number"] == "3":
            first_duties, second_duties = ["Melakukan pertukaran data kepada PIHAK KEDUA."], []
        expected += [(str(spec["number"]), 1, n, text) for n, text in enumerate(first_duties, start=1)]
        expected += [(str(spec["number"]), 2, n, text) for n, text in enumerate(second_duties, start=1)]
    assert texts == expected
    assert {duty.status for duty in duties} == {"not_started"}
    assert all(duty.party.agreement_id == mou.pk for duty in duties)
