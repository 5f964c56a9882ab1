"""Message threads at scale: a patient thread for many patient-doctor pairs with a
completed visit (the doctor still treats them), a direct thread for connected
doctors where the network has connections, and one thread of 1,000 messages (the
paged thread of the benchmark). Every thread has its two participants with read
receipts and unread counts that match the messages."""

import datetime as dt

from appointments.models import Appointment, AppointmentKind, AppointmentStatus
from messaging.models import Message, Participant, Thread, ThreadKind
from network.models import Connection, ConnectionStatus
from patients.access import treating_since

from .writer import next_id

LONG_THREAD_MESSAGES = 1000
LINES = [
    "Thank you, doctor. The new tablets suit me better.",
    "Please send me the latest report before the next visit.",
    "Continue the same dose for two more weeks, then we review.",
    "Could you look at the attached values? They changed since last month.",
    "Noted. I will call if anything changes.",
]


def _patient_pairs(run, limit):
    pairs = (
        Appointment.objects.filter(
            kind=AppointmentKind.PATIENT,
            status=AppointmentStatus.COMPLETED,
            end__gt=treating_since(run.now),
        )
        .values_list("patient_id", "doctor__user_id", "id")
        .order_by("id")
    )
    seen, chosen = set(), []
    for patient_id, doctor_user_id, appointment_id in pairs.iterator():
        if (patient_id, doctor_user_id) not in seen:
            seen.add((patient_id, doctor_user_id))
            chosen.append((patient_id, doctor_user_id, appointment_id))
        if len(chosen) >= limit:
            break
    return chosen


def _doctor_pairs(limit):
    return list(
        Connection.objects.filter(status=ConnectionStatus.ACCEPTED)
        .values_list("requester__user_id", "recipient__user_id")
        .order_by("id")[:limit]
    )


class _Rows:
    def __init__(self):
        self.thread_id = next_id(Thread)
        self.participant_id = next_id(Participant)
        self.message_id = next_id(Message)
        self.threads, self.participants, self.messages = [], [], []


def _thread(run, rows, *, kind, users, count, patient=None, appointment=None):
    """One thread of `count` messages between `users`, the last few unread by one side."""
    thread_id = rows.thread_id
    rows.thread_id += 1
    start = run.now - dt.timedelta(days=run.rng.randint(1, 300))
    step = dt.timedelta(minutes=run.rng.randint(5, 600))
    first_message = rows.message_id
    for i in range(count):
        sender = users[i % 2]
        rows.messages.append(
            (rows.message_id, thread_id, sender, run.rng.choice(LINES), start + step * i)
        )
        rows.message_id += 1
    last_at = start + step * (count - 1)
    subject = "Follow-up questions" if kind == ThreadKind.PATIENT else "Case discussion"
    rows.threads.append((thread_id, kind, subject, patient, appointment, users[0], start, last_at))
    senders = [users[i % 2] for i in range(count)]
    for user in users:
        # Posting marks a thread read; the other may have the newest few still unread.
        behind = 0 if user == senders[-1] else run.rng.randint(0, min(3, count))
        read_index = count - 1 - behind
        unread = sum(1 for j in range(read_index + 1, count) if senders[j] != user)
        read_id = first_message + read_index if read_index >= 0 else None
        rows.participants.append(
            (rows.participant_id, thread_id, user, read_id, last_at if read_id else None, unread)
        )
        rows.participant_id += 1


def _flush(run, rows):
    run.writer.write(
        Thread,
        [
            "id",
            "kind",
            "subject",
            "patient_id",
            "appointment_id",
            "created_by_id",
            "created_at",
            "last_message_at",
        ],
        rows.threads,
    )
    run.writer.write(
        Participant,
        ["id", "thread_id", "user_id", "last_read_message_id", "last_read_at", "unread_count"],
        rows.participants,
    )
    run.writer.write(Message, ["id", "thread_id", "sender_id", "body", "created_at"], rows.messages)
    rows.threads, rows.participants, rows.messages = [], [], []


def seed_messages(run, *, threads):
    """About `threads` threads with 1 to 40 messages each, plus one of 1,000 messages."""
    if threads <= 0:
        return
    rows = _Rows()
    patient_pairs = _patient_pairs(run, threads)
    for n, (patient_id, doctor_user_id, appointment_id) in enumerate(patient_pairs):
        count = LONG_THREAD_MESSAGES if n == 0 else run.rng.randint(1, 40)
        _thread(
            run,
            rows,
            kind=ThreadKind.PATIENT,
            users=(patient_id, doctor_user_id),
            count=count,
            patient=patient_id,
            appointment=appointment_id,
        )
        if len(rows.messages) >= run.writer.batch_size:
            _flush(run, rows)
    for requester, recipient in _doctor_pairs(max(0, threads - len(patient_pairs))):
        _thread(run, rows, kind=ThreadKind.DIRECT, users=(requester, recipient), count=10)
    _flush(run, rows)
