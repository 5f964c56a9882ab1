"""Who may see which figures and reports. A doctor sees their own figures and their own
copy of each monthly report; staff see the clinic's figures and the clinic copies.
Anyone else asking for a report gets the audited 404."""

import hashlib

from django.core.exceptions import ObjectDoesNotExist

from accounts.models import Role
from audit.downloads import private_file_response
from audit.models import AuditAction
from audit.services import audit_record
from patients.access import deny, verified_doctor

from .models import MonthlyReport, ReportAudience, ReportStatus


def is_clinic_staff(user):
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.is_staff
        and user.role == Role.STAFF
    )


def reports_for_user(user):
    """The reports a person may list: a verified doctor's own copies; staff's clinic copies."""
    if is_clinic_staff(user):
        return MonthlyReport.objects.filter(audience=ReportAudience.STAFF)
    doctor = verified_doctor(user)
    if doctor is not None:
        return MonthlyReport.objects.filter(doctor=doctor, audience=ReportAudience.DOCTOR)
    return MonthlyReport.objects.none()


def get_report_for_user(request, pk):
    """The report `pk` if the person may download it; otherwise the audited 404."""
    report = reports_for_user(request.user).filter(pk=pk, status=ReportStatus.READY).first()
    if report is None:
        deny(request, object_type=MonthlyReport._meta.label_lower, object_id=pk)
    return report


class ReportIntegrityError(Exception):
    pass


def report_download_response(request, report):
    """The report as a private download, checked against its SHA-256 and audited."""
    try:
        with report.file.storage.open(report.file.name, "rb") as fh:
            data = fh.read()
    except (OSError, ObjectDoesNotExist, ValueError) as exc:
        raise ReportIntegrityError from exc
    if hashlib.sha256(data).hexdigest() != report.sha256:
        audit_record(
            actor=request.user,
            action=AuditAction.DENY,
            obj=report,
            allowed=False,
            detail="integrity check failed",
            request=request,
        )
        raise ReportIntegrityError
    audit_record(actor=request.user, action=AuditAction.DOWNLOAD, obj=report, request=request)
    return private_file_response(data, filename=report.filename, content_type="application/pdf")
