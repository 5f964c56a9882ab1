"""Object permissions on a patient's record (django-guardian): granted and revoked
here only, checked by records.access (docs/security.md)."""

from django.contrib.contenttypes.models import ContentType
from guardian.models import UserObjectPermission

from patients.access import grant_view
from prescriptions.models import Prescription

from .models import ConsultationRecord, Document


def records_grant_view(*, user, obj):
    """Let a doctor see one object of a patient's record (django-guardian)."""
    grant_view(user=user, obj=obj)


def records_revoke_doctor_access(*, doctor_user, patient):
    """Remove every object grant `doctor_user` holds on `patient`'s record.

    Called when a doctor's access ends (a revoked referral). The computed
    treating-doctor rule in records.access needs no revocation.
    """
    removed = 0
    for model in (ConsultationRecord, Document, Prescription):
        ids = [str(pk) for pk in model.objects.filter(patient=patient).values_list("pk", flat=True)]
        removed += UserObjectPermission.objects.filter(
            user=doctor_user,
            content_type=ContentType.objects.get_for_model(model),
            object_pk__in=ids,
        ).delete()[0]
    return removed
