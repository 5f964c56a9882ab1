"""Reminder tasks already queued in the database backend run the moved task.

The task that sends an appointment reminder moved from notifications.tasks to
appointments.reminders; rows keep the task's import path, so queued, running
and finished rows are pointed at the new one (and back on reverse). No schema
change."""

from django.db import migrations

OLD_PATH = "notifications.tasks.send_reminder"
NEW_PATH = "appointments.reminders.send_reminder"


def _repoint(apps, old, new):
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    DBTaskResult.objects.filter(task_path=old).update(task_path=new)


def forwards(apps, schema_editor):
    _repoint(apps, OLD_PATH, NEW_PATH)


def backwards(apps, schema_editor):
    _repoint(apps, NEW_PATH, OLD_PATH)


class Migration(migrations.Migration):
    dependencies = [
        ("appointments", "0002_no_overlap_in_database"),
        ("django_tasks_database", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=True)]
