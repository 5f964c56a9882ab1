"""Seeded doctor network: connections between verified doctors (most accepted, some
waiting) and referrals of patients from a doctor who saw them to a connected
colleague, at every stage, each with its timeline. Shared items are medical-history
sections (no object permissions to write)."""

import datetime as dt

from django.db.models import Max

from appointments.models import Appointment, AppointmentKind, AppointmentStatus
from network.models import (
    Connection,
    ConnectionStatus,
    ConsentStatus,
    HistorySection,
    Referral,
    ReferralEvent,
    ReferralEventKind,
    ReferralItem,
    Urgency,
    pair_key,
)
from network.models import ReferralStatus as RS

from .writer import next_id

CONNECTIONS_PER_DOCTOR = 4
REASONS = ["Chest pain on exertion", "Persistent rash", "Knee pain", "Recurrent headaches"]
# Stages and how often they occur; the stages after consent carry a consent.
STAGES = [
    (RS.REQUESTED, 2),
    (RS.AWAITING_PATIENT, 4),
    (RS.SENT, 6),
    (RS.ACCEPTED, 6),
    (RS.DECLINED, 2),
    (RS.REPORT_RETURNED, 4),
    (RS.CLOSED, 10),
    (RS.CANCELLED, 2),
]
EVENT_OF = {
    RS.REQUESTED: ReferralEventKind.CREATED,
    RS.AWAITING_PATIENT: ReferralEventKind.CONSENT_REQUESTED,
    RS.SENT: ReferralEventKind.CONSENT_GIVEN,
    RS.ACCEPTED: ReferralEventKind.ACCEPTED,
    RS.DECLINED: ReferralEventKind.DECLINED,
    RS.REPORT_RETURNED: ReferralEventKind.REPORT,
    RS.CLOSED: ReferralEventKind.CLOSED,
    RS.CANCELLED: ReferralEventKind.CANCELLED,
}


def seed_network(run, *, referrals):
    """Write the connections and up to `referrals` referrals; returns how many of each."""
    neighbours = _seed_connections(run)
    return len(neighbours), _seed_referrals(run, neighbours, referrals)


def _seed_connections(run):
    """Each doctor asks the next few doctors of the list; one in five waits."""
    rng, now = run.rng, run.now
    doctor_ids = [d[0] for d in run.doctors]
    next_pk = next_id(Connection)
    rows, accepted, seen = [], {}, set()
    for index, did in enumerate(doctor_ids):
        for step in range(1, CONNECTIONS_PER_DOCTOR + 1):
            other = doctor_ids[(index + step) % len(doctor_ids)]
            key = pair_key(did, other)
            if other == did or key in seen:
                continue
            seen.add(key)
            waiting = rng.random() < 0.2
            created = now - dt.timedelta(days=rng.randint(1, 400))
            status = ConnectionStatus.PENDING if waiting else ConnectionStatus.ACCEPTED
            decided = None if waiting else created + dt.timedelta(hours=rng.randint(1, 72))
            rows.append((next_pk, did, other, key, "Happy to connect.", status, created, decided))
            next_pk += 1
            if not waiting:
                accepted.setdefault(did, []).append(other)
                accepted.setdefault(other, []).append(did)
    columns = ["id", "requester_id", "recipient_id", "pair", "note", "status"]
    run.writer.write(Connection, [*columns, "created_at", "decided_at"], rows)
    return accepted


def _seed_referrals(run, neighbours, total):
    """Referrals from a doctor to a connected colleague, for patients the doctor saw."""
    rng, now = run.rng, run.now
    seen_pairs = (
        Appointment.objects.filter(
            status=AppointmentStatus.COMPLETED,
            kind=AppointmentKind.PATIENT,
            doctor_id__in=list(neighbours),
        )
        .values("doctor_id", "patient_id")
        .annotate(last=Max("end"))
        .order_by("doctor_id", "patient_id")[: total * 2]
    )
    ids = {m: next_id(m) for m in (Referral, ReferralItem, ReferralEvent)}
    referrals, items, events = [], [], []
    stages = [stage for stage, weight in STAGES for _ in range(weight)]
    for row in seen_pairs:
        if len(referrals) >= total:
            break
        referring = row["doctor_id"]
        specialist = rng.choice(neighbours[referring])
        stage = rng.choice(stages)
        created = min(row["last"] + dt.timedelta(days=1), now)
        referrals.append(_referral_row(ids[Referral], referring, specialist, row, stage, created))
        items.append((ids[ReferralItem], ids[Referral], rng.choice(HistorySection.values)))
        events.append((ids[ReferralEvent], ids[Referral], ReferralEventKind.CREATED, created))
        ids[ReferralItem] += 1
        ids[ReferralEvent] += 1
        if stage != RS.REQUESTED:
            events.append((ids[ReferralEvent], ids[Referral], EVENT_OF[stage], created))
            ids[ReferralEvent] += 1
        ids[Referral] += 1
    run.writer.write(Referral, REFERRAL_COLUMNS, referrals)
    run.writer.write(ReferralItem, ["id", "referral_id", "section"], items)
    run.writer.write(ReferralEvent, ["id", "referral_id", "kind", "created_at"], events)
    return len(referrals)


REFERRAL_COLUMNS = [
    "id",
    "referring_doctor_id",
    "specialist_id",
    "patient_id",
    "reason",
    "urgency",
    "status",
    "status_reason",
    "consent_status",
    "consent_decided_at",
    "sent_at",
    "closed_at",
    "grant_expires_at",
    "grant_ended_at",
    "report_letter",
    "report_returned_at",
    "created_at",
    "updated_at",
]


def _referral_row(pk, referring, specialist, row, stage, created):
    consented = stage not in (RS.REQUESTED, RS.AWAITING_PATIENT, RS.CANCELLED)
    consent = {
        RS.REQUESTED: ConsentStatus.NOT_ASKED,
        RS.AWAITING_PATIENT: ConsentStatus.PENDING,
        RS.CANCELLED: ConsentStatus.REFUSED,
    }.get(stage, ConsentStatus.GIVEN)
    closed = created + dt.timedelta(days=20) if stage == RS.CLOSED else None
    ended = created if stage in (RS.DECLINED, RS.CANCELLED) else None
    reported = stage in (RS.REPORT_RETURNED, RS.CLOSED)
    return (
        pk,
        referring,
        specialist,
        row["patient_id"],
        REASONS[pk % len(REASONS)],
        Urgency.URGENT if pk % 7 == 0 else Urgency.ROUTINE,
        stage,
        "Not needed any more." if stage in (RS.DECLINED, RS.CANCELLED) else "",
        consent,
        created if consent in (ConsentStatus.GIVEN, ConsentStatus.REFUSED) else None,
        created if consented else None,
        closed,
        closed + dt.timedelta(days=90) if closed else None,
        ended,
        "Seen; findings normal, no follow-up needed." if reported else "",
        created + dt.timedelta(days=15) if reported else None,
        created,
        created,
    )
