"""Tracking codes (pure): high entropy, shown once, stored only as a hash.

The code is derived from the form's one-time submission token with the installation's
secret key, so a double submit of the same form shows the same code without the code
being stored anywhere. The database holds SHA-256 of the code and of the token only.
"""

import hashlib
import hmac
import secrets

# Crockford's base32: no I, L, O, U; 5 bits per character.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16  # 80 bits
_CONFUSABLE = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})


def new_submission_token() -> str:
    return secrets.token_urlsafe(32)


def is_submission_token(value: str) -> bool:
    return isinstance(value, str) and 40 <= len(value) <= 64 and all(
        ch.isascii() and (ch.isalnum() or ch in "-_") for ch in value
    )


def derive_code(token: str, secret: str) -> str:
    digest = hmac.new(secret.encode(), b"netral-tracking:" + token.encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest[:10], "big")  # 80 bits
    chars = []
    for _ in range(CODE_LENGTH):
        number, index = divmod(number, 32)
        chars.append(ALPHABET[index])
    return "".join(chars)


def format_code(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def normalize_code(value: str) -> str | None:
    """The canonical code for what a person typed, or None if it cannot be a code."""
    cleaned = "".join(ch for ch in (value or "").upper() if not ch.isspace() and ch != "-")
    cleaned = cleaned.translate(_CONFUSABLE)
    if len(cleaned) != CODE_LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return cleaned


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()
