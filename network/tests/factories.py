"""Connections and referrals in the states the tests need."""

import factory

from doctors.tests.factories import DoctorFactory
from patients.tests.factories import PatientFactory

from ..models import Connection, ConnectionStatus, Referral, pair_key


class ConnectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Connection

    requester = factory.SubFactory(DoctorFactory)
    recipient = factory.SubFactory(DoctorFactory)
    note = "Let us connect."
    status = ConnectionStatus.ACCEPTED


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    referring_doctor = factory.SubFactory(DoctorFactory)
    specialist = factory.SubFactory(DoctorFactory)
    patient = factory.LazyFunction(lambda: PatientFactory().user)
    reason = "Chest pain on exertion"
    clinical_question = "Stable angina?"


def connect(doctor_a, doctor_b):
    """An accepted connection between two doctors."""
    return ConnectionFactory(requester=doctor_a, recipient=doctor_b)


def refer(clinical, specialist, *, urgency="routine", ask_patient=True, documents=None):
    """A referral of the clinical fixture's patient from its treating doctor to
    `specialist` (connected first), sharing the signed record, the prescription, the
    document(s) and the allergies, through referral_create."""
    from network.referrals import referral_create

    pair = pair_key(clinical.doctor.pk, specialist.pk)
    if not Connection.objects.filter(status=ConnectionStatus.ACCEPTED, pair=pair).exists():
        connect(clinical.doctor, specialist)
    return referral_create(
        actor=clinical.doctor.user,
        specialist=specialist,
        patient=clinical.patient,
        reason="Chest pain on exertion",
        clinical_question="Stable angina?",
        urgency=urgency,
        records=[clinical.signed.pk],
        prescriptions=[clinical.prescription.pk],
        documents=documents if documents is not None else [clinical.document.pk],
        sections=["allergies"],
        ask_patient=ask_patient,
    )


def bulk_connections(doctor, others, *, status=ConnectionStatus.ACCEPTED, received=False):
    """Connections of `doctor` with each of `others`, written in one query."""
    rows = []
    for other in others:
        requester, recipient = (other, doctor) if received else (doctor, other)
        rows.append(
            Connection(
                requester=requester,
                recipient=recipient,
                status=status,
                pair=pair_key(doctor.pk, other.pk),
                note="Hello",
            )
        )
    return Connection.objects.bulk_create(rows)


def bulk_referrals(*, referring_doctor, specialists, patients, count, **fields):
    """`count` referrals (specialists and patients taking turns), in one query."""
    return Referral.objects.bulk_create(
        [
            Referral(
                referring_doctor=referring_doctor,
                specialist=specialists[n % len(specialists)],
                patient=patients[n % len(patients)],
                reason="Bulk reason",
                **fields,
            )
            for n in range(count)
        ]
    )


def bulk_discussions(*, host, visit_type, requesters, count, first_start, step):
    """`count` case discussions in `host`'s schedule, requesters taking turns, written in
    two queries (the colleague appointments, then the discussions)."""
    from appointments.models import Appointment, AppointmentKind, AppointmentStatus, Mode

    from ..models import CaseDiscussion

    visits = Appointment.objects.bulk_create(
        [
            Appointment(
                doctor=host,
                patient=requesters[n % len(requesters)].user,
                visit_type=visit_type,
                kind=AppointmentKind.COLLEAGUE,
                start=first_start + n * step,
                end=first_start + n * step + visit_type.duration,
                blocked_start=first_start + n * step,
                blocked_end=first_start + n * step + visit_type.duration,
                mode=Mode.ONLINE,
                status=AppointmentStatus.CONFIRMED,
            )
            for n in range(count)
        ]
    )
    return CaseDiscussion.objects.bulk_create(
        [
            CaseDiscussion(
                appointment=visit,
                requester=requesters[n % len(requesters)],
                colleague=host,
                topic="Bulk topic",
            )
            for n, visit in enumerate(visits)
        ]
    )
