"""Who may see a referral: its patient, its referring doctor and its specialist
(verified doctors only). Everyone else, staff included, gets the audited 404.

What the specialist may open of the patient's record through a referral is a
separate question (the referral's grant): see `shared_item_for_specialist`.
"""

from audit.models import AuditAction
from patients.access import audit_access, deny, fetch_for_user, is_self, verified_doctor

from .models import CaseDiscussion, Referral


def referral_role(user, referral):
    """'patient', 'referring', 'specialist' or None: the user's part in the referral."""
    if is_self(user, referral.patient_id):
        return "patient"
    doctor = verified_doctor(user)
    if doctor is None:
        return None
    if doctor.pk == referral.referring_doctor_id:
        return "referring"
    if doctor.pk == referral.specialist_id:
        return "specialist"
    return None


def can_view_referral(user, referral):
    return referral_role(user, referral) is not None


def get_referral_for_user(request, pk, *, audit=AuditAction.VIEW):
    """The referral for its patient, referring doctor or specialist; else the audited 404."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        deny(request, object_type="network.referral", object_id=str(pk)[:64])
    referrals = Referral.objects.for_list()
    return fetch_for_user(request, referrals, pk, allowed=can_view_referral, audit=audit)


# ---------------------------------------------------------------------------
# What the specialist opens through a referral


def referral_patient_label(referral):
    return f"through referral #{referral.pk}"


def get_shared_for_specialist(request, referral_pk, *, field, obj_pk, lock=False):
    """(referral, object) when the signed-in person is the referral's specialist, its
    grant is active now and it shares this object (`field`: record, prescription or
    document); else the audited 404. With lock=True the referral row is locked (call
    inside a transaction): a revoke waits for the read to finish, and a read after the
    revoke commits is refused."""
    referrals = Referral.objects.select_related("specialist__user", "patient")
    if lock:
        referrals = referrals.select_for_update(of=("self",))
    referral = referrals.filter(pk=referral_pk).first()
    doctor = verified_doctor(request.user)
    item = None
    if (
        referral is not None
        and doctor is not None
        and referral.specialist_id == doctor.pk
        and referral.grant_is_active()
    ):
        item = (
            referral.items.filter(**{f"{field}_id": obj_pk})
            .select_related(f"{field}__patient")
            .first()
        )
    if item is None:
        deny(
            request,
            object_type=f"network.referral.{field}",
            object_id=f"{referral_pk}/{obj_pk}",
            patient=referral.patient if referral is not None else None,
        )
    return referral, getattr(item, field)


def audit_shared_access(request, *, referral, obj=None, action=AuditAction.VIEW, part=""):
    """Write an access through a referral to the patient's "Who viewed my record"."""
    return audit_access(
        request,
        obj=obj,
        patient=referral.patient,
        action=action,
        object_type=part,
        detail=referral_patient_label(referral),
    )


# ---------------------------------------------------------------------------
# Case discussions


def get_discussion_for_user(request, pk, *, lock=False):
    """The case discussion for one of its two doctors (verified); everyone else, staff
    included, gets the audited 404. With lock=True the row is locked (in a transaction)."""
    doctor = verified_doctor(request.user)
    discussions = CaseDiscussion.objects.for_list()
    if lock:
        discussions = discussions.select_for_update(of=("self",))
    # The key is the appointment's (a relation): an id past 64 bits never reaches SQL.
    found = doctor is not None and 0 < pk < 2**63
    discussion = discussions.filter(pk=pk).first() if found else None
    if discussion is None or doctor.pk not in (discussion.requester_id, discussion.colleague_id):
        deny(request, object_type="network.casediscussion", object_id=str(pk)[:64])
    return discussion
