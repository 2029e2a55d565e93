"""A client generated from the OpenAPI document calls the running API (``make api-client-check``).

openapi-spec-validator and openapi-python-client live in a virtualenv of their own
(requirements/openapi.txt); ``make api-client-check`` makes it and names it in
NETRAL_OPENAPI_VENV. Without that variable (the main suite) this test is skipped: there,
test_openapi_document.py checks the two faults that made the generator fail.

Against a live server: the document it serves is validated, a client is generated from it into
a temporary folder (never committed), and ops/api_client_calls.py, run with that virtualenv's
Python, calls every public endpoint and a partner list, detail, action and submission with
tokens made here.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from api.tokens import token_create
from followup.tests.conftest import _after_the_pilkada, camat, election, forwarded, recommended  # noqa: F401
from reports.tests.conftest import jpeg_bytes

VENV = os.environ.get("NETRAL_OPENAPI_VENV", "")
SCRIPT = Path(__file__).resolve().parents[2] / "ops" / "api_client_calls.py"

pytestmark = [
    pytest.mark.skipif(
        not VENV, reason="make api-client-check runs it (NETRAL_OPENAPI_VENV: the openapi venv)"
    ),
    pytest.mark.django_db(transaction=True),
]


def run(*command: str, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, **kwargs)
    assert done.returncode == 0, f"{' '.join(command[:3])} ...\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def test_a_generated_client_calls_every_public_endpoint_and_each_kind_of_partner_endpoint(
    live_server, tmp_path, recommended, places, staff_beltim, ppk_beltim, pemda_beltim, admin_national
):
    venv = Path(VENV).resolve()
    python = venv / "bin" / "python"
    assert python.exists(), f"{venv} is not a virtualenv: run make api-client-check"

    document = requests.get(f"{live_server.url}/api/v1/openapi.json", timeout=30)
    assert document.status_code == 200
    schema = tmp_path / "openapi.json"
    schema.write_text(document.text)
    run(str(venv / "bin" / "openapi-spec-validator"), str(schema))

    config = tmp_path / "generator.yaml"
    config.write_text("post_hooks: []\n")  # no ruff run over the generated code
    client = tmp_path / "client" / "netral_api_client"
    run(
        str(venv / "bin" / "openapi-python-client"),
        "generate",
        "--path",
        str(schema),
        "--meta",
        "none",
        "--config",
        str(config),
        "--output-path",
        str(client),
        "--fail-on-warning",
    )

    scopes = {
        "cases": (staff_beltim, ["cases:read"]),
        "recommendations": (ppk_beltim, ["recommendations:read", "recommendations:write"]),
        "reports": (pemda_beltim, ["reports:submit"]),
    }
    context = {
        kind: token_create(
            actor=admin_national, user=user, name=f"generated client {kind}", scopes=granted, days=30
        )[1]
        for kind, (user, granted) in scopes.items()
    }
    evidence = tmp_path / "foto.jpg"
    evidence.write_bytes(jpeg_bytes())
    context.update(region=places["manggar"].code, evidence=str(evidence))

    done = run(
        str(python),
        str(SCRIPT),
        live_server.url,
        json.dumps(context),
        env={**os.environ, "PYTHONPATH": str(client.parent)},
    )
    sys.stdout.write(done.stdout)
    calls = [line for line in done.stdout.splitlines() if line.startswith(("GET ", "POST "))]
    assert len(calls) == 15, done.stdout

    recommended.refresh_from_db()
    assert recommended.status == "acknowledged"
    from api.models import PartnerReport

    assert PartnerReport.objects.filter(token__user=pemda_beltim).count() == 1
