"""Calls Netral's API through a client generated from its OpenAPI document (``make api-client-check``).

Run by api/tests/test_generated_client.py with the Python of the openapi virtualenv
(requirements/openapi.txt), the client that openapi-python-client generated from the running
server's /api/v1/openapi.json on its path as ``netral_api_client``, and:

    python ops/api_client_calls.py BASE_URL TOKENS_JSON

TOKENS_JSON maps "cases", "recommendations" and "reports" to partner tokens made by the test,
"region" to the code of a region in the reports token's jurisdiction and "evidence" to the path
of a JPEG file to hand in with the report.
It calls every public endpoint and one partner endpoint of each kind (list, detail, action,
submission), and checks that the answers, problem details included, come back as the
generated models: a document the generator misreads fails here. It imports nothing of Netral.
"""

from __future__ import annotations

import datetime
import io
import json
import sys
import uuid
from pathlib import Path

from netral_api_client import AuthenticatedClient, Client
from netral_api_client.api.default import api_v1_assessment, api_v1_deadlines
from netral_api_client.api.partner import (
    api_partner_acknowledge,
    api_partner_case,
    api_partner_cases,
    api_partner_recommendations,
    api_submissions_report_hand_in,
    api_submissions_report_status,
)
from netral_api_client.api.reference import (
    api_public_agencies,
    api_public_regions,
    api_public_statistics,
    api_public_units,
    api_public_violations,
)
from netral_api_client.models import (
    AgencyOut,
    ApiSubmissionsReportHandInMultiPartBodyParams,
    AssessmentOut,
    CaseOut,
    CasePage,
    DeadlineOut,
    FigureOut,
    Problem,
    ReceiptOut,
    RecommendationOut,
    RecommendationPage,
    RegionOut,
    ReportStatusOut,
    UnitOut,
    ViolationOut,
)
from netral_api_client.types import File

CALLS: list[str] = []


def expect(name: str, response, status: int, model):
    """The answer has the status and was parsed into the generated model (a list of them for a list)."""
    parsed = response.parsed
    assert response.status_code == status, f"{name}: {response.status_code} {response.content[:300]!r}"
    items = parsed if isinstance(parsed, list) else [parsed]
    assert all(isinstance(item, model) for item in items), f"{name}: parsed as {type(parsed).__name__}"
    CALLS.append(f"{name}: {status} {model.__name__}{'[]' if isinstance(parsed, list) else ''}")
    return parsed


def public_calls(base_url: str) -> None:
    client = Client(base_url=base_url, headers={"Accept-Language": "en"}, raise_on_unexpected_status=True)
    answer = expect(
        "GET /deadlines",
        api_v1_deadlines.sync_detailed(
            client=client, regime="pilkada", step="report", start=datetime.date(2024, 11, 22)
        ),
        200,
        DeadlineOut,
    )
    assert isinstance(answer.due, datetime.date) and answer.due > answer.start
    problem = expect(
        "GET /deadlines (unknown regime)",
        api_v1_deadlines.sync_detailed(
            client=client, regime="no-such-regime", step="report", start=datetime.date(2024, 11, 22)
        ),
        400,
        Problem,
    )
    assert problem.status == 400 and [error.field for error in problem.errors] == ["regime"]
    expect(
        "GET /assessment",
        api_v1_assessment.sync_detailed(
            client=client,
            act="banner-support",
            subject="pns",
            date=datetime.date(2024, 11, 11),
            regime="pilkada",
        ),
        200,
        AssessmentOut,
    )
    provinces = expect("GET /regions", api_public_regions.sync_detailed(client=client), 200, RegionOut)
    assert provinces, "no region"
    agencies = expect("GET /agencies", api_public_agencies.sync_detailed(client=client), 200, AgencyOut)
    assert agencies, "no agency"
    expect(
        "GET /agencies/{id}/units",
        api_public_units.sync_detailed(agencies[0].id, client=client),
        200,
        UnitOut,
    )
    violations = expect(
        "GET /violations", api_public_violations.sync_detailed(client=client), 200, ViolationOut
    )
    assert any(violation.id == "banner-support" for violation in violations)
    expect("GET /statistics", api_public_statistics.sync_detailed(client=client), 200, FigureOut)


def partner_calls(base_url: str, tokens: dict[str, str]) -> None:
    def partner(scope: str) -> AuthenticatedClient:
        return AuthenticatedClient(base_url=base_url, token=tokens[scope], raise_on_unexpected_status=True)

    # list and detail
    page = expect("GET /cases", api_partner_cases.sync_detailed(client=partner("cases")), 200, CasePage)
    assert page.count >= 1 and page.results, "the token's office has no case"
    expect(
        "GET /cases/{id}",
        api_partner_case.sync_detailed(page.results[0].id, client=partner("cases")),
        200,
        CaseOut,
    )
    missing = expect(
        "GET /cases/{id} (not found)",
        api_partner_case.sync_detailed(2_000_000_000, client=partner("cases")),
        404,
        Problem,
    )
    assert missing.status == 404
    # action
    recommendations = expect(
        "GET /recommendations",
        api_partner_recommendations.sync_detailed(client=partner("recommendations")),
        200,
        RecommendationPage,
    )
    assert recommendations.results, "the PPK has no recommendation"
    acknowledged = expect(
        "POST /recommendations/{id}/acknowledge",
        api_partner_acknowledge.sync_detailed(
            recommendations.results[0].id, client=partner("recommendations")
        ),
        200,
        RecommendationOut,
    )
    assert acknowledged.status == "acknowledged", acknowledged.status
    # submission, then its status
    body = ApiSubmissionsReportHandInMultiPartBodyParams(
        election="pilkada-2024",
        region=tokens["region"],
        place="Kantor Dinas Kesehatan Manggar",
        known_on=datetime.date(2024, 11, 11),
        occurred_on=datetime.date(2024, 11, 10),
        description="Kepala dinas mengajak pegawai memilih calon bupati dalam apel pagi.",
        reported_persons=json.dumps([{"name": "Budi Santoso", "position": "Kepala Dinas", "unit": "Dinkes"}]),
        reporter_name="Siti Aminah",
        reporter_address="Jl. Merdeka 1, Manggar",
        reporter_nik="1906014107850001",
        evidence=[
            File(
                payload=io.BytesIO(Path(tokens["evidence"]).read_bytes()),
                file_name="foto.jpg",
                mime_type="image/jpeg",
            )
        ],
    )
    receipt = expect(
        "POST /reports",
        api_submissions_report_hand_in.sync_detailed(
            client=partner("reports"), body=body, idempotency_key=str(uuid.uuid4())
        ),
        201,
        ReceiptOut,
    )
    assert receipt.created and receipt.tracking_code
    status = expect(
        "GET /reports/{id}",
        api_submissions_report_status.sync_detailed(receipt.id, client=partner("reports")),
        200,
        ReportStatusOut,
    )
    assert status.number == receipt.number and status.timeline


def main(argv: list[str]) -> int:
    base_url, tokens = argv[1], json.loads(argv[2])
    public_calls(base_url)
    partner_calls(base_url, tokens)
    print("\n".join(CALLS))
    print(f"api client check: {len(CALLS)} calls answered as the document says")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
