import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from accounts.languages import in_language_of
from accounts.models import Role
from audit.models import AuditAction
from audit.services import audit_record
from inputs.images import check_image_pixels
from notifications.services import notification_send

from .models import (
    DoctorProfile,
    VerificationEvent,
    VerificationStatus,
    normalize_license_id,
    strip_doctor_title,
)

PHOTO_MAX_SIDE = 800
PROFILE_FIELDS = (
    "qualifications",
    "experience_years",
    "practice_name",
    "practice_address",
    "city",
    "languages",
    "consultation_fee",
    "bio",
    "time_zone",
)


def doctor_photo_clean(upload):
    """Re-encode an uploaded photo as JPEG: proves it is an image and drops metadata.
    Its pixel count is checked before it is decoded."""
    try:
        check_image_pixels(upload, label="photo")
    except ValidationError as exc:
        raise ValidationError({"photo": exc.messages}) from exc
    try:
        with Image.open(upload) as image:
            image.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image = image.convert("RGB")
            image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
            buffer = io.BytesIO()
            image.save(buffer, format="JPEG", quality=85)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            {"photo": _("The photo could not be read. Upload a JPEG or PNG image.")}
        ) from exc
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


@transaction.atomic
def doctor_register(*, user, full_name, license_id, specializations, photo=None, **fields):
    """Turn a freshly signed-up account into a doctor pending license verification."""
    user.role = Role.DOCTOR
    user.full_name = strip_doctor_title(full_name)
    user.full_clean(exclude=["password"])
    user.save(update_fields=["role", "full_name"])
    profile = DoctorProfile(
        user=user,
        license_id=normalize_license_id(license_id),
        verification_status=VerificationStatus.PENDING,
        **{name: value for name, value in fields.items() if name in PROFILE_FIELDS},
    )
    if photo:
        profile.photo = doctor_photo_clean(photo)
    profile.full_clean()
    profile.save()
    profile.specializations.set(specializations)
    audit_record(actor=user, action=AuditAction.CREATE, obj=profile)
    return profile


@transaction.atomic
def doctor_profile_update(*, profile, full_name, specializations, photo=None, **fields):
    """The doctor edits their own profile; license ID and verification stay as they are."""
    user = profile.user
    user.full_name = strip_doctor_title(full_name)
    user.full_clean(exclude=["password"])
    user.save(update_fields=["full_name"])
    for name in PROFILE_FIELDS:
        if name in fields:
            setattr(profile, name, fields[name])
    if photo:
        profile.photo = doctor_photo_clean(photo)
    profile.full_clean()
    profile.save()
    profile.specializations.set(specializations)
    audit_record(actor=user, action=AuditAction.CHANGE, obj=profile)
    return profile


def _decide(*, doctor_id, decided_by, status, reason="", request=None):
    with transaction.atomic():
        profile = DoctorProfile.objects.select_for_update().select_related("user").get(pk=doctor_id)
        if profile.verification_status == status:
            raise ValidationError(
                _("This doctor is already %(status)s.")
                % {"status": profile.get_verification_status_display().lower()}
            )
        VerificationEvent.objects.create(
            doctor=profile,
            from_status=profile.verification_status,
            to_status=status,
            note=reason,
            actor=decided_by,
        )
        profile.verification_status = status
        profile.rejection_reason = reason
        profile.verification_decided_at = timezone.now()
        profile.verification_decided_by = decided_by
        profile.full_clean()
        profile.save(
            update_fields=[
                "verification_status",
                "rejection_reason",
                "verification_decided_at",
                "verification_decided_by",
                "updated_at",
            ]
        )
        audit_record(
            actor=decided_by,
            action=AuditAction.VERIFY
            if status == VerificationStatus.VERIFIED
            else AuditAction.REJECT,
            obj=profile,
            detail=reason,
            request=request,
        )
        # In the doctor's language, whoever on the staff decided.
        with in_language_of(profile.user):
            if status == VerificationStatus.VERIFIED:
                title = _("Your license is verified")
                body = _(
                    "Your license %(license)s has been verified. "
                    "Patients can now find and book you."
                ) % {"license": profile.license_id}
            else:
                title = _("Your license verification was not approved")
                body = _(
                    "Your license %(license)s could not be verified. Reason: %(reason)s\n"
                    "Correct your profile and ask for a new review from your dashboard."
                ) % {"license": profile.license_id, "reason": reason}
            notification_send(
                recipient=profile.user,
                kind=f"doctor_{status}",
                title=title,
                body=body,
                url=reverse("accounts:dashboard"),
            )
    return profile


def doctor_verify(*, doctor, decided_by, request=None):
    return _decide(
        doctor_id=doctor.pk,
        decided_by=decided_by,
        status=VerificationStatus.VERIFIED,
        request=request,
    )


def doctor_reject(*, doctor, decided_by, reason, request=None):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("A reason is required to reject a license."))
    return _decide(
        doctor_id=doctor.pk,
        decided_by=decided_by,
        status=VerificationStatus.REJECTED,
        reason=reason,
        request=request,
    )


REVIEW_NOTE_MAX_LENGTH = 2000


def doctor_request_review(*, doctor, note="", request=None):
    """A rejected doctor, having corrected their profile, asks staff to review it again:
    the profile goes back to the verification queue, with the history kept."""
    note = (note or "").strip()
    if len(note) > REVIEW_NOTE_MAX_LENGTH:
        raise ValidationError(
            _("Keep the note under %(limit)s characters.") % {"limit": REVIEW_NOTE_MAX_LENGTH}
        )
    with transaction.atomic():
        profile = DoctorProfile.objects.select_for_update().select_related("user").get(pk=doctor.pk)
        if profile.verification_status != VerificationStatus.REJECTED:
            raise ValidationError(_("Only a rejected profile can be sent for a new review."))
        VerificationEvent.objects.create(
            doctor=profile,
            from_status=profile.verification_status,
            to_status=VerificationStatus.PENDING,
            note=note,
            actor=profile.user,
        )
        profile.verification_status = VerificationStatus.PENDING
        profile.save(update_fields=["verification_status", "updated_at"])
        audit_record(
            actor=profile.user,
            action=AuditAction.CHANGE,
            obj=profile,
            detail="asked for a new license review" + (f": {note}" if note else ""),
            request=request,
        )
    return profile
