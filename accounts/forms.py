"""The forms of the staff login and of the second factor, with our labels and messages.

two_factor and django_otp ship no Indonesian catalog, so every text a staff member reads
is an msgid of ours (locale/id/).
"""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _
from two_factor.forms import AuthenticationTokenForm, DisableForm, TOTPDeviceForm
from two_factor.utils import totp_digits

from accounts.throttling import LOCKED_OUT

TOKEN_MESSAGES = {
    "token_required": _("Enter the code from your authenticator app."),
    "invalid_token": _("This code is not valid. Check that the clock of your phone is right and enter the "
                       "code the app shows now."),
    "n_failed_attempts": _("Too many wrong codes. Wait a minute, then try again."),
    "verification_not_allowed": _("Too many wrong codes. Wait a minute, then try again."),
    "device_required": _("Enter the code from your authenticator app."),
}


class StaffAuthenticationForm(AuthenticationForm):
    """The password step. Once django-axes locks the username at this address, says so."""

    # Django's own words, as an msgid of ours: Django's Indonesian catalog says "nama pengguna"
    # before %(username)s, which is itself "nama pengguna" (locale/id has the right sentence).
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Please enter a correct %(username)s and password. Note that both fields may be "
                           "case-sensitive."),
    }

    def __init__(self, request=None, *args, **kwargs):  # "request" by name: two_factor passes it only then
        super().__init__(request, *args, **kwargs)
        # Django sets the field's max_length after the field is built, so nothing checks it:
        # a longer name went to authenticate() and django-axes could not store the failure
        # (varchar(255) on PostgreSQL: a 500, found by portal/tests/test_public_fuzz.py).
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(username.max_length))

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            # authenticate() sets the flag when this attempt reached the limit or came during
            # a lockout (accounts/throttling.py); the right password is refused then too.
            if getattr(self.request, "axes_locked_out", False):
                raise ValidationError(LOCKED_OUT, code="locked_out") from None
            raise


CODE_WIDGET = {"inputmode": "numeric", "pattern": "[0-9]*", "autocomplete": "one-time-code",
               "autofocus": True}
INVALID_CODE = {key: TOKEN_MESSAGES["invalid_token"]
                for key in ("invalid", "min_length", "max_length", "min_value", "max_value")}


class TokenForm(AuthenticationTokenForm):
    """The code step: six digits from the authenticator app (django_otp throttles wrong codes)."""

    otp_token = forms.RegexField(label=_("Code from the authenticator app"), regex=r"^[0-9]*$",
                                 min_length=totp_digits(), max_length=totp_digits(),
                                 widget=forms.TextInput(attrs=CODE_WIDGET), error_messages=INVALID_CODE)
    otp_error_messages = {**AuthenticationTokenForm.otp_error_messages, **TOKEN_MESSAGES}


class BackupTokenForm(TokenForm):
    """One of the printed backup codes, when the phone is lost."""

    otp_token = forms.CharField(label=_("Backup code"), widget=forms.TextInput(attrs={"autocomplete": "off",
                                                                                    "autofocus": True}))


class TOTPSetupForm(TOTPDeviceForm):
    """The code that confirms a new authenticator app before its key is saved."""

    token = forms.IntegerField(label=_("Code from the authenticator app"), min_value=0,
                               max_value=int("9" * totp_digits()), widget=forms.TextInput(attrs=CODE_WIDGET),
                               error_messages=INVALID_CODE)
    error_messages = {"invalid_token": TOKEN_MESSAGES["invalid_token"]}


class RemoveSecondFactorForm(DisableForm):
    understand = forms.BooleanField(
        label=_("Yes, remove my authenticator app and my backup codes from this account"))
