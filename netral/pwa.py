"""The web app manifest (/manifest.webmanifest): Netral can be added to a phone's home screen.

No service worker: nothing is cached for offline use, so no page with personal data stays on
the phone (the report form's opt-in draft is in localStorage, static/js/draft.js).
"""

import json

from django.http import HttpResponse
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.decorators import public
from netral.icons import BRAND, ICONS


@require_GET
@public
def manifest(request):
    icons = [
        {
            "src": static(f"icons/{name}"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": "maskable" if maskable else "any",
        }
        for name, (size, maskable) in ICONS.items()
    ]
    data = {
        "name": "Netral",
        "short_name": "Netral",
        "description": _("Report and follow suspected violations of civil-servant neutrality in elections."),
        "lang": request.LANGUAGE_CODE,
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": BRAND,
        "icons": icons,
    }
    return HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=1),
        content_type="application/manifest+json; charset=utf-8",
    )
