"""The Fernet keys that encrypt data at rest.

Keys come from `settings.MEDCONNECT_ENCRYPTION_KEYS` (newest first; the first
encrypts, all of them decrypt), never from `SECRET_KEY`. With no keys
configured, a development key is generated once into
`settings.MEDCONNECT_DEV_KEY_FILE` (mode 0600), and only while DEBUG is on: a
production server without keys refuses to start encrypting.
"""

import functools
import os

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _dev_key():
    path = settings.MEDCONNECT_DEV_KEY_FILE
    if not settings.DEBUG:
        raise ImproperlyConfigured(
            "MEDCONNECT_ENCRYPTION_KEYS is required when DJANGO_DEBUG is off "
            "(a comma-separated list of Fernet keys, newest first)."
        )
    try:
        with open(path, "rb") as fh:
            return fh.read().strip().decode()
    except FileNotFoundError:
        pass
    key = Fernet.generate_key()
    # O_EXCL: two processes starting together must not write two different keys.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        with open(path, "rb") as fh:
            return fh.read().strip().decode()
    with os.fdopen(fd, "wb") as fh:
        fh.write(key)
    return key.decode()


def configured_keys():
    """The Fernet keys in use, newest first."""
    keys = [k for k in settings.MEDCONNECT_ENCRYPTION_KEYS if k]
    return tuple(keys) if keys else (_dev_key(),)


@functools.lru_cache(maxsize=8)
def _multifernet(keys):
    try:
        return MultiFernet([Fernet(k) for k in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "MEDCONNECT_ENCRYPTION_KEYS holds a value that is not a Fernet key."
        ) from exc


def get_multifernet():
    return _multifernet(configured_keys())


def get_newest_fernet():
    return _multifernet((configured_keys()[0],))


def encrypt_text(plain):
    return get_multifernet().encrypt(plain.encode("utf-8")).decode("ascii")


def decrypt_text(token):
    try:
        return get_multifernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        # A missing key is an operator error; say so instead of showing ciphertext.
        raise ImproperlyConfigured(
            "Encrypted data cannot be read with the configured MEDCONNECT_ENCRYPTION_KEYS."
        ) from exc


def encrypt_bytes(data):
    """A Fernet token (bytes) of `data`, under the newest key."""
    return get_multifernet().encrypt(bytes(data))


def decrypt_bytes(token):
    """The bytes inside a token; InvalidToken when no configured key opens it or it was
    changed (the caller decides whether that is an integrity failure or a key problem)."""
    return get_multifernet().decrypt(bytes(token))


# Every Fernet token starts with the version byte 0x80 and a timestamp, which read
# "gAAAAA" in URL-safe base64: text stored in clear before a field was encrypted
# (a base32 TOTP secret, a hex seed, a sentence) does not.
TOKEN_PREFIX = "gAAAAA"


def is_token(value):
    """Whether a stored value is already a Fernet token (for migrations that encrypt
    values stored in clear)."""
    return value.startswith(TOKEN_PREFIX)
