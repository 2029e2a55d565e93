"""The onboarding pages and the invitation link: who sees and does what, what the invitee reads."""

import re
from base64 import b32decode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.invitations import invitation_accept, invitation_resend, invitation_revoke, invitation_send
from accounts.models import Invitation, User
from accounts.tests.factories import PASSWORD, REFUSING_BACKEND, invite
from audit.models import AuditEntry
from netral.tests.growth import search_queries
from organizations.models import Agency
from regions.models import Region

pytestmark = pytest.mark.django_db
LIST = reverse("onboarding:list")


def agency_url(agency) -> str:
    return reverse("onboarding:agency", args=[agency.pk])


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- Inviting from the agency page ---------------------------------------------------------------

def test_an_administrator_invites_from_the_agency_page(client, admin_national, agencies, mailoutbox):
    client.force_login(admin_national)
    response = client.post(reverse("onboarding:invite", args=[agencies["beltim"].pk]),
                           {"role": "ppk", "name": "Burhanudin", "email": "Bupati@Beltim.go.id"}, follow=True)
    assert response.status_code == 200
    user = User.objects.get(email="bupati@beltim.go.id")
    assert (user.role, user.agency, user.is_active) == ("ppk", agencies["beltim"], False)
    assert len(mailoutbox) == 1
    assert "Undangan telah dikirim ke bupati@beltim.go.id." in text(response)
    assert f'data-person="{user.pk}"' in text(response)


def test_a_taken_address_comes_back_with_an_indonesian_message_and_keeps_what_was_typed(
        client, admin_national, agencies):
    invite(admin_national, agencies["beltim"])
    client.force_login(admin_national)
    response = client.post(reverse("onboarding:invite", args=[agencies["beltim"].pk]),
                           {"role": "pemda_staff", "name": "Siti Lain", "email": "siti@beltim.go.id"})
    assert response.status_code == 400
    assert "Akun dengan alamat e-mail ini sudah ada." in text(response)
    assert 'value="Siti Lain"' in text(response)
    assert User.objects.filter(email="siti@beltim.go.id").count() == 1


def test_a_mail_server_that_refuses_gives_a_message_and_records_nothing(client, admin_national, agencies, settings):
    settings.EMAIL_BACKEND = REFUSING_BACKEND
    client.force_login(admin_national)
    response = client.post(reverse("onboarding:invite", args=[agencies["beltim"].pk]),
                           {"role": "ppk", "name": "Burhanudin", "email": "bupati@beltim.go.id"})
    assert response.status_code == 400
    assert "E-mail tidak dapat dikirim, jadi tidak ada yang dicatat." in text(response)
    assert not User.objects.filter(email="bupati@beltim.go.id").exists()


def test_a_province_office_cannot_invite_into_another_province(client, lead_babel, riau):
    client.force_login(lead_babel)
    response = client.post(reverse("onboarding:invite", args=[riau.pk]),
                           {"role": "ppk", "name": "Andi", "email": "andi@batam.go.id"})
    assert response.status_code == 404
    assert not User.objects.filter(email="andi@batam.go.id").exists()


def test_the_pemda_side_cannot_invite(client, pemda_beltim, agencies):
    client.force_login(pemda_beltim)
    response = client.post(reverse("onboarding:invite", args=[agencies["beltim"].pk]),
                           {"role": "ppk", "name": "Andi", "email": "andi@beltim.go.id"})
    assert response.status_code == 403
    assert not User.objects.filter(email="andi@beltim.go.id").exists()


def test_resend_and_withdraw_from_the_page(client, admin_national, agencies, mailoutbox):
    sent = invite(admin_national, agencies["beltim"])
    person = sent.invitation.user
    client.force_login(admin_national)
    url = reverse("onboarding:resend", args=[agencies["beltim"].pk, person.pk])
    assert client.post(url).status_code == 302
    assert len(mailoutbox) == 2
    page = client.get(reverse("onboarding:revoke", args=[agencies["beltim"].pk, person.pk]))
    assert page.status_code == 405
    response = client.post(reverse("onboarding:revoke", args=[agencies["beltim"].pk, person.pk]), follow=True)
    assert "Undangan siti@beltim.go.id telah ditarik." in text(response)
    assert list(Invitation.objects.filter(user=person).values_list("status", flat=True)) == ["revoked", "replaced"]
    assert AuditEntry.objects.filter(action__in=["invitation.resent", "invitation.revoked"]).count() == 2


def test_resending_to_another_agencys_person_is_a_404(client, lead_babel, admin_national, agencies, riau):
    sent = invite(admin_national, riau, email="andi@batam.go.id")
    client.force_login(lead_babel)
    # Through its own agency's URL, or through the other one's: neither reaches the person.
    for agency in (agencies["beltim"], riau):
        response = client.post(reverse("onboarding:resend", args=[agency.pk, sent.invitation.user.pk]))
        assert response.status_code == 404
    assert Invitation.objects.get().status == Invitation.Status.PENDING


# --- The link ------------------------------------------------------------------------------------

def accept_url(token) -> str:
    return reverse("accounts:invitation_accept", args=[token])


def test_the_invitee_sets_a_password_then_the_app_and_lands_on_the_agency_page(client, admin_national, agencies):
    sent = invite(admin_national, agencies["beltim"])
    page = client.get(accept_url(sent.token))
    assert page.status_code == 200
    assert "Selamat datang di Netral" in text(page)
    assert page["Cache-Control"].startswith("max-age=0") or "no-cache" in page["Cache-Control"]

    response = client.post(accept_url(sent.token), {"new_password1": PASSWORD, "new_password2": PASSWORD})
    after = agency_url(agencies["beltim"])
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:setup") + "?next=" + after.replace("/", "%2F")
    # Password only: the agency page sends the account to set up its app first.
    assert client.get(after)["Location"].startswith(reverse("accounts:setup"))

    setup = response["Location"]
    secret = client.post(setup, {"setup_view-current_step": "welcome"}).context["secret_key"]
    done = client.post(setup, {"setup_view-current_step": "generator",
                               "generator-token": f"{TOTP(b32decode(secret)).token():06d}"})
    assert done.status_code == 302 and done["Location"] == after
    landing = client.get(after)
    assert landing.status_code == 200
    assert TOTPDevice.objects.get(user=sent.invitation.user).confirmed
    assert 'data-item="enrolled" data-done="1"' in text(landing)


def test_a_weak_password_is_refused_in_indonesian_and_the_link_stays_open(client, admin_national, agencies):
    sent = invite(admin_national, agencies["beltim"])
    response = client.post(accept_url(sent.token), {"new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 400
    assert "Kata sandi ini terlalu umum." in text(response)
    user = User.objects.get(pk=sent.invitation.user_id)
    assert not user.is_active and not user.has_usable_password()
    assert Invitation.objects.get().status == Invitation.Status.PENDING


@pytest.mark.parametrize(("ending", "status", "phrase"), [
    pytest.param("expired", 410, "Tautan undangan ini sudah kedaluwarsa.", id="expired"),
    pytest.param("used", 410, "Tautan undangan ini sudah dipakai.", id="used"),
    pytest.param("revoked", 410, "Undangan ini telah ditarik.", id="revoked"),
    pytest.param("replaced", 410, "Tautan undangan yang lebih baru telah dikirim kepada Anda", id="replaced"),
    pytest.param("unknown", 404, "Tautan undangan ini tidak sah.", id="unknown"),
])
def test_a_link_that_does_not_open_says_why_in_indonesian_and_changes_nothing(
        client, admin_national, agencies, time_machine, ending, status, phrase):
    sent = invite(admin_national, agencies["beltim"])
    token = sent.token
    if ending == "expired":
        time_machine.move_to(sent.invitation.expires_at, tick=False)
    elif ending == "used":
        invitation_accept(token=token, password=PASSWORD)
    elif ending == "revoked":
        invitation_revoke(actor=admin_national, user=sent.invitation.user)
    elif ending == "replaced":
        invitation_resend(actor=admin_national, user=sent.invitation.user)
    elif ending == "unknown":
        token = token[::-1]
    user_before = User.objects.filter(pk=sent.invitation.user_id).values("password", "is_active").get()
    for response in (client.get(accept_url(token)),
                     client.post(accept_url(token), {"new_password1": "Lain-lain-2024!", "new_password2":
                                                     "Lain-lain-2024!"})):
        assert response.status_code == status
        assert phrase in text(response)
        assert "data-invitation-closed" in text(response)
    assert User.objects.filter(pk=sent.invitation.user_id).values("password", "is_active").get() == user_before


# --- Who sees which agency page --------------------------------------------------------------------

@pytest.mark.parametrize(("who", "agency", "status"), [
    ("admin_national", "beltim", 200), ("admin_national", "riau", 200),
    ("lead_babel", "beltim", 200), ("lead_babel", "bangka", 200), ("lead_babel", "riau", 404),
    ("pemda_beltim", "beltim", 200), ("pemda_beltim", "bangka", 404), ("pemda_beltim", "riau", 404),
    ("ppk_beltim", "beltim", 200), ("ppk_beltim", "bangka", 404),
    ("lead_beltim", "beltim", 404), ("staff_babel", "beltim", 403), ("authority_bkn", "beltim", 403),
])
def test_the_agency_page_is_for_its_own_staff_and_whoever_may_invite_it(request, client, agencies, riau, who,
                                                                        agency, status):
    client.force_login(request.getfixturevalue(who))
    target = riau if agency == "riau" else agencies[agency]
    assert client.get(agency_url(target)).status_code == status


def test_the_pemda_side_reads_the_page_without_the_invitation_form(client, pemda_beltim, agencies):
    client.force_login(pemda_beltim)
    html = text(client.get(agency_url(agencies["beltim"])))
    assert 'id="invite-submit"' not in html and "data-resend" not in html
    assert "Daftar periksa" in html
    assert 'href="/staf/register/impor/"' in html  # the personnel staff import the register themselves


def test_a_checklist_link_is_shown_only_to_who_can_follow_it(client, lead_babel, agencies):
    client.force_login(lead_babel)
    html = text(client.get(agency_url(agencies["beltim"])))
    assert 'href="/staf/register/impor/"' not in html  # Bawaslu does not import a Pemda's register
    assert 'href="/staf/kesepakatan/baru/"' in html and f'href="{agency_url(agencies["beltim"])}#undang"' in html


def test_a_central_agency_has_no_onboarding_page(client, admin_national, authority_bkn):
    client.force_login(admin_national)
    assert client.get(agency_url(authority_bkn.agency)).status_code == 404


# --- The national list -----------------------------------------------------------------------------

@pytest.mark.parametrize(("who", "status"), [("admin_national", 200), ("lead_babel", 200), ("pemda_beltim", 403),
                                              ("staff_babel", 403), ("authority_bkn", 403)])
def test_the_list_is_for_who_may_invite(request, client, agencies, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get(LIST).status_code == status


def test_a_regency_office_is_told_that_its_province_invites(client, lead_beltim, agencies):
    client.force_login(lead_beltim)
    response = client.get(LIST)
    assert response.status_code == 200
    assert "data-not-inviter" in text(response) and not listed(response)
    assert "diundang oleh kantor Bawaslu provinsinya" in text(response)


def listed(response) -> set[int]:
    return {int(pk) for pk in re.findall(r'data-agency="(\d+)"', response.content.decode())}


def test_a_province_office_lists_only_its_provinces_agencies(client, lead_babel, agencies, riau):
    client.force_login(lead_babel)
    assert listed(client.get(LIST)) == {agencies["beltim"].pk, agencies["bangka"].pk}
    # A province of another part of the country chosen in the address does not widen it.
    response = client.get(LIST, {"province": riau.region.parent_id})
    assert riau.pk not in listed(response)


def test_the_list_filters_by_province_name_and_status(client, admin_national, agencies, riau):
    make_live(agencies["beltim"], admin_national)
    invite(admin_national, riau, email="andi@batam.go.id")
    client.force_login(admin_national)
    assert listed(client.get(LIST)) == {agencies["beltim"].pk, agencies["bangka"].pk, riau.pk}
    assert listed(client.get(LIST, {"province": riau.region.parent_id})) == {riau.pk}
    assert listed(client.get(LIST, {"q": "bangka"})) == {agencies["bangka"].pk}
    assert listed(client.get(LIST, {"status": "live"})) == {agencies["beltim"].pk}
    assert listed(client.get(LIST, {"status": "progress"})) == {riau.pk}
    assert listed(client.get(LIST, {"status": "not_started"})) == {agencies["bangka"].pk}
    response = client.get(LIST, {"status": "live"})
    assert 'data-live="1"' in text(response) and "Aktif" in text(response)


def make_live(agency, admin):
    """Every step done, through the real services where they are ours to call."""
    from accounts.tests.otp import confirmed_totp_device
    from agreements.models import Agreement, Party
    from registry.models import ImportJob

    for role, email in (("ppk", "ppk@x.go.id"), ("pemda_staff", "bkpsdm@x.go.id")):
        sent = invitation_send(actor=admin, agency=agency, role=role, name=role, email=f"{agency.pk}.{email}")
        confirmed_totp_device(invitation_accept(token=sent.token, password=PASSWORD))
    ImportJob.objects.create(agency=agency, state=ImportJob.State.COMMITTED, original_name="asn.csv",
                             format=ImportJob.Format.CSV, sha256="0" * 64, created_by=admin)
    agreement = Agreement.objects.create(title="PKS Netralitas ASN", place="Manggar", signed_on="2024-09-01",
                                         created_by=admin)
    Party.objects.create(agreement=agreement, position=2, agency=agency, name=agency.name, number="100/PKS/2024",
                         signatory_name="Burhanudin", signatory_position="Bupati")


def test_the_list_costs_the_same_queries_for_few_or_many_agencies(client, admin_national, places):
    country = places["country"]

    def add_agencies(count, start):
        for number in range(start, start + count):
            province = Region.objects.create(code=f"{30 + number}", name=f"Provinsi {number}", level=1,
                                             parent=country)
            regency = Region.objects.create(code=f"{30 + number}.01", name=f"Kabupaten {number}", level=2,
                                            parent=province)
            agency = Agency.objects.create(name=f"Pemerintah Kabupaten {number}", region=regency)
            invite(admin_national, agency, email=f"staf{number}@pemda.go.id")

    client.force_login(admin_national)
    add_agencies(2, 0)
    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST).status_code == 200
    add_agencies(20, 2)
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST)
    assert len(listed(response)) == 22
    assert len(many.captured_queries) == len(few.captured_queries)


# --- Opening an agency by typing its name (issue 20) ------------------------------------------------
# What every typed choice does (taken within the jurisdiction, another's neither offered nor taken, the
# search in constant queries) is netral/tests/test_typed_choices.py; here, what this one does besides.

SEARCH = reverse("onboarding:agency_search")


def test_the_list_offers_a_typed_agency_and_no_list_to_pick_from(client, admin_national, agencies):
    client.force_login(admin_national)
    html = text(client.get(LIST))
    assert 'name="agency_name"' in html and 'name="agency"' in html and f'hx-get="{SEARCH}"' in html
    assert '<select name="agency"' not in html
    assert 'id="open-submit"' in html and 'id="open-invite"' in html


def test_a_typed_agency_opens_its_checklist_or_its_invitation_form(client, lead_babel, agencies):
    client.force_login(lead_babel)
    page = agency_url(agencies["bangka"])
    assert client.get(LIST, {"agency_name": "Kab. Bangka", "to": "checklist"})["Location"] == page
    assert client.get(LIST, {"agency_name": "bangka", "to": "invite"})["Location"] == page + "#undang"
    # A suggestion picked (its id) wins over the text, which may since have been changed.
    response = client.get(LIST, {"agency_name": "Pemerintah Kabupaten Bel", "agency": agencies["bangka"].pk})
    assert response["Location"] == page


def test_a_name_of_several_agencies_comes_back_as_choices_on_the_paged_list(client, admin_national, agencies,
                                                                            places):
    city = Agency.objects.create(name="Pemerintah Kota Bangka", region=places["bangka"])
    Agency.objects.bulk_create([Agency(name=f"Pemerintah Kabupaten Contoh {number:02d}", region=places["babel"])
                                for number in range(30)])
    client.force_login(admin_national)
    response = client.get(LIST, {"agency_name": "Bangka", "to": "checklist", "status": "not_started"})
    assert response.status_code == 400
    form = response.context["open_form"]
    assert {pk for pk, _label in form.pick_choices["agency"]} == {agencies["bangka"].pk, city.pk}
    html = text(response)
    assert 'value="Bangka"' in html and f'type="radio" name="agency" value="{city.pk}"' in html
    # The list is still there, paged, and its pages and filters forget the typed choice.
    assert len(listed(response)) == 25 and response.context["page"].paginator.count == 33
    assert 'href="?status=not_started&amp;page=2"' in html
    # The choice sent back is taken.
    response = client.get(LIST, {"agency_name": "Bangka", "agency": city.pk})
    assert response["Location"] == agency_url(city)


def test_nothing_typed_or_an_unknown_name_is_said_on_the_list(client, lead_babel, agencies):
    client.force_login(lead_babel)
    for data in ({"agency_name": "", "to": "checklist"}, {"agency_name": "Atlantis"}, {"agency": "9" * 30}):
        response = client.get(LIST, data)
        assert response.status_code == 400
        assert response.context["open_form"].errors["agency_name"]
        assert listed(response) == {agencies["beltim"].pk, agencies["bangka"].pk}


@pytest.mark.parametrize(("who", "status", "offered"), [
    ("admin_national", 200, {"beltim", "bangka", "riau"}), ("lead_babel", 200, {"beltim", "bangka"}),
    ("lead_beltim", 200, set()), ("pemda_beltim", 403, None), ("staff_babel", 403, None),
])
def test_the_search_is_for_who_may_invite_and_offers_what_they_may_invite(request, client, agencies, riau, who,
                                                                          status, offered):
    client.force_login(request.getfixturevalue(who))
    response, _queries = search_queries(client, SEARCH, {"agency_name": "pemerintah k"})
    assert response.status_code == status
    if offered is not None:
        rows = {**agencies, "riau": riau}
        assert {pk for pk, _label in response.context["rows"]} == {rows[name].pk for name in offered}
