"""What django-axes needs from us: the client address, a log label, the lockout page.

Failed passwords are counted per username *and* address (settings.AXES_LOCKOUT_PARAMETERS),
so one person's typos never lock a whole office behind one NAT address. What axes keeps,
and for how long, is in docs/threat-model.md.
"""

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from netral.http import client_address

# settings.AXES_COOLOFF_TIME is 30 minutes; change both together.
LOCKED_OUT = _("Too many failed attempts. Try again in 30 minutes or ask your administrator.")


def login_address(request) -> str | None:
    """The address the attempt came from, behind exactly NETRAL_TRUSTED_PROXIES proxies."""
    return client_address(request) or None


def log_label(username, ip_address, user_agent, path_info, request) -> str:
    """Axes' log lines name the account and the page, never the address or the browser:
    Netral's logs carry no addresses (settings.LOGGING)."""
    return f'{{username: "{username}", path_info: "{path_info}"}}'


def lockout_response(request, original_response=None, credentials=None):
    """The login page again, its form saying why (accounts.forms.StaffAuthenticationForm)."""
    if original_response is not None and original_response.status_code == 200:
        original_response.status_code = 429
        return original_response
    return HttpResponse(str(LOCKED_OUT), status=429, content_type="text/plain; charset=utf-8")
