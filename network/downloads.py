"""A shared document handed to the specialist, for the page and the API alike."""

from django.db import transaction

from audit.downloads import private_file_response
from audit.models import AuditAction
from records.downloads import document_read_for_download

from .access import audit_shared_access, get_shared_for_specialist


def shared_document_response(request, referral_pk, document_id):
    """The shared document as a private download; DocumentIntegrityError if its check
    fails. The referral row stays locked while the bytes are read, so a revoke that
    commits first leaves nothing to read, and one that comes during the read waits."""
    with transaction.atomic():
        referral, document = get_shared_for_specialist(
            request, referral_pk, field="document", obj_pk=document_id, lock=True
        )
        data = document_read_for_download(document=document, actor=request.user, request=request)
        audit_shared_access(request, referral=referral, obj=document, action=AuditAction.DOWNLOAD)
    return private_file_response(
        data, filename=document.original_filename, content_type=document.content_type, sandbox=True
    )
