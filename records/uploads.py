"""What an uploaded clinical document may be.

A file is accepted only when its extension and its content (magic bytes) name
the same allowed type, nothing in it says it is also something else (a polyglot:
another format's signature in its head, a ZIP anywhere, data after a PDF's or a
PNG's end), and it carries no active content (`active_content.py`: scripts or
actions in a PDF, scripts, SVG or entity declarations in XML). Images are checked
for their pixel count before they are decoded. The size limit is checked first,
before the content is read. The uploaded name is kept only as display data.
"""

import hashlib
import io
import os
import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from inputs.images import check_image_pixels

from .active_content import active_content


@dataclass(frozen=True)
class FileType:
    key: str
    label: str
    content_type: str
    extensions: tuple


FILE_TYPES = {
    t.key: t
    for t in (
        FileType("pdf", "PDF", "application/pdf", (".pdf",)),
        FileType("png", "PNG image", "image/png", (".png",)),
        FileType("jpeg", "JPEG image", "image/jpeg", (".jpg", ".jpeg")),
        FileType("dicom", "DICOM image", "application/dicom", (".dcm", ".dicom")),
        FileType("text", "plain text", "text/plain; charset=utf-8", (".txt",)),
        FileType("ccda", "CCDA XML", "application/xml", (".xml",)),
    )
}
EXTENSION_TYPES = {ext: t for t in FILE_TYPES.values() for ext in t.extensions}
ALLOWED_EXTENSIONS_TEXT = ", ".join(sorted(EXTENSION_TYPES))

PDF_MAGIC = b"%PDF-"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
# PDF readers accept a header anywhere in the first kilobyte.
POLYGLOT_WINDOW = 1024
# Other formats' signatures that must not hide inside an accepted file's head.
FOREIGN_MARKERS = (PDF_MAGIC, PNG_MAGIC, b"MZ\x90\x00", b"PK\x03\x04", b"\x7fELF")


@dataclass(frozen=True)
class CheckedUpload:
    data: bytes
    file_type: FileType
    sha256: str
    display_name: str


def display_filename(raw, file_type=None):
    """The uploaded name reduced to something safe to show: no folders, no control
    characters, no leading dots, at most 200 characters."""
    name = unicodedata.normalize("NFC", str(raw or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = " ".join(name.split()).lstrip(". ")
    if len(name) > 200:
        stem, ext = os.path.splitext(name)
        name = stem[: 200 - len(ext)] + ext
    if not name:
        name = "document" + (file_type.extensions[0] if file_type else "")
    return name


def _sniff(data):
    """The allowed type the content says it is, or None."""
    if data.startswith(PDF_MAGIC):
        return FILE_TYPES["pdf"]
    if data.startswith(PNG_MAGIC):
        return FILE_TYPES["png"]
    if data.startswith(JPEG_MAGIC):
        return FILE_TYPES["jpeg"]
    if len(data) >= 132 and data[128:132] == b"DICM":
        return FILE_TYPES["dicom"]
    if b"\x00" in data:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith("<?xml") or head.startswith("<ClinicalDocument"):
        return FILE_TYPES["ccda"] if "<ClinicalDocument" in text[:4096] else None
    return FILE_TYPES["text"]


# A ZIP reader finds its archive from the end-of-directory record, wherever it is.
ZIP_END_OF_DIRECTORY = b"PK\x05\x06"
PNG_END = b"IEND\xaeB`\x82"


def _is_polyglot(data, file_type):
    """Whether the whole file is also another format, not only its head."""
    head = data[:POLYGLOT_WINDOW]
    start = len(PDF_MAGIC) if file_type.key == "pdf" else 0
    if file_type.key == "png":
        start = len(PNG_MAGIC)
    if any(marker in head[start:] for marker in FOREIGN_MARKERS):
        return True
    if b"PK\x03\x04" in data and ZIP_END_OF_DIRECTORY in data:
        return True
    if file_type.key == "pdf":
        end = data.rfind(b"%%EOF")
        return end < 0 or data[end + 5 :].strip() != b""
    if file_type.key == "png":
        end = data.rfind(PNG_END)
        return end < 0 or data[end + len(PNG_END) :] != b""
    return False


def _image_is_valid(data):
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except Exception:  # noqa: BLE001 - any failure means "not a usable image"
        return False
    return True


def check_upload(uploaded):
    """Validate an UploadedFile; return a CheckedUpload or raise ValidationError."""
    limit = settings.MEDCONNECT_MAX_UPLOAD_BYTES
    if uploaded.size is not None and uploaded.size > limit:
        raise ValidationError(
            f"The file is larger than the {filesizeformat(limit)} limit.", code="too_large"
        )
    if not uploaded.size:
        raise ValidationError(_("The file is empty."), code="empty")
    extension = os.path.splitext(str(uploaded.name or ""))[1].lower()
    claimed = EXTENSION_TYPES.get(extension)
    if claimed is None:
        raise ValidationError(
            f"Files of this type are not accepted. Allowed: {ALLOWED_EXTENSIONS_TEXT}.",
            code="extension",
        )
    uploaded.seek(0)
    data = uploaded.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            f"The file is larger than the {filesizeformat(limit)} limit.", code="too_large"
        )
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    actual = _sniff(data)
    if actual is None or actual.key != claimed.key:
        raise ValidationError(
            f"The file's content is not a {claimed.label}, although its name ends in "
            f"{extension}. Upload the original file.",
            code="content_mismatch",
        )
    if _is_polyglot(data, actual):
        raise ValidationError(
            f"The file is not a plain {actual.label}: it also carries another file format.",
            code="polyglot",
        )
    found = active_content(data, actual.key)
    if found:
        raise ValidationError(
            f"The {actual.label} carries active content ({found}), which documents may not "
            "carry. Print or export it to a plain file and upload that.",
            code="active_content",
        )
    if actual.key in ("png", "jpeg"):
        check_image_pixels(io.BytesIO(data))
        if not _image_is_valid(data):
            raise ValidationError(f"The file is not a readable {actual.label}.", code="corrupt")
    return CheckedUpload(
        data=data,
        file_type=actual,
        sha256=hashlib.sha256(data).hexdigest(),
        display_name=display_filename(uploaded.name, actual),
    )
