"""Reading a public form's body on the reporter's side of every limit (issue 16).

Django reads a multipart body with hard limits (DATA_UPLOAD_MAX_NUMBER_FILES,
DATA_UPLOAD_MAX_MEMORY_SIZE, DATA_UPLOAD_MAX_NUMBER_FIELDS) and answers a bare 400 page
past any of them, losing everything the reporter typed; and it silently drops a file
part whose header is not UTF-8 (a file name from an older phone or app). A frightened
reporter on a weak connection must get the form back instead, with what could be kept
and a message saying what was not. So the public form views are wrapped in
``tolerant_multipart``, which, before anything else reads the body:

- repairs each part's header lines to valid UTF-8 (an unreadable byte becomes U+FFFD), so
  the file arrives under a readable name, and counts the parts that carry a file;
- reads at most ``max_files`` files; each further one is read past and stands in
  ``request.FILES`` as a ``NotReceivedFile``, which the form reports by name;
- catches Django's limits and renders the form again with a message (``on_unreadable``);
- then runs the view behind the project's CSRF check (netral.csrf), on the parsed body.
"""

import io
import re
from functools import wraps

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers
from django.http.multipartparser import MultiPartParserError
from django.utils.decorators import decorator_from_middleware
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from netral.csrf import CsrfViewMiddleware

csrf_protect = decorator_from_middleware(CsrfViewMiddleware)

# A part's header block larger than this is passed on untouched (Django refuses it anyway).
MAX_PART_HEADER = 16 * 1024
_FILENAME = re.compile(rb'(?i)\bfilename\*?\s*=\s*(?:"[^"]|[^"\s;])')
_BOUNDARY = re.compile(r'(?i)\bboundary="?([^";,]+)"?')


class NotReceivedFile(UploadedFile):
    """A file part that was read past, not kept: beyond the number a form takes at once."""

    def __init__(self, name: str):
        super().__init__(file=io.BytesIO(), name=name, content_type="", size=0)


class FileCountHandler(FileUploadHandler):
    """First upload handler: lets the first ``limit`` files through, reads past the others.

    A file read past must still produce an object (``file_complete``), or Django's next
    handler would hand back its previous file a second time; it is a ``NotReceivedFile``.
    """

    def __init__(self, request=None, *, limit: int):
        super().__init__(request)
        self.limit, self.count, self.passing = limit, 0, True

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        self.count += 1
        self.passing = self.count <= self.limit
        if not self.passing:
            raise StopFutureHandlers  # no other handler opens a file for it

    def receive_data_chunk(self, raw_data, start):
        return raw_data if self.passing else None

    def file_complete(self, file_size):
        return None if self.passing else NotReceivedFile(self.file_name)


class PartHeaderRepair:
    """The request body as a stream, with each part's header lines made valid UTF-8.

    Django decodes a part's header with strict UTF-8 and skips the whole part on an error.
    Only header blocks (between a delimiter line and the blank line after it) are changed;
    file contents pass through byte for byte. ``files_seen`` counts parts with a file name.
    """

    def __init__(self, stream, boundary: bytes):
        self._stream = stream
        self._delimiter = b"\r\n--" + boundary + b"\r\n"
        self._pending = b"\r\n"  # the first delimiter has no CRLF before it: one is lent, then dropped
        self._skip = 2
        self._out = bytearray()
        self._in_header = False
        self._eof = False
        self.files_seen = 0

    def _fill(self, enough) -> None:
        while not self._eof and not enough():
            chunk = self._stream.read(64 * 1024)
            self._eof = not chunk
            self._pending += chunk
            self._process()

    def _take(self, size: int) -> bytes:
        data = bytes(self._out[:size])
        del self._out[:size]
        return data

    def read(self, size=-1):
        unbounded = size is None or size < 0
        self._fill(lambda: not unbounded and len(self._out) >= size)
        return self._take(len(self._out) if unbounded else size)

    def readline(self, size=-1):  # Django reads what it leaves of a body line by line
        self._fill(lambda: b"\n" in self._out or (size is not None and 0 <= size <= len(self._out)))
        end = self._out.find(b"\n") + 1 or len(self._out)
        return self._take(end if size is None or size < 0 else min(end, size))

    def _emit(self, data: bytes) -> None:
        if self._skip:
            cut = min(self._skip, len(data))
            data, self._skip = data[cut:], self._skip - cut
        self._out += data

    def _process(self) -> None:
        while True:
            if self._in_header:
                end = self._pending.find(b"\r\n\r\n")
                if end < 0:
                    if not self._eof and len(self._pending) <= MAX_PART_HEADER:
                        return
                    end = len(self._pending)  # no end in sight: passed on as it is
                    self._emit(self._pending)
                else:
                    self._emit(self._repaired(self._pending[:end]) + b"\r\n\r\n")
                    end += 4
                self._pending, self._in_header = self._pending[end:], False
                continue
            found = self._pending.find(self._delimiter)
            if found < 0:
                keep = 0 if self._eof else len(self._delimiter) - 1  # a delimiter may straddle two reads
                cut = max(len(self._pending) - keep, 0)
                self._emit(self._pending[:cut])
                self._pending = self._pending[cut:]
                return
            cut = found + len(self._delimiter)
            self._emit(self._pending[:cut])
            self._pending, self._in_header = self._pending[cut:], True

    def _repaired(self, header: bytes) -> bytes:
        lines = []
        for line in header.split(b"\r\n"):
            try:
                line.decode()
            except UnicodeDecodeError:
                line = line.decode(errors="replace").encode()
            lines.append(line)
        header = b"\r\n".join(lines)
        if _FILENAME.search(header):
            self.files_seen += 1
        return header


def _read_body(request, *, max_files: int) -> str | None:
    """Parse the body now, on our terms; the reason it could not be read, or None."""
    request.upload_files_seen = None
    match = _BOUNDARY.search(request.META.get("CONTENT_TYPE", ""))
    if request.content_type == "multipart/form-data" and match and hasattr(request, "_stream"):
        # HttpRequest reads the body from _stream (a WSGIRequest's LimitedStream): the repair
        # must sit in front of it before anything reads.
        repair = PartHeaderRepair(request._stream, match.group(1).encode("latin-1"))
        request._stream = repair
        request.upload_handlers.insert(0, FileCountHandler(request, limit=max_files))
    else:
        repair = None
    try:
        request.POST, request.FILES  # noqa: B018 (parsing happens on first access)
    except TooManyFilesSent:
        return _("You sent too many files at once for the form to be read. Nothing was saved: fill in the "
                 "form again and attach at most %(count)d files.") % {"count": max_files}
    except RequestDataTooBig:
        return _("The text you sent was too long for the form to be read. Nothing was saved: fill in the form "
                 "again with shorter text.")
    except TooManyFieldsSent:
        return _("The form had too many fields to be read. Nothing was saved: fill in the form again.")
    except MultiPartParserError:
        return _("The form arrived damaged and could not be read. Nothing was saved: fill in the form again.")
    if repair is not None:
        request.upload_files_seen = repair.files_seen
    return None


def files_not_received(request) -> int:
    """How many file parts of the body Django skipped (e.g. a name that is only dots)."""
    if request.upload_files_seen is None:
        return 0
    received = sum(len(files) for _field, files in request.FILES.lists())
    return max(request.upload_files_seen - received, 0)


def tolerant_multipart(*, on_unreadable, max_files=None):
    """Wrap a public form view as the module's docstring says.

    ``max_files`` (default: NETRAL_EVIDENCE_MAX_FILES, read at each request) is the number of
    files read; ``on_unreadable(request, message, *args, **kwargs)`` renders the form again when the body
    could not be read at all; it must change nothing (it runs without the CSRF check, having
    no submitted data to act on).
    """

    def decorator(view):
        protected = csrf_protect(view)

        @csrf_exempt  # checked by ``protected`` once the body has been read here
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST":
                limit = settings.NETRAL_EVIDENCE_MAX_FILES if max_files is None else max_files
                problem = _read_body(request, max_files=limit)
                if problem is not None:
                    return on_unreadable(request, problem, *args, **kwargs)
            return protected(request, *args, **kwargs)

        return wrapper

    return decorator
