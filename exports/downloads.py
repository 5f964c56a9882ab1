"""Handing out a finished export: only while its window lasts, only if the stored file
is the one that was written (SHA-256), streamed in blocks."""

import hashlib

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.downloads import private_file_stream_response

from .models import ExportStatus


def download_refusal(export, now=None):
    """Why the export's file cannot be downloaded now, or None."""
    now = now or timezone.now()
    if export.status == ExportStatus.EXPIRED or (
        export.status == ExportStatus.DONE and export.expires_at <= now
    ):
        return ValidationError(_("This export has expired: start a new one."), code="expired")
    if export.status != ExportStatus.DONE:
        return ValidationError(_("This export is not ready to download."), code="not_ready")
    return None


def _stored_sha256(storage, name):
    digest = hashlib.sha256()
    with storage.open(name, "rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def export_download_response(export):
    """The file as an attachment; ValidationError when it may not or cannot be had."""
    refusal = download_refusal(export)
    if refusal is not None:
        raise refusal
    storage = export.file.storage
    try:
        intact = _stored_sha256(storage, export.file.name) == export.sha256
    except Exception as exc:  # noqa: BLE001 - local disk and S3 fail differently
        raise ValidationError(_("The export file cannot be read."), code="unreadable") from exc
    if not intact:
        raise ValidationError(_("The export file is damaged: start a new one."), code="damaged")
    return private_file_stream_response(
        storage.open(export.file.name, "rb"),
        filename=export.download_name,
        content_type="text/csv; charset=utf-8",
    )
