"""A drawn signature whose PNG announces millions of pixels is "too large", not "unreadable" (issue 16)."""

import base64
import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from prevention.signature import PREFIX, clean_drawn_signature


def test_a_decompression_bomb_as_a_signature_is_too_large():
    out = io.BytesIO()
    Image.new("1", (8, 8)).save(out, "PNG")
    data = bytearray(out.getvalue())
    header = struct.pack(">II", 30_000, 30_000) + bytes(data[24:29])  # 900 million pixels announced
    data[16:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + header))
    with pytest.raises(ValidationError) as refused:
        clean_drawn_signature(PREFIX + base64.b64encode(bytes(data)).decode())
    assert refused.value.code == "too_large"
    assert refused.value.messages == ["Gambar tanda tangan terlalu besar."]
