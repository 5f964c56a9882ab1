"""Demo data of the doctor network for `manage.py seed_demo`: connected demo doctors,
a pending request, one referral of a demo patient at each stage, a visit type for
colleagues and one booked case discussion. Running it again adds nothing."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from appointments.errors import BookingError
from appointments.models import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    Mode,
    ModeOffer,
    VisitType,
)
from doctors.models import DoctorProfile
from network import referrals as svc
from network.discussions import case_discussion_book
from network.errors import NetworkError
from network.models import CaseDiscussion, Connection, Referral, ReferralEventKind
from network.models import ReferralStatus as RS
from network.selectors import specialist_free_slots
from network.services import connection_accept, connection_request, referral_event_record
from schedules.services import visit_type_save

CONNECTIONS = [
    # requester, recipient, accepted
    ("dr.mehta@demo.medconnect", "dr.iyer@demo.medconnect", True),
    ("dr.mehta@demo.medconnect", "dr.khan@demo.medconnect", True),
    ("dr.fischer@demo.medconnect", "dr.mehta@demo.medconnect", False),
]
REFERRING = "dr.mehta@demo.medconnect"
SPECIALIST = "dr.iyer@demo.medconnect"
# The stage each demo referral is left at, for Asha (Dr. Mehta treats her).
STAGES = [
    RS.REQUESTED,
    RS.AWAITING_PATIENT,
    RS.SENT,
    RS.ACCEPTED,
    RS.DECLINED,
    RS.BOOKED,
    RS.SEEN,
    RS.REPORT_RETURNED,
    RS.CLOSED,
    RS.CANCELLED,
]
PATIENT = "asha@demo.medconnect"


def seed_demo_network():
    counts = {"connections": 0, "referrals": 0, "case discussions": 0}
    doctors = {
        d.user.email: d
        for d in DoctorProfile.objects.verified()
        .filter(user__email__in={e for pair in CONNECTIONS for e in pair[:2]})
        .select_related("user")
    }
    if len(doctors) < 4:
        return counts
    for requester, recipient, accepted in CONNECTIONS:
        if Connection.objects.filter(
            requester=doctors[requester], recipient=doctors[recipient]
        ).exists():
            continue
        connection = connection_request(
            actor=doctors[requester].user, recipient=doctors[recipient], note="Happy to connect."
        )
        if accepted:
            connection_accept(connection=connection, actor=doctors[recipient].user)
        counts["connections"] += 1
    counts["case discussions"] += _seed_discussion(doctors[REFERRING], doctors[SPECIALIST])
    patient = get_user_model().objects.filter(email=PATIENT).first()
    referring, specialist = doctors[REFERRING], doctors[SPECIALIST]
    if patient is None or Referral.objects.filter(referring_doctor=referring).exists():
        return counts
    for stage in STAGES:
        with transaction.atomic():
            if _referral_at(stage, referring, specialist, patient) is not None:
                counts["referrals"] += 1
    return counts


def _referral_at(stage, referring, specialist, patient):
    referral = svc.referral_create(
        actor=referring.user,
        specialist=specialist,
        patient=patient,
        reason="Palpitations on exertion for three weeks.",
        clinical_question="Arrhythmia? Please assess and advise.",
        urgency="urgent" if stage == RS.SENT else "routine",
        sections=["conditions", "allergies", "medications"],
        ask_patient=stage != RS.REQUESTED,
    )
    if stage in (RS.REQUESTED, RS.AWAITING_PATIENT):
        return referral
    if stage == RS.CANCELLED:
        return svc.referral_cancel(
            referral=referral, actor=referring.user, reason="Symptoms settled; not needed now."
        )
    referral = svc.referral_consent(referral=referral, actor=patient, agree=True)
    if stage == RS.SENT:
        return referral
    if stage == RS.DECLINED:
        return svc.referral_decline(
            referral=referral,
            actor=specialist.user,
            reason="On leave; please refer to a colleague.",
        )
    referral = svc.referral_accept(referral=referral, actor=specialist.user)
    if stage == RS.ACCEPTED:
        return referral
    if stage == RS.BOOKED:
        return _book(referral, specialist)
    return _past_visit(referral, specialist, patient, stage)


def _book(referral, specialist):
    visit_type = VisitType.objects.get(doctor=specialist, name="Follow-up")
    start = timezone.now().astimezone(specialist.tz).date() + dt.timedelta(days=20)
    for slot in specialist_free_slots(doctor=specialist, visit_type=visit_type, start_date=start):
        try:
            return svc.referral_book(
                referral=referral,
                actor=specialist.user,
                visit_type=visit_type,
                start=slot.start,
                mode=Mode.ONLINE,
                email=False,  # the demo's bookings notify in the app only
            )
        except BookingError:
            continue
    return referral


def _past_visit(referral, specialist, patient, stage):
    """A referral visit that took place (written directly: the past cannot be booked),
    then the stages after it."""
    visit_type = VisitType.objects.get(doctor=specialist, name="Follow-up")
    days_ago = {RS.SEEN: 3, RS.REPORT_RETURNED: 12, RS.CLOSED: 30}[stage]
    day = timezone.now().astimezone(specialist.tz).date() - dt.timedelta(days=days_ago)
    start = dt.datetime.combine(day, dt.time(8, 15), tzinfo=specialist.tz).astimezone(dt.UTC)
    visit = Appointment.objects.create(
        doctor=specialist,
        patient=patient,
        visit_type=visit_type,
        kind=AppointmentKind.REFERRAL,
        start=start,
        end=start + visit_type.duration,
        blocked_start=start,
        blocked_end=start + visit_type.duration,
        mode=Mode.ONLINE,
        reason=f"Referral #{referral.pk}",
        status=AppointmentStatus.COMPLETED,
        created_by=specialist.user,
    )
    Referral.objects.filter(pk=referral.pk).update(
        status=RS.SEEN, appointment=visit, seen_at=visit.end
    )
    referral_event_record(referral=referral, kind=ReferralEventKind.BOOKED, actor=specialist.user)
    referral_event_record(referral=referral, kind=ReferralEventKind.SEEN, actor=specialist.user)
    referral.refresh_from_db()
    if stage == RS.SEEN:
        return referral
    referral = svc.referral_report(
        referral=referral,
        actor=specialist.user,
        letter="Holter monitoring normal. No arrhythmia found; reassured. No follow-up needed.",
    )
    if stage == RS.CLOSED:
        referral = svc.referral_close(referral=referral, actor=referral.referring_doctor.user)
    return referral


# The specialist's visit type for colleagues, and the demo case discussion on it.
DISCUSSION_TYPE = {
    "name": "Case discussion",
    "duration_minutes": 20,
    "mode": ModeOffer.ONLINE,
    "min_notice_minutes": 240,
    "max_advance_days": 30,
    "requires_approval": False,
    "for_colleagues": True,
}


def _seed_discussion(requester, colleague):
    """Dr. Iyer offers case discussions to colleagues; Dr. Mehta has booked one."""
    visit_type = colleague.visit_types.filter(name=DISCUSSION_TYPE["name"]).first()
    if visit_type is None:
        visit_type = visit_type_save(doctor=colleague, **DISCUSSION_TYPE)
    if CaseDiscussion.objects.filter(requester=requester, colleague=colleague).exists():
        return 0
    start = timezone.now().astimezone(colleague.tz).date() + dt.timedelta(days=3)
    for slot in specialist_free_slots(doctor=colleague, visit_type=visit_type, start_date=start):
        try:
            case_discussion_book(
                actor=requester.user,
                colleague=colleague,
                visit_type=visit_type,
                start=slot.start,
                topic="Asha R.: palpitations on exertion; your view before I refer formally?",
                email=False,
            )
        except (BookingError, NetworkError):
            continue
        return 1
    return 0
