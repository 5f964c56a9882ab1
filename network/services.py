"""Every write of the doctor network (see the package's models for the states)."""

from django.db.models import Q

from .models import Connection, ConnectionStatus, ReferralEvent, ReferralEventKind


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
