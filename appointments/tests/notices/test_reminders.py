"""Reminders: scheduled when a visit is confirmed, each sent exactly once by the
worker at its time, never for a cancelled visit, following a reschedule, and
failed deliveries kept with their error and retried."""

import datetime as dt
import importlib
from io import StringIO

import pytest
from django.apps import apps as django_apps
from django.contrib.admin.sites import site as admin_site
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from appointments.reminders import reminder_send, reminders_sync
from appointments.services import appointment_cancel, appointment_confirm, appointment_reschedule
from appointments.tests.factories import free_starts_ahead
from notifications.models import Reminder, ReminderStatus

H = dt.timedelta(hours=1)


class BrokenEmailBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server refused the connection")


@pytest.fixture
def database_tasks(settings, monkeypatch):
    """Tasks go to the database and the worker runs in this test's transaction: it must
    not close the connection between tasks as a long-running worker does."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def make_due(reminder):
    """Move a reminder's time (and its queued task) into the past, as the clock would."""
    past = timezone.now() - dt.timedelta(minutes=1)
    Reminder.objects.filter(pk=reminder.pk).update(due_at=past)
    DBTaskResult.objects.filter(status="READY", task_path__endswith="send_reminder").update(
        run_after=past
    )


def reminder_emails():
    return [m for m in mail.outbox if m.subject.startswith("[MedConnect] Reminder:")]


@pytest.fixture
def confirmed(book_slot, treating_cardiologist, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book_slot()
        appointment_confirm(appointment=appointment, actor=treating_cardiologist.user)
    mail.outbox.clear()
    return appointment


@pytest.mark.django_db
def test_confirming_schedules_one_reminder_per_offset(confirmed):
    reminders = list(Reminder.objects.filter(appointment=confirmed).order_by("due_at"))

    assert [(r.offset, r.status) for r in reminders] == [
        (24 * H, ReminderStatus.SCHEDULED),
        (2 * H, ReminderStatus.SCHEDULED),
    ]
    assert [r.due_at for r in reminders] == [confirmed.start - 24 * H, confirmed.start - 2 * H]


@pytest.mark.django_db
def test_offsets_come_from_settings(settings, book_slot, treating_cardiologist):
    settings.MEDCONNECT_REMINDER_OFFSETS_HOURS = [48, 1]
    appointment = book_slot()
    appointment_confirm(appointment=appointment, actor=treating_cardiologist.user)

    offsets = set(Reminder.objects.values_list("offset", flat=True))
    assert offsets == {48 * H, 1 * H}


@pytest.mark.django_db
def test_pending_bookings_get_no_reminders(book_slot):
    pending = book_slot()

    assert not Reminder.objects.filter(appointment=pending).exists()


@pytest.mark.django_db
def test_a_reminder_whose_time_has_passed_is_not_scheduled(confirmed):
    # Confirmed three hours before the start: only the two-hour reminder still makes sense.
    reminders_sync(appointment=confirmed, now=confirmed.start - 3 * H)

    scheduled = Reminder.objects.filter(appointment=confirmed, status=ReminderStatus.SCHEDULED)
    assert list(scheduled.values_list("offset", flat=True)) == [2 * H]


@pytest.mark.django_db
def test_worker_sends_each_reminder_exactly_once(
    database_tasks, confirmed, patient_a, django_capture_on_commit_callbacks
):
    first = Reminder.objects.get(appointment=confirmed, offset=24 * H)
    second = Reminder.objects.get(appointment=confirmed, offset=2 * H)
    run_worker()
    assert reminder_emails() == []  # nothing is due yet

    make_due(first)
    with django_capture_on_commit_callbacks(execute=True):
        run_worker()
        run_worker()
        call_command("send_due_reminders", stdout=StringIO())
        reminder_send(reminder_id=first.pk)

    [message] = reminder_emails()
    assert message.to == [patient_a.email]
    assert "Dr. Ravi Treating (Cardiology)" in message.body
    assert "(Asia/Kolkata, IST)" in message.body
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == ReminderStatus.SENT and first.sent_at is not None
    assert first.attempts == 1
    assert second.status == ReminderStatus.SCHEDULED
    assert patient_a.notifications.filter(kind="appointment_reminder").count() == 1


@pytest.mark.django_db
def test_reminder_tasks_queued_before_the_task_moved_still_run(
    database_tasks, confirmed, django_capture_on_commit_callbacks
):
    first = Reminder.objects.get(appointment=confirmed, offset=24 * H)
    queued = DBTaskResult.objects.filter(status="READY", task_path__endswith="send_reminder")
    assert set(queued.values_list("task_path", flat=True)) == {
        "appointments.reminders.send_reminder"
    }
    # As the release before queued them.
    queued.update(task_path="notifications.tasks.send_reminder")

    migration = importlib.import_module("appointments.migrations.0003_send_reminder_task_path")
    migration.forwards(django_apps, None)
    make_due(first)
    with django_capture_on_commit_callbacks(execute=True):
        run_worker()

    assert len(reminder_emails()) == 1
    first.refresh_from_db()
    assert first.status == ReminderStatus.SENT


@pytest.mark.django_db
def test_a_cancelled_appointment_is_never_reminded(
    database_tasks, confirmed, patient_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        appointment_cancel(appointment=confirmed, actor=patient_a)
    assert set(Reminder.objects.values_list("status", flat=True)) == {ReminderStatus.CANCELLED}

    for reminder in Reminder.objects.all():
        make_due(reminder)
    with django_capture_on_commit_callbacks(execute=True):
        run_worker()
        call_command("send_due_reminders", stdout=StringIO())

    assert reminder_emails() == []


@pytest.mark.django_db
def test_a_stale_task_does_not_remind_of_a_cancelled_visit(confirmed, patient_a):
    reminder = Reminder.objects.get(appointment=confirmed, offset=24 * H)
    # The visit is cancelled behind the reminder's back (no service, no sync).
    type(confirmed).objects.filter(pk=confirmed.pk).update(status="cancelled")
    Reminder.objects.filter(pk=reminder.pk).update(due_at=timezone.now() - H)

    assert reminder_send(reminder_id=reminder.pk) == "cancelled"
    assert reminder_emails() == []


@pytest.mark.django_db
def test_a_rescheduled_appointment_is_reminded_at_the_new_time(
    database_tasks, confirmed, treating_cardiologist, visit_type, django_capture_on_commit_callbacks
):
    old = {r.offset: r for r in Reminder.objects.filter(appointment=confirmed)}
    new_start = free_starts_ahead(treating_cardiologist, visit_type, days_ahead=5)[3]

    with django_capture_on_commit_callbacks(execute=True):
        appointment_reschedule(
            appointment=confirmed, actor=treating_cardiologist.user, new_start=new_start
        )

    for reminder in old.values():
        reminder.refresh_from_db()
        assert reminder.status == ReminderStatus.CANCELLED
    new = {
        r.offset: r
        for r in Reminder.objects.filter(appointment=confirmed, status=ReminderStatus.SCHEDULED)
    }
    assert {o: r.due_at for o, r in new.items()} == {
        24 * H: new_start - 24 * H,
        2 * H: new_start - 2 * H,
    }
    queued = DBTaskResult.objects.filter(status="READY", task_path__endswith="send_reminder")
    assert sorted(queued.values_list("run_after", flat=True)) == sorted(
        [new_start - 24 * H, new_start - 2 * H, *(r.due_at for r in old.values())]
    )

    # The old tasks fire and find their reminders cancelled; the new one is sent.
    for reminder in old.values():
        make_due(reminder)
    make_due(new[24 * H])
    with django_capture_on_commit_callbacks(execute=True):
        run_worker()

    [message] = reminder_emails()
    local = new_start.astimezone(treating_cardiologist.tz)
    assert f"{local:%H:%M}" in message.body
    new[24 * H].refresh_from_db()
    assert new[24 * H].status == ReminderStatus.SENT


@pytest.mark.django_db
def test_moving_back_to_the_old_time_revives_its_reminders(
    confirmed, treating_cardiologist, visit_type
):
    original = confirmed.start
    other = free_starts_ahead(treating_cardiologist, visit_type, days_ahead=5)[3]
    appointment_reschedule(appointment=confirmed, actor=treating_cardiologist.user, new_start=other)
    appointment_reschedule(
        appointment=confirmed, actor=treating_cardiologist.user, new_start=original
    )

    scheduled = Reminder.objects.filter(appointment=confirmed, status=ReminderStatus.SCHEDULED)
    assert sorted(scheduled.values_list("due_at", flat=True)) == [
        original - 24 * H,
        original - 2 * H,
    ]


@pytest.mark.django_db
def test_a_failing_email_leaves_a_failed_reminder_with_the_error_and_a_retry(
    database_tasks, confirmed, settings, django_capture_on_commit_callbacks
):
    reminder = Reminder.objects.get(appointment=confirmed, offset=24 * H)
    make_due(reminder)
    settings.EMAIL_BACKEND = f"{__name__}.BrokenEmailBackend"

    with django_capture_on_commit_callbacks(execute=True):
        run_worker()

    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.FAILED
    assert reminder.attempts == 1
    assert "SMTP server refused the connection" in reminder.last_error
    assert reminder.retry_at > timezone.now()
    retry = DBTaskResult.objects.get(
        status="READY", task_path__endswith="send_reminder", run_after=reminder.retry_at
    )

    # The retry comes due and the mail server is back.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Reminder.objects.filter(pk=reminder.pk).update(retry_at=timezone.now() - H)
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now() - H)
    with django_capture_on_commit_callbacks(execute=True):
        run_worker()

    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.SENT
    assert reminder.attempts == 2 and reminder.retries == 1
    assert reminder.last_error == ""
    assert len(reminder_emails()) == 1


@pytest.mark.django_db
def test_retries_stop_after_the_maximum_attempts(confirmed, settings):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenEmailBackend"
    reminder = Reminder.objects.get(appointment=confirmed, offset=24 * H)
    Reminder.objects.filter(pk=reminder.pk).update(due_at=timezone.now() - H)

    outcomes = []
    for _ in range(5):
        Reminder.objects.filter(pk=reminder.pk, retry_at__isnull=False).update(
            retry_at=timezone.now() - H
        )
        outcomes.append(reminder_send(reminder_id=reminder.pk))

    assert outcomes == ["failed", "failed", "failed", "skipped", "skipped"]
    reminder.refresh_from_db()
    assert reminder.attempts == 3 and reminder.retry_at is None


@pytest.mark.django_db
def test_sweep_dry_run_lists_without_sending(confirmed):
    reminder = Reminder.objects.get(appointment=confirmed, offset=24 * H)
    Reminder.objects.filter(pk=reminder.pk).update(due_at=timezone.now() - H)
    out = StringIO()

    call_command("send_due_reminders", "--dry-run", stdout=out)

    assert "1 reminder(s) due; nothing sent (dry run)." in out.getvalue()
    assert reminder_emails() == []
    out = StringIO()
    call_command("send_due_reminders", stdout=out)
    assert "1 reminder(s) due: 1 sent." in out.getvalue()
    assert len(reminder_emails()) == 1


@pytest.mark.django_db
def test_sync_is_idempotent(confirmed):
    reminders_sync(appointment=confirmed)
    reminders_sync(appointment=confirmed)

    assert Reminder.objects.filter(appointment=confirmed).count() == 2


@pytest.mark.django_db
def test_staff_see_reminder_delivery_and_retry_failed_ones(
    confirmed, staff, login, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenEmailBackend"
    reminder = Reminder.objects.get(appointment=confirmed, offset=24 * H)
    Reminder.objects.filter(pk=reminder.pk).update(due_at=timezone.now() - H)
    reminder_send(reminder_id=reminder.pk)
    client = login(staff)

    page = client.get(reverse("admin:notifications_reminder_changelist")).content.decode()
    assert "Failed" in page and "SMTP server refused" in page and "Scheduled" in page
    detail = client.get(reverse("admin:notifications_reminder_change", args=[reminder.pk]))
    assert "ConnectionRefusedError" in detail.content.decode()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:notifications_reminder_changelist"),
            {"action": "retry_now", "_selected_action": [reminder.pk]},
            follow=True,
        )
    assert "Queued 1 reminder(s) to be sent now" in response.content.decode()
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.SENT and reminder.attempts == 2


@pytest.mark.django_db
def test_reminder_admin_is_for_staff_only(login, patient_a):
    response = login(patient_a).get(reverse("admin:notifications_reminder_changelist"))
    assert response.status_code == 404  # as any page a patient may not reach
    assert admin_site.is_registered(Reminder)
