"""The Indonesian catalog (locale/id/LC_MESSAGES/django.po): complete, current and safe.

Indonesian is the default language, so an untranslated, fuzzy or stale entry shows
English to a reporter, and a translation with the wrong placeholders raises at run time.
"""

import re
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

BASE_DIR = Path(settings.BASE_DIR)
PO_PATH = BASE_DIR / "locale" / "id" / "LC_MESSAGES" / "django.po"
# What `manage.py makemessages -l id --ignore=.venv --ignore=data --ignore=bench` leaves out.
IGNORED = [".venv", "data", "bench"]
NOT_SOURCES = [*IGNORED, ".git", "locale", "node_modules", "__pycache__", "*.pyc", "*.mo"]

# A Python %-format conversion: %(name)s, %d, %.1f ... (%% is a literal percent sign).
PLACEHOLDER = re.compile(r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?(?P<type>[diouxXeEfFgGcrsa%])")
TAG = re.compile(r"</?([A-Za-z][\w-]*)")
ENTITY = re.compile(r"&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);")


def catalog() -> polib.POFile:
    return polib.pofile(str(PO_PATH))


def entries(po: polib.POFile) -> list[polib.POEntry]:
    return [entry for entry in po if not entry.obsolete]


def translations(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def placeholders(text: str) -> tuple[frozenset[str], int]:
    """The named placeholders, and the number of positional ones."""
    named, positional = set(), 0
    for match in PLACEHOLDER.finditer(text):
        if match["type"] == "%":
            continue
        if match["name"] is None:
            positional += 1
        else:
            named.add(match["name"])
    return frozenset(named), positional


def sorted_matches(pattern: re.Pattern, text: str) -> list[str]:
    return sorted(match.group(0) if pattern is ENTITY else match.group(1).lower() for match in pattern.finditer(text))


def describe(entry: polib.POEntry) -> str:
    where = entry.occurrences[0] if entry.occurrences else ("?", "")
    return f"{where[0]}:{where[1]} {entry.msgid!r}"


def test_catalog_header_declares_indonesian_in_utf8_with_one_plural_form():
    po = catalog()
    assert not po.metadata_is_fuzzy, "remove '#, fuzzy' from the header"
    assert po.metadata.get("Language") == "id"
    assert po.metadata.get("Content-Type") == "text/plain; charset=UTF-8"
    assert po.metadata.get("Plural-Forms", "").replace(" ", "") == "nplurals=1;plural=0;"


def test_every_entry_is_translated_in_every_plural_form_and_none_is_fuzzy():
    po = catalog()
    problems = [f"fuzzy: {describe(entry)}" for entry in entries(po) if "fuzzy" in entry.flags]
    problems += [
        f"untranslated: {describe(entry)}"
        for entry in entries(po)
        if not translations(entry) or not all(text.strip() for text in translations(entry))
    ]
    assert entries(po), f"{PO_PATH} has no entries"
    assert not problems, "\n".join(problems)


def test_catalog_holds_every_msgid_found_in_the_code_and_templates(tmp_path, settings, monkeypatch):
    """Runs makemessages on a copy of the sources, so the tree and its catalog stay untouched."""
    sources = tmp_path / "src"
    shutil.copytree(BASE_DIR, sources, ignore=shutil.ignore_patterns(*NOT_SOURCES), symlinks=True)
    settings.LOCALE_PATHS = [sources / "locale"]
    monkeypatch.chdir(sources)
    call_command("makemessages", locale=["id"], ignore_patterns=list(IGNORED), no_obsolete=True,
                 verbosity=0, stdout=StringIO(), stderr=StringIO())

    def key(entry):
        return entry.msgctxt, entry.msgid, entry.msgid_plural or None

    extracted = polib.pofile(str(sources / "locale" / "id" / "LC_MESSAGES" / "django.po"))
    known = {key(entry) for entry in entries(catalog())}
    missing = [describe(entry) for entry in entries(extracted) if key(entry) not in known]
    assert not missing, (
        "Run `manage.py makemessages -l id --ignore=.venv --ignore=data --ignore=bench --no-obsolete` "
        "and translate these msgids:\n" + "\n".join(missing)
    )


def test_placeholders_of_every_translation_match_its_msgid():
    problems = []
    for entry in entries(catalog()):
        source = entry.msgid + (entry.msgid_plural or "")
        if "python-format" not in entry.flags and "%(" not in source:
            continue
        expected = placeholders(entry.msgid_plural or entry.msgid)
        if entry.msgid_plural:
            named = placeholders(entry.msgid)[0] | expected[0]
            expected = (named, expected[1])
        for text in translations(entry):
            if text and placeholders(text) != expected:
                problems.append(f"{describe(entry)}: {text!r}")
    assert not problems, "placeholders differ:\n" + "\n".join(problems)


def test_markup_and_entities_of_every_translation_match_its_msgid():
    problems = []
    for entry in entries(catalog()):
        for text in translations(entry):
            for pattern in (TAG, ENTITY):
                if text and sorted_matches(pattern, text) != sorted_matches(pattern, entry.msgid):
                    problems.append(f"{describe(entry)}: {text!r}")
    assert not problems, "HTML tags or entities differ:\n" + "\n".join(problems)


@pytest.fixture
def compiled_catalog(tmp_path, settings):
    """The current django.po compiled into a temporary locale folder, whatever `make` built."""
    locale = tmp_path / "locale"
    (locale / "id" / "LC_MESSAGES").mkdir(parents=True)
    result = subprocess.run(["msgfmt", "--check", "-o", str(locale / "id" / "LC_MESSAGES" / "django.mo"), str(PO_PATH)],
                            capture_output=True, text=True)
    if result.returncode:
        pytest.fail(f"msgfmt --check refuses {PO_PATH}:\n{result.stderr}")
    settings.LOCALE_PATHS = [locale]
    return locale


@pytest.mark.django_db
def test_home_page_is_in_indonesian_by_default(client, compiled_catalog):
    page = client.get("/").content.decode()
    assert 'lang="id"' in page
    assert "Laporkan pelanggaran" in page
    assert "Report a violation" not in page


@pytest.mark.django_db
def test_home_page_is_in_english_after_choosing_english(client, compiled_catalog):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert settings.LANGUAGE_COOKIE_NAME == "netral_language"
    page = client.get("/").content.decode()
    assert 'lang="en"' in page
    assert "Report a violation" in page
    assert "Laporkan pelanggaran" not in page


@pytest.mark.django_db
def test_tracking_page_switches_back_to_indonesian(client, compiled_catalog):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.post(reverse("set_language"), {"language": "id", "next": "/"})
    page = client.get(reverse("reports:track")).content.decode()
    assert "Lacak laporan Anda" in page
    assert "Track your report" not in page
