"""Who sees which recommendation: an agency only its own, the authority its own, Bawaslu its jurisdiction."""

import pytest
from django.urls import reverse

from followup.models import Recommendation
from followup.selectors import recommendation_list_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def pemda_bangka(agencies):
    from accounts.models import User
    from accounts.tests.otp import confirmed_totp_device

    user = User.objects.create_user(username="bkpsdm.bangka", password="kata-sandi-uji-123", role="pemda_staff",
                                    agency=agencies["bangka"])
    confirmed_totp_device(user)
    return user


@pytest.fixture
def other_authority(places):
    """A second authority account of another agency (say, a ministry's inspectorate acting as one)."""
    from accounts.models import User
    from accounts.tests.otp import confirmed_totp_device
    from organizations.models import Agency

    agency = Agency.objects.create(name="Kementerian Contoh", kind="central", region=places["country"])
    user = User.objects.create_user(username="otoritas.lain", password="kata-sandi-uji-123", role="authority",
                                    agency=agency)
    confirmed_totp_device(user)
    return user


def test_an_agency_sees_only_the_recommendations_addressed_to_it(recommended, forwarded, pemda_beltim, ppk_beltim,
                                                                  pemda_bangka):
    assert list(recommendation_list_for(pemda_beltim)) == [recommended]
    assert list(recommendation_list_for(ppk_beltim)) == [recommended]
    assert list(recommendation_list_for(pemda_bangka)) == []


def test_the_authority_sees_the_forwardings_to_it_and_the_recommendations_it_issued(recommended, forwarded,
                                                                                  authority_bkn, other_authority):
    assert set(recommendation_list_for(authority_bkn)) == {recommended, forwarded}
    assert list(recommendation_list_for(other_authority)) == []


def test_bawaslu_sees_its_jurisdiction_only(recommended, forwarded, staff_beltim, staff_babel, staff_bangka):
    assert set(recommendation_list_for(staff_beltim)) == {recommended, forwarded}
    assert set(recommendation_list_for(staff_babel)) == {recommended, forwarded}  # the province above
    assert list(recommendation_list_for(staff_bangka)) == []


def test_the_list_page_shows_each_user_their_own(client, recommended, forwarded, pemda_bangka, ppk_beltim,
                                                 staff_bangka):
    for user, expected in ((ppk_beltim, [recommended.number]), (pemda_bangka, []), (staff_bangka, [])):
        client.force_login(user)
        response = client.get(reverse("followup:list"))
        assert response.status_code == 200
        assert [rec.number for rec in response.context["page"]] == expected
        assert (recommended.number in response.content.decode()) == bool(expected)


def _urls(recommended, forwarded):
    decision_file = reverse("followup:decision_file", args=[recommended.pk])
    return [
        ("get", reverse("followup:detail", args=[recommended.pk])),
        ("get", reverse("followup:detail", args=[forwarded.pk])),
        ("post", reverse("followup:acknowledge", args=[recommended.pk])),
        ("post", reverse("followup:decide", args=[recommended.pk])),
        ("post", reverse("followup:issue", args=[forwarded.pk])),
        ("get", reverse("followup:issue_grades", args=[forwarded.pk])),
        ("post", reverse("followup:refuse", args=[forwarded.pk])),
        ("get", reverse("followup:letter", args=[recommended.pk, recommended.letter_id])),
        ("get", reverse("followup:letter", args=[forwarded.pk, forwarded.letter_id])),
        ("get", decision_file),
        ("get", reverse("followup:employee", args=[recommended.employee_id])),
    ]


@pytest.fixture
def decided(recommended, ppk_beltim):
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile

    from followup.services import decision_record
    from followup.tests.test_services import pdf_bytes

    decision_record(recommendation=recommended, actor=ppk_beltim, outcome="imposed", sanction="moral-statement-open",
                    letter_number="800/123/BKPSDM/2024", letter_date=date(2024, 12, 2),
                    upload=SimpleUploadedFile("sk.pdf", pdf_bytes(), content_type="application/pdf"))
    recommended.refresh_from_db()
    return recommended


def test_outsiders_get_404_on_every_page_action_and_file(client, decided, forwarded, pemda_bangka, staff_bangka):
    for outsider in (pemda_bangka, staff_bangka):
        client.force_login(outsider)
        for method, url in _urls(decided, forwarded):
            response = getattr(client, method)(url, {"reason": "x" * 30})
            assert response.status_code == 404, (outsider, url, response.status_code)
    assert Recommendation.objects.get(pk=decided.pk).status == "sanctioned"


def test_the_agency_cannot_read_the_forwarding_nor_act_on_it(client, recommended, forwarded, pemda_beltim):
    client.force_login(pemda_beltim)
    assert client.get(reverse("followup:detail", args=[forwarded.pk])).status_code == 404
    assert client.post(reverse("followup:refuse", args=[forwarded.pk]), {"reason": "x" * 30}).status_code == 404


def test_readers_who_are_not_the_addressee_get_403_on_actions(client, recommended, forwarded, staff_beltim,
                                                              authority_bkn):
    client.force_login(staff_beltim)  # Bawaslu reads both stages of its cases, acts on neither
    assert client.get(reverse("followup:detail", args=[recommended.pk])).status_code == 200
    for url in (reverse("followup:acknowledge", args=[recommended.pk]), reverse("followup:decide", args=[recommended.pk]),
                reverse("followup:issue", args=[forwarded.pk]), reverse("followup:refuse", args=[forwarded.pk])):
        assert client.post(url, {"outcome": "refused", "reason": "x" * 30}).status_code == 403, url
    client.force_login(authority_bkn)  # the issuer reads its recommendation; the PPK decides
    assert client.post(reverse("followup:decide", args=[recommended.pk]),
                       {"outcome": "refused", "reason": "x" * 30}).status_code == 403
    recommended.refresh_from_db()
    assert recommended.status == "issued"


def test_the_letters_and_the_decision_file_are_attachments_for_those_who_may_read(client, decided, ppk_beltim,
                                                                                  staff_beltim):
    for user in (ppk_beltim, staff_beltim):
        client.force_login(user)
        letter = client.get(reverse("followup:letter", args=[decided.pk, decided.letter_id]))
        assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
        assert letter["Content-Disposition"].startswith("attachment")
        assert b"".join(letter.streaming_content).startswith(b"%PDF-")
        sk = client.get(reverse("followup:decision_file", args=[decided.pk]))
        assert sk.status_code == 200 and sk["Content-Disposition"].startswith("attachment")
        assert b"".join(sk.streaming_content).startswith(b"%PDF-")


def test_a_letter_of_another_recommendation_is_not_served_through_this_one(client, recommended, forwarded,
                                                                           ppk_beltim):
    client.force_login(ppk_beltim)
    # The forwarding's letter belongs to the same case, but not to the PPK's recommendation.
    url = reverse("followup:letter", args=[recommended.pk, forwarded.letter_id])
    assert client.get(url).status_code == 404


def test_the_employee_page_is_for_the_agency_the_authority_bawaslu_above_and_admin(
        client, recommended, cast, pemda_bangka, staff_bangka):
    url = reverse("followup:employee", args=[recommended.employee_id])
    for username in ("bkpsdm.beltim", "ppk.beltim", "bkn", "staf.beltim", "staf.babel", "admin.nasional"):
        client.force_login(cast[username])
        response = client.get(url)
        assert response.status_code == 200, username
        assert recommended.number in response.content.decode()
    for outsider in (pemda_bangka, staff_bangka):
        client.force_login(outsider)
        assert client.get(url).status_code == 404


def test_anonymous_users_are_sent_to_login(client, decided, forwarded):
    for method, url in _urls(decided, forwarded) + [("get", reverse("followup:list"))]:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/akun/masuk/" in response["Location"], url
