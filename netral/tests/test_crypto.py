from cryptography.fernet import Fernet

from netral.crypto import EncryptedJSONField, decrypt_bytes, encrypt_bytes


def test_bytes_round_trip_and_the_token_hides_the_plaintext():
    token = encrypt_bytes(b"Siti Aminah")
    assert b"Siti" not in token
    assert decrypt_bytes(token) == b"Siti Aminah"


def test_json_field_round_trip_keeps_unicode():
    field = EncryptedJSONField()
    stored = field.get_prep_value({"name": "Siti Aminah", "address": "Jl. Merdeka – Manggar"})
    assert "Siti" not in stored
    assert field.from_db_value(stored, None, None) == {"name": "Siti Aminah", "address": "Jl. Merdeka – Manggar"}


def test_a_rotated_key_still_decrypts_old_values(settings):
    old = encrypt_bytes(b"lama")
    settings.ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *settings.ENCRYPTION_KEYS]
    assert decrypt_bytes(old) == b"lama"
    assert decrypt_bytes(encrypt_bytes(b"baru")) == b"baru"


def test_none_stays_none():
    field = EncryptedJSONField()
    assert field.get_prep_value(None) is None
    assert field.from_db_value(None, None, None) is None
