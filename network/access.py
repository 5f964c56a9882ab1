"""Who may see a referral: its patient, its referring doctor and its specialist
(verified doctors only). Everyone else, staff included, gets the audited 404.

What the specialist may open of the patient's record through a referral is a
separate question (the referral's grant): see `shared_item_for_specialist`.
"""

from audit.models import AuditAction
from patients.access import deny, fetch_for_user, is_self, verified_doctor

from .models import Referral


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
