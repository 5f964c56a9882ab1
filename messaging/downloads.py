"""Handing out a message attachment (pages and API alike): decrypted, checked
against its SHA-256, written to the audit trail, and sent as a private download."""

import logging

from audit.downloads import private_file_response
from audit.models import AuditAction
from audit.services import audit_record
from records.selectors import DocumentIntegrityError

from .access import audit_thread_access
from .selectors import attachment_read_verified

logger = logging.getLogger(__name__)


def attachment_download_response(request, attachment):
    """The attachment as a private download; DocumentIntegrityError if its check fails."""
    thread = attachment.message.thread
    try:
        data = attachment_read_verified(attachment)
    except DocumentIntegrityError as exc:
        logger.error("Attachment %s failed its integrity check: %s", attachment.pk, exc)
        audit_record(
            actor=request.user,
            action=AuditAction.DENY,
            obj=attachment,
            allowed=False,
            detail=f"integrity check failed: {exc}",
            request=request,
        )
        raise
    audit_thread_access(request, thread, action=AuditAction.DOWNLOAD)
    return private_file_response(
        data,
        filename=attachment.original_filename,
        content_type=attachment.content_type,
        sandbox=True,
    )
