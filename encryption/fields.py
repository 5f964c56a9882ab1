"""Encryption at rest for free text.

`EncryptedTextField` stores a Fernet token in the database and gives Python
code the plain text, under the keys of `encryption.keys`.

`manage.py rotate_encryption_keys` re-encrypts every `EncryptedTextField` of
every model under the newest key.
"""

from django.apps import apps
from django.db import models

from .keys import decrypt_text, encrypt_text


class FernetToken(str):
    """A value that is already a token: written to the database unchanged."""


class EncryptedTextField(models.TextField):
    """Text encrypted with MultiFernet; the database column holds the token.

    Empty text stays empty (there is nothing to hide). Encrypted columns can
    not be searched or filtered by content.
    """

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt_text(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        if isinstance(value, FernetToken):
            return str(value)
        return encrypt_text(value)


def encrypted_fields():
    """(model, field name) for every encrypted field of every installed model."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                found.append((model, field.name))
    return found
