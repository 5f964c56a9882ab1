"""Reading a stored document to hand it out (pages, API, receipts): the bytes are
checked against the SHA-256 taken at upload, and a file that fails is refused the
same way everywhere: logged for the clinic and, for a person, written to the audit
trail as a denial."""

import logging

from audit.downloads import private_file_response
from audit.models import AuditAction
from audit.services import audit_record
from patients.access import audit_access

from .selectors import DocumentIntegrityError, document_read_verified

logger = logging.getLogger(__name__)


def document_read_for_download(*, document, actor=None, request=None):
    """The document's verified bytes; DocumentIntegrityError after logging the failure."""
    try:
        return document_read_verified(document)
    except DocumentIntegrityError as exc:
        logger.error("Document %s failed its integrity check: %s", document.pk, exc)
        if actor is not None:
            audit_record(
                actor=actor,
                action=AuditAction.DENY,
                obj=document,
                patient=document.patient,
                allowed=False,
                detail=f"integrity check failed: {exc}",
                request=request,
            )
        raise


def document_download_response(request, document):
    """The document as a private download for the signed-in person, the download
    written to the patient's access log; DocumentIntegrityError if its check fails."""
    data = document_read_for_download(document=document, actor=request.user, request=request)
    audit_access(request, obj=document, patient=document.patient, action=AuditAction.DOWNLOAD)
    return private_file_response(
        data,
        filename=document.original_filename,
        content_type=document.content_type,
        sandbox=True,
    )
