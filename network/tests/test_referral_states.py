"""Every referral state transition, legal and illegal, with the timeline, the grant and
the notices each one leaves."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F

from appointments.models import Appointment, AppointmentKind, AppointmentStatus
from appointments.services import appointment_cancel, appointment_complete
from appointments.tests.factories import free_starts_ahead
from network import policy
from network import referrals as svc
from network.errors import IllegalTransition
from network.models import ConsentStatus, ReferralEventKind
from network.models import ReferralStatus as RS
from notifications.models import Notification
from patients.access import has_view_grant, is_treating_doctor
from records import services as record_services
from records.tests.factories import pdf_bytes, upload

pytestmark = pytest.mark.django_db


def _book(referral, specialist, visit_type):
    start = free_starts_ahead(specialist, visit_type, days_ahead=3)[0]
    return svc.referral_book(
        referral=referral, actor=specialist.user, visit_type=visit_type, start=start, mode="online"
    )


def _seen(referral, specialist, visit_type):
    booked = _book(referral, specialist, visit_type)
    # The visit took place: confirmed, and moved to the past.
    back = datetime.timedelta(days=4)
    Appointment.objects.filter(pk=booked.appointment_id).update(
        status=AppointmentStatus.CONFIRMED,
        start=F("start") - back,
        end=F("end") - back,
        blocked_start=F("blocked_start") - back,
        blocked_end=F("blocked_end") - back,
    )
    appointment_complete(
        appointment=Appointment.objects.get(pk=booked.appointment_id), actor=specialist.user
    )
    booked.refresh_from_db()
    return booked


def test_consent_email_names_the_doctors_not_the_reason(
    clinical, specialist, django_capture_on_commit_callbacks
):
    from .factories import refer

    with django_capture_on_commit_callbacks(execute=True):
        refer(clinical, specialist)
    (email,) = [m for m in mail.outbox if clinical.patient.email in m.to]
    assert "Sara Specialist" in email.subject and "Ravi Treating" in email.subject
    assert "4 items" in email.body
    assert "Chest pain" not in email.body


def test_the_whole_loop(awaiting, clinical, specialist, specialist_visit_type):
    patient, referring = clinical.patient, clinical.doctor
    assert awaiting.status == RS.AWAITING_PATIENT
    assert awaiting.consent_status == ConsentStatus.PENDING
    assert Notification.objects.filter(
        recipient=patient, kind="referral_consent_requested"
    ).exists()
    # Nothing is shared before the patient agrees.
    assert not has_view_grant(specialist.user, clinical.document)

    sent = svc.referral_consent(referral=awaiting, actor=patient, agree=True)
    assert sent.status == RS.SENT and sent.consent_status == ConsentStatus.GIVEN
    assert has_view_grant(specialist.user, clinical.document)
    assert has_view_grant(specialist.user, clinical.signed)
    assert not has_view_grant(specialist.user, clinical.draft)

    accepted = svc.referral_accept(referral=sent, actor=specialist.user)
    assert accepted.status == RS.ACCEPTED
    seen = _seen(accepted, specialist, specialist_visit_type)
    assert seen.status == RS.SEEN
    assert seen.appointment.kind == AppointmentKind.REFERRAL
    # A referral visit does not make the specialist a treating doctor.
    assert not is_treating_doctor(specialist.user, patient.pk)

    record = record_services.consultation_record_create(
        appointment=seen.appointment, author=specialist.user, diagnosis="Stable angina"
    )
    record_services.consultation_record_sign(record=record, author=specialist.user)
    reported = svc.referral_report(
        referral=seen,
        actor=specialist.user,
        record=record,
        letter="Start a beta blocker.",
        attachments=[upload("ecg.pdf", pdf_bytes("ECG"))],
    )
    assert reported.status == RS.REPORT_RETURNED
    assert reported.attachments.count() == 1
    assert has_view_grant(referring.user, record)
    assert Notification.objects.filter(recipient=referring.user, kind="referral_report").exists()

    closed = svc.referral_close(referral=reported, actor=referring.user)
    assert closed.status == RS.CLOSED
    assert closed.grant_expires_at.date() == (closed.closed_at + datetime.timedelta(days=90)).date()
    assert closed.grant_is_active()
    kinds = list(closed.events.values_list("kind", flat=True))
    assert kinds == [
        ReferralEventKind.CREATED,
        ReferralEventKind.CONSENT_REQUESTED,
        ReferralEventKind.CONSENT_GIVEN,
        ReferralEventKind.ACCEPTED,
        ReferralEventKind.BOOKED,
        ReferralEventKind.SEEN,
        ReferralEventKind.REPORT,
        ReferralEventKind.CLOSED,
    ]


def test_draft_then_ask(clinical, specialist):
    from .factories import refer

    draft = refer(clinical, specialist, ask_patient=False)
    assert draft.status == RS.REQUESTED and draft.consent_status == ConsentStatus.NOT_ASKED
    asked = svc.referral_ask_patient(referral=draft, actor=clinical.doctor.user)
    assert asked.status == RS.AWAITING_PATIENT


def test_patient_refuses(awaiting, clinical, specialist):
    refused = svc.referral_consent(referral=awaiting, actor=clinical.patient, agree=False)
    assert refused.status == RS.CANCELLED
    assert refused.consent_status == ConsentStatus.REFUSED
    assert not has_view_grant(specialist.user, clinical.document)
    assert not refused.grant_is_active()


def test_decline_with_reason_ends_the_grant(sent, specialist, clinical):
    with pytest.raises(ValidationError):
        svc.referral_decline(referral=sent, actor=specialist.user, reason="  ")
    declined = svc.referral_decline(referral=sent, actor=specialist.user, reason="Not my field")
    assert declined.status == RS.DECLINED and declined.status_reason == "Not my field"
    assert not has_view_grant(specialist.user, clinical.document)


@pytest.mark.parametrize("fixture", ["awaiting", "sent", "accepted"])
def test_cancel_with_reason(request, fixture, clinical, specialist):
    referral = request.getfixturevalue(fixture)
    cancelled = svc.referral_cancel(referral=referral, actor=clinical.doctor.user, reason="Better")
    assert cancelled.status == RS.CANCELLED
    assert not has_view_grant(specialist.user, clinical.document)


def test_a_cancelled_visit_puts_the_referral_back_to_accepted(
    accepted, specialist, specialist_visit_type, clinical
):
    booked = _book(accepted, specialist, specialist_visit_type)
    appointment_cancel(appointment=booked.appointment, actor=clinical.patient, reason="Away")
    booked.refresh_from_db()
    assert booked.status == RS.ACCEPTED and booked.appointment is None
    assert booked.events.filter(kind=ReferralEventKind.VISIT_CANCELLED).exists()
    again = _book(booked, specialist, specialist_visit_type)
    assert again.status == RS.BOOKED


# Illegal: the wrong person, or the wrong state -------------------------------------


ILLEGAL_STATES = {
    # action: the fixture in a state it may not start from, and its taker
    "agree": ("sent", "patient"),
    "accept": ("awaiting", "specialist"),
    "decline": ("accepted", "specialist"),
    "book": ("sent", "specialist"),
    "report": ("accepted", "specialist"),
    "close": ("sent", "referring"),
    "ask_patient": ("awaiting", "referring"),
}


def _actor(who, clinical, specialist):
    return {"patient": clinical.patient, "specialist": specialist.user}.get(
        who, clinical.doctor.user
    )


@pytest.mark.parametrize("action", sorted(ILLEGAL_STATES))
def test_actions_out_of_state_are_refused(request, action, clinical, specialist):
    fixture, who = ILLEGAL_STATES[action]
    referral = request.getfixturevalue(fixture)
    refusal = policy.referral_refusal(_actor(who, clinical, specialist), referral, action)
    assert isinstance(refusal, IllegalTransition)


@pytest.mark.parametrize(
    "action,who",
    [
        ("accept", "referring"),
        ("accept", "patient"),
        ("agree", "specialist"),
        ("agree", "referring"),
        ("close", "specialist"),
        ("cancel", "specialist"),
        ("cancel", "patient"),
        ("revoke", "specialist"),
    ],
)
def test_actions_by_the_wrong_party_are_refused(sent, action, who, clinical, specialist):
    assert isinstance(
        policy.referral_refusal(_actor(who, clinical, specialist), sent, action), PermissionDenied
    )


def test_services_refuse_too_and_change_nothing(awaiting, specialist, clinical, other_doctor):
    with pytest.raises(IllegalTransition):
        svc.referral_accept(referral=awaiting, actor=specialist.user)
    with pytest.raises(PermissionDenied):
        svc.referral_consent(referral=awaiting, actor=other_doctor.user, agree=True)
    with pytest.raises(PermissionDenied):
        svc.referral_consent(referral=awaiting, actor=specialist.user, agree=True)
    awaiting.refresh_from_db()
    assert awaiting.status == RS.AWAITING_PATIENT
    assert not has_view_grant(specialist.user, clinical.document)


def test_final_states_allow_nothing_but_revoke_while_active(awaiting, clinical, specialist):
    cancelled = svc.referral_cancel(referral=awaiting, actor=clinical.doctor.user, reason="x")
    for user in (clinical.patient, clinical.doctor.user, specialist.user):
        assert policy.referral_actions(user, cancelled) == frozenset()
