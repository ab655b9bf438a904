"""Secrets at rest (K19): remote-access account details are stored as Fernet tokens only.

The key comes from the environment as the setting TUGI_SECRETS_KEY: one Fernet key, or several
separated by commas for rotation (the first encrypts, every one of them decrypts; re-encrypting
with the newest is ``rotate``). Without it a key is derived from SECRET_KEY with HKDF, so a
development machine works with nothing set; production sets its own key, so that a leaked
SECRET_KEY alone does not open the stored accounts."""

from __future__ import annotations

import base64
import functools

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

HKDF_INFO = b"tugi remote-access secrets v1"


class SecretUnreadable(Exception):
    """The stored token cannot be opened with any configured key (a key was dropped too soon)."""


def derived_key(secret_key: str) -> bytes:
    """A Fernet key derived from Django's SECRET_KEY: the development fallback."""
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO).derive(secret_key.encode())
    return base64.urlsafe_b64encode(raw)


@functools.lru_cache(maxsize=8)
def _keyring(configured: str, secret_key: str) -> MultiFernet:
    keys = [k.strip() for k in configured.split(",") if k.strip()]
    if not keys:
        keys = [derived_key(secret_key).decode()]
    return MultiFernet([Fernet(k.encode()) for k in keys])


def keyring() -> MultiFernet:
    return _keyring(getattr(settings, "TUGI_SECRETS_KEY", None) or "", settings.SECRET_KEY)


def encrypt(text: str) -> str:
    """The token to store for ``text``; an empty text stays empty (nothing to hide)."""
    if not text:
        return ""
    return keyring().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return keyring().decrypt(token.encode()).decode()
    except InvalidToken:
        raise SecretUnreadable() from None


def rotate(token: str) -> str:
    """The same secret under the newest key (after a new key was put first in TUGI_SECRETS_KEY)."""
    if not token:
        return ""
    try:
        return keyring().rotate(token.encode()).decode()
    except InvalidToken:
        raise SecretUnreadable() from None
