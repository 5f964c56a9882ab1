"""The visit reason is clinical text: encrypted at rest from now on, and the reasons
already stored are encrypted in place (raw SQL: the field would try to decrypt them)."""

from django.db import migrations

import encryption.fields

TABLE = "appointments_appointment"


def _rewrite(schema_editor, change):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, reason FROM {TABLE} WHERE reason <> ''")  # noqa: S608
        rows = cursor.fetchall()
        for pk, value in rows:
            new = change(value)
            if new != value:
                cursor.execute(f"UPDATE {TABLE} SET reason = %s WHERE id = %s", [new, pk])  # noqa: S608


def encrypt_reasons(apps, schema_editor):
    from encryption.keys import encrypt_text, is_token

    _rewrite(schema_editor, lambda value: value if is_token(value) else encrypt_text(value))


def decrypt_reasons(apps, schema_editor):
    from encryption.keys import decrypt_text, is_token

    _rewrite(schema_editor, lambda value: decrypt_text(value) if is_token(value) else value)


class Migration(migrations.Migration):
    dependencies = [("appointments", "0004_appointment_kind")]

    # The column stays text: only the model state changes. (An AlterField would make
    # SQLite rebuild the table and drop the no-overlap triggers of 0002.)
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="appointment",
                    name="reason",
                    field=encryption.fields.EncryptedTextField(
                        blank=True, max_length=1000, verbose_name="reason for the visit"
                    ),
                ),
            ]
        ),
        migrations.RunPython(encrypt_reasons, decrypt_reasons),
    ]
