"""Appointments get a kind (patient visit, referral visit, case discussion).

On SQLite, adding the check constraint rebuilds the table, which drops the
no-overlap triggers of 0002: they are created again afterwards.
"""

import importlib

from django.conf import settings
from django.db import migrations, models

no_overlap = importlib.import_module("appointments.migrations.0002_no_overlap_in_database")


def restore_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in no_overlap.SQLITE_DOWN + no_overlap.SQLITE_UP:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0003_send_reminder_task_path"),
        ("doctors", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="appointment",
            name="kind",
            field=models.CharField(
                choices=[
                    ("patient", "Patient visit"),
                    ("referral", "Referral visit"),
                    ("colleague", "Case discussion"),
                ],
                default="patient",
                max_length=16,
            ),
        ),
        migrations.AddConstraint(
            model_name="appointment",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind__in", ["patient", "referral", "colleague"])),
                name="appointments_appointment_kind_valid",
            ),
        ),
        migrations.RunPython(restore_sqlite_triggers, migrations.RunPython.noop),
    ]
