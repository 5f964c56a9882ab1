"""Every write of an export: starting one, running it (the background task calls
export_run), cancelling it, auditing a download, and deleting expired files."""

import datetime as dt
import logging
import os
import tempfile

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, User
from audit.models import AuditAction, AuditEvent
from audit.services import audit_record
from patients.access import can_open_patient

from . import sources, tasks
from .csvfile import ExportCancelled, file_sha256, write_rows
from .models import (
    OPEN_STATUSES,
    STAFF_KINDS,
    Export,
    ExportKind,
    ExportStatus,
    export_storage_path,
)

logger = logging.getLogger("medconnect.exports")


def is_export_staff(user):
    return user.is_authenticated and user.is_active and user.is_staff and user.role == Role.STAFF


def export_refusal(user, *, kind, patient=None):
    """Why `user` may not start this export, or None. The history follows the record's
    own rule (patients.access.can_open_patient); period exports are staff's."""
    if kind == ExportKind.PATIENT_HISTORY:
        if patient is None or not can_open_patient(user, patient.pk):
            return PermissionDenied(_("No such patient."))
        return None
    if kind in STAFF_KINDS:
        return None if is_export_staff(user) else PermissionDenied(_("Staff only."))
    return ValidationError(_("Unknown kind of export."))


def _check_period(date_from, date_to):
    if date_from is None or date_to is None:
        raise ValidationError(_("Give the first and the last day of the period."))
    if date_from > date_to:
        raise ValidationError(_("The first day must not be after the last day."))
    if (date_to - date_from).days >= settings.MEDCONNECT_EXPORT_MAX_DAYS:
        raise ValidationError(
            _("A period export covers at most %(days)s days.")
            % {"days": settings.MEDCONNECT_EXPORT_MAX_DAYS}
        )


def _audit(export, action, *, actor, request=None, detail=""):
    return audit_record(
        actor=actor,
        action=action,
        obj=export,
        patient=export.patient,
        detail=detail,
        request=request,
    )


def export_start(*, requester, kind, patient=None, date_from=None, date_to=None, request=None):
    """Queue a new export for `requester`; its task starts once this commits."""
    refusal = export_refusal(requester, kind=kind, patient=patient)
    if refusal is not None:
        raise refusal
    if kind in STAFF_KINDS:
        _check_period(date_from, date_to)
        patient = None
    else:
        date_from = date_to = None
    with transaction.atomic():
        # One person's exports start one at a time (a double click queues one).
        User.objects.select_for_update().filter(pk=requester.pk).first()
        running = Export.objects.filter(requested_by=requester, status__in=OPEN_STATUSES)
        if running.count() >= settings.MEDCONNECT_EXPORT_MAX_OPEN:
            raise ValidationError(
                _("You already have %(count)s exports in progress: wait for one to finish.")
                % {"count": settings.MEDCONNECT_EXPORT_MAX_OPEN}
            )
        export = Export(
            requested_by=requester,
            kind=kind,
            patient=patient,
            date_from=date_from,
            date_to=date_to,
            language=translation.get_language() or "",
        )
        export.full_clean(exclude=["file"])
        export.save()
        # The history of a patient read by a doctor shows in "Who viewed my record".
        action = AuditAction.VIEW if kind == ExportKind.PATIENT_HISTORY else AuditAction.CREATE
        _audit(export, action, actor=requester, request=request, detail=_("CSV export"))
        export_id = export.pk
        transaction.on_commit(lambda: tasks.run_export.enqueue(export_id))
    return export


def export_cancel(*, export, actor, request=None):
    """Stop an export that is waiting or running; the task sees it and removes its file."""
    with transaction.atomic():
        locked = Export.objects.select_for_update().get(pk=export.pk)
        if locked.status not in OPEN_STATUSES:
            raise ValidationError(_("This export has already finished."))
        locked.status = ExportStatus.CANCELLED
        locked.finished_at = timezone.now()
        locked.save(update_fields=["status", "finished_at"])
        _audit(locked, AuditAction.CHANGE, actor=actor, request=request, detail=_("Cancelled"))
    return locked


# ---------------------------------------------------------------------------
# Running (in the worker)


def _progress(export_id):
    def report(done):
        # The progress write doubles as the cancel check: a cancelled export is no
        # longer running, so nothing is updated and the task stops.
        updated = Export.objects.filter(pk=export_id, status=ExportStatus.RUNNING).update(
            rows_done=done
        )
        if not updated:
            raise ExportCancelled

    return report


def _failure_message(exc):
    if isinstance(exc, ValidationError | PermissionDenied):
        return " ".join(getattr(exc, "messages", None) or [str(exc)])
    return _("The export stopped on an unexpected error (%(error)s). Please start it again.") % {
        "error": type(exc).__name__
    }


def _fail(export_id, exc):
    Export.objects.filter(pk=export_id, status=ExportStatus.RUNNING).update(
        status=ExportStatus.FAILED, error=_failure_message(exc)[:2000], finished_at=timezone.now()
    )


def export_run(*, export_id):
    """Write the export's CSV: rows streamed to a temporary file, progress every
    MEDCONNECT_EXPORT_PROGRESS_EVERY rows, then the file moved into private storage.
    Returns the final status."""
    language = Export.objects.filter(pk=export_id).values_list("language", flat=True).first()
    with translation.override(language or settings.LANGUAGE_CODE):
        return _export_run(export_id)


def _export_run(export_id):
    claimed = Export.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return "skipped"  # cancelled before it started, or another worker took it
    export = Export.objects.select_related("requested_by", "patient").get(pk=export_id)
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - removed in the finally below
        "w", newline="", encoding="utf-8", suffix=".csv", delete=False
    )
    try:
        # Access is checked again: a doctor whose treating relationship ended since
        # asking gets nothing.
        refusal = export_refusal(export.requested_by, kind=export.kind, patient=export.patient)
        if refusal is not None:
            raise ValidationError(_("You may no longer export this record."))
        source = sources.source_for(export)
        Export.objects.filter(pk=export_id).update(rows_total=source.count())
        with handle:
            handle.write("\ufeff")  # spreadsheets then read the file as UTF-8
            done = write_rows(
                handle,
                header=source.header,
                rows=source.rows(settings.MEDCONNECT_EXPORT_CHUNK_SIZE),
                every=settings.MEDCONNECT_EXPORT_PROGRESS_EVERY,
                progress=_progress(export_id),
            )
        return _finish(export, handle.name, done, source)
    except ExportCancelled:
        return ExportStatus.CANCELLED
    except Exception as exc:
        logger.exception("export_failed", extra={"export": export_id})
        _fail(export_id, exc)
        return ExportStatus.FAILED
    finally:
        handle.close()
        if os.path.exists(handle.name):
            os.unlink(handle.name)


def _finish(export, path, done, source):
    field = Export._meta.get_field("file")
    sha256 = file_sha256(path)
    size = os.path.getsize(path)
    with open(path, "rb") as fh:
        name = field.storage.save(export_storage_path(export, ""), File(fh))
    now = timezone.now()
    with transaction.atomic():
        locked = Export.objects.select_for_update().get(pk=export.pk)
        if locked.status != ExportStatus.RUNNING:
            transaction.on_commit(lambda: field.storage.delete(name))
            return locked.status
        locked.file.name = name
        locked.size = size
        locked.sha256 = sha256
        locked.rows_done = done
        locked.rows_total = done
        locked.status = ExportStatus.DONE
        locked.finished_at = now
        locked.expires_at = now + dt.timedelta(hours=settings.MEDCONNECT_EXPORT_RETENTION_HOURS)
        locked.save(
            update_fields=[
                "file",
                "size",
                "sha256",
                "rows_done",
                "rows_total",
                "status",
                "finished_at",
                "expires_at",
            ]
        )
        if source.patient_ids is not None:
            audit_patients(locked, source.patient_ids, action=AuditAction.VIEW)
    return ExportStatus.DONE


def audit_patients(export, patient_ids, *, action):
    """One row per patient in a period export, so it shows in each one's "Who viewed
    my record" (written in batches, the ids read in chunks)."""
    actor = export.requested_by
    detail = _("%(kind)s from %(start)s to %(end)s") % {
        "kind": export.get_kind_display(),
        "start": export.date_from,
        "end": export.date_to,
    }
    batch = []
    for patient_id in patient_ids.iterator(chunk_size=settings.MEDCONNECT_EXPORT_CHUNK_SIZE):
        batch.append(
            AuditEvent(
                actor=actor,
                actor_label=actor.email[:254],
                action=action,
                object_type="exports.export",
                object_id=str(export.pk),
                object_repr=str(export)[:200],
                patient_id=patient_id,
                detail=detail,
            )
        )
        if len(batch) >= 1000:
            AuditEvent.objects.bulk_create(batch)
            batch = []
    if batch:
        AuditEvent.objects.bulk_create(batch)


def export_downloaded(*, export, request):
    """Audit a download: the requester's own row, and for a period export a row in the
    log of each patient in it (written by a background task)."""
    _audit(export, AuditAction.DOWNLOAD, actor=request.user, request=request)
    if export.kind in STAFF_KINDS:
        export_id = export.pk
        transaction.on_commit(lambda: tasks.audit_export_download.enqueue(export_id))


def export_audit_download(*, export_id):
    export = Export.objects.select_related("requested_by").get(pk=export_id)
    source = sources.source_for(export)
    audit_patients(export, source.patient_ids, action=AuditAction.DOWNLOAD)


# ---------------------------------------------------------------------------
# Expiry (the periodic job)


def export_expire_due(*, now=None):
    """Delete the files of exports past their download window; returns how many. An
    export still waiting or running after a whole window lost its worker: it fails."""
    now = now or timezone.now()
    window = dt.timedelta(hours=settings.MEDCONNECT_EXPORT_RETENTION_HOURS)
    Export.objects.stuck_since(now - window).update(
        status=ExportStatus.FAILED,
        finished_at=now,
        error=_("The export did not finish in time. Please start it again."),
    )
    count = 0
    for export_id in Export.objects.expired_by(now).values_list("pk", flat=True):
        with transaction.atomic():
            export = Export.objects.select_for_update().filter(pk=export_id).first()
            if export is None or export.status != ExportStatus.DONE:
                continue
            name = export.file.name
            export.status = ExportStatus.EXPIRED
            export.file = ""
            export.save(update_fields=["status", "file"])
            if name:
                storage = Export._meta.get_field("file").storage
                transaction.on_commit(lambda n=name, s=storage: s.delete(n))
            count += 1
    return count
