"""Unguessable codes and their signed links (pure: the secret is passed in).

A certificate's verification link is ``<code>.<mac>``: the code (100 bits, Crockford
base32) finds the pledge; the MAC (HMAC-SHA256 of the code under the installation's
secret, 80 bits shown) proves the link was issued by us. An unknown code or a bad MAC is
a forgery; a known code with a good MAC shows the pledge as valid or revoked.
"""

import hashlib
import hmac
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 20  # 100 bits
MAC_LENGTH = 16  # 80 bits
_CONFUSABLE = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})


def _base32(data: bytes, length: int) -> str:
    number = int.from_bytes(data, "big")
    chars = []
    for _ in range(length):
        number, index = divmod(number, 32)
        chars.append(ALPHABET[index])
    return "".join(chars)


def new_code() -> str:
    return _base32(secrets.token_bytes(13), CODE_LENGTH)


def new_checkin_token() -> str:
    return secrets.token_urlsafe(32)


def mac(code: str, secret: str) -> str:
    digest = hmac.new(secret.encode(), b"netral-pledge:" + code.encode(), hashlib.sha256).digest()
    return _base32(digest[:10], MAC_LENGTH)


def signed_token(code: str, secret: str) -> str:
    return f"{code}.{mac(code, secret)}"


def normalize(value: str) -> str:
    cleaned = "".join(ch for ch in (value or "").upper() if not ch.isspace() and ch != "-")
    return cleaned.translate(_CONFUSABLE)


def verify_token(token: str, secret: str) -> str | None:
    """The code of a genuine token, or None for a forged or malformed one."""
    code, sep, given = (token or "").partition(".")
    code, given = normalize(code), normalize(given)
    if not sep or len(code) != CODE_LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    if not hmac.compare_digest(given.encode(), mac(code, secret).encode()):
        return None
    return code


def format_code(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))
