"""The office's onion address (a Tor onion service) beside its normal one (docs/deploy.md).

A reporter who fears that their network is watched can reach Netral through Tor Browser at
``NETRAL_ONION_HOST``. Tor carries that address end to end, encrypted and authenticated by the
address itself, so it is served over plain HTTP: there is no certificate to get for it. Three
HTTPS behaviours would break it and are adjusted for that host only:

- the HTTPS redirect (``SECURE_SSL_REDIRECT``) would send it to an ``https://`` onion that does
  not exist: with an onion host set, this middleware redirects every *other* host instead, and
  Django's own redirect is off (settings.py; security.W008, silenced then, advises exactly that
  for a site served over both);
- HSTS is sent only over HTTPS (Django's SecurityMiddleware), so never on the onion;
- Secure cookies: Tor Browser treats an onion as a secure context, other browsers may drop
  them over HTTP. The cookies set for the onion are host-only, and the only way to that host
  is through Tor, so the flag protects nothing there and is left off.

The clear address announces the onion with ``Onion-Location`` (Tor Browser offers to switch).
Public pages link relatively or through the request's own host (``build_absolute_uri``), never
to the clear address: ``portal/tests/test_onion.py`` walks them under an onion Host header.
"""

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpResponsePermanentRedirect
from django.http.request import split_domain_port


def onion_host() -> str:
    return getattr(settings, "NETRAL_ONION_HOST", "")


def is_onion_request(request) -> bool:
    onion = onion_host()
    if not onion:
        return False
    try:
        host = request.get_host()
    except DisallowedHost:
        return False
    return split_domain_port(host)[0] == onion


class OnionServiceMiddleware:
    """First in MIDDLEWARE: it must see the cookies of every middleware after it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        onion = is_onion_request(request)
        if (not onion and getattr(settings, "NETRAL_SSL_REDIRECT_EXCEPT_ONION", False)
                and not request.is_secure()):
            return HttpResponsePermanentRedirect(f"https://{request.get_host()}{request.get_full_path()}")
        response = self.get_response(request)
        if onion:
            for morsel in response.cookies.values():
                morsel["secure"] = False
            if "Strict-Transport-Security" in response:
                del response["Strict-Transport-Security"]
        elif onion_host() and request.is_secure():
            response.headers.setdefault("Onion-Location", f"http://{onion_host()}{request.get_full_path()}")
        return response
