"""Evidence files (pure, no ORM): type from content, size limits, metadata stripped.

``prepare_upload`` returns the original bytes (to be sealed, encrypted) and the public
copy: images re-encoded without EXIF/GPS/XMP, PDFs rewritten without their document
information and XMP metadata. Videos keep their container metadata (no transcoder on
the server); they are shown to staff only and never published (docs/threat-model.md).
"""

import hashlib
import io
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Detected type -> extension of the stored copy.
IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
VIDEO_TYPES = {"video/mp4": "mp4", "video/quicktime": "mov", "video/3gpp": "3gp", "video/webm": "webm",
               "video/x-m4v": "m4v"}
DOCUMENT_TYPES = {"application/pdf": "pdf"}
ALLOWED_TYPES = {**IMAGE_TYPES, **VIDEO_TYPES, **DOCUMENT_TYPES}
MAX_IMAGE_PIXELS = 60_000_000  # larger is a decompression bomb, not a phone photo


@dataclass(frozen=True)
class PreparedFile:
    name: str
    content_type: str
    extension: str
    original: bytes
    public: bytes
    metadata_removed: bool

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.original).hexdigest()

    @property
    def size(self) -> int:
        return len(self.original)


def safe_name(name: str) -> str:
    """The file's base name, without path parts or control characters, at most 150 characters."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip() or "berkas"
    return base[-150:]


def prepare_upload(uploaded, *, max_bytes: int) -> PreparedFile:
    """Validate one uploaded file and make its public copy, or raise ValidationError."""
    name = safe_name(getattr(uploaded, "name", ""))
    if uploaded.size > max_bytes:
        raise ValidationError(
            _("“%(name)s” is %(size)s; a file may be at most %(limit)s."),
            code="too_large",
            params={"name": name, "size": filesizeformat(uploaded.size), "limit": filesizeformat(max_bytes)},
        )
    if uploaded.size == 0:
        raise ValidationError(_("“%(name)s” is empty."), code="empty", params={"name": name})
    uploaded.seek(0)
    original = uploaded.read()
    kind = filetype.guess(original[:8192])
    content_type = kind.mime if kind else None
    if content_type not in ALLOWED_TYPES:
        raise ValidationError(
            _("“%(name)s” is not a photo (JPG, PNG, WEBP), a PDF or a video (MP4, MOV, 3GP, WEBM). "
              "The type is read from the file's content, not its name."),
            code="bad_type",
            params={"name": name},
        )
    extension = ALLOWED_TYPES[content_type]
    if content_type in IMAGE_TYPES:
        public = _strip_image(original, content_type, name)
        return PreparedFile(name, content_type, extension, original, public, True)
    if content_type in DOCUMENT_TYPES:
        public = _strip_pdf(original, name)
        return PreparedFile(name, content_type, extension, original, public, True)
    return PreparedFile(name, content_type, extension, original, original, False)


def _unreadable(name: str) -> ValidationError:
    return ValidationError(_("“%(name)s” is damaged and cannot be opened."), code="damaged", params={"name": name})


def _strip_image(data: bytes, content_type: str, name: str) -> bytes:
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.width * probe.height > MAX_IMAGE_PIXELS:
                raise ValidationError(_("“%(name)s” is too large an image."), code="too_large", params={"name": name})
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            # Apply the orientation tag before dropping EXIF, so the photo stays upright.
            image = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if content_type == "image/jpeg":
                image = image.convert("RGB") if image.mode not in ("RGB", "L") else image
                image.save(out, "JPEG", quality=90, optimize=True)
            elif content_type == "image/png":
                image.save(out, "PNG", optimize=True)
            else:
                image.save(out, "WEBP", quality=90)
            return out.getvalue()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _unreadable(name) from None


def _strip_pdf(data: bytes, name: str) -> bytes:
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PdfReadError
    from pypdf.generic import NameObject

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ValidationError(
                _("“%(name)s” is protected with a password; send it without one."),
                code="encrypted", params={"name": name},
            )
        writer = PdfWriter(clone_from=reader)
        writer.metadata = None
        writer._root_object.pop(NameObject("/Metadata"), None)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    except ValidationError:
        raise
    except (PdfReadError, OSError, ValueError, KeyError, TypeError):
        raise _unreadable(name) from None
