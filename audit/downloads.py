"""What leaves MedConnect as a file (docs/security.md, Files): always an attachment,
never sniffed by the browser, never kept by a cache; an uploaded file is also
sandboxed should a browser open it."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header


def private_file_response(data, *, filename, content_type, sandbox=False):
    """A download of `data` for the person who asked, and nobody's cache."""
    # The bytes are already in memory (checked against their SHA-256): no streaming.
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if sandbox:
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
