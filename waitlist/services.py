"""Every write of the waitlist: join, leave, offer a freed slot, claim, expire."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.languages import in_language_of
from accounts.models import Role
from appointments.clock import time_span
from appointments.errors import SlotTaken
from appointments.services import appointment_book
from availability.selectors import free_slots
from doctors.models import DoctorProfile
from notifications.services import notification_send
from notifications.tasks import enqueue_at

from . import tasks
from .models import EntryStatus, OfferStatus, WaitlistEntry, WaitlistOffer


class WaitlistError(ValidationError):
    """A waitlist action refused, with a message for the patient."""


def claim_window():
    return dt.timedelta(minutes=settings.MEDCONNECT_WAITLIST_CLAIM_MINUTES)


def _queue_offers(doctor_id, date_from, date_to):
    transaction.on_commit(
        lambda: tasks.offer_freed_slots.enqueue(
            doctor_id, date_from.isoformat(), date_to.isoformat()
        )
    )


# Joining and leaving -------------------------------------------------------------------


def waitlist_join(*, patient, doctor, visit_type, date_from, date_to, now=None):
    now = now or timezone.now()
    if patient is None or not patient.is_active or patient.role != Role.PATIENT:
        raise PermissionDenied(_("Only patients join waitlists."))
    if not doctor.is_verified:
        raise WaitlistError(_("This doctor cannot be booked."), code="not_bookable")
    if visit_type.doctor_id != doctor.pk or not visit_type.is_active or visit_type.for_colleagues:
        raise WaitlistError(_("Choose one of this doctor's visit types."), code="visit_type")
    today = now.astimezone(doctor.tz).date()
    if date_from < today:
        raise WaitlistError({"date_from": _("Choose today or a later day.")})
    if date_to < date_from:
        raise WaitlistError({"date_to": _("The last day must be on or after the first.")})
    last = today + dt.timedelta(days=visit_type.max_advance_days)
    if date_to > last:
        raise WaitlistError(
            {
                "date_to": _("This visit can be booked up to %(days)s days ahead.")
                % {"days": visit_type.max_advance_days}
            }
        )
    entry = WaitlistEntry(
        patient=patient, doctor=doctor, visit_type=visit_type, date_from=date_from, date_to=date_to
    )
    entry.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as exc:
        raise WaitlistError(
            _("You are already on this waitlist. Leave it first to change your dates."),
            code="duplicate",
        ) from exc
    return entry


def waitlist_leave(*, patient, entry, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        entry = WaitlistEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.patient_id != patient.pk:
            raise PermissionDenied(_("This is not your waitlist entry."))
        if entry.status != EntryStatus.WAITING:
            return entry
        entry.status = EntryStatus.LEFT
        entry.left_at = now
        entry.save(update_fields=["status", "left_at"])
        for offer in entry.offers.select_for_update().filter(status=OfferStatus.OPEN):
            offer.status = OfferStatus.WITHDRAWN
            offer.decided_at = now
            offer.save(update_fields=["status", "decided_at"])
            day = offer.start.astimezone(entry.doctor.tz).date()
            _queue_offers(entry.doctor_id, day, day)  # the held slot goes to the next patient
    return entry


# Offering ------------------------------------------------------------------------------


def _blocked(start, end, visit_type):
    """The doctor's time a visit holds: its buffers before and after included."""
    return start - visit_type.buffer_before, end + visit_type.buffer_after


def _overlaps(start, end, held):
    return any(start < h_end and h_start < end for h_start, h_end in held)


def _offer_context(offer, entry):
    doctor = entry.doctor
    start = offer.start.astimezone(doctor.tz)
    end = offer.end.astimezone(doctor.tz)
    expires = offer.expires_at.astimezone(doctor.tz)
    return {
        "offer": {
            "doctor_name": _("Dr. %(name)s") % {"name": doctor.user.full_name},
            "specializations": ", ".join(s.name for s in doctor.specializations.all()),
            "practice_name": doctor.practice_name,
            "address": f"{doctor.practice_address}, {doctor.city}",
            "visit_type": entry.visit_type.name,
            "modes": entry.visit_type.get_mode_display(),
            "date": f"{start:%A %d %B %Y}",
            "time": time_span(start, end, doctor.tz)[0],
            "time_zone": doctor.time_zone,
            "time_zone_abbreviation": time_span(start, end, doctor.tz)[1],
            "expires": _("%(time)s on %(day)s")
            % {"time": f"{expires:%H:%M}", "day": f"{expires:%A %d %B}"},
            "claim_url": settings.MEDCONNECT_SITE_URL
            + reverse("waitlist:offer", kwargs={"pk": offer.pk}),
        }
    }


def _notify_offer(offer, entry):
    # Written in the patient's language, whoever freed the time.
    with in_language_of(entry.patient):
        _send_offer(offer, entry)


def _send_offer(offer, entry):
    local = offer.start.astimezone(entry.doctor.tz)
    notification_send(
        recipient=entry.patient,
        kind="waitlist_offer",
        title=_("A time with Dr. %(name)s is free for you") % {"name": entry.doctor.user.full_name},
        body=_("%(visit)s on %(when)s (%(zone)s) is held for you for %(minutes)s minutes.")
        % {
            "visit": entry.visit_type.name,
            "when": f"{local:%a %d %b %Y, %H:%M}",
            "zone": entry.doctor.time_zone,
            "minutes": settings.MEDCONNECT_WAITLIST_CLAIM_MINUTES,
        },
        url=reverse("waitlist:offer", kwargs={"pk": offer.pk}),
        email_template="waitlist_offer",
        context=_offer_context(offer, entry),
    )


def waitlist_offer_freed_slots(*, doctor_id, date_from, date_to, now=None):
    """Offer free slots on these days to the doctor's waiting patients, first come first
    served: each patient without an open offer gets the first free slot in their range
    that is not held for someone else and was not offered to them before."""
    now = now or timezone.now()
    made = []
    with transaction.atomic():
        # Offers of one doctor are made one run at a time (the booking lock).
        doctor = (
            DoctorProfile.objects.select_for_update(of=("self",))
            .select_related("user")
            .get(pk=doctor_id)
        )
        if not doctor.is_verified:
            return made
        today = now.astimezone(doctor.tz).date()
        date_from = max(date_from, today)
        # Held time is each offer's blocked time, buffers included (as the database's
        # no-overlap rule counts it), so every open offer can be claimed together.
        held = [
            _blocked(o.start, o.end, o.entry.visit_type)
            for o in WaitlistOffer.objects.open()
            .filter(doctor=doctor)
            .select_related("entry__visit_type")
        ]
        entries = (
            WaitlistEntry.objects.waiting()
            .filter(doctor=doctor, date_from__lte=date_to, date_to__gte=date_from)
            .exclude(offers__status=OfferStatus.OPEN)
            .select_related("patient", "visit_type", "doctor__user")
            .order_by("joined_at", "id")
        )
        for entry in entries:
            if not entry.visit_type.is_active or entry.visit_type.for_colleagues:
                continue  # stopped or now kept for colleagues: not offered to patients
            if not entry.patient.is_active:
                continue
            already = set(entry.offers.values_list("start", flat=True))
            free = free_slots(
                doctor=doctor,
                visit_type=entry.visit_type,
                start_date=max(date_from, entry.date_from),
                end_date=min(date_to, entry.date_to),
                now=now,
            )
            visit_type = entry.visit_type
            slot = next(
                (
                    s
                    for s in free
                    if s.start not in already
                    and not _overlaps(*_blocked(s.start, s.end, visit_type), held)
                ),
                None,
            )
            if slot is None:
                continue
            offer = WaitlistOffer.objects.create(
                entry=entry,
                doctor=doctor,
                start=slot.start,
                end=slot.end,
                expires_at=now + claim_window(),
            )
            held.append(_blocked(slot.start, slot.end, visit_type))
            _notify_offer(offer, entry)
            expires_at, offer_id = offer.expires_at, offer.pk
            transaction.on_commit(lambda when=expires_at, pk=offer_id: _enqueue_expiry(pk, when))
            made.append(offer)
    return made


def _enqueue_expiry(offer_id, when):
    enqueue_at(tasks.expire_waitlist_offer, when, offer_id)


def waitlist_offer_expire(*, offer_id, now=None):
    """Close an open offer whose claim window has passed; the slot goes to the next patient."""
    now = now or timezone.now()
    with transaction.atomic():
        offer = (
            WaitlistOffer.objects.select_for_update(of=("self",))
            .select_related("doctor")
            .filter(pk=offer_id)
            .first()
        )
        if offer is None or offer.status != OfferStatus.OPEN or offer.expires_at > now:
            return False
        offer.status = OfferStatus.EXPIRED
        offer.decided_at = now
        offer.save(update_fields=["status", "decided_at"])
        day = offer.start.astimezone(offer.doctor.tz).date()
    waitlist_offer_freed_slots(doctor_id=offer.doctor_id, date_from=day, date_to=day, now=now)
    return True


# Claiming ------------------------------------------------------------------------------

LOST_MESSAGE = gettext_lazy(
    "Someone booked this time just before you. You are still on the waitlist; "
    "we will offer you the next free time."
)


def waitlist_offer_claim(*, offer, patient, mode, reason="", now=None, request=None):
    """Book the offered slot through the normal booking service.

    The hold is advisory: a normal booking may take the slot first, and then the
    database refuses this one; the patient is told and stays on the waitlist."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            locked = (
                WaitlistOffer.objects.select_for_update(of=("self",))
                .select_related("entry__visit_type", "doctor")
                .get(pk=offer.pk)
            )
            entry = locked.entry
            if entry.patient_id != patient.pk:
                raise PermissionDenied(_("This offer is not yours."))
            if locked.status != OfferStatus.OPEN or locked.expires_at <= now:
                raise WaitlistError(
                    _("This offer has ended. You are still on the waitlist."), code="ended"
                )
            appointment = appointment_book(
                patient=patient,
                doctor=locked.doctor,
                visit_type=entry.visit_type,
                start=locked.start,
                mode=mode,
                reason=reason,
                actor=patient,
                now=now,
                request=request,
            )
            locked.status = OfferStatus.CLAIMED
            locked.decided_at = now
            locked.appointment = appointment
            locked.save(update_fields=["status", "decided_at", "appointment"])
            entry.status = EntryStatus.BOOKED
            entry.appointment = appointment
            entry.save(update_fields=["status", "appointment"])
    except SlotTaken as exc:
        with transaction.atomic():
            WaitlistOffer.objects.filter(pk=offer.pk, status=OfferStatus.OPEN).update(
                status=OfferStatus.LOST, decided_at=now
            )
        raise WaitlistError(LOST_MESSAGE, code="lost") from exc
    return appointment


def waitlist_expire_due(*, now=None):
    """Expire every open offer past its claim window (the sweep's safety net)."""
    now = now or timezone.now()
    due = list(
        WaitlistOffer.objects.open().filter(expires_at__lte=now).values_list("pk", flat=True)
    )
    return sum(waitlist_offer_expire(offer_id=pk, now=now) for pk in due)
