"""A signature drawn on a phone arrives as a data: URL of a PNG; check it before storing (pure)."""

import base64
import binascii
import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

PREFIX = "data:image/png;base64,"
MAX_BYTES = 300_000
MAX_SIDE = 2000
MIN_INK_PIXELS = 30  # fewer dark pixels than this is an empty pad, not a signature


def _refused():
    return ValidationError(_("The signature could not be read. Draw it again or type your name."),
                           code="bad_signature")


def clean_drawn_signature(data_url: str) -> bytes:
    """The PNG bytes, re-encoded by Pillow (nothing but pixels), or ValidationError."""
    if not isinstance(data_url, str) or not data_url.startswith(PREFIX):
        raise _refused()
    encoded = data_url[len(PREFIX):]
    if len(encoded) > MAX_BYTES * 4 // 3 + 4:
        raise ValidationError(_("The signature image is too large."), code="too_large")
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise _refused() from None
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            if probe.format != "PNG" or probe.width > MAX_SIDE or probe.height > MAX_SIDE:
                raise _refused()
            probe.verify()
        with Image.open(io.BytesIO(raw)) as image:
            image = image.convert("RGBA")
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):  # too many pixels, not unreadable
        raise ValidationError(_("The signature image is too large."), code="too_large") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _refused() from None
    # Ink = visible dark pixels; a blank (or fully transparent) pad is refused.
    background = Image.new("RGBA", image.size, (255, 255, 255, 255))
    flat = Image.alpha_composite(background, image).convert("L")
    ink = sum(flat.histogram()[:128])
    if ink < MIN_INK_PIXELS:
        raise ValidationError(_("The signature pad is empty. Draw your signature or type your name."),
                              code="empty_signature")
    out = io.BytesIO()
    flat.save(out, "PNG", optimize=True)
    return out.getvalue()
