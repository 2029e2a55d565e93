"""Official letters as PDF: a Django template from letters/templates/letters/, printed by WeasyPrint.

    pdf = render_letter("forward-authority", context)   # bytes, "%PDF-..."

The context is plain data, checked against letters/data/letters.yaml (letters.context);
user text is escaped by Django's autoescaping. WeasyPrint reaches nothing outside: its
URL fetcher serves only local static files (the stylesheet, a static logo) and the images
handed to it in memory (an office's uploaded logo, read from storage by letters.services),
and stops the rendering on anything else; fonts come from the system (Debian's Liberation
and DejaVu), never from a URL. The verification QR code is drawn in the page as inline SVG
(netral.qr), so it loads nothing either.
"""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from letters.catalog import STATIC_DIR, STYLESHEET, LetterCatalog, default_catalog
from letters.context import LetterContextError, prepare_context
from netral.qr import qr_svg
from rules import catalog as rules_catalog

# WeasyPrint logs each rendering step at INFO ("Step 5 - Creating layout - Page 1"), seven
# lines per letter and a few at import, into the server log. Keep its warnings; quiet the
# steps unless the logging settings say otherwise.
_progress = logging.getLogger("weasyprint.progress")
if _progress.level == logging.NOTSET:
    _progress.setLevel(logging.WARNING)

# Imported only now, so that its import-time steps are quiet too.
from weasyprint import HTML  # noqa: E402 (after the logger is quieted)
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse  # noqa: E402

# What a letter may load: a stylesheet and images. Nothing else, even from a static folder.
ALLOWED_SUFFIXES = frozenset({".css", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"})
# Images handed over in memory are named by this scheme: "netral-memory:logo".
MEMORY_SCHEME = "netral-memory"
MEMORY_TYPES = frozenset({"image/png", "image/jpeg", "image/webp"})


@dataclass(frozen=True)
class LetterImage:
    """An image given to the renderer as bytes (an office's uploaded logo): nothing is read from a path."""

    data: bytes
    content_type: str

    def __post_init__(self):
        if self.content_type not in MEMORY_TYPES:
            raise ValueError(f"a letter's image is PNG, JPEG or WebP, not {self.content_type}")


class LetterRenderError(RuntimeError):
    """The PDF could not be made (for example, the template asked for a refused URL)."""


class URLRefused(ValueError):
    """WeasyPrint asked for something that is not a local static file."""


def static_roots() -> tuple[Path, ...]:
    """The folders a letter may load files from: the app's own static folder, the
    project's STATICFILES_DIRS and STATIC_ROOT."""
    roots = [STATIC_DIR]
    for entry in getattr(settings, "STATICFILES_DIRS", ()):
        roots.append(Path(entry[1] if isinstance(entry, (tuple, list)) else entry))
    if getattr(settings, "STATIC_ROOT", None):
        roots.append(Path(settings.STATIC_ROOT))
    return tuple(root.resolve() for root in roots)


class LocalStaticFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves local static files and refuses everything else.

    No http(s), no data: URLs, no file outside the static folders (symbolic links and ".."
    are resolved before the check), no file type other than stylesheets and images. With
    ``fail_on_errors`` a refusal stops the rendering instead of leaving a silent gap.
    """

    def __init__(self, roots: Iterable[Path | str] | None = None, *, images: Mapping[str, LetterImage] | None = None):
        super().__init__(allowed_protocols={"file", MEMORY_SCHEME}, allow_redirects=False, fail_on_errors=True)
        self.roots = tuple(Path(root).resolve() for root in roots) if roots is not None else static_roots()
        self.images = dict(images or {})

    def local_path(self, url: str) -> Path:
        """The file a URL names, if it may be served; URLRefused otherwise."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise URLRefused(f"letters load only local static files, not {url!r}")
        path = Path(url2pathname(parts.path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            raise URLRefused(f"{path} is not in a static folder")
        if path.suffix.lower() not in ALLOWED_SUFFIXES:
            raise URLRefused(f"{path}: letters load only stylesheets and images")
        if not path.is_file():
            raise URLRefused(f"{path}: no such file")
        return path

    def fetch(self, url: str, headers: Mapping | None = None) -> URLFetcherResponse:
        if url.startswith(MEMORY_SCHEME + ":"):
            image = self.images.get(url.removeprefix(MEMORY_SCHEME + ":"))
            if image is None:
                raise URLRefused(f"no image {url!r} was handed to this letter")
            return URLFetcherResponse(url, body=image.data, headers={"Content-Type": image.content_type})
        path = self.local_path(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), body=path.read_bytes(),
                                  headers={"Content-Type": content_type})


def _static_file(relative: str) -> Path:
    """A static file by its relative path, as the staticfiles finders find it."""
    from django.contrib.staticfiles import finders

    found = finders.find(relative)
    if not found:
        raise LetterContextError(f'static file "{relative}" not found')
    return Path(found[0] if isinstance(found, list) else found).resolve()


def render_letter_html(kind: str, context: Mapping[str, Any], *, language: str = "id",
                       catalog: LetterCatalog | None = None,
                       rules: rules_catalog.Catalog | None = None,
                       logo: LetterImage | None = None, verify_url: str = "",
                       copy_values: Mapping[str, str] | None = None) -> str:
    """The letter as HTML (what WeasyPrint prints); raises LetterContextError on a bad context.

    ``logo``: an uploaded logo (bytes), which wins over a static ``office.logo``; it is
    served to WeasyPrint in memory (``html_to_pdf(..., images={"logo": logo})``).
    ``verify_url``: the letter's public verification page, printed with its QR code.
    ``copy_values``: values for the placeholders of the kind's declared copies that the
    context does not hold (``issuer_above``: see letters.context.resolve_copies).
    """
    catalog = catalog or default_catalog()
    rules = rules or rules_catalog.default_catalog()
    spec = catalog.kind(kind)
    data = prepare_context(spec, context, catalog=catalog, rules=rules, language=language,
                           copy_values=copy_values)
    data["stylesheet"] = (STATIC_DIR / STYLESHEET).as_uri()
    static_logo = data["office"].get("logo")
    if logo is not None:
        data["logo_url"] = f"{MEMORY_SCHEME}:logo"
    elif static_logo:
        data["logo_url"] = _static_file(static_logo).as_uri()
    if verify_url:
        # qr_svg draws the SVG itself from the URL (no user markup): safe to place as is.
        data["verification"] = {"url": verify_url, "qr": mark_safe(qr_svg(verify_url, box_size=4))}  # noqa: S308
    return render_to_string(spec.template_name(data["language"]), data)


def html_to_pdf(html: str, *, fetcher: URLFetcher | None = None,
                images: Mapping[str, LetterImage] | None = None) -> bytes:
    """Print HTML to PDF with the local-only fetcher (serving ``images`` from memory)."""
    fetcher = fetcher or LocalStaticFetcher(images=images)
    try:
        return HTML(string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=fetcher).write_pdf()
    except FatalURLFetchingError as error:  # a BaseException: turn it into an ordinary error
        cause = error.__cause__ or error
        raise LetterRenderError(f"the letter asked for a refused resource: {cause}") from error


def render_letter(kind: str, context: Mapping[str, Any], *, language: str = "id",
                  catalog: LetterCatalog | None = None, rules: rules_catalog.Catalog | None = None,
                  logo: LetterImage | None = None, verify_url: str = "",
                  copy_values: Mapping[str, str] | None = None) -> bytes:
    """One official letter as PDF bytes.

    ``kind`` is an id from letters/data/letters.yaml (UnknownLetterKind otherwise); the
    context keys each kind needs are listed there and in docs of letters.context. Raises
    LetterContextError (naming the key) on a missing or malformed value, and
    ReporterIdentityError when a public letter is given the reporter's identity.
    """
    html = render_letter_html(kind, context, language=language, catalog=catalog, rules=rules, logo=logo,
                              verify_url=verify_url, copy_values=copy_values)
    return html_to_pdf(html, images={"logo": logo} if logo is not None else None)
