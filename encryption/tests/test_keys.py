import os
import stat

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from encryption import keys


def test_text_reads_back_under_an_older_key_kept_after_the_new_one(settings):
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.MEDCONNECT_ENCRYPTION_KEYS = [old_key]
    token = keys.encrypt_text("Suspected tuberculosis")

    settings.MEDCONNECT_ENCRYPTION_KEYS = [new_key, old_key]

    assert keys.decrypt_text(token) == "Suspected tuberculosis"
    assert Fernet(new_key).decrypt(keys.encrypt_text("x").encode()) == b"x"


def test_unknown_key_fails_loudly(settings):
    token = keys.encrypt_text("secret")
    settings.MEDCONNECT_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]

    with pytest.raises(ImproperlyConfigured):
        keys.decrypt_text(token)


def test_a_value_that_is_not_a_key_is_refused(settings):
    settings.MEDCONNECT_ENCRYPTION_KEYS = ["not-a-fernet-key"]

    with pytest.raises(ImproperlyConfigured):
        keys.encrypt_text("x")


def test_no_keys_and_debug_off_refuses(settings, tmp_path):
    settings.MEDCONNECT_ENCRYPTION_KEYS = []
    settings.MEDCONNECT_DEV_KEY_FILE = tmp_path / "encryption.key"
    settings.DEBUG = False
    with pytest.raises(ImproperlyConfigured):
        keys.encrypt_text("x")
    assert not (tmp_path / "encryption.key").exists()


def test_development_key_is_generated_once_with_mode_0600(settings, tmp_path):
    settings.MEDCONNECT_ENCRYPTION_KEYS = []
    settings.MEDCONNECT_DEV_KEY_FILE = tmp_path / "encryption.key"
    settings.DEBUG = True
    token = keys.encrypt_text("hello")
    key_file = tmp_path / "encryption.key"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    first = key_file.read_bytes()
    assert keys.decrypt_text(token) == "hello"
    keys.encrypt_text("again")
    assert key_file.read_bytes() == first
