"""K19: the account details are Fernet tokens; the key comes from TUGI_SECRETS_KEY (several keys
rotate), or is derived from SECRET_KEY with HKDF when none is set."""

import pytest
from cryptography.fernet import Fernet

from tugi.remote import vault


def test_a_secret_comes_back_from_its_token_K19(settings):
    settings.TUGI_SECRETS_KEY = None
    token = vault.encrypt("hunter2")
    assert "hunter2" not in token
    assert vault.decrypt(token) == "hunter2"


def test_without_a_configured_key_the_key_is_derived_from_secret_key_K19(settings):
    settings.TUGI_SECRETS_KEY = None
    token = vault.encrypt("hunter2")
    assert Fernet(vault.derived_key(settings.SECRET_KEY)).decrypt(token.encode()) == b"hunter2"
    settings.SECRET_KEY = "another secret key for another installation"
    with pytest.raises(vault.SecretUnreadable):
        vault.decrypt(token)


def test_the_configured_key_encrypts_K19(settings):
    key = Fernet.generate_key().decode()
    settings.TUGI_SECRETS_KEY = key
    assert Fernet(key.encode()).decrypt(vault.encrypt("hunter2").encode()) == b"hunter2"


def test_keys_rotate_first_encrypts_all_decrypt_K19(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.TUGI_SECRETS_KEY = old
    token = vault.encrypt("hunter2")
    settings.TUGI_SECRETS_KEY = f"{new}, {old}"
    assert vault.decrypt(token) == "hunter2"
    rotated = vault.rotate(token)
    assert Fernet(new.encode()).decrypt(rotated.encode()) == b"hunter2"
    settings.TUGI_SECRETS_KEY = new
    assert vault.decrypt(rotated) == "hunter2"
    with pytest.raises(vault.SecretUnreadable):
        vault.decrypt(token)


def test_nothing_stays_nothing_K19():
    assert vault.encrypt("") == ""
    assert vault.decrypt("") == ""
