"""netral.indexes.CoveringIndex: INCLUDE where the database has it, the plain index elsewhere, no W040."""

import pytest
from django.core.checks import run_checks
from django.core.exceptions import FieldDoesNotExist
from django.db import connection

from followup.models import Recommendation
from netral.indexes import CoveringIndex

NAME = "rec_stage_issued_period"


def index_sql(index, model=Recommendation) -> str:
    return str(index.create_sql(model, connection.schema_editor(collect_sql=True)))


def stored_definition() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [NAME])
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = %s", [NAME])
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_the_index_in_the_database_covers_its_columns_where_the_database_can():
    definition = stored_definition()
    assert '"stage", "issued_on"' in definition or "(stage, issued_on" in definition
    if connection.features.supports_covering_indexes:
        assert "INCLUDE (id, addressee_id, is_open, closed_on, due_on, case_id, days_report_to_registration, " \
               "days_registration_to_recommendation)" in definition
    else:
        assert "INCLUDE" not in definition.upper()


@pytest.mark.django_db
def test_no_model_check_warns_about_covering_indexes():
    assert "models.W040" not in {message.id for message in run_checks(databases=["default"])}


def test_the_generated_statement_matches_the_database():
    index = next(index for index in Recommendation._meta.indexes if index.name == NAME)
    sql = index_sql(index)
    assert ("INCLUDE" in sql) is connection.features.supports_covering_indexes
    assert "is_open" in sql or not connection.features.supports_covering_indexes


def test_a_misspelt_covered_field_is_refused_when_the_index_is_made():
    index = CoveringIndex(fields=["stage"], name="rec_wrong", covering=["no_such_field"])
    with pytest.raises(FieldDoesNotExist):
        index_sql(index)


def test_it_survives_the_migrations_round_trip():
    index = CoveringIndex(fields=["stage", "issued_on"], name="rec_x", covering=["due_on"])
    clone = index.clone()
    assert clone == index and clone.covering == ("due_on",)
    assert index.deconstruct()[2]["covering"] == ("due_on",)
    assert index != CoveringIndex(fields=["stage", "issued_on"], name="rec_x", covering=["closed_on"])


def test_include_is_not_its_argument():
    with pytest.raises(ValueError):
        CoveringIndex(fields=["stage"], name="rec_y", include=["due_on"], covering=["due_on"])
    with pytest.raises(ValueError):
        CoveringIndex(fields=["stage"], name="rec_z")
