"""Reads of the doctor network: finding colleagues, the lists, what a referral shares,
the specialist's free slots, overdue flags and the patient's sharing page."""

import datetime as dt

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from appointments.models import VisitType
from availability.selectors import free_slots
from doctors.models import DoctorProfile, VerificationStatus, normalize_license_id
from patients.access import treating_doctors
from records.models import Allergy, Condition, Medication

from .models import (
    CaseDiscussion,
    Connection,
    ConnectionStatus,
    HistorySection,
    Referral,
    ReferralItem,
    Urgency,
)
from .models import ReferralStatus as RS

# ---------------------------------------------------------------------------
# Connections


def colleagues_search(*, doctor, q="", specialization=None, city="", license_id=""):
    """Verified doctors other than `doctor` matching the filters (the network's search)."""
    found = DoctorProfile.objects.verified().exclude(pk=doctor.pk)
    if q:
        found = found.filter(user__full_name__icontains=q)
    if specialization:
        found = found.filter(specializations=specialization)
    if city:
        found = found.filter(city__iexact=city.strip())
    if license_id:
        found = found.filter(license_id=normalize_license_id(license_id))
    return found.for_list().order_by("user__full_name", "pk").distinct()


def connection_lists(doctor):
    """Received and sent requests waiting for an answer, and accepted connections."""
    mine = Connection.objects.involving(doctor).for_list()
    # Only verified colleagues appear: a doctor whose verification was withdrawn drops out.
    verified = Q(
        requester__verification_status=VerificationStatus.VERIFIED,
        requester__user__is_active=True,
        recipient__verification_status=VerificationStatus.VERIFIED,
        recipient__user__is_active=True,
    )
    mine = mine.filter(verified)
    return {
        "received": mine.filter(recipient=doctor, status=ConnectionStatus.PENDING),
        "sent": mine.filter(requester=doctor, status=ConnectionStatus.PENDING),
        "connected": mine.filter(status=ConnectionStatus.ACCEPTED),
    }


def connected_doctors(doctor):
    """The verified doctors `doctor` holds an accepted connection with."""
    accepted = Connection.objects.involving(doctor).accepted()
    ids = {
        pk
        for pair in accepted.values_list("requester_id", "recipient_id")
        for pk in pair
        if pk != doctor.pk
    }
    return DoctorProfile.objects.verified().filter(pk__in=ids).for_list()


def connection_states(doctor, others):
    """{other doctor id: live Connection} for the search results' buttons (one query)."""
    ids = [o.pk for o in others]
    live = Connection.objects.live().filter(
        Q(requester=doctor, recipient_id__in=ids) | Q(recipient=doctor, requester_id__in=ids)
    )
    return {c.recipient_id if c.requester_id == doctor.pk else c.requester_id: c for c in live}


# ---------------------------------------------------------------------------
# Referrals


def referrals_for_user(user, doctor=None):
    """The referrals a person takes part in, newest first."""
    referrals = Referral.objects.for_list()
    if doctor is not None:
        return referrals.for_doctor(doctor)
    return referrals.for_patient(user)


def shared_items(referral):
    """The referral's items with what they point at, in one query."""
    return list(
        ReferralItem.objects.filter(referral=referral).select_related(
            "record__doctor__user", "prescription__doctor__user", "document"
        )
    )


HISTORY_MODELS = {
    HistorySection.CONDITIONS: Condition,
    HistorySection.ALLERGIES: Allergy,
    HistorySection.MEDICATIONS: Medication,
}


def shared_history(referral, items):
    """[(section, label, entries)] of the medical history sections the referral shares."""
    sections = [item.section for item in items if item.section]
    return [
        (
            section,
            HistorySection(section).label,
            list(HISTORY_MODELS[section].objects.filter(patient_id=referral.patient_id)),
        )
        for section in sections
    ]


def specialist_visit_types(referral):
    return VisitType.objects.for_patients().filter(doctor=referral.specialist)


def specialist_free_slots(*, doctor, visit_type, start_date, days=14, now=None):
    """The specialist's free slots for booking a referral, from the stored availability:
    the one place the network reads free time."""
    return free_slots(
        doctor=doctor,
        visit_type=visit_type,
        start_date=start_date,
        end_date=start_date + dt.timedelta(days=days - 1),
        now=now,
    )


def add_working_days(moment, days, tz=None):
    """`moment` plus `days` working days (Monday to Friday) in the clinic's time zone."""
    local = timezone.localtime(moment, tz)
    while days > 0:
        local += dt.timedelta(days=1)
        if local.weekday() < 5:
            days -= 1
    return local


def overdue_reason(referral, now=None):
    """Why the referral is overdue, or "": an urgent referral not accepted in time, or no
    report the set days after the visit."""
    now = now or timezone.now()
    if (
        referral.urgency == Urgency.URGENT
        and referral.status == RS.SENT
        and referral.sent_at is not None
    ):
        due = add_working_days(
            referral.sent_at, settings.MEDCONNECT_REFERRAL_URGENT_ACCEPT_WORKING_DAYS
        )
        if now > due:
            return _("Urgent and not accepted in time")
    if referral.status == RS.SEEN and referral.seen_at is not None:
        due = referral.seen_at + dt.timedelta(days=settings.MEDCONNECT_REFERRAL_REPORT_DAYS)
        if now > due:
            return _("No report since the visit")
    return ""


# ---------------------------------------------------------------------------
# The patient's sharing page


def sharing_overview(patient, now=None):
    """Every doctor who can see the patient's record now, and why."""
    grants = (
        Referral.objects.grant_active(now)
        .for_patient(patient)
        .select_related("specialist__user", "referring_doctor__user")
        .prefetch_related(Prefetch("items", queryset=ReferralItem.objects.all()))
        .order_by("-sent_at")
    )
    return {"treating": treating_doctors(patient, now), "referrals": list(grants)}


# ---------------------------------------------------------------------------
# Case discussions


def discussions_for_doctor(doctor):
    """The case discussions a doctor booked or hosts, latest time first."""
    return CaseDiscussion.objects.involving(doctor).for_list()


def discussion_visit_types(colleague):
    """The colleague's visit types a connected doctor may book a discussion of."""
    return colleague.visit_types.for_colleague_discussions().order_by("name", "pk")


def discussion_colleague(doctor, pk):
    """The connected, verified colleague `pk` of `doctor`, or None."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    if not 0 < pk < 2**63:
        return None
    return connected_doctors(doctor).filter(pk=pk).first()
