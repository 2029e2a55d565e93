"""Every account that is logged in uses its second factor before it opens any page but the public ones.

A middleware rather than a decorator, so that every staff page, present or future, and the
Django admin are covered without anyone remembering to ask.
"""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from two_factor.utils import default_device

# The public face: open to everyone, logged in or not (docs/threat-model.md).
PUBLIC_PATHS = frozenset({"/", "/healthz"})
PUBLIC_PREFIXES = ("/lapor/", "/lacak/", "/larangan/", "/pengumuman/", "/batas-waktu/", "/i18n/",
                   "/tindak-lanjut/", "/statistik/", "/data/",  # the published follow-up and open data
                   "/" + settings.STATIC_URL.lstrip("/"))
# The way in and out, open to a password-only session.
LOGIN_VIEWS = frozenset({"accounts:login", "accounts:logout", "accounts:password_reset",
                         "accounts:password_reset_done", "accounts:password_reset_confirm",
                         "accounts:password_reset_complete", "accounts:invitation_accept"})
# Setting up a first authenticator app, open to a password-only session without one.
SETUP_VIEWS = frozenset({"accounts:setup", "accounts:setup_qr"})


def is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


class SecondFactorRequiredMiddleware:
    """A logged-in user whose session is not verified by a TOTP code is sent to set up an
    authenticator app (none confirmed yet) or to the login (one confirmed).

    Goes after django_otp.middleware.OTPMiddleware, which tells ``user.is_verified()``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified() or is_public(request.path_info):
            return None
        view_name = request.resolver_match.view_name
        if view_name in LOGIN_VIEWS:
            return None
        if default_device(user) is None:
            if view_name in SETUP_VIEWS:
                return None
            return redirect_to_login(request.get_full_path(), reverse("accounts:setup"))
        return redirect_to_login(request.get_full_path())
