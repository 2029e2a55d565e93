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


class DefaultLanguageMiddleware:
    """Bahasa Indonesia unless the visitor chose English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a phone set to
    English would get English by default; the product's default is Indonesian, and the
    choice is the visitor's (the language cookie set by /i18n/setlang/).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = code
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", code)
        return response
