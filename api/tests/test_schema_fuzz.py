"""Property-based run of the API against its own OpenAPI schema (schemathesis, in-process WSGI).

Every operation, public and partner (with a token holding every scope, as an administrator),
is called with generated parameters and bodies: no answer may be a server error, and every
answer must be documented and match its schema (status, content type, body).
"""

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis import checks

from netral.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def _connections_stay_open():
    """As Django's test client does: a request must not close the test's database connection."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def admin_token(admin_national, agencies, offices, rules, settings, _connections_stay_open):
    from api.tokens import token_create

    settings.NETRAL_API_RATE = "100000/m"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    return token_create(actor=admin_national, user=admin_national, name="fuzz",
                        scopes=["cases:read", "recommendations:read", "recommendations:write", "register:read",
                                "register:write", "exchange:read", "reports:submit"], days=1)[1]


@pytest.mark.django_db
@schema.parametrize()
@hypothesis_settings(max_examples=15, deadline=None, derandomize=True,
                     suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                            HealthCheck.filter_too_much])
def test_every_answer_is_documented_and_no_server_error(case, admin_token):
    # Business rules may refuse a payload the schema allows (a refusal needs reasons): that is a
    # documented 400, so "schema-valid data must be accepted" is not asked; everything else is.
    case.call_and_validate(headers={"Authorization": f"Bearer {admin_token}"}, checks=[
        checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
        checks.response_schema_conformance, checks.response_headers_conformance,
    ])
