"""Headers that protect reporters on every response."""


class PrivacyHeadersMiddleware:
    """No caching of pages that may show a tracking code or a report, no powerful features.

    A Content-Security-Policy with nonces comes with django-csp (production issue); until
    then every script is same-origin and no page loads anything from another host.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault(
            "Permissions-Policy", "camera=(), geolocation=(), microphone=(), interest-cohort=()"
        )
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if not request.path.startswith("/static/"):
            response.setdefault("Cache-Control", "no-store")
        return response
