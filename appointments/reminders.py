"""Reminders before confirmed appointments.

`reminders_sync` runs inside every appointment service that changes a visit:
a confirmed appointment gets one scheduled reminder per configured offset
(24 h and 2 h before by default), anything else gets none, and reminders for a
start that no longer holds are cancelled. Each reminder is sent by a task that
runs at its due time (run_after), and by `manage.py send_due_reminders` as a
safety net; both go through `reminder_send`, which locks the row so a reminder
goes out exactly once.

The task lives here, next to what it runs: sending a reminder queues its retry
and syncing queues new reminders, so this module and the task need each other.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from notifications.models import Reminder, ReminderStatus
from notifications.tasks import enqueue_at, notification_email_deliver

from .models import AppointmentStatus
from .notices import notify_reminder

OPEN_STATUSES = (ReminderStatus.SCHEDULED, ReminderStatus.FAILED)


def reminder_offsets():
    return [dt.timedelta(hours=hours) for hours in settings.MEDCONNECT_REMINDER_OFFSETS_HOURS]


def max_attempts():
    return settings.MEDCONNECT_REMINDER_MAX_ATTEMPTS


def retry_delay(attempts):
    """Back off: the base delay, doubled after each failed attempt."""
    return dt.timedelta(minutes=settings.MEDCONNECT_REMINDER_RETRY_MINUTES * 2 ** (attempts - 1))


def _enqueue_on_commit(reminder_id, when):
    transaction.on_commit(lambda: enqueue_at(send_reminder, when, reminder_id))


def reminders_sync(*, appointment, now=None, new=False):
    """Make the appointment's reminders match its state; call inside its transaction.

    `new`: the appointment was created in this transaction, so it has no reminders yet.
    """
    now = now or timezone.now()
    wanted = {}
    if appointment.status == AppointmentStatus.CONFIRMED:
        for offset in reminder_offsets():
            due_at = appointment.start - offset
            # A reminder whose time has passed at booking would only arrive late.
            if due_at > now:
                wanted[offset] = due_at

    if new:
        created = Reminder.objects.bulk_create(
            Reminder(
                appointment=appointment,
                offset=offset,
                due_at=due_at,
                appointment_start=appointment.start,
            )
            for offset, due_at in wanted.items()
        )
        for reminder in created:
            _enqueue_on_commit(reminder.pk, reminder.due_at)
        return

    for reminder in Reminder.objects.select_for_update().filter(
        appointment=appointment, status__in=OPEN_STATUSES
    ):
        if wanted.get(reminder.offset) == reminder.due_at:
            del wanted[reminder.offset]  # still right: keep it and its queued task
            continue
        reminder.status = ReminderStatus.CANCELLED
        reminder.retry_at = None
        reminder.save(update_fields=["status", "retry_at", "updated_at"])

    for offset, due_at in wanted.items():
        reminder, created = Reminder.objects.select_for_update().get_or_create(
            appointment=appointment,
            offset=offset,
            due_at=due_at,
            defaults={"appointment_start": appointment.start},
        )
        if not created:
            if reminder.status == ReminderStatus.SENT:
                continue  # this very reminder already went out
            # Moved back to a time it had before: the cancelled reminder lives again.
            reminder.status = ReminderStatus.SCHEDULED
            reminder.appointment_start = appointment.start
            reminder.attempts = 0
            reminder.last_error = ""
            reminder.retry_at = None
            reminder.save()
        _enqueue_on_commit(reminder.pk, due_at)


def _close(reminder, status, error=""):
    reminder.status = status
    reminder.last_error = error
    reminder.retry_at = None
    reminder.save(update_fields=["status", "last_error", "retry_at", "updated_at"])
    return status


def reminder_send(*, reminder_id, now=None):
    """Send one reminder if it is still due; returns what happened.

    The row stays locked while the email goes out, so two workers (or a worker
    and the sweep) can never both send it.
    """
    now = now or timezone.now()
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update(of=("self",))
            .select_related(
                "appointment__doctor__user", "appointment__patient", "appointment__visit_type"
            )
            .filter(pk=reminder_id)
            .first()
        )
        if reminder is None or reminder.status in (ReminderStatus.SENT, ReminderStatus.CANCELLED):
            return "skipped"
        if reminder.status == ReminderStatus.FAILED:
            if reminder.attempts >= max_attempts() or reminder.retry_at is None:
                return "skipped"
            if reminder.retry_at > now:
                return "not_due"
        elif reminder.due_at > now:
            return "not_due"
        appointment = reminder.appointment
        if (
            appointment.status != AppointmentStatus.CONFIRMED
            or appointment.start != reminder.appointment_start
        ):
            return _close(reminder, ReminderStatus.CANCELLED)
        if appointment.start <= now:
            return _close(
                reminder,
                ReminderStatus.CANCELLED,
                _("The appointment had started before the reminder could go out."),
            )
        patient = appointment.patient
        if not patient.is_active:
            return _close(
                reminder, ReminderStatus.CANCELLED, _("The patient's account is inactive.")
            )

        reminder.attempts += 1
        if reminder.notification_id is None:
            # In-app only: the email is sent below, so a failure is seen here.
            reminder.notification = notify_reminder(appointment)
        try:
            notification_email_deliver(reminder.notification)
        except Exception as exc:  # any email failure is recorded and retried
            reminder.status = ReminderStatus.FAILED
            reminder.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if reminder.attempts < max_attempts():
                reminder.retry_at = now + retry_delay(reminder.attempts)
                _enqueue_on_commit(reminder.pk, reminder.retry_at)
            else:
                reminder.retry_at = None
            reminder.save()
            return "failed"
        reminder.status = ReminderStatus.SENT
        reminder.sent_at = now
        reminder.last_error = ""
        reminder.retry_at = None
        reminder.save()
        return "sent"


def reminder_retry_now(*, reminder):
    """Staff: send a failed (or overdue) reminder again now, past the automatic attempts."""
    with transaction.atomic():
        reminder = Reminder.objects.select_for_update().get(pk=reminder.pk)
        if reminder.status not in OPEN_STATUSES:
            return False
        if reminder.status == ReminderStatus.SCHEDULED and reminder.due_at > timezone.now():
            return False  # not due yet: its task will send it
        reminder.status = ReminderStatus.SCHEDULED
        reminder.retry_at = None
        reminder.save(update_fields=["status", "retry_at", "updated_at"])
        transaction.on_commit(lambda: send_reminder.enqueue(reminder.pk))
    return True


def reminders_due(now=None):
    now = now or timezone.now()
    return Reminder.objects.due(now, max_attempts())


@task()
def send_reminder(reminder_id):
    return reminder_send(reminder_id=reminder_id)


def reminders_send_due(*, now=None):
    """Send every reminder that is due (the sweep): {outcome: count}."""
    now = now or timezone.now()
    due = list(reminders_due(now).order_by("due_at").values_list("pk", flat=True))
    outcomes = {}
    for pk in due:
        outcome = reminder_send(reminder_id=pk, now=now)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


@task()
def send_due_reminders():
    """The periodic sweep (MEDCONNECT_PERIODIC_JOBS): what a lost task left is sent now."""
    return reminders_send_due()
