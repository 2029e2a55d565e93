"""Encryption at rest with the installation's Fernet keys (settings.ENCRYPTION_KEYS).

Used for what would harm a reporter if the database or the file store leaked: the
reporter's identity and the sealed evidence originals. MultiFernet lets an administrator
rotate keys: the first key encrypts, all keys decrypt.
"""

import json
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.ENCRYPTION_KEYS))


def encrypt_bytes(data: bytes) -> bytes:
    return fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    return fernet().decrypt(token)


class EncryptedJSONField(models.TextField):
    """A JSON value stored as a Fernet token; the database never sees the plaintext.

    It cannot be filtered or indexed on, on purpose.
    """

    description = "Encrypted JSON"

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        try:
            return json.loads(fernet().decrypt(value.encode()))
        except InvalidToken as error:
            raise ValueError("Encrypted value cannot be decrypted with the configured keys.") from error

    def get_prep_value(self, value):
        if value is None:
            return None
        return fernet().encrypt(json.dumps(value, ensure_ascii=False).encode()).decode()

    def to_python(self, value):
        return value

    def value_to_string(self, obj):
        return json.dumps(self.value_from_object(obj))
