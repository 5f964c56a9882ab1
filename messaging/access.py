"""Who may read and write a message thread (docs/security.md, "message thread").

* Only the thread's two participants read it: patients always, doctors while
  their license is verified. Everyone else, staff included, gets the audited 404
  on pages and in the API, whether the thread exists or not.
* A participant may write while the thread is open and the relationship behind it
  holds: the two doctors are still connected (a referral thread or a direct one),
  or the doctor still treats the patient (a patient thread). Otherwise the history
  stays readable and nothing more can be added.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts.models import Role
from audit.models import AuditAction
from network.access import get_referral_for_user
from network.services import are_connected
from patients.access import audit_access, deny, is_self, is_treating_doctor, verified_doctor

from .models import Attachment, Message, Thread, ThreadKind


def can_use_messages(user):
    """Patients and verified doctors have messages; staff and pending doctors do not."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.role == Role.PATIENT or verified_doctor(user) is not None


def participant_of(thread, user):
    """The user's Participant row in the thread, or None (from a prefetch if present)."""
    for participant in thread.participants.all():
        if participant.user_id == user.pk:
            return participant
    return None


def other_participant(thread, user):
    for participant in thread.participants.all():
        if participant.user_id != user.pk:
            return participant
    return None


def can_read_thread(user, thread):
    return can_use_messages(user) and participant_of(thread, user) is not None


def _relationship_holds(thread, user):
    """Whether the connection or treating relationship behind the thread still holds."""
    other = other_participant(thread, user)
    if thread.kind == ThreadKind.PATIENT:
        doctor_user = other.user if user.pk == thread.patient_id else user
        return is_treating_doctor(doctor_user, thread.patient_id)
    return are_connected(verified_doctor(user), verified_doctor(other.user))


# What can be done in a thread besides reading it.
POST, CLOSE = "post", "close"


def thread_refusal(user, thread, action):
    """Why `user` may not post into / close `thread` now, or None if they may."""
    if not can_read_thread(user, thread):
        return PermissionDenied(_("No such thread."))
    if thread.is_closed:
        return ValidationError(_("This conversation is closed."), code="illegal_transition")
    if action == POST and not _relationship_holds(thread, user):
        if thread.kind == ThreadKind.PATIENT:
            message = _("The treating relationship has ended: this conversation is read-only.")
        else:
            message = _("You are no longer connected: this conversation is read-only.")
        return ValidationError(message, code="illegal_transition")
    return None


def audit_thread_access(request, thread, *, action=AuditAction.VIEW):
    """A doctor opening a thread about a patient shows in that patient's access log."""
    patient = thread.patient or (thread.referral.patient if thread.referral_id else None)
    if patient is not None:
        audit_access(request, obj=thread, patient=patient, action=action)


def _deny(request, object_type, pk, thread=None):
    patient = None
    if thread is not None:
        patient = thread.patient or (thread.referral.patient if thread.referral_id else None)
    deny(request, object_type=object_type, object_id=str(pk)[:64], patient=patient)


def _threads():
    return Thread.objects.select_related("referral__patient", "patient").prefetch_related(
        "participants__user"
    )


def get_thread_for_user(request, pk, *, audit=AuditAction.VIEW):
    """The thread for one of its participants; else the audited 404."""
    thread = _threads().filter(pk=pk).first()
    if thread is None or not can_read_thread(request.user, thread):
        _deny(request, "messaging.thread", pk, thread)
    if audit is not None:
        audit_thread_access(request, thread, action=audit)
    return thread


def get_message_for_user(request, pk):
    """A message of a thread the signed-in person takes part in; else the audited 404."""
    message = Message.objects.select_related("thread", "sender").filter(pk=pk).first()
    if message is not None:
        thread = _threads().get(pk=message.thread_id)
        if can_read_thread(request.user, thread):
            message.thread = thread
            return message
    _deny(request, "messaging.message", pk, thread if message is not None else None)


def get_attachment_for_user(request, pk):
    """An attachment of a message the person may read and that is not retracted."""
    attachment = Attachment.objects.select_related("message").filter(pk=pk).first()
    thread = None
    if attachment is not None:
        thread = _threads().get(pk=attachment.message.thread_id)
        if can_read_thread(request.user, thread) and not attachment.message.is_retracted:
            attachment.message.thread = thread
            return attachment
    _deny(request, "messaging.attachment", pk, thread)


def is_patient_of_thread(user, thread):
    return thread.kind == ThreadKind.PATIENT and is_self(user, thread.patient_id)


def get_referral_for_its_doctor(request, pk):
    """A referral whose referring doctor or specialist is the signed-in person: only they
    have its thread (the patient sees the referral, not the doctors' conversation)."""
    referral = get_referral_for_user(request, pk, audit=None)
    doctor = verified_doctor(request.user)
    if doctor is None or doctor.pk not in (referral.referring_doctor_id, referral.specialist_id):
        deny(request, object_type="network.referral", object_id=pk, patient=referral.patient)
    return referral
