"""Every write of a referral, from the referring doctor's request to the report back.

Each state change locks the referral row, checks the policy (network/policy.py),
changes the state, appends the timeline event and the audit row in the same
transaction, and sends its notices once the transaction commits.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appointments.models import ACTIVE_STATUSES, AppointmentKind
from appointments.services import appointment_book
from audit.models import AuditAction
from audit.services import audit_record
from notifications.tasks import enqueue_at
from patients.access import is_treating_doctor
from prescriptions.access import can_view_prescription
from prescriptions.models import Prescription
from records.access import can_view_document, can_view_record
from records.documents import document_store_upload
from records.grants import records_grant_view
from records.models import ConsultationRecord, Document, DocumentKind, RecordStatus

from . import notices, policy
from .errors import NetworkError
from .grants import grant_assign, grant_withdraw
from .models import (
    ConsentStatus,
    HistorySection,
    Referral,
    ReferralAttachment,
    ReferralEventKind,
    ReferralItem,
    Urgency,
)
from .models import ReferralStatus as RS
from .services import are_connected, network_member, referral_event_record
from .tasks import expire_referral_grants

TEXT_MAX_LENGTH = 4000
REASON_MAX_LENGTH = 1000
MAX_ATTACHMENTS = 5


def _text(value, *, label, max_length=TEXT_MAX_LENGTH, required=False):
    value = (value or "").strip()
    if required and not value:
        raise NetworkError({label: [_("Give the %(field)s.") % {"field": label.replace("_", " ")}]})
    if len(value) > max_length:
        raise NetworkError(
            {label: [_("Keep it under %(limit)s characters.") % {"limit": max_length}]}
        )
    return value


def _chosen(model, ids, patient, allowed, actor, label):
    """The objects `ids` of `patient`'s record that `actor` may see; refused whole if one
    is someone else's, missing or not visible, so a posted foreign id changes nothing."""
    ids = {int(i) for i in ids}
    found = list(model.objects.filter(pk__in=ids, patient=patient))
    if len(found) != len(ids) or not all(allowed(actor, obj) for obj in found):
        raise NetworkError(
            {label: [_("Choose only items of this patient's record that you can see.")]}
        )
    return found


def referral_create(
    *,
    actor,
    specialist,
    patient,
    reason,
    clinical_question="",
    urgency=Urgency.ROUTINE,
    records=(),
    prescriptions=(),
    documents=(),
    sections=(),
    ask_patient=True,
    request=None,
):
    """A doctor refers a patient they treat to a connected doctor, sharing exactly the
    chosen items; with ask_patient the patient is asked at once."""
    referring = network_member(actor)
    if patient is None or not is_treating_doctor(actor, patient.pk):
        raise PermissionDenied(_("No such patient."))
    if specialist is None or not specialist.is_verified or not are_connected(referring, specialist):
        raise NetworkError(
            {"specialist": [_("Refer only to a verified doctor you are connected with.")]}
        )
    if urgency not in Urgency.values:
        raise NetworkError({"urgency": [_("Choose routine or urgent.")]})
    if any(section not in HistorySection.values for section in sections):
        raise NetworkError({"sections": [_("Choose sections of the medical history.")]})
    reason = _text(reason, label="reason", required=True)
    question = _text(clinical_question, label="clinical_question")
    chosen_records = _chosen(
        ConsultationRecord,
        records,
        patient,
        lambda u, r: r.status == RecordStatus.SIGNED and can_view_record(u, r),
        actor,
        "records",
    )
    chosen_prescriptions = _chosen(
        Prescription, prescriptions, patient, can_view_prescription, actor, "prescriptions"
    )
    chosen_documents = _chosen(Document, documents, patient, can_view_document, actor, "documents")
    with transaction.atomic():
        referral = Referral.objects.create(
            referring_doctor=referring,
            specialist=specialist,
            patient=patient,
            reason=reason,
            clinical_question=question,
            urgency=urgency,
        )
        ReferralItem.objects.bulk_create(
            [ReferralItem(referral=referral, record=r) for r in chosen_records]
            + [ReferralItem(referral=referral, prescription=p) for p in chosen_prescriptions]
            + [ReferralItem(referral=referral, document=d) for d in chosen_documents]
            + [ReferralItem(referral=referral, section=s) for s in dict.fromkeys(sections)]
        )
        referral_event_record(referral=referral, kind=ReferralEventKind.CREATED, actor=actor)
        audit_record(
            actor=actor, action=AuditAction.CREATE, obj=referral, patient=patient, request=request
        )
    if ask_patient:
        referral = referral_ask_patient(referral=referral, actor=actor, request=request)
    return referral


def _lock(referral):
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("referring_doctor__user", "specialist__user", "patient")
        .get(pk=referral.pk)
    )


def _change(*, referral, actor, action, event, reason="", request=None, apply=None, notice=None):
    """Lock, check the policy, move to the action's target, record, notify."""
    now = timezone.now()
    if action in policy.REASON_REQUIRED:
        reason = _text(reason, label="reason", max_length=REASON_MAX_LENGTH, required=True)
    with transaction.atomic():
        locked = _lock(referral)
        refusal = policy.referral_refusal(actor, locked, action, now)
        if refusal is not None:
            raise refusal
        from_status = locked.status
        locked.status = policy.TARGET[action]
        if reason:
            locked.status_reason = reason
        if apply is not None:
            apply(locked, now)
        locked.save()
        referral_event_record(referral=locked, kind=event, actor=actor, detail=reason)
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE,
            obj=locked,
            patient=locked.patient,
            detail=f"{from_status} -> {locked.status}",
            request=request,
        )
        if notice is not None:
            notice(locked)
    return locked


def _end_grant(locked, now):
    """The grant ends with the referral (declined, cancelled, refused)."""
    if locked.grant_ended_at is None:
        locked.grant_ended_at = now
        if locked.consent_status == ConsentStatus.GIVEN:
            grant_withdraw(locked, now)


def referral_ask_patient(*, referral, actor, request=None):
    def apply(locked, now):
        locked.consent_status = ConsentStatus.PENDING

    return _change(
        referral=referral,
        actor=actor,
        action=policy.ASK_PATIENT,
        event=ReferralEventKind.CONSENT_REQUESTED,
        apply=apply,
        notice=notices.notify_consent_requested,
        request=request,
    )


def referral_consent(*, referral, actor, agree, request=None):
    """The patient agrees (the referral goes to the specialist with its grant) or refuses
    (it is cancelled and nothing was shared)."""

    def apply(locked, now):
        locked.consent_decided_at = now
        if agree:
            locked.consent_status = ConsentStatus.GIVEN
            locked.sent_at = now
            grant_assign(locked)
        else:
            locked.consent_status = ConsentStatus.REFUSED
            locked.status_reason = _("The patient did not agree to this referral.")
            locked.grant_ended_at = now

    def notice(locked):
        notices.notify_referral_event(locked, "referral_sent" if agree else "referral_refused")

    return _change(
        referral=referral,
        actor=actor,
        action=policy.AGREE if agree else policy.REFUSE,
        event=ReferralEventKind.CONSENT_GIVEN if agree else ReferralEventKind.CONSENT_REFUSED,
        apply=apply,
        notice=notice,
        request=request,
    )


def referral_accept(*, referral, actor, request=None):
    def apply(locked, now):
        locked.accepted_at = now

    return _change(
        referral=referral,
        actor=actor,
        action=policy.ACCEPT,
        event=ReferralEventKind.ACCEPTED,
        apply=apply,
        notice=lambda r: notices.notify_referral_event(r, "referral_accepted"),
        request=request,
    )


def referral_decline(*, referral, actor, reason, request=None):
    return _change(
        referral=referral,
        actor=actor,
        action=policy.DECLINE,
        event=ReferralEventKind.DECLINED,
        reason=reason,
        apply=_end_grant,
        notice=lambda r: notices.notify_referral_event(r, "referral_declined"),
        request=request,
    )


def referral_cancel(*, referral, actor, reason, request=None):
    return _change(
        referral=referral,
        actor=actor,
        action=policy.CANCEL,
        event=ReferralEventKind.CANCELLED,
        reason=reason,
        apply=_end_grant,
        notice=lambda r: notices.notify_referral_event(r, "referral_cancelled"),
        request=request,
    )


def referral_book(*, referral, actor, visit_type, start, mode, request=None, email=True):
    """The specialist books the patient into one of their own free slots, through the
    normal booking service (visit types, notice, no double booking); `email=False` (the
    demo data) tells of the booking in the app only."""
    if visit_type is None or visit_type.doctor_id != referral.specialist_id:
        raise NetworkError({"visit_type": [_("Choose one of your own visit types.")]})

    def apply(locked, now):
        locked.appointment = appointment_book(
            patient=locked.patient,
            doctor=locked.specialist,
            visit_type=visit_type,
            start=start,
            mode=mode,
            reason=f"Referral #{locked.pk}",
            actor=actor,
            now=now,
            request=request,
            kind=AppointmentKind.REFERRAL,
            email=email,
        )

    return _change(
        referral=referral,
        actor=actor,
        action=policy.BOOK,
        event=ReferralEventKind.BOOKED,
        apply=apply,
        notice=lambda r: notices.notify_referral_event(r, "referral_booked"),
        request=request,
    )


def referral_report(*, referral, actor, record=None, letter="", attachments=(), request=None):
    """The specialist sends the report back: a signed consultation record of the
    referral's visit, or a letter with attachments (filed as the patient's documents
    through the records upload checks), or both."""
    letter = _text(letter, label="letter")
    attachments = list(attachments)
    if record is None and not letter:
        raise NetworkError(
            {"letter": [_("Send the signed consultation record or write a letter.")]}
        )
    if len(attachments) > MAX_ATTACHMENTS:
        raise NetworkError(
            {"attachments": [_("Attach at most %(count)s files.") % {"count": MAX_ATTACHMENTS}]}
        )

    def apply(locked, now):
        if record is not None:
            fresh = ConsultationRecord.objects.filter(pk=record.pk).first()
            if (
                fresh is None
                or fresh.status != RecordStatus.SIGNED
                or fresh.doctor_id != locked.specialist_id
                or fresh.appointment_id != locked.appointment_id
            ):
                raise NetworkError(
                    {"record": [_("Choose your signed consultation record of this visit.")]}
                )
            locked.report_record = fresh
            records_grant_view(user=locked.referring_doctor.user, obj=fresh)
        locked.report_letter = letter
        locked.report_returned_at = now
        for upload in attachments:
            document = document_store_upload(
                patient=locked.patient,
                uploader=actor,
                uploaded_file=upload,
                kind=DocumentKind.OTHER,
                document_date=now.date(),
                description=f"Report of referral #{locked.pk}",
                request=request,
            )
            records_grant_view(user=actor, obj=document)
            records_grant_view(user=locked.referring_doctor.user, obj=document)
            ReferralAttachment.objects.create(referral=locked, document=document)

    return _change(
        referral=referral,
        actor=actor,
        action=policy.REPORT,
        event=ReferralEventKind.REPORT,
        apply=apply,
        notice=lambda r: notices.notify_referral_event(r, "referral_report"),
        request=request,
    )


def referral_close(*, referral, actor, request=None):
    """The referring doctor closes the loop; the grant lasts the set days more."""

    def apply(locked, now):
        locked.closed_at = now
        locked.grant_expires_at = now + dt.timedelta(days=settings.MEDCONNECT_REFERRAL_GRANT_DAYS)
        expires = locked.grant_expires_at
        transaction.on_commit(lambda: enqueue_at(expire_referral_grants, expires))

    return _change(
        referral=referral,
        actor=actor,
        action=policy.CLOSE,
        event=ReferralEventKind.CLOSED,
        apply=apply,
        request=request,
    )


def referral_revoke(*, referral, actor, request=None):
    """The patient or the referring doctor ends the specialist's access at once."""
    now = timezone.now()
    with transaction.atomic():
        locked = _lock(referral)
        refusal = policy.referral_refusal(actor, locked, policy.REVOKE, now)
        if refusal is not None:
            raise refusal
        locked.grant_revoked_at = now
        locked.grant_revoked_by = actor
        locked.grant_ended_at = now
        locked.save(update_fields=["grant_revoked_at", "grant_revoked_by", "grant_ended_at"])
        grant_withdraw(locked, now)
        referral_event_record(referral=locked, kind=ReferralEventKind.GRANT_REVOKED, actor=actor)
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE,
            obj=locked,
            patient=locked.patient,
            detail="grant revoked",
            request=request,
        )
        notices.notify_referral_event(locked, "referral_revoked", skip=actor)
    return locked


# ---------------------------------------------------------------------------
# The referral's visit, as the appointments app announces it (signals).


def referral_on_visit_completed(sender, appointment, actor=None, request=None, **kwargs):
    if appointment.kind != AppointmentKind.REFERRAL:
        return
    now = timezone.now()
    for referral in Referral.objects.select_for_update().filter(
        appointment=appointment, status=RS.BOOKED
    ):
        referral.status = RS.SEEN
        referral.seen_at = now
        referral.save(update_fields=["status", "seen_at", "updated_at"])
        referral_event_record(referral=referral, kind=ReferralEventKind.SEEN, actor=actor)


def referral_on_slot_freed(sender, doctor, start, end, **kwargs):
    """A booked referral visit that was cancelled or declined: the referral goes back to
    accepted, so the specialist can book again."""
    booked = Referral.objects.select_for_update().filter(
        status=RS.BOOKED, specialist=doctor, appointment__start=start
    )
    for referral in booked.select_related("appointment"):
        if referral.appointment.status in ACTIVE_STATUSES:
            continue  # moved, not freed
        visit = referral.appointment
        detail = f"{visit.get_status_display()}: {visit.start:%Y-%m-%d %H:%M} UTC"
        referral.status = RS.ACCEPTED
        referral.appointment = None
        referral.save(update_fields=["status", "appointment", "updated_at"])
        referral_event_record(
            referral=referral, kind=ReferralEventKind.VISIT_CANCELLED, actor=None, detail=detail
        )
