"""Gzip for our own pages, only where compression cannot leak a secret (BREACH).

BREACH: when a compressed response holds both a secret and text the attacker chooses (a query
parameter echoed in the page: every page echoes its own address in the language switch's
``next`` field), the attacker who can make the victim's browser send many requests and watch
their sizes on the network learns the secret a character at a time. So a response is gzipped
only when all of these hold (docs/threat-model.md, "Compression"):

- a GET or HEAD with a 200 answer: a POST answer can hold what was just submitted (the receipt
  shows the tracking code; a form sent back shows the reporter's identity);
- no one is logged in: a staff page shows reports, identities, the user name;
- the view is in ``COMPRESSED_VIEWS``, public pages whose only secrets are values made new for
  each response (Django masks the CSRF token anew each time it is rendered, the report form's
  submission token is new on each GET), which a BREACH attacker cannot learn since each probe
  sees another value. The tracking pages, the receipt and every file are not in the list;
- the content is text (HTML, JSON, CSV, the manifest).

Django's GZipMiddleware adds "Heal the Breach" padding (up to 100 random bytes in the gzip
header) on top. Static files are not handled here: WhiteNoise serves them pre-compressed
(``.br`` and ``.gz`` from CompressedManifestStaticFilesStorage, NETRAL_STATIC_MANIFEST=1).
"""

from django.middleware.gzip import GZipMiddleware

COMPRESSED_VIEWS = frozenset(
    {
        "portal:home",
        "portal:announcements",
        "portal:rules",
        "portal:rules_unverified",
        "portal:rule_detail",
        "portal:deadline_calculator",
        "portal:followup_register",
        "portal:statistics",
        "portal:open_data",
        "portal:open_data_register",
        "portal:open_data_statistics",
        "portal:datapackage",
        "reports:submit",  # the form only; its POST answers (receipt, form sent back) are never compressed
        "reports:person_row",
        "reports:employee_search",
        "reports:region_search",  # region names only (issue 20)
        "reports:track",  # the code form only; the status page (reports:tracking_status) is not listed
        "web_manifest",
    }
)
TEXT_TYPES = ("text/", "application/json", "application/manifest+json", "image/svg+xml")


def compressible(request, response) -> bool:
    """True when gzipping this response cannot let a BREACH attacker read a secret (module doc)."""
    if request.method not in {"GET", "HEAD"} or response.status_code != 200:
        return False
    match = getattr(request, "resolver_match", None)
    if match is None or match.view_name not in COMPRESSED_VIEWS:
        return False
    if not response.get("Content-Type", "").startswith(TEXT_TYPES):
        return False
    user = getattr(request, "user", None)
    return user is not None and not user.is_authenticated


class PublicCompressionMiddleware(GZipMiddleware):
    """Django's GZipMiddleware (with its BREACH padding), for the responses ``compressible`` allows."""

    def process_response(self, request, response):
        if not compressible(request, response):
            return response
        return super().process_response(request, response)
