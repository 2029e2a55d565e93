"""The partner API: tokens (hashed, shown once, expiring, revocable, scoped), jurisdiction, audit, problems."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from api.models import PartnerToken
from api.tokens import hash_key, token_create, token_revoke
from audit.models import AuditEntry
from followup.models import Decision
from followup.tests.conftest import _after_the_pilkada, camat, election, forwarded, recommended  # noqa: F401
from letters.render import render_letter
from letters.tests.samples import followup_reminder

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"api:{name}", args=args)


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def ppk_token(ppk_beltim, admin_national):
    return token_create(actor=admin_national, user=ppk_beltim, name="SIMPEG Beltim",
                        scopes=["recommendations:read", "recommendations:write"], days=30)[1]


def test_the_secret_is_shown_once_and_stored_only_as_its_hash(ppk_beltim, admin_national):
    token, raw = token_create(actor=admin_national, user=ppk_beltim, name="SIMPEG", scopes=["recommendations:read"],
                              days=30)
    assert raw.startswith("ntr_") and raw not in str(PartnerToken.objects.values().get())
    assert token.key_hash == hash_key(raw) and token.prefix in raw
    assert AuditEntry.objects.filter(action="api.token_created").count() == 1


def test_a_token_never_reaches_further_than_its_account(ppk_beltim, admin_national, staff_beltim):
    with pytest.raises(ValidationError):  # a PPK cannot read cases
        token_create(actor=admin_national, user=ppk_beltim, name="x", scopes=["cases:read"], days=30)
    with pytest.raises(PermissionDenied):  # only the account itself or an administrator
        token_create(actor=staff_beltim, user=ppk_beltim, name="x", scopes=["recommendations:read"], days=30)
    with pytest.raises(ValidationError):
        token_create(actor=admin_national, user=ppk_beltim, name="x", scopes=["recommendations:read"], days=400)


def test_no_or_a_bad_token_is_a_401_problem(client, recommended):
    response = client.get(url("partner_recommendations"))
    assert response.status_code == 401 and response["Content-Type"].startswith("application/problem+json")
    response = client.get(url("partner_recommendations"), **bearer("ntr_deadbeef_nope"))
    assert response.status_code == 401 and response.json()["status"] == 401
    assert AuditEntry.objects.filter(action="api.refused").exists()


def test_the_ppk_reads_acknowledges_and_decides_through_the_api_as_on_the_web(client, recommended, ppk_token):
    listed = client.get(url("partner_recommendations"), **bearer(ppk_token))
    assert listed.status_code == 200 and [r["id"] for r in listed.json()["results"]] == [recommended.pk]
    acknowledged = client.post(url("partner_acknowledge", recommended.pk), **bearer(ppk_token))
    assert acknowledged.status_code == 200 and acknowledged.json()["status"] == "acknowledged"
    pdf = render_letter("followup-reminder", followup_reminder())
    from django.core.files.uploadedfile import SimpleUploadedFile

    decided = client.post(url("partner_decision", recommended.pk), {
        "outcome": "imposed", "sanction": "moral-statement-open", "letter_number": "800/77/BKPSDM/2024",
        "letter_date": "2024-12-02", "file": SimpleUploadedFile("sk.pdf", pdf, content_type="application/pdf"),
    }, **bearer(ppk_token))
    assert decided.status_code == 200, decided.content
    body = decided.json()
    assert body["status"] == "sanctioned" and body["decision"]["sanction"] == "moral-statement-open"
    assert AuditEntry.objects.filter(action="followup.decided").count() == 1
    assert AuditEntry.objects.filter(action="api.called").count() == 3
    from registry.models import ExchangeLog

    logged = list(ExchangeLog.objects.filter(channel="api").order_by("pk").values_list("direction", "dataset", "partner"))
    assert logged == [("export", "recommendations", "SIMPEG Beltim"), ("import", "recommendations", "SIMPEG Beltim")]


def test_a_bad_payload_is_a_400_problem_naming_the_field_and_changes_nothing(client, recommended, ppk_token):
    response = client.post(url("partner_decision", recommended.pk), {
        "outcome": "imposed", "sanction": "pns-demotion-12-months", "letter_number": "", "letter_date": "2024-12-02",
    }, HTTP_ACCEPT_LANGUAGE="en", **bearer(ppk_token))
    assert response.status_code == 400
    problem = response.json()
    assert {e["field"] for e in problem["errors"]} >= {"sanction", "letter_number", "upload"}
    assert response["Content-Language"] == "en"
    assert not Decision.objects.exists()
    recommended.refresh_from_db()
    assert recommended.status == "issued"


def test_a_token_without_the_scope_is_refused(client, recommended, ppk_beltim, admin_national):
    raw = token_create(actor=admin_national, user=ppk_beltim, name="read only", scopes=["recommendations:read"],
                       days=30)[1]
    response = client.post(url("partner_acknowledge", recommended.pk), **bearer(raw))
    assert response.status_code == 403 and "recommendations:write" in response.json()["detail"]


def test_another_regency_sees_nothing_and_touches_nothing(client, recommended, places, admin_national):
    from conftest import _user
    from organizations.models import Agency

    bangka = Agency.objects.get(name="Pemerintah Kabupaten Bangka")
    ppk_bangka = _user("ppk.bangka", "ppk", agency=bangka)
    raw = token_create(actor=admin_national, user=ppk_bangka, name="SIMPEG Bangka",
                       scopes=["recommendations:read", "recommendations:write"], days=30)[1]
    assert client.get(url("partner_recommendations"), **bearer(raw)).json()["count"] == 0
    assert client.get(url("partner_recommendation", recommended.pk), **bearer(raw)).status_code == 404
    assert client.post(url("partner_acknowledge", recommended.pk), **bearer(raw)).status_code == 404
    recommended.refresh_from_db()
    assert recommended.status == "issued"


def test_bawaslu_cases_are_scoped_to_the_office(client, forwarded, staff_beltim, staff_bangka, admin_national):
    own = token_create(actor=admin_national, user=staff_beltim, name="beltim", scopes=["cases:read"], days=30)[1]
    other = token_create(actor=admin_national, user=staff_bangka, name="bangka", scopes=["cases:read"], days=30)[1]
    assert [c["number"] for c in client.get(url("partner_cases"), **bearer(own)).json()["results"]] == [
        forwarded.case.number]
    assert client.get(url("partner_cases"), **bearer(other)).json()["count"] == 0
    assert client.get(url("partner_case", forwarded.case_id), **bearer(other)).status_code == 404


def test_expired_and_revoked_tokens_stop_working(client, recommended, ppk_beltim, admin_national, time_machine):
    token, raw = token_create(actor=admin_national, user=ppk_beltim, name="x", scopes=["recommendations:read"], days=1)
    assert client.get(url("partner_recommendations"), **bearer(raw)).status_code == 200
    token_revoke(actor=admin_national, token=token)
    assert client.get(url("partner_recommendations"), **bearer(raw)).status_code == 401
    _token2, raw2 = token_create(actor=admin_national, user=ppk_beltim, name="y", scopes=["recommendations:read"],
                                 days=1)
    time_machine.move_to(timezone.now() + timedelta(days=2))
    assert client.get(url("partner_recommendations"), **bearer(raw2)).status_code == 401


def test_calls_are_throttled_per_token(client, recommended, ppk_token, settings):
    settings.NETRAL_API_RATE = "2/m"
    statuses = [client.get(url("partner_recommendations"), **bearer(ppk_token)).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert client.get(url("partner_recommendations"), **bearer(ppk_token)).json()["status"] == 429


def test_reference_data_is_public(client, places, agencies, rules):
    regions = client.get(url("regions")).json()
    assert any(r["code"] == places["babel"].code for r in regions)
    children = client.get(url("regions"), {"parent": places["babel"].code}).json()
    assert {r["code"] for r in children} >= {places["beltim"].code, places["bangka"].code}
    listed = client.get(url("agencies"), {"region": places["beltim"].code}).json()
    assert [a["name"] for a in listed] == ["Pemerintah Kabupaten Belitung Timur"]
    units = client.get(url("units", agencies["beltim"].pk)).json()
    assert {u["name"] for u in units} == {"Dinas Kesehatan", "Kecamatan Manggar"}
    catalog = client.get(url("violations"), HTTP_ACCEPT_LANGUAGE="en").json()
    assert any(v["id"] == "partisan-photo" and v["sanctions"] for v in catalog)
    assert date.today()  # the reference answers do not depend on the day


def test_guessed_tokens_cannot_flood_the_audit_log(client, recommended, settings):
    settings.NETRAL_API_REFUSED_AUDITS = "3/10m"
    for attempt in range(6):
        assert client.get(url("partner_recommendations"), **bearer(f"ntr_guess{attempt}_x")).status_code == 401
    assert AuditEntry.objects.filter(action="api.refused").count() == 3
