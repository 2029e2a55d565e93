"""Invitations of a Pemda's PPK and personnel staff: hash-only tokens, expiry, single use, resend, revoke, audit."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.invitations import (
    VALID_FOR,
    InvitationClosed,
    invitation_accept,
    invitation_open,
    invitation_resend,
    invitation_revoke,
    may_invite,
)
from accounts.models import Invitation, User
from accounts.tests.factories import PASSWORD, REFUSING_BACKEND, invite, lead_babel, riau  # noqa: F401 (fixtures)
from audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def link_token(message) -> str:
    return re.search(r"/akun/undangan/([\w-]+)/", message.body).group(1)


def test_sending_makes_an_inactive_account_without_password_and_mails_a_link(admin_national, agencies, mailoutbox):
    sent = invite(admin_national, agencies["beltim"])
    user = sent.invitation.user
    assert (user.username, user.email, user.role, user.agency) == ("siti@beltim.go.id", "siti@beltim.go.id",
                                                                    "pemda_staff", agencies["beltim"])
    assert not user.is_active and not user.has_usable_password()
    assert [message.to for message in mailoutbox] == [["siti@beltim.go.id"]]
    assert link_token(mailoutbox[0]) == sent.token
    entry = AuditEntry.objects.get(action="invitation.sent")
    assert entry.actor == admin_national and entry.target_id == str(user.pk)


def test_only_the_hash_of_the_token_is_stored(admin_national, agencies):
    sent = invite(admin_national, agencies["beltim"])
    row = Invitation.objects.filter(pk=sent.invitation.pk).values().get()
    assert row["token_hash"] == hashlib.sha256(sent.token.encode()).hexdigest()
    assert sent.token not in repr(row)
    assert sent.token not in repr(list(AuditEntry.objects.values()))


def test_the_link_expires_after_seven_days(admin_national, agencies):
    sent = invite(admin_national, agencies["beltim"])
    assert sent.invitation.expires_at - sent.invitation.created_at == VALID_FOR == timedelta(days=7)


def test_accepting_sets_the_password_activates_the_account_and_spends_the_link(admin_national, agencies):
    sent = invite(admin_national, agencies["beltim"])
    user = invitation_accept(token=sent.token, password=PASSWORD)
    user.refresh_from_db()
    assert user.is_active and user.check_password(PASSWORD)
    assert Invitation.objects.get(pk=sent.invitation.pk).status == Invitation.Status.ACCEPTED
    assert AuditEntry.objects.filter(action="invitation.accepted", target_id=str(user.pk)).exists()
    with pytest.raises(InvitationClosed) as closed:
        invitation_accept(token=sent.token, password="Another-password-99")
    assert closed.value.reason == Invitation.Status.ACCEPTED
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_an_expired_link_changes_nothing(admin_national, agencies):
    sent = invite(admin_national, agencies["beltim"])
    with pytest.raises(InvitationClosed) as closed:
        invitation_accept(token=sent.token, password=PASSWORD, now=sent.invitation.expires_at)
    assert closed.value.reason == "expired"
    user = User.objects.get(pk=sent.invitation.user_id)
    assert not user.is_active and not user.has_usable_password()
    assert not AuditEntry.objects.filter(action="invitation.accepted").exists()


def test_a_link_one_second_before_expiry_still_opens(admin_national, agencies):
    sent = invite(admin_national, agencies["beltim"])
    assert invitation_open(token=sent.token, now=sent.invitation.expires_at - timedelta(seconds=1))


@pytest.mark.parametrize("token", ["", "not-a-token", "x" * 43])
def test_an_unknown_token_opens_nothing(admin_national, agencies, token):
    invite(admin_national, agencies["beltim"])
    with pytest.raises(InvitationClosed) as closed:
        invitation_open(token=token)
    assert closed.value.reason == "unknown"


def test_resending_replaces_the_old_link(admin_national, agencies, mailoutbox):
    first = invite(admin_national, agencies["beltim"])
    second = invitation_resend(actor=admin_national, user=first.invitation.user)
    assert second.token != first.token and len(mailoutbox) == 2
    assert link_token(mailoutbox[1]) == second.token
    with pytest.raises(InvitationClosed) as closed:
        invitation_accept(token=first.token, password=PASSWORD)
    assert closed.value.reason == Invitation.Status.REPLACED
    assert invitation_accept(token=second.token, password=PASSWORD).is_active
    entry = AuditEntry.objects.get(action="invitation.resent")
    assert entry.data["replaced"] == [first.invitation.pk]


def test_an_expired_invitation_can_be_sent_again(admin_national, agencies):
    first = invite(admin_national, agencies["beltim"])
    later = first.invitation.expires_at + timedelta(days=1)
    second = invitation_resend(actor=admin_national, user=first.invitation.user, now=later)
    assert invitation_open(token=second.token, now=later + timedelta(days=6))


def test_resending_after_acceptance_is_refused(admin_national, agencies):
    sent = invite(admin_national, agencies["beltim"])
    invitation_accept(token=sent.token, password=PASSWORD)
    with pytest.raises(ValidationError):
        invitation_resend(actor=admin_national, user=sent.invitation.user)


def test_a_revoked_link_opens_nothing_and_the_account_stays_inactive(admin_national, agencies):
    sent = invite(admin_national, agencies["beltim"])
    invitation_revoke(actor=admin_national, user=sent.invitation.user)
    with pytest.raises(InvitationClosed) as closed:
        invitation_accept(token=sent.token, password=PASSWORD)
    assert closed.value.reason == Invitation.Status.REVOKED
    assert not User.objects.get(pk=sent.invitation.user_id).is_active
    assert AuditEntry.objects.filter(action="invitation.revoked").count() == 1
    with pytest.raises(ValidationError):
        invitation_revoke(actor=admin_national, user=sent.invitation.user)


def test_a_revoked_invitation_can_be_sent_again(admin_national, agencies):
    sent = invite(admin_national, agencies["beltim"])
    invitation_revoke(actor=admin_national, user=sent.invitation.user)
    again = invitation_resend(actor=admin_national, user=sent.invitation.user)
    assert invitation_accept(token=again.token, password=PASSWORD).is_active


def test_an_address_that_has_an_account_is_refused(admin_national, agencies, pemda_beltim):
    pemda_beltim.email = "bkpsdm@beltim.go.id"
    pemda_beltim.save()
    with pytest.raises(ValidationError):
        invite(admin_national, agencies["beltim"], email="BKPSDM@beltim.go.id")
    invite(admin_national, agencies["beltim"])
    with pytest.raises(ValidationError):
        invite(admin_national, agencies["beltim"])
    assert User.objects.filter(email__iexact="siti@beltim.go.id").count() == 1


@pytest.mark.parametrize("role", ["authority", "bawaslu_staff", "admin", "unit_head"])
def test_only_the_ppk_and_personnel_staff_are_invited(admin_national, agencies, role):
    with pytest.raises(ValidationError):
        invite(admin_national, agencies["beltim"], role=role)
    assert not User.objects.filter(email="siti@beltim.go.id").exists()


def test_a_failed_email_records_nothing(admin_national, agencies, settings):
    settings.EMAIL_BACKEND = REFUSING_BACKEND
    with pytest.raises(ValidationError) as refused:
        invite(admin_national, agencies["beltim"])
    assert refused.value.code == "mail"
    assert not User.objects.filter(email="siti@beltim.go.id").exists()
    assert not Invitation.objects.exists() and not AuditEntry.objects.filter(action="invitation.sent").exists()


def test_a_failed_e_mail_of_a_resend_keeps_the_old_link(admin_national, agencies, settings):
    sent = invite(admin_national, agencies["beltim"])
    settings.EMAIL_BACKEND = REFUSING_BACKEND
    with pytest.raises(ValidationError):
        invitation_resend(actor=admin_national, user=sent.invitation.user)
    assert invitation_open(token=sent.token) == sent.invitation
    assert Invitation.objects.count() == 1


# --- Who may invite whom ------------------------------------------------------------------------

def test_a_province_office_invites_in_its_province_only(lead_babel, agencies, riau, mailoutbox):
    assert may_invite(lead_babel, agencies["beltim"]) and not may_invite(lead_babel, riau)
    invite(lead_babel, agencies["beltim"])
    with pytest.raises(PermissionDenied):
        invite(lead_babel, riau, email="andi@batam.go.id")
    assert not User.objects.filter(email="andi@batam.go.id").exists()


def test_an_administrator_invites_anywhere(admin_national, agencies, riau):
    assert may_invite(admin_national, agencies["bangka"]) and may_invite(admin_national, riau)


def test_a_regency_office_and_the_pemda_side_invite_no_one(lead_beltim, staff_babel, pemda_beltim, agencies):
    for user in (lead_beltim, staff_babel, pemda_beltim):
        assert not may_invite(user, agencies["beltim"])
        with pytest.raises(PermissionDenied):
            invite(user, agencies["beltim"])


def test_a_central_agency_is_not_invited_here(admin_national, authority_bkn):
    assert not may_invite(admin_national, authority_bkn.agency)


def test_resend_and_revoke_ask_the_same_question(lead_babel, admin_national, riau):
    sent = invite(admin_national, riau, email="andi@batam.go.id")
    with pytest.raises(PermissionDenied):
        invitation_resend(actor=lead_babel, user=sent.invitation.user)
    with pytest.raises(PermissionDenied):
        invitation_revoke(actor=lead_babel, user=sent.invitation.user)
    assert Invitation.objects.get().status == Invitation.Status.PENDING


def test_the_e_mail_says_who_is_invited_to_what_in_indonesian(admin_national, agencies, mailoutbox):
    invite(admin_national, agencies["beltim"], role="ppk")
    message = mailoutbox[0]
    assert "Pemerintah Kabupaten Belitung Timur" in message.subject
    assert timezone.localtime(Invitation.objects.get().expires_at).strftime("%d-%m-%Y") in message.body
