"""Encryption at rest for stored files.

An `EncryptedFileField` holds the name of a stored file whose bytes are a Fernet
token of the real file, under the keys of `encryption.keys`. Write through
`encrypted_file_store`, read through `encrypted_file_read`; never hand the stored
bytes out as they are.

`manage.py rotate_encryption_keys` re-encrypts every such file under the newest key
(`rotate_encrypted_files`): the new token is stored under a new server-generated
name, the row is pointed at it, and the old file is removed.
"""

from cryptography.fernet import InvalidToken
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import models, transaction

from .keys import decrypt_bytes, encrypt_bytes, get_multifernet, get_newest_fernet

BATCH = 200


class EncryptedFileUnreadable(Exception):
    """The stored file is missing, changed, or under no configured key."""


class EncryptedFileField(models.FileField):
    """A file stored as a Fernet token. Its `upload_to` must generate the name."""


def encrypted_file_store(field_file, data, *, name="upload"):
    """Encrypt `data` and store it as `field_file` (save=False); return the stored name."""
    field_file.save(name, ContentFile(encrypt_bytes(data)), save=False)
    return field_file.name


def encrypted_file_read(field_file):
    """The plain bytes of a stored encrypted file; EncryptedFileUnreadable if it fails."""
    try:
        with field_file.storage.open(field_file.name, "rb") as fh:
            token = fh.read()
    except Exception as exc:  # noqa: BLE001 - local disk and S3 fail differently
        raise EncryptedFileUnreadable("The stored file cannot be read.") from exc
    try:
        return decrypt_bytes(token)
    except InvalidToken as exc:
        raise EncryptedFileUnreadable(
            "The stored file cannot be decrypted with the configured keys."
        ) from exc


def encrypted_file_fields():
    """(model, field name) for every encrypted file field of every installed model."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedFileField):
                found.append((model, field.name))
    return found


def _rotate_one(model, field, pk, stored_name, token, *, dry_run):
    """Re-encrypt one file unless it is under the newest key; True if it changed."""
    try:
        get_newest_fernet().decrypt(token)
        return False
    except InvalidToken:
        pass
    rotated = get_multifernet().rotate(token)  # InvalidToken: no configured key opens it
    if dry_run:
        return True
    storage = field.storage
    new_name = storage.save(field.generate_filename(None, "rotated"), ContentFile(rotated))
    with transaction.atomic():
        # Only if the row still names the file we read (nothing replaced it meanwhile).
        moved = model._default_manager.filter(pk=pk, **{field.name: stored_name}).update(
            **{field.name: new_name}
        )
    storage.delete(stored_name if moved else new_name)
    return bool(moved)


def rotate_encrypted_files(*, dry_run=False):
    """Yield (label, scanned, changed) per encrypted file field; raise InvalidToken (with
    the row in its message) when a file is under no configured key."""
    for model, name in encrypted_file_fields():
        field = model._meta.get_field(name)
        label = f"{model._meta.label}.{name}"
        rows = model._default_manager.exclude(**{name: ""}).values_list("pk", name).order_by("pk")
        scanned = changed = 0
        for pk, stored_name in rows.iterator(chunk_size=BATCH):
            scanned += 1
            with field.storage.open(stored_name, "rb") as fh:
                token = fh.read()
            try:
                changed += _rotate_one(model, field, pk, stored_name, token, dry_run=dry_run)
            except InvalidToken as exc:
                raise InvalidToken(f"{label} of row {pk} cannot be read with any key.") from exc
        yield label, scanned, changed
