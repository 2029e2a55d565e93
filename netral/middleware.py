"""Headers that protect reporters on every response, and the refusal of control characters."""

import re

from django.utils import translation


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
        request.LANGUAGE_CODE = code
        # The language of this request only: a thread that serves (or tests) several requests
        # does not keep a visitor's choice for the next one.
        with translation.override(code):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", code)
        return response


class ControlCharactersMiddleware:
    """A clear 400 for control characters in the path, a query parameter or a form field.

    PostgreSQL refuses a NUL in any text (a 500 when a view passed ``?q=%00abc`` to a query);
    no other control character belongs in an address or a form either. Forms refuse NUL
    themselves (Django's ProhibitNullCharactersValidator on every CharField); this is the
    backstop for every parameter, including those a view reads without a form. A form body
    may hold a tab and line breaks (a text area), no other character below the space, nor DEL.

    Near the end of MIDDLEWARE: the language is chosen and the other middlewares add their
    headers to the 400 page. Under /api/ the answer is the API's own problem detail (RFC 9457,
    documented in its schema), naming the parameters. The form body is checked in
    ``process_view``, once the CSRF middleware has read it; a body Django refuses to read (too
    large, too many fields) is left to Django's answer, and the body of a view that reads it
    itself (CSRF-exempt: the public report form's reports.uploads, the API) is left to that
    view and its forms.
    """

    IN_ADDRESS = re.compile(r"[\x00-\x1f\x7f]")
    IN_BODY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
    FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        bad = self._bad(request.GET, self.IN_ADDRESS)
        if self.IN_ADDRESS.search(request.path):
            bad.insert(0, "path")
        if bad:
            return self.refuse(request, bad)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (request.method != "POST" or request.content_type not in self.FORM_TYPES
                or getattr(view_func, "csrf_exempt", False)):
            return None
        try:
            data = request.POST
        except Exception:  # RequestDataTooBig, TooManyFieldsSent, a broken multipart body: Django answers
            return None
        bad = self._bad(data, self.IN_BODY)
        return self.refuse(request, bad) if bad else None

    def _bad(self, data, pattern) -> list[str]:
        """The names of the parameters holding a control character (shown with U+FFFD in its place)."""
        return [self.IN_ADDRESS.sub("\ufffd", key) for key in data
                if pattern.search(key) or any(pattern.search(value) for value in data.getlist(key))]

    @staticmethod
    def refuse(request, fields):
        from django.shortcuts import render
        from django.utils.translation import gettext as _

        if request.path.startswith("/api/"):  # the API answers in its own documented format
            from api.v1 import problem, request_language

            language = request_language(request)
            with translation.override(language):
                message = _("This value holds a control character (such as a null character), which cannot be "
                            "processed.")
            return problem(request, [{"field": field, "message": message} for field in fields], language)
        return render(request, "400_control_characters.html", status=400)
