"""Personal data at rest: AES-256-GCM encryption and an HMAC-SHA256 digest for exact lookup.

Keys come from the environment (settings.FIELD_ENCRYPTION_KEY, settings.FIELD_LOOKUP_KEY).
The stored form is ``v1:`` + base64(nonce ‖ ciphertext ‖ tag); the version prefix leaves room for
key rotation.
"""

from __future__ import annotations

import base64
import hmac
import os
from functools import cache
from typing import Any, cast

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import FieldError
from django.db import models

_VERSION = "v1:"


@cache
def _cipher(key_b64: str) -> AESGCM:
    return AESGCM(base64.b64decode(key_b64))


@cache
def _lookup_key(key_b64: str) -> bytes:
    return base64.b64decode(key_b64)


def encrypt(plaintext: str) -> str:
    nonce = os.urandom(12)
    sealed = _cipher(settings.FIELD_ENCRYPTION_KEY).encrypt(nonce, plaintext.encode(), None)
    return _VERSION + base64.b64encode(nonce + sealed).decode("ascii")


def decrypt(token: str) -> str:
    if not token.startswith(_VERSION):
        raise ValueError("unknown ciphertext version")
    raw = base64.b64decode(token[len(_VERSION) :])
    return _cipher(settings.FIELD_ENCRYPTION_KEY).decrypt(raw[:12], raw[12:], None).decode()


def encrypt_bytes(plaintext: bytes) -> bytes:
    """A file at rest (an upload waiting for its job, an export waiting to be downloaded)."""
    nonce = os.urandom(12)
    return nonce + _cipher(settings.FIELD_ENCRYPTION_KEY).encrypt(nonce, plaintext, None)


def decrypt_bytes(sealed: bytes) -> bytes:
    return _cipher(settings.FIELD_ENCRYPTION_KEY).decrypt(sealed[:12], sealed[12:], None)


def lookup_digest(value: str) -> str:
    """Keyed digest of a normalised value, for exact-match search without decryption."""
    key = _lookup_key(settings.FIELD_LOOKUP_KEY)
    return hmac.digest(key, value.encode(), "sha256").hex()  # one call into OpenSSL


class EncryptedTextField(models.TextField[str, str]):
    """A text field stored encrypted. Python code sees plaintext; the database never does.

    Lookups other than ``isnull`` are refused: the ciphertext is randomised, so an equality test
    could never match. Search through the companion digest field instead.
    """

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return cast(str | None, value)
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise FieldError(f"{self.name} is encrypted; look it up by its digest field")
        return super().get_lookup(lookup_name)
