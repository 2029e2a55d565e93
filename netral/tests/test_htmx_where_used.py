"""htmx (about 50 KB) is loaded only by the pages that use it (issue 18: light pages for cheap phones)."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent.parent
LOADS_HTMX = "{% block htmx %}{% htmx_script %}{% endblock %}"
# The report form loads it later still, when the reporter first reaches for a control that needs it
# (static/js/report.js reads this attribute).
LOADS_HTMX_ON_DEMAND = "data-htmx-src=\"{% static 'django_htmx/htmx-2.min.js' %}\""
HX_ATTRIBUTE = re.compile(r"\bhx-(get|post|put|patch|delete|trigger|target|swap|include|vals|select)\b")


def _templates():
    return [path for path in ROOT.glob("*/templates/**/*.html") if ".venv" not in path.parts]


def test_every_page_with_an_htmx_attribute_loads_htmx():
    templates = {path: path.read_text(encoding="utf-8") for path in _templates()}
    missing = []
    for path, text in templates.items():
        if path.name == "base.html" or not HX_ATTRIBUTE.search(text):
            continue
        if not path.name.startswith("_"):
            if LOADS_HTMX not in text and LOADS_HTMX_ON_DEMAND not in text:
                missing.append(str(path.relative_to(ROOT)))
            continue
        # A partial: every page that includes it must load htmx.
        name = "/".join(path.parts[path.parts.index("templates") + 1 :])
        for page, page_text in templates.items():
            if (
                f'"{name}"' in page_text
                and not page.name.startswith("_")
                and LOADS_HTMX not in page_text
                and LOADS_HTMX_ON_DEMAND not in page_text
            ):
                missing.append(f"{page.relative_to(ROOT)} (includes {name})")
    assert not missing, missing


@pytest.mark.django_db
def test_a_page_without_htmx_does_not_load_it_and_the_report_form_offers_it_on_demand(client):
    assert b"/django_htmx/" not in client.get(reverse("portal:home")).content
    form = client.get(reverse("reports:submit")).content
    assert re.search(rb'data-htmx-src="/static/django_htmx/htmx-2\.min\.[0-9a-f.]*js"', form)
    assert b'<script src="/static/django_htmx/' not in form  # not in the first paint
