"""What leaves MedConnect as a file (docs/security.md, Files): always an attachment,
never sniffed by the browser, never kept by a cache; an uploaded file is also
sandboxed should a browser open it."""

from django.http import FileResponse, HttpResponse
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


def private_file_stream_response(handle, *, filename, content_type):
    """The same download as private_file_response, read from an open file in blocks,
    for files too large to hold in memory (CSV exports)."""
    response = FileResponse(handle, as_attachment=True, filename=filename)
    response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
