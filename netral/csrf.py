"""Django's CSRF check, made to work with ``Referrer-Policy: no-referrer``.

With that policy a browser posting one of our own forms sends ``Origin: null`` (and, over
HTTPS, no Referer), which Django's check refuses as it must: an opaque origin could be
anyone (a sandboxed frame, a data: URL, a cross-site redirect). What tells our own page apart
is ``Sec-Fetch-Site``: the browser sets it, a page cannot set or change it (a forbidden
header name), and it says ``same-origin`` only for a request started by a document of our
exact origin. A sandboxed or opaque document gets ``cross-site``; a request from another
site gets ``cross-site`` or ``same-site``; a tool outside a browser may forge anything but
has no victim's cookies to ride on.

So ``Origin: null`` and a missing Referer are accepted only together with
``Sec-Fetch-Site: same-origin``; every other Origin or Referer goes through Django's own
rules unchanged, and the CSRF token is required in every case (docs/threat-model.md).
"""

from django.middleware import csrf


def _same_origin_fetch(request) -> bool:
    return request.META.get("HTTP_SEC_FETCH_SITE") == "same-origin"


class CsrfViewMiddleware(csrf.CsrfViewMiddleware):
    def _origin_verified(self, request):
        if request.META.get("HTTP_ORIGIN") == "null" and _same_origin_fetch(request):
            return True
        return super()._origin_verified(request)

    def _check_referer(self, request):
        # Only reached over HTTPS without an Origin header (Django checks the Origin when
        # there is one); the token check follows either way.
        if "HTTP_REFERER" not in request.META and _same_origin_fetch(request):
            return
        super()._check_referer(request)
