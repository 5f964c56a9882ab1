"""Message text, subjects and files are encrypted at rest and survive a key rotation."""

import io

from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from encryption.tests.keys import TEST_ENCRYPTION_KEY
from records.tests.factories import pdf_bytes, upload

from ..models import Attachment, Message, Thread
from ..selectors import attachment_read_verified
from ..services import message_post
from .factories import SECRET


def _raw(table, column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_the_database_holds_no_plain_text(colleague_thread):
    message = colleague_thread.messages.get()
    raw = _raw("messaging_message", "body", message.pk)
    assert SECRET not in raw and raw.startswith("gAAAA")
    assert "A case" not in _raw("messaging_thread", "subject", colleague_thread.pk)
    assert Message.objects.get().body == SECRET


def test_rotation_re_encrypts_text_and_files_then_the_old_key_can_go(
    colleague_thread, doctor, settings
):
    data = pdf_bytes("Biopsy: benign")
    message_post(
        thread=colleague_thread,
        sender=doctor.user,
        body="Biopsy attached",
        files=[upload("biopsy.pdf", data, "application/pdf")],
    )
    attachment = Attachment.objects.get()
    old_name = attachment.file.name
    new_key = Fernet.generate_key().decode()
    settings.MEDCONNECT_ENCRYPTION_KEYS = [new_key, TEST_ENCRYPTION_KEY]

    out = io.StringIO()
    call_command("rotate_encryption_keys", "--dry-run", stdout=out)
    assert "messaging.Attachment.file: 1 file(s), would re-encrypt 1" in out.getvalue()
    assert Attachment.objects.get().file.name == old_name

    out = io.StringIO()
    call_command("rotate_encryption_keys", stdout=out)
    assert "messaging.Message.body: 2 value(s), re-encrypted 2" in out.getvalue()
    assert "messaging.Attachment.file: 1 file(s), re-encrypted 1" in out.getvalue()
    attachment = Attachment.objects.get()
    assert attachment.file.name != old_name
    assert not attachment.file.storage.exists(old_name)

    settings.MEDCONNECT_ENCRYPTION_KEYS = [new_key]
    assert attachment_read_verified(attachment) == data
    assert Message.objects.order_by("id").first().body == SECRET
    assert Thread.objects.get().subject == "A case"
    out = io.StringIO()
    call_command("rotate_encryption_keys", stdout=out)
    assert "Re-encrypted 0 value(s) in total." in out.getvalue()
