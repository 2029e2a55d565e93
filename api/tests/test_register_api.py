"""The register through the partner API: batch upsert (preview, reasons, commit), export, exchange log."""

import random
from datetime import date

import pytest
from django.urls import reverse

from api.tokens import token_create
from audit.models import AuditEntry
from registry.models import Employee, ExchangeLog
from registry.nip import synthetic_nip

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_run_immediately(settings):
    """Commits run in the test's process when enqueued (registry/tests runs the real worker)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def url(name, *args):
    return reverse(f"api:{name}", args=args)


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def pemda_token(pemda_beltim, admin_national):
    return token_create(actor=admin_national, user=pemda_beltim, name="SIMPEG Beltim",
                        scopes=["register:read", "register:write", "exchange:read"], days=30)[1]


def row(nip, name, gender="L", **extra):
    birth = f"{nip[6:8]}-{nip[4:6]}-{nip[:4]}" if len(nip) == 18 else "01-01-1980"
    return {"nip": nip, "name": name, "birth_date": birth, "kind": "PNS", "gender": gender,
            "unit": "Dinas Kesehatan", **extra}


def test_a_batch_is_previewed_with_reasons_then_committed_once(client, agencies, pemda_token,
                                                               django_capture_on_commit_callbacks):
    rng = random.Random(7)
    good = synthetic_nip("pns", rng, gender="M", today=date(2024, 1, 1), sequence=1)
    other = synthetic_nip("pns", rng, gender="F", today=date(2024, 1, 1), sequence=2)
    rows = [row(good, "Ahmad Fauzi, S.Kom."), row("123", "Nomor Salah"), row(other, "Siti Rahma", gender="P", unit="Tidak Ada")]
    response = client.post(url("partner_register_batch"), {"rows": rows}, content_type="application/json",
                           **bearer(pemda_token))
    assert response.status_code == 200, response.content
    batch = response.json()
    assert (batch["state"], batch["rows_new"], batch["rows_invalid"]) == ("previewed", 1, 2)
    assert {invalid["line"] for invalid in batch["invalid"]} == {2, 3}
    assert all(invalid["reasons"] for invalid in batch["invalid"])
    assert not Employee.objects.filter(nip=good).exists()  # a preview writes nothing
    with django_capture_on_commit_callbacks(execute=True):  # the worker's job runs when the call commits
        queued = client.post(url("partner_register_batch_commit", batch["id"]), **bearer(pemda_token)).json()
    assert queued["state"] == "commit_queued"
    committed = client.get(url("partner_register_batch_status", batch["id"]), **bearer(pemda_token)).json()
    assert committed["state"] == "committed" and committed["rows_new"] == 1
    assert Employee.objects.get(nip=good).name == "Ahmad Fauzi, S.Kom."
    again = client.post(url("partner_register_batch_commit", batch["id"]), **bearer(pemda_token)).json()
    assert again["state"] == "committed" and Employee.objects.filter(nip=good).count() == 1
    assert ExchangeLog.objects.filter(channel="api", direction="import").exists()


def test_the_export_pages_through_the_agency_only_and_is_logged(client, agencies, pemda_token):
    from registry.factories import EmployeeFactory

    EmployeeFactory.create_batch(3, agency=agencies["beltim"], unit=agencies["dinkes_beltim"])
    EmployeeFactory.create_batch(2, agency=agencies["bangka"])
    page = client.get(url("partner_register"), {"page_size": 2}, **bearer(pemda_token)).json()
    assert page["count"] == 3 and len(page["results"]) == 2
    log = client.get(url("partner_exchanges"), **bearer(pemda_token)).json()
    assert log["count"] == 1 and log["results"][0]["channel"] == "api" and log["results"][0]["rows"] == 2
    assert AuditEntry.objects.filter(action="api.called").count() == 2


def test_the_export_carries_the_degrees(client, agencies, pemda_token):
    from registry.factories import EmployeeFactory

    EmployeeFactory(agency=agencies["beltim"], name="Siti Aminah", title_prefix="dr.", title_suffix="S.Kom.")
    row = client.get(url("partner_register"), **bearer(pemda_token)).json()["results"][0]
    assert (row["name"], row["title_prefix"], row["title_suffix"]) == ("Siti Aminah", "dr.", "S.Kom.")


def test_the_export_carries_a_contract_employee_s_register_number(client, agencies, pemda_token):
    """A contract employee has no NIP: the partner's system matches them by the register number."""
    from registry.factories import EmployeeFactory

    contract = EmployeeFactory(agency=agencies["beltim"], kind=Employee.Kind.CONTRACT, nip=None, name="Budi")
    asn = EmployeeFactory(agency=agencies["beltim"], name="Candra")
    rows = {item["name"]: item for item in client.get(url("partner_register"), **bearer(pemda_token)).json()["results"]}
    assert contract.register_number and rows["Budi"]["register_number"] == contract.register_number
    assert rows["Candra"]["register_number"] is None and rows["Candra"]["nip"] == asn.nip


def test_a_bad_batch_is_a_400_problem_and_another_agency_s_batch_is_404(client, agencies, pemda_token, places,
                                                                       admin_national):
    from conftest import _user

    response = client.post(url("partner_register_batch"), {"rows": "no"}, content_type="application/json",
                           **bearer(pemda_token))
    assert response.status_code == 400 and response["Content-Type"].startswith("application/problem+json")
    batch = client.post(url("partner_register_batch"), {"rows": []}, content_type="application/json",
                        **bearer(pemda_token)).json()
    bangka = _user("bkpsdm.bangka", "pemda_staff", agency=agencies["bangka"])
    raw = token_create(actor=admin_national, user=bangka, name="SIMPEG Bangka", scopes=["register:write"],
                       days=30)[1]
    assert client.get(url("partner_register_batch_status", batch["id"]), **bearer(raw)).status_code == 404
    assert client.post(url("partner_register_batch_commit", batch["id"]), **bearer(raw)).status_code == 404


def test_public_statistics_need_no_token(client, rules):
    response = client.get(url("statistics"))
    assert response.status_code == 200 and isinstance(response.json(), list)
