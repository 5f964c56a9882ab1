from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Role
from audit.models import AuditAction
from audit.services import audit_record

from .models import PatientProfile

PROFILE_FIELDS = (
    "date_of_birth",
    "sex",
    "blood_group",
    "phone",
    "address",
    "emergency_contact_name",
    "emergency_contact_phone",
)


@transaction.atomic
def patient_register(
    *, user, full_name, date_of_birth, phone, blood_group="", sex="undisclosed", time_zone=""
):
    """Turn a freshly signed-up account into a patient with a profile."""
    user.role = Role.PATIENT
    user.full_name = full_name.strip()
    user.time_zone = time_zone
    user.full_clean(exclude=["password"])
    user.save(update_fields=["role", "full_name", "time_zone"])
    profile = PatientProfile(
        user=user,
        date_of_birth=date_of_birth,
        phone=phone,
        blood_group=blood_group,
        sex=sex,
    )
    profile.full_clean()
    profile.save()
    audit_record(actor=user, action=AuditAction.CREATE, obj=profile, patient=user)
    return profile


@transaction.atomic
def patient_profile_update(*, profile, actor, full_name, request=None, time_zone=None, **fields):
    user = profile.user
    user.full_name = full_name.strip()
    if time_zone is not None:
        user.time_zone = time_zone
    user.full_clean(exclude=["password"])
    user.save(update_fields=["full_name", "time_zone"])
    changed = []
    for name in PROFILE_FIELDS:
        if name in fields and getattr(profile, name) != fields[name]:
            setattr(profile, name, fields[name])
            changed.append(name)
    profile.full_clean()
    profile.save()
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        obj=profile,
        patient=user,
        detail=", ".join(changed),
        request=request,
    )
    return profile


def patient_profile_save(*, user, actor, full_name, request=None, **fields):
    """Update a patient's profile, or create it for an account that has none yet.

    An account signed up through the headless API has no profile until the
    patient gives a date of birth and a phone number.
    """
    profile = PatientProfile.objects.filter(user=user).first()
    if profile is not None:
        return patient_profile_update(
            profile=profile, actor=actor, full_name=full_name, request=request, **fields
        )
    missing = [name for name in ("date_of_birth", "phone") if not fields.get(name)]
    if missing:
        raise ValidationError({name: "Required to complete your profile." for name in missing})
    with transaction.atomic():
        profile = patient_register(
            user=user,
            full_name=full_name,
            date_of_birth=fields["date_of_birth"],
            phone=fields["phone"],
            blood_group=fields.get("blood_group") or "",
            sex=fields.get("sex") or "undisclosed",
        )
        return patient_profile_update(
            profile=profile, actor=actor, full_name=full_name, request=request, **fields
        )
