"""Every write of a case discussion: a doctor books a connected colleague's visit type
for colleagues, and either of them cancels it with a reason.

The booking is an appointment of kind "colleague" made by the booking service
(appointments.services.appointment_book), so notice, advance window, the slot engine,
the row locks and the database's refusal of a double booking are those of every
visit, and the stored free slots follow through `schedule_changed`. Its notices (an
in-app notice and an email with the calendar file and, online, the video room link
to both doctors) are the appointment notices.
"""

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from appointments.models import AppointmentKind, Mode, ModeOffer
from appointments.services import appointment_book, appointment_cancel
from audit.models import AuditAction
from audit.services import audit_record
from doctors.models import DoctorProfile

from .errors import NetworkError
from .models import CaseDiscussion, Connection, ConnectionStatus
from .services import network_member

TOPIC_MAX_LENGTH = 500
REASON_MAX_LENGTH = 1000


def _topic(topic):
    topic = (topic or "").strip()
    if not topic:
        raise NetworkError({"topic": [_("Say in a line what you would like to discuss.")]})
    if len(topic) > TOPIC_MAX_LENGTH:
        raise NetworkError({"topic": [_("Keep the topic under %d characters.") % TOPIC_MAX_LENGTH]})
    return topic


def _lock_connection(requester, colleague):
    """The pair's accepted connection, locked: a removal waits for the booking to commit,
    and a booking after the removal commits is refused."""
    return (
        Connection.objects.select_for_update(of=("self",))
        .filter(status=ConnectionStatus.ACCEPTED)
        .filter(
            Q(requester=requester, recipient=colleague)
            | Q(requester=colleague, recipient=requester)
        )
        .first()
    )


def _default_mode(visit_type):
    # Case discussions are online unless the visit type is offered in person only.
    return Mode.IN_PERSON if visit_type.mode == ModeOffer.IN_PERSON else Mode.ONLINE


def case_discussion_book(
    *, actor, colleague, visit_type, start, topic, mode=None, now=None, request=None, email=True
):
    """A verified doctor books a case discussion in a connected colleague's free slot of
    one of the colleague's visit types for colleagues. `email=False` (demo data only)
    leaves the notices in the app."""
    requester = network_member(actor)
    topic = _topic(topic)
    if colleague is None or colleague.pk == requester.pk:
        raise NetworkError({"colleague": [_("Choose a colleague you are connected with.")]})
    if (
        visit_type is None
        or visit_type.doctor_id != colleague.pk
        or not visit_type.for_colleagues
        or not visit_type.is_active
    ):
        raise NetworkError(
            {
                "visit_type": [
                    _("Choose one of the visit types your colleague offers to colleagues.")
                ]
            }
        )
    mode = mode or _default_mode(visit_type)
    with transaction.atomic():
        if _lock_connection(requester, colleague) is None:
            raise NetworkError(
                {"colleague": [_("You can book case discussions only with connected colleagues.")]}
            )
        colleague = DoctorProfile.objects.verified().filter(pk=colleague.pk).first()
        if colleague is None:
            raise NetworkError({"colleague": [_("This colleague cannot be booked at the moment.")]})
        appointment = appointment_book(
            patient=actor,
            doctor=colleague,
            visit_type=visit_type,
            start=start,
            mode=mode,
            actor=actor,
            now=now,
            request=request,
            kind=AppointmentKind.COLLEAGUE,
            email=email,
        )
        discussion = CaseDiscussion(
            appointment=appointment, requester=requester, colleague=colleague, topic=topic
        )
        discussion.full_clean(exclude=["appointment", "requester", "colleague"])
        discussion.save(force_insert=True)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=discussion,
            detail=f"case discussion with doctor {colleague.pk}",
            request=request,
        )
    return discussion


def case_discussion_cancel(*, discussion, actor, reason, now=None, request=None):
    """Either doctor cancels, always saying why; the other one is told, with the
    calendar file that removes it. The booking doctor keeps to the visit type's cut-off,
    as anyone who books does; the colleague may cancel later too."""
    doctor = network_member(actor)
    if doctor.pk not in (discussion.requester_id, discussion.colleague_id):
        raise NetworkError(_("This is not your case discussion."), code="not_yours")
    reason = (reason or "").strip()
    if not reason:
        raise NetworkError({"reason": [_("Say why you cancel; your colleague reads it.")]})
    if len(reason) > REASON_MAX_LENGTH:
        raise NetworkError(
            {"reason": [_("Keep the reason under %d characters.") % REASON_MAX_LENGTH]}
        )
    appointment_cancel(
        appointment=discussion.appointment, actor=actor, reason=reason, now=now, request=request
    )
    return discussion
