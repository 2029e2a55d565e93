"""The public ASN pages: pledge, verification, QR check-in and tests, the library."""

import pytest
from django.conf import settings
from django.urls import reverse

from prevention import codes, services
from prevention.models import Attendance, Pledge, TestScore
from prevention.tests.conftest import signature_data_url

pytestmark = pytest.mark.django_db
START = reverse("prevention:pledge_start")
SIGN = reverse("prevention:pledge_sign")


def _identity(employee, election, **extra):
    return {"election": election.pk, "identity": employee.nip, "birth_date": employee.birth_date.isoformat(), **extra}


def _verify_url(pledge):
    return reverse("prevention:verify", args=[codes.signed_token(pledge.code, settings.SECRET_KEY)])


# --- Pledge ---------------------------------------------------------------------------------

def test_an_asn_signs_with_a_drawn_signature_and_downloads_the_certificate(client, register, election):
    ani = register["ani"]
    assert client.post(START, _identity(ani, election))["Location"] == SIGN
    page = client.get(SIGN)
    assert page.status_code == 200 and ani.name in page.content.decode()
    done = client.post(SIGN, {"drawn": signature_data_url(), "agree": "on"})
    assert done.status_code == 302
    pledge = Pledge.objects.get(employee=ani)
    assert pledge.signature_kind == "drawn"
    certificate = client.get(reverse("prevention:pledge_certificate"))
    assert certificate["Content-Type"] == "application/pdf" and certificate.content.startswith(b"%PDF")


def test_a_double_submit_of_the_signature_makes_one_pledge(client, register, election):
    client.post(START, _identity(register["ani"], election))
    for _ in range(2):
        assert client.post(SIGN, {"typed_name": "Ani", "agree": "on"}).status_code == 302
    assert Pledge.objects.count() == 1


def test_a_wrong_birth_date_and_an_unknown_nip_get_the_same_answer(client, register, election):
    ani = register["ani"]
    wrong_date = client.post(START, _identity(ani, election, birth_date="1950-01-01"))
    unknown = client.post(START, {**_identity(ani, election), "identity": "199001012015031001"})
    assert wrong_date.status_code == unknown.status_code == 400
    assert wrong_date.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()


def test_guessing_birth_dates_is_limited_per_session(client, register, election):
    ani = register["ani"]
    for day in range(1, 6):
        assert client.post(START, _identity(ani, election, birth_date=f"1950-01-0{day}")).status_code == 400
    assert client.post(START, _identity(ani, election)).status_code == 429


def test_the_signing_page_without_identity_sends_back(client):
    assert client.get(SIGN)["Location"] == START


def test_a_typed_name_that_differs_keeps_what_was_typed(client, register, election):
    client.post(START, _identity(register["ani"], election))
    response = client.post(SIGN, {"typed_name": "Orang Lain", "agree": "on"})
    assert response.status_code == 400
    assert 'value="Orang Lain"' in response.content.decode()
    assert not Pledge.objects.exists()


def test_the_signing_stores_no_ip_address(client, register, election):
    client.post(START, _identity(register["ani"], election), REMOTE_ADDR="10.20.30.40")
    client.post(SIGN, {"typed_name": "Ani", "agree": "on"}, REMOTE_ADDR="10.20.30.40")
    from audit.models import AuditEntry

    pledge = Pledge.objects.get()
    stored = " ".join(str(value) for value in pledge.__dict__.values())
    stored += " ".join(str(entry.data) for entry in AuditEntry.objects.all())
    assert "10.20.30.40" not in stored


# --- Verification ---------------------------------------------------------------------------

def test_the_verification_page_confirms_a_valid_pledge(client, register, election):
    pledge, _ = services.pledge_sign(employee=register["ani"], election=election, typed_name="Ani")
    page = client.get(_verify_url(pledge))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-status="valid"' in html and "Ani" in html and "Dinas Kesehatan" in html
    assert register["ani"].nip not in html  # only what the certificate shows


def test_the_verification_page_shows_a_revoked_pledge_as_revoked(client, register, election, pemda_beltim):
    pledge, _ = services.pledge_sign(employee=register["ani"], election=election, typed_name="Ani")
    services.pledge_revoke(pledge=pledge, actor=pemda_beltim, reason="keliru")
    assert 'data-status="revoked"' in client.get(_verify_url(pledge)).content.decode()


@pytest.mark.parametrize("forge", [
    pytest.param(lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"), id="bad-mac"),
    pytest.param(lambda token: codes.signed_token(codes.new_code(), settings.SECRET_KEY), id="unknown-code"),
    pytest.param(lambda token: token.split(".")[0], id="no-mac"),
])
def test_a_forged_link_is_not_valid(client, register, election, forge):
    pledge, _ = services.pledge_sign(employee=register["ani"], election=election, typed_name="Ani")
    token = codes.signed_token(pledge.code, settings.SECRET_KEY)
    page = client.get(reverse("prevention:verify", args=[forge(token)]))
    assert page.status_code == 404
    assert 'data-status="unknown"' in page.content.decode() and "Ani" not in page.content.decode()


def test_a_genuine_link_verifies_after_the_address_spent_its_budget_but_forged_ones_do_not(register, election,
                                                                                         settings):
    """Issue 16: one guesser behind a shared address must not lock out everyone's certificates."""
    from django.test import Client

    settings.NETRAL_PREVENTION_FAILURES_PER_ADDRESS = "3/10m"
    pledge, _ = services.pledge_sign(employee=register["ani"], election=election, typed_name="Ani")
    forged = reverse("prevention:verify", args=[codes.signed_token(codes.new_code(), settings.SECRET_KEY)])
    statuses = [Client().get(forged, REMOTE_ADDR="10.9.9.9").status_code for _ in range(4)]
    assert statuses == [404, 404, 404, 429]
    assert Client().get(_verify_url(pledge), REMOTE_ADDR="10.9.9.9").status_code == 200


# --- QR check-in and tests ------------------------------------------------------------------

def _checkin_url(event):
    return reverse("prevention:checkin", args=[event.checkin_token])


def _who(employee):
    return {"identity": employee.nip, "birth_date": employee.birth_date.isoformat()}


def test_checking_in_twice_on_a_phone_records_once(client, event_pemda, register):
    first = client.post(_checkin_url(event_pemda), _who(register["ani"]))
    again = client.post(_checkin_url(event_pemda), _who(register["ani"]))
    assert first.status_code == again.status_code == 302
    assert Attendance.objects.filter(event=event_pemda, method="phone").count() == 1


def test_a_phone_check_in_with_an_nip_not_in_the_register_is_refused(client, event_pemda, register):
    response = client.post(_checkin_url(event_pemda), {"identity": "199001012015031001", "birth_date": "1990-01-01"})
    assert response.status_code == 400 and not Attendance.objects.exists()


def test_an_asn_of_another_agency_cannot_check_in_on_a_phone(client, event_pemda, register):
    response = client.post(_checkin_url(event_pemda), _who(register["indra"]))
    assert response.status_code == 400 and not Attendance.objects.exists()


def test_an_unknown_check_in_link_is_404(client):
    assert client.get(reverse("prevention:checkin", args=["nope"])).status_code == 404


def test_a_participant_takes_both_tests_after_checking_in(client, event_pemda, register, questions):
    client.post(_checkin_url(event_pemda), _who(register["ani"]))
    right = {f"q{q.pk}": q.answer for q in questions}
    pre = reverse("prevention:quiz", args=[event_pemda.checkin_token, "pre"])
    post = reverse("prevention:quiz", args=[event_pemda.checkin_token, "post"])
    assert client.post(pre, {f"q{q.pk}": 3 for q in questions}).status_code == 302
    assert client.post(post, right).status_code == 302
    scores = dict(TestScore.objects.values_list("phase", "score"))
    assert scores == {"pre": 0, "post": 100}


def test_the_test_needs_a_check_in_first(client, event_pemda, questions):
    assert client.get(reverse("prevention:quiz", args=[event_pemda.checkin_token, "pre"])).status_code == 404


# --- Library --------------------------------------------------------------------------------

def test_the_library_is_searchable_and_shows_only_published_items(client, pemda_beltim, themes):
    services.material_add(actor=pemda_beltim, title="Surat Edaran Netralitas ASN", kind="circular",
                          url="https://example.org/se.pdf", theme=themes["asn-neutrality"])
    services.material_add(actor=pemda_beltim, title="Video politik uang", kind="video",
                          url="https://example.org/video")
    services.material_add(actor=pemda_beltim, title="Draf internal", kind="other", url="https://example.org/x",
                          published=False)
    library = reverse("prevention:library")
    html = client.get(library).content.decode()
    assert "Surat Edaran Netralitas ASN" in html and "Video politik uang" in html and "Draf internal" not in html
    found = client.get(library, {"q": "politik uang"}).content.decode()
    assert "Video politik uang" in found and "Surat Edaran" not in found
    assert "Surat Edaran" in client.get(library, {"kind": "circular"}).content.decode()


def test_the_library_lists_the_catalog_of_prohibited_acts(client, rules):
    from rules.models import Violation

    violation = Violation.objects.filter(active=True).first()
    assert violation.title in client.get(reverse("prevention:library")).content.decode()


def test_the_check_in_page_shares_the_budget_of_wrong_tries(client, event_pemda, register, settings):
    settings.NETRAL_PREVENTION_FAILURES_PER_SESSION = "2/10m"
    wrong = {"identity": register["ani"].nip, "birth_date": "1950-01-01"}
    statuses = [client.post(_checkin_url(event_pemda), wrong).status_code for _ in range(3)]
    assert statuses == [400, 400, 429]
    assert client.post(_checkin_url(event_pemda), _who(register["ani"])).status_code == 429
    assert not Attendance.objects.exists()
