"""Every write of the front desk. Booking, moving and cancelling on a patient's behalf
go through the appointments services (the patient is notified there); the desk adds
walk-in patients, their invitations to claim the account, and the day-sheet markers.
Each write is audited."""

import uuid

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from accounts.languages import in_language_of
from accounts.models import WALK_IN_EMAIL_DOMAIN, Role
from appointments.models import Appointment, AppointmentStatus
from appointments.services import appointment_book, appointment_cancel, appointment_reschedule
from audit.models import AuditAction
from audit.services import audit_record
from notifications.tasks import render_email
from patients.models import PatientProfile

from .models import AccountInvitation, InvitationChannel, Progress, VisitProgress

User = get_user_model()


class ClaimTokenGenerator(PasswordResetTokenGenerator):
    """Claim links stop working once the account has a password or another address."""

    key_salt = "medconnect.frontdesk.claim"


claim_tokens = ClaimTokenGenerator()


def _require_staff(actor):
    if not (actor and actor.is_authenticated and actor.is_active and actor.role == Role.STAFF):
        raise ValidationError(_("Only clinic staff can do this."))


# Walk-in patients -------------------------------------------------------------------


@transaction.atomic
def walk_in_register(*, full_name, phone, actor, request=None):
    """A patient account with a name and a phone number only, until they claim it."""
    _require_staff(actor)
    user = User(
        email=f"walk-in-{uuid.uuid4().hex}@{WALK_IN_EMAIL_DOMAIN}",
        full_name=" ".join((full_name or "").split()),
        role=Role.PATIENT,
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    profile = PatientProfile(user=user, phone=(phone or "").strip())
    profile.full_clean()
    profile.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=profile,
        patient=user,
        detail="walk-in patient registered at the front desk",
        request=request,
    )
    return user


def is_unclaimed(user):
    return user.role == Role.PATIENT and not user.has_usable_password()


def claim_url(user):
    """The absolute link that lets this patient claim their account (single use)."""
    path = reverse(
        "frontdesk:claim",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": claim_tokens.make_token(user),
        },
    )
    return settings.MEDCONNECT_SITE_URL + path


def _send_invitation_email(user, url):
    context = {
        "recipient": user,
        "claim_url": url,
        "clinic_name": settings.MEDCONNECT_CLINIC_NAME,
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }
    # In the patient's language, whoever at the desk sends it.
    with in_language_of(user):
        subject, text, html = render_email(template="account_invitation", context=context)
    message = EmailMultiAlternatives(subject=f"[MedConnect] {subject}", body=text, to=[user.email])
    message.attach_alternative(html, "text/html")
    message.send()


def account_invite(*, patient, actor, email="", request=None):
    """Invite an unclaimed patient to claim their account: by email to `email`, or,
    without one, a link for the desk to send by SMS. Returns the link."""
    _require_staff(actor)
    email = (email or "").strip().lower()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=patient.pk)
        if not is_unclaimed(user):
            raise ValidationError(_("This patient already has an account they sign in to."))
        if email:
            validate_email(email)
            taken = User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists()
            if taken or EmailAddress.objects.filter(email__iexact=email).exists():
                raise ValidationError(_("Another account already uses this email address."))
            user.email = email
            user.save(update_fields=["email"])
        url = claim_url(user)
        channel = InvitationChannel.EMAIL if email else InvitationChannel.LINK
        AccountInvitation.objects.create(
            patient=user, channel=channel, sent_to=email, created_by=actor
        )
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE,
            obj=user,
            patient=user,
            detail=f"invited to claim the account ({channel})",
            request=request,
        )
        if email:
            transaction.on_commit(lambda: _send_invitation_email(user, url))
    return url


def claim_user(uidb64, token):
    """The unclaimed patient a claim link names, or None if the link is not valid."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not is_unclaimed(user) or not claim_tokens.check_token(user, token):
        return None
    return user


def account_claim(*, user, token, email, password, request=None):
    """The patient sets their email address and password. An address the invitation
    was emailed to counts as confirmed; a new one is confirmed at first sign-in."""
    email = (email or "").strip().lower()
    validate_email(email)
    password_validation.validate_password(password, user)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if not is_unclaimed(locked) or not claim_tokens.check_token(locked, token):
            raise ValidationError(_("This link has expired or was already used."))
        invited = locked.has_deliverable_email and locked.email == email
        if User.objects.filter(email__iexact=email).exclude(pk=locked.pk).exists():
            raise ValidationError(_("Another account already uses this email address."))
        locked.email = email
        locked.set_password(password)
        locked.save(update_fields=["email", "password"])
        EmailAddress.objects.filter(user=locked).delete()
        EmailAddress.objects.create(user=locked, email=email, primary=True, verified=invited)
        AccountInvitation.objects.filter(patient=locked, claimed_at__isnull=True).update(
            claimed_at=timezone.now()
        )
        audit_record(
            actor=locked,
            action=AuditAction.CHANGE,
            obj=locked,
            patient=locked,
            detail="claimed the account",
            request=request,
        )
    return locked


# Booking on a patient's behalf ------------------------------------------------------


def desk_book(*, patient, doctor, visit_type, start, mode, reason="", actor, request=None):
    """Book through the same service as patients; the patient and the doctor are told."""
    _require_staff(actor)
    return appointment_book(
        patient=patient,
        doctor=doctor,
        visit_type=visit_type,
        start=start,
        mode=mode,
        reason=reason,
        actor=actor,
        request=request,
    )


def _require_reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason; the patient and the doctor see it."))
    return reason


def desk_reschedule(*, appointment, new_start, reason, actor, request=None):
    _require_staff(actor)
    return appointment_reschedule(
        appointment=appointment,
        actor=actor,
        new_start=new_start,
        reason=_require_reason(reason),
        request=request,
    )


def desk_cancel(*, appointment, reason, actor, request=None):
    _require_staff(actor)
    return appointment_cancel(
        appointment=appointment, actor=actor, reason=_require_reason(reason), request=request
    )


# The day sheet ------------------------------------------------------------------------

# Visits the desk can mark: they hold their time, or the doctor already closed them.
MARKABLE_STATUSES = (
    AppointmentStatus.PENDING,
    AppointmentStatus.CONFIRMED,
    AppointmentStatus.COMPLETED,
)


def visit_progress_set(*, appointment, state, actor, request=None):
    """Mark where the patient is (arrived, in consultation, done); "" clears it."""
    _require_staff(actor)
    if state and state not in Progress.values:
        raise ValidationError(_("Choose arrived, in consultation or done."))
    with transaction.atomic():
        locked = (
            Appointment.objects.select_for_update(of=("self",))
            .select_related("patient")
            .get(pk=appointment.pk)
        )
        if locked.status not in MARKABLE_STATUSES:
            label = locked.get_status_display().lower()
            raise ValidationError(_("A %(status)s visit cannot be marked.") % {"status": label})
        if state:
            VisitProgress.objects.update_or_create(
                appointment=locked, defaults={"state": state, "changed_by": actor}
            )
        else:
            VisitProgress.objects.filter(appointment=locked).delete()
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE,
            obj=locked,
            patient=locked.patient,
            detail=f"desk marker: {Progress(state).label if state else 'cleared'}",
            request=request,
        )
    return state
