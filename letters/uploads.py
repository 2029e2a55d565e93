"""A file upload that is hashed as it arrives and never kept: the letter verification page's.

Django keeps an upload in memory or, past FILE_UPLOAD_MAX_MEMORY_SIZE, in a temporary file.
The verification page needs only the SHA-256 of what was sent, so this handler takes the
chunks one by one, feeds them to the hash and drops them: nothing of the file is written
anywhere, and a file larger than the limit stops the upload.
"""

import hashlib

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

MAX_CHECK_BYTES = 20 * 1024 * 1024  # letters are a few hundred kilobytes; a scan of one a few MB


class HashedUpload(UploadedFile):
    """What is left of an upload: its name, size and SHA-256; no content."""

    def __init__(self, *, name: str, size: int, sha256: str, too_large: bool = False):
        super().__init__(file=None, name=name, content_type="application/octet-stream", size=size)
        self.sha256 = sha256
        self.too_large = too_large

    def open(self, mode=None):  # there is nothing to read
        raise ValueError("a hashed upload keeps no content")


class HashingUploadHandler(FileUploadHandler):
    """Hash each uploaded file's chunks and discard them (the only handler of the view)."""

    def __init__(self, request=None, *, limit: int | None = None):
        super().__init__(request)
        self.limit = limit or getattr(settings, "NETRAL_LETTER_VERIFY_MAX_BYTES", MAX_CHECK_BYTES)
        self.digest = None
        self.size = 0
        self.too_large = False

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.digest, self.size, self.too_large = hashlib.sha256(), 0, False

    def receive_data_chunk(self, raw_data, start):
        self.size += len(raw_data)
        if self.size > self.limit:
            self.too_large = True
            raise StopUpload(connection_reset=False)
        self.digest.update(raw_data)
        return None  # nothing passes on to another handler: the bytes end here

    def file_complete(self, file_size):
        return HashedUpload(name=self.file_name or "", size=file_size, sha256=self.digest.hexdigest())

    def upload_complete(self):
        if self.too_large and self.request is not None:
            # The stopped file never reaches file_complete: tell the view.
            self.request.letters_upload_too_large = True
