"""Secrets kept at rest: second-factor (TOTP) secrets and personal agenda
links are stored encrypted with Fernet (AES-128-CBC with HMAC-SHA256), under
a key derived from SECRET_KEY with HKDF-SHA256. A value that must also be
found by what a visitor types (a personal link) is stored a second time as
its SHA-256, which needs no key.

Changing SECRET_KEY makes the stored ciphertexts unreadable: second factors
then fail (their owners log in with a recovery code and set the factor up
again) and organisers no longer see personal links (which still work, being
looked up by hash). To change the key without that, put the old one in
OLD_SECRET_KEYS (comma-separated): values are still read with it, and
written with the new one (README, "Configuration")."""

from __future__ import annotations

import base64
import hashlib
import logging
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

log = logging.getLogger("workshops.crypto")

# Changing this changes every derived key: it names what the key is for.
_HKDF_INFO = b"track2-workshops: secrets at rest, v1"


@lru_cache(maxsize=16)
def _fernet(secret_key: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def cipher(secret_key: str, old_keys: tuple[str, ...] = ()) -> MultiFernet:
    """Encrypts with `secret_key`, decrypts with it or any of `old_keys`."""
    return MultiFernet([_fernet(k) for k in (secret_key, *old_keys) if k])


def app_cipher() -> MultiFernet:
    config = current_app.config
    return cipher(config["SECRET_KEY"], tuple(config.get("OLD_SECRET_KEYS") or ()))


def encrypt(text: str, with_cipher: MultiFernet | None = None) -> str:
    return (with_cipher or app_cipher()).encrypt(text.encode()).decode()


def decrypt(token: str | None, with_cipher: MultiFernet | None = None) -> str | None:
    """The clear text, or None when there is none or it was encrypted under
    a key this app no longer has (logged, never raised)."""
    if not token:
        return None
    try:
        return (with_cipher or app_cipher()).decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        log.warning("a stored secret cannot be decrypted: SECRET_KEY changed without OLD_SECRET_KEYS")
        return None


def digest(text: str) -> str:
    """SHA-256 in hex: what a random token is looked up by. The tokens are
    192-bit random strings, so neither a salt nor a key is needed."""
    return hashlib.sha256(text.encode()).hexdigest()
