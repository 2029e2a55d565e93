"""Login with a second factor, built on django-two-factor-auth: our templates, forms and URLs.

Every account must use a TOTP authenticator app (accounts.middleware); these views log in,
set the app up, show backup codes and remove the app (to set up a new phone).
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import get_usage
from two_factor import views as two_factor_views
from two_factor.utils import default_device

from accounts.decorators import public
from accounts.forms import (
    BackupTokenForm,
    RemoveSecondFactorForm,
    StaffAuthenticationForm,
    TokenForm,
    TOTPSetupForm,
)
from accounts.invitation_forms import AcceptForm
from accounts.invitations import InvitationClosed, invitation_open
from accounts.invitations import invitation_accept as invitation_accept_service
from accounts.models import User
from audit.services import audit_record
from netral.http import address_key, pseudonym


class LocalNextMixin:
    """``?next=`` is a path of this site or nothing: redirect() would take "?next=abc" for the
    name of a view and fail with a server error (issue 16)."""

    def get_redirect_url(self):
        url = super().get_redirect_url()
        return url if url.startswith("/") else ""


class LoginView(LocalNextMixin, two_factor_views.LoginView):
    """Password, then the code from the app. The wizard hands ``request`` to the
    authentication form, so authenticate() reaches django-axes with it."""

    template_name = "accounts/login.html"
    FORMS = {
        two_factor_views.LoginView.AUTH_STEP: StaffAuthenticationForm,
        two_factor_views.LoginView.TOKEN_STEP: TokenForm,
        two_factor_views.LoginView.BACKUP_STEP: BackupTokenForm,
    }
    form_list = tuple(FORMS.items())

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.is_verified():
            return redirect(self.get_success_url())
        return super().dispatch(request, *args, **kwargs)

    def get_form_list(self):
        # two_factor writes its own token form into self.form_list on every request
        # (LoginView.get_form); ours are put back here, where the wizard looks them up.
        form_list = super().get_form_list()
        for step in form_list:
            form_list[step] = self.FORMS.get(step, form_list[step])
        return form_list

    def done(self, form_list, **kwargs):
        user = self.get_user()
        if default_device(user) is None:
            # Right password, no authenticator app yet: set one up before anything else.
            login(self.request, user)
            return redirect_to_login(self.get_success_url(), reverse("accounts:setup"))
        return super().done(form_list, **kwargs)


class SetupView(LocalNextMixin, two_factor_views.SetupView):
    """Scan the QR code (served by QRCodeView) or type the key, then confirm with a code."""

    template_name = "accounts/setup.html"
    success_url = "accounts:setup_complete"
    qrcode_url = "accounts:setup_qr"

    def get_form_list(self):
        form_list = super().get_form_list()
        if "generator" in form_list:
            form_list["generator"] = TOTPSetupForm
        return form_list

    def done(self, form_list, **kwargs):
        with transaction.atomic():
            response = super().done(form_list, **kwargs)
            user = self.request.user
            audit_record(actor=user, action="account.second_factor_set", target=user)
        return response


class QRCodeView(two_factor_views.QRGeneratorView):
    """The QR code of the key being set up, drawn here as SVG: no outside QR service."""


class SetupCompleteView(two_factor_views.SetupCompleteView):
    template_name = "accounts/setup_complete.html"


class BackupTokensView(two_factor_views.BackupTokensView):
    template_name = "accounts/backup_tokens.html"
    success_url = "accounts:backup_tokens"

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            user = self.request.user
            audit_record(actor=user, action="account.backup_codes_made", target=user)
        return response


class DisableView(two_factor_views.DisableView):
    """Removes the app and the backup codes; the next page asks for a new app at once."""

    template_name = "accounts/disable.html"
    form_class = RemoveSecondFactorForm

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            user = self.request.user
            audit_record(actor=user, action="account.second_factor_removed", target=user)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """The same answer for every address: a link goes out only to an active account that
    has that address (Django's form looks it up and stays silent otherwise), so the page
    never tells whether an account exists. The link resets the password, not the second
    factor: the login still asks for the app's code."""

    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        # Past a few requests per address, or per e-mail address, nothing more is sent, and the
        # answer stays the same: nobody can fill a staff member's mailbox, nor learn anything.
        email = form.cleaned_data["email"].strip().lower()
        limited = False
        for group, key, rate in (
            ("password-reset-address", address_key, settings.NETRAL_PASSWORD_RESETS_PER_ADDRESS),
            ("password-reset-email", lambda group, request: pseudonym(email),
             settings.NETRAL_PASSWORD_RESETS_PER_EMAIL),
        ):
            usage = get_usage(self.request, group=group, key=key, rate=rate, increment=True)
            limited = limited or (usage is not None and usage["should_limit"])
        if limited:
            return redirect(self.success_url)
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            audit_record(actor=self.user, action="account.password_reset", target=self.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


# Where each role starts its work after logging in: the summary of what needs it today
# (portal/staff_home.py, "/staf/"), whose blocks link to the lists of the nav.
HOME_BY_ROLE = {
    User.Role.BAWASLU_STAFF: "portal:staff_home",
    User.Role.BAWASLU_LEAD: "portal:staff_home",
    User.Role.PEMDA_STAFF: "portal:staff_home",
    User.Role.PPK: "portal:staff_home",
    User.Role.AUTHORITY: "portal:staff_home",
    User.Role.ADMIN: "portal:staff_home",
    User.Role.UNIT_HEAD: "prevention:checklist_home",
}


def staff_home(request):
    """The start page of the logged-in user's role."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    return redirect(HOME_BY_ROLE.get(request.user.role, "portal:home"))


# Where an invited account goes once its password is set: its agency's onboarding page, after
# the authenticator app's setup (a URL name of the onboarding app, as HOME_BY_ROLE names portal's).
AFTER_INVITATION = "onboarding:agency"


@public
@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    """The e-mailed one-time link (accounts.invitations): choose a password, then the app.

    A link that does not open (unknown, expired, used, withdrawn, replaced) gets a page saying
    why, and nothing of the account changes."""
    try:
        invitation = invitation_open(token=token)
    except InvitationClosed as closed:
        status = 404 if closed.reason == "unknown" else 410
        return render(request, "accounts/invitation_closed.html", {"message": closed.message}, status=status)
    user = invitation.user
    form = AcceptForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept_service(token=token, password=form.cleaned_data["new_password1"])
        except InvitationClosed as closed:  # used or withdrawn while the form was open
            return render(request, "accounts/invitation_closed.html", {"message": closed.message}, status=410)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        after = reverse(AFTER_INVITATION, args=[user.agency_id])
        return redirect(reverse("accounts:setup") + "?" + urlencode({REDIRECT_FIELD_NAME: after}))
    return render(request, "accounts/invitation_accept.html", {"form": form, "invited": user},
                  status=400 if request.method == "POST" else 200)
