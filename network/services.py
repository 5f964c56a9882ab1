"""Every write of the doctor network's connections, and the functions other apps
build on (are_connected, referral_event_record). Referrals: network/referrals.py."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import AuditAction
from audit.services import audit_record
from doctors.models import DoctorProfile
from patients.access import verified_doctor

from . import notices
from .errors import IllegalTransition, NetworkError
from .models import (
    Connection,
    ConnectionStatus,
    ReferralEvent,
    ReferralEventKind,
    pair_key,
)

NOTE_MAX_LENGTH = 300


def are_connected(doctor_a, doctor_b):
    """True when the two doctors hold an accepted connection, in either direction."""
    if doctor_a is None or doctor_b is None or doctor_a.pk == doctor_b.pk:
        return False
    return (
        Connection.objects.filter(status=ConnectionStatus.ACCEPTED)
        .filter(
            Q(requester=doctor_a, recipient=doctor_b) | Q(requester=doctor_b, recipient=doctor_a)
        )
        .exists()
    )


def referral_event_record(*, referral, kind, actor, detail=""):
    """Append one event to the referral's timeline and return it."""
    if kind not in ReferralEventKind.values:
        raise ValueError(f"Unknown referral event kind {kind!r}.")
    return ReferralEvent.objects.create(
        referral=referral,
        kind=kind,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        detail=detail or "",
    )


# ---------------------------------------------------------------------------
# Connections


def network_member(user):
    """The verified doctor profile of `user`, or a PermissionDenied: only verified
    doctors send, receive or appear in the network."""
    doctor = verified_doctor(user)
    if doctor is None:
        raise PermissionDenied(_("The doctor network is open to verified doctors only."))
    return doctor


def _note(note):
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise NetworkError(
            _("Keep the note under %(limit)s characters.") % {"limit": NOTE_MAX_LENGTH},
            code="note",
        )
    return note


def connection_request(*, actor, recipient, note="", request=None):
    """A verified doctor asks another verified doctor to connect."""
    requester = network_member(actor)
    note = _note(note)
    with transaction.atomic():
        recipient = (
            DoctorProfile.objects.verified()
            .select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=getattr(recipient, "pk", recipient))
            .first()
        )
        if recipient is None:
            raise PermissionDenied(_("No such doctor."))
        if recipient.pk == requester.pk:
            raise NetworkError(_("You cannot connect with yourself."), code="self")
        live = Connection.objects.live().filter(pair=pair_key(requester.pk, recipient.pk)).first()
        if live is not None:
            raise NetworkError(
                _("You are already connected.")
                if live.status == ConnectionStatus.ACCEPTED
                else _("A connection request between you is already waiting for an answer."),
                code="exists",
            )
        connection = Connection(requester=requester, recipient=recipient, note=note)
        connection.full_clean(exclude=["pair"], validate_constraints=False)
        try:
            with transaction.atomic():
                connection.save()
        except IntegrityError as exc:
            raise NetworkError(_("A connection request between you already exists.")) from exc
        audit_record(actor=actor, action=AuditAction.CREATE, obj=connection, request=request)
        notices.notify_connection_requested(connection)
    return connection


def _lock_connection(connection):
    return (
        Connection.objects.select_for_update(of=("self",))
        .select_related("requester__user", "recipient__user")
        .get(pk=connection.pk)
    )


# action: (who: requester / recipient / either, from status, to status)
CONNECTION_RULES = {
    "accept": ("recipient", ConnectionStatus.PENDING, ConnectionStatus.ACCEPTED),
    "decline": ("recipient", ConnectionStatus.PENDING, ConnectionStatus.DECLINED),
    "withdraw": ("requester", ConnectionStatus.PENDING, ConnectionStatus.WITHDRAWN),
    "remove": ("either", ConnectionStatus.ACCEPTED, ConnectionStatus.REMOVED),
}


def connection_refusal(doctor, connection, action):
    """Why `doctor` may not take `action` on `connection`, or None."""
    who, from_status, _to_status = CONNECTION_RULES[action]
    parties = {"requester": connection.requester_id, "recipient": connection.recipient_id}
    if doctor is None or doctor.pk not in parties.values():
        return PermissionDenied(_("No such connection."))
    if who != "either" and parties[who] != doctor.pk:
        return PermissionDenied(_("This is not yours to do on this connection."))
    if connection.status != from_status:
        return IllegalTransition(
            _("This connection is %(status)s; it cannot be %(done)s now.")
            % {
                "status": connection.get_status_display().lower(),
                "done": CONNECTION_DONE[action],
            }
        )
    return None


CONNECTION_DONE = {
    "accept": gettext_lazy("accepted"),
    "decline": gettext_lazy("declined"),
    "withdraw": gettext_lazy("withdrawn"),
    "remove": gettext_lazy("removed"),
}


def connection_actions(doctor, connection):
    return frozenset(a for a in CONNECTION_RULES if not connection_refusal(doctor, connection, a))


def _connection_change(*, connection, actor, action, request=None):
    doctor = network_member(actor)
    now = timezone.now()
    with transaction.atomic():
        locked = _lock_connection(connection)
        refusal = connection_refusal(doctor, locked, action)
        if refusal is not None:
            raise refusal
        from_status = locked.status
        locked.status = CONNECTION_RULES[action][2]
        fields = ["status"]
        if action in ("accept", "decline"):
            locked.decided_at = now
            fields.append("decided_at")
        else:
            locked.ended_at, locked.ended_by = now, actor
            fields += ["ended_at", "ended_by"]
        locked.save(update_fields=fields)
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE,
            obj=locked,
            detail=f"{from_status} -> {locked.status}",
            request=request,
        )
        if action in ("accept", "decline"):
            notices.notify_connection_answered(locked, accepted=action == "accept")
        elif action == "remove":
            notices.notify_connection_removed(locked, locked.other(doctor))
    connection.status = locked.status
    return locked


def connection_accept(*, connection, actor, request=None):
    return _connection_change(connection=connection, actor=actor, action="accept", request=request)


def connection_decline(*, connection, actor, request=None):
    return _connection_change(connection=connection, actor=actor, action="decline", request=request)


def connection_withdraw(*, connection, actor, request=None):
    return _connection_change(
        connection=connection, actor=actor, action="withdraw", request=request
    )


def connection_remove(*, connection, actor, request=None):
    return _connection_change(connection=connection, actor=actor, action="remove", request=request)
