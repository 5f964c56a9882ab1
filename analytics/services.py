"""Writes of the analytics app: monthly reports (claimed once per doctor, month and
audience), and the rollup catch-up the scheduler runs."""

import datetime as dt
import hashlib
import logging

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.languages import in_language_of
from doctors.models import DoctorProfile
from notifications.services import notification_send

from .models import MonthlyReport, ReportAudience, ReportStatus
from .reports import month_period, previous_month, report_pdf_render
from .rollups import rollup_rebuild

logger = logging.getLogger(__name__)


def _month_rollups_fresh(doctor, month):
    # The figures compare with the month before: both are recounted first.
    period = month_period(month)
    rollup_rebuild(doctor=doctor, first=previous_month(month), last=period.last)


def _store(report, pdf):
    old_name = report.file.name if report.file else ""
    report.file.save(report.filename, ContentFile(pdf), save=False)
    report.sha256 = hashlib.sha256(pdf).hexdigest()
    report.size = len(pdf)
    report.status = ReportStatus.READY
    if old_name:
        storage = report.file.storage
        transaction.on_commit(lambda: storage.delete(old_name))


def monthly_report_claim_and_generate(*, doctor, month, audience, actor=None, notify=True):
    """Generate the report once: the (doctor, month, audience) row is claimed in the
    transaction that renders and files it. Returns (report, created); a report already
    made (by another scheduler or worker, even at this moment) is returned as it is."""
    try:
        with transaction.atomic():
            report, created = MonthlyReport.objects.get_or_create(
                doctor=doctor, month=month, audience=audience, defaults={"requested_by": actor}
            )
            if not created:
                return report, False
            _month_rollups_fresh(doctor, month)
            _store(report, report_pdf_render(doctor=doctor, month=month, audience=audience))
            report.save()
            if notify and audience == ReportAudience.DOCTOR:
                _notify_doctor(report)
    except IntegrityError:
        # Another worker claimed the same row between our read and our insert.
        return MonthlyReport.objects.get(doctor=doctor, month=month, audience=audience), False
    return report, True


def monthly_report_generate(*, doctor, month, audience, actor):
    """On demand (a doctor for their own past month, staff for any doctor's clinic copy):
    made if missing, made again from today's data if it exists."""
    if audience == ReportAudience.DOCTOR and getattr(actor, "doctor_profile", None) != doctor:
        raise PermissionDenied
    if audience == ReportAudience.STAFF and not (actor.is_staff and actor.role == "staff"):
        raise PermissionDenied
    report, created = monthly_report_claim_and_generate(
        doctor=doctor, month=month, audience=audience, actor=actor, notify=False
    )
    if created:
        return report
    with transaction.atomic():
        report = MonthlyReport.objects.select_for_update().get(pk=report.pk)
        _month_rollups_fresh(doctor, month)
        _store(report, report_pdf_render(doctor=doctor, month=month, audience=audience))
        report.requested_by = actor
        report.save()
    return report


def _notify_doctor(report):
    # In the doctor's language: the report is often made by the scheduler or the staff.
    with in_language_of(report.doctor.user):
        _send_report_notice(report)


def _send_report_notice(report):
    month = date_format(report.month, "F Y")
    notification_send(
        recipient=report.doctor.user,
        kind="monthly_report",
        title=_("Your monthly report for %(month)s is ready") % {"month": month},
        body=_("Your practice report for %(month)s is ready to download.") % {"month": month},
        url=reverse("analytics:practice") + "#reports",
    )


def due_month(doctor, now):
    """The month whose report is due for the doctor now: the month before the doctor's
    local today, once the doctor was with the clinic before it ended."""
    local_today = now.astimezone(doctor.tz).date()
    month = previous_month(local_today.replace(day=1))
    if doctor.created_at.astimezone(doctor.tz).date() > month_period(month).last:
        return None
    return month


def generate_due_reports(*, now=None):
    """Every verified doctor's report of last month (in their own time zone) that is not
    made yet; run hourly. Returns how many were made here."""
    now = now or timezone.now()
    doctors = list(DoctorProfile.objects.verified().select_related("user"))
    due = {d.pk: due_month(d, now) for d in doctors}
    made = set(
        MonthlyReport.objects.filter(
            audience=ReportAudience.DOCTOR,
            month__in={m for m in due.values() if m},
            doctor_id__in=list(due),
        ).values_list("doctor_id", "month")
    )
    count = 0
    for doctor in doctors:
        month = due[doctor.pk]
        if month is None or (doctor.pk, month) in made:
            continue
        try:
            _report, created = monthly_report_claim_and_generate(
                doctor=doctor, month=month, audience=ReportAudience.DOCTOR
            )
        except Exception:  # noqa: BLE001 - one doctor's failure does not stop the others
            logger.exception("Monthly report of doctor %s for %s failed", doctor.pk, month)
            continue
        count += created
    return count


def rollup_catch_up(*, now=None):
    """Recount yesterday and today of every verified doctor (their local days): days
    nobody booked on still get their offered minutes, and a rebuild that failed after a
    change is made good. Returns the number of doctors."""
    now = now or timezone.now()
    doctors = list(DoctorProfile.objects.verified())
    for doctor in doctors:
        today = now.astimezone(doctor.tz).date()
        rollup_rebuild(doctor=doctor, first=today - dt.timedelta(days=1), last=today)
    return len(doctors)


def rollup_backfill(*, first, last, doctors=None):
    """Recount every doctor's days first..last (the `analytics_rollup` command)."""
    doctors = doctors if doctors is not None else DoctorProfile.objects.all()
    count = 0
    for doctor in doctors.iterator():
        day = first
        while day <= last:
            chunk_last = min(last, day + dt.timedelta(days=99))
            rollup_rebuild(doctor=doctor, first=day, last=chunk_last)
            day = chunk_last + dt.timedelta(days=1)
        count += 1
    return count
