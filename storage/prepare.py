"""Evidence files (pure, no ORM): type from content, size limits, metadata stripped.

``prepare_upload`` returns the original bytes (to be sealed, encrypted) and the public
copy: images re-encoded without EXIF/GPS/XMP, PDFs rewritten without their document
information and XMP metadata. Videos keep their container metadata (no transcoder on
the server); they are shown to staff only and never published (docs/threat-model.md).

A file is what its content is, checked by a parser of that kind: an image must open in
Pillow, a PDF in pypdf, and a video must be a whole MP4/QuickTime/3GP container that
mutagen reads (a real 'moov' with its header), not merely start with an MP4 signature.
"""

import hashlib
import io
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from mutagen import MutagenError
from mutagen.mp4 import MP4
from PIL import Image, ImageOps, UnidentifiedImageError

# Detected type -> extension of the stored copy.
IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
# ISO base media containers only: the parser that checks videos (mutagen) reads these. WebM
# (Matroska) is refused: no maintained pure-Python parser of it is in our dependencies.
VIDEO_TYPES = {"video/mp4": "mp4", "video/quicktime": "mov", "video/3gpp": "3gp", "video/x-m4v": "m4v"}
DOCUMENT_TYPES = {"application/pdf": "pdf"}
ALLOWED_TYPES = {**IMAGE_TYPES, **VIDEO_TYPES, **DOCUMENT_TYPES}
MAX_IMAGE_PIXELS = 60_000_000  # larger is a decompression bomb, not a phone photo
# A phone video has a few dozen boxes (a fragmented one a few thousand), nested a few deep.
# Past these a file is built to make the parser spend memory and time (20 MB of empty boxes
# cost mutagen 600 MB and 4 s): refused before it is parsed.
MAX_VIDEO_BOXES = 20_000
MAX_VIDEO_DEPTH = 16


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
            _("“%(name)s” is not a photo (JPG, PNG, WEBP), a PDF or a video (MP4, MOV, 3GP). "
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
    _check_video(original, name)
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
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow refuses more pixels than any phone takes before it decodes them: too large, not damaged.
        raise ValidationError(_("“%(name)s” is too large an image."), code="too_large",
                              params={"name": name}) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
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


def _not_a_video(name: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s” begins like a video but is not a complete video file (MP4, MOV or 3GP) that can be "
          "played. Send the video as your phone saved it."),
        code="bad_video", params={"name": name},
    )


# The container boxes mutagen descends into (mutagen.mp4): the same ones are counted below.
_CONTAINER_BOXES = frozenset({b"moov", b"udta", b"trak", b"mdia", b"meta", b"ilst", b"stbl", b"minf", b"moof",
                              b"traf"})


def _box_tree(data: bytes) -> tuple[set, set] | None:
    """The box paths (b"moov/trak") and track handler types (b"vide") of a file, or None.

    None when the tree is unbounded (count, depth), a box runs past its parent, or bytes
    follow the last top-level box (a script appended to a real video). Only box headers are
    read here, so that mutagen is given only a file it can parse cheaply.
    """
    count, paths, handlers = 0, set(), set()
    stack = [(0, len(data), b"")]  # box sequences still to walk: start, end, parent path
    while stack:
        position, end, parent = stack.pop()
        if parent.count(b"/") >= MAX_VIDEO_DEPTH:
            return None
        while position < end:
            count += 1
            if count > MAX_VIDEO_BOXES or end - position < 8:
                return None
            size, kind = int.from_bytes(data[position:position + 4], "big"), data[position + 4:position + 8]
            header = 8
            if size == 1:  # a 64-bit size follows
                if end - position < 16:
                    return None
                size, header = int.from_bytes(data[position + 8:position + 16], "big"), 16
            elif size == 0 and not parent:  # the last box runs to the end of the file
                size = end - position
            if size < header or position + size > end:
                return None
            path = parent + b"/" + kind if parent else kind
            paths.add(path)
            if path == b"moov/trak/mdia/hdlr":  # version+flags, pre_defined, then the handler type
                handlers.add(data[position + header + 8:position + header + 12])
            if kind in _CONTAINER_BOXES:
                skip = 4 if kind == b"meta" else 0  # 'meta' is a full box: version and flags first
                stack.append((position + header + skip, position + size, path))
            position += size
    return paths, handlers


def _check_video(data: bytes, name: str) -> None:
    """A whole ISO base media container (MP4, MOV, 3GP, M4V) with a video track, or ValidationError.

    The box tree must be bounded and whole (above), hold a movie header and a track whose
    handler is video, and mutagen must read it: its movie header, tracks and metadata.
    """
    tree = _box_tree(data)
    if tree is None:
        raise _not_a_video(name)
    paths, handlers = tree
    if not {b"moov/mvhd", b"moov/trak"} <= paths or b"vide" not in handlers:
        raise _not_a_video(name)
    try:
        MP4(io.BytesIO(data))
    except (MutagenError, ValueError, OverflowError, RecursionError, MemoryError, IndexError, KeyError):
        raise _not_a_video(name) from None
