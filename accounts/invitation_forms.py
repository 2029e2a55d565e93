"""The form behind an invitation link: the new account's password (Django's validators)."""

from django.contrib.auth.forms import SetPasswordForm


class AcceptForm(SetPasswordForm):
    """Two password fields checked by AUTH_PASSWORD_VALIDATORS against the invited account;
    accounts.invitations.invitation_accept stores it (``save`` is not used)."""
