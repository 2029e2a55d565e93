"""Tracking codes: high entropy, shown once, stored only as a hash.

The code is derived from the form's one-time submission token with the installation's
secret key, so a double submit of the same form shows the same code without the code
being stored anywhere. The database holds SHA-256 of the code and of the token only.

The submission token is issued by the server and signed with the installation's key
(django.core.signing): a token a client made up is refused, so nothing (staged files
above all) is ever kept under a name the client chose. It holds no time and no session,
so a form sent again days later still finds its first report.
"""

import hashlib
import hmac
import secrets

from django.core.signing import BadSignature, Signer

# Crockford's base32: no I, L, O, U; 5 bits per character.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16  # 80 bits
_CONFUSABLE = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})


_TOKEN_SIGNER = {"salt": "netral.reports.submission-token", "sep": "."}


def new_submission_token() -> str:
    """A fresh token for one report form: 256 random bits, signed by this server."""
    return Signer(**_TOKEN_SIGNER).sign(secrets.token_urlsafe(32))


def is_submission_token(value: str) -> bool:
    """Whether ``value`` is a token this server issued (well formed, and its signature holds)."""
    if not (isinstance(value, str) and 80 <= len(value) <= 100
            and all(ch.isascii() and (ch.isalnum() or ch in "-_.") for ch in value)):
        return False
    try:
        Signer(**_TOKEN_SIGNER).unsign(value)
    except BadSignature:
        return False
    return True


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
