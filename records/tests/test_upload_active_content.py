"""Polyglots anywhere in the file, active content in PDF and XML, and images whose
pixel count would need hundreds of megabytes once decoded are refused."""

import struct
import zlib

import pytest
from django.urls import reverse

from doctors.tests.factories import doctor_profile_data
from records.models import Document
from records.tests.factories import image_bytes, pdf_bytes, post_lab_report, stored_files, upload

pytestmark = pytest.mark.django_db


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def huge_png(width=12000, height=12000):
    """A valid PNG header claiming width×height pixels, a few hundred bytes long."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _chunk(b"IEND", b"")
    )


def pdf_with(body):
    """A small PDF whose objects include `body`, ending in a proper %%EOF."""
    return (
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R "
        + body
        + b" >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )


def zip_bytes():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.html", "<script>alert(1)</script>")
    return buffer.getvalue()


CCDA = '<?xml version="1.0"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3">{}</ClinicalDocument>'
SCRIPT_STREAM = zlib.compress(b"<< /S /JavaScript /JS (app.alert(1)) >>")


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("report.pdf", pdf_bytes() + b"\n" * 2000 + zip_bytes(), "another file format"),
        ("report.pdf", pdf_bytes() + b"trailing data", "another file format"),
        ("scan.png", image_bytes("PNG") + b"more", "another file format"),
        (
            "report.pdf",
            pdf_with(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
            "active content (JavaScript)",
        ),
        ("report.pdf", pdf_with(b"/OpenAction << /S /J#61vaScript /JS (x) >>"), "JavaScript"),
        ("report.pdf", pdf_with(b"/AA << /O << /S /Launch /F (cmd.exe) >> >>"), "launch"),
        ("report.pdf", pdf_with(b"/Names << /EmbeddedFiles 3 0 R >>"), "embedded files"),
        (
            "report.pdf",
            pdf_with(
                b">>\nendobj\n3 0 obj\n<< /Length 9 >>\nstream\n" + SCRIPT_STREAM + b"\nendstream"
            ),
            "JavaScript",
        ),
        ("summary.xml", CCDA.format("<script>alert(1)</script>").encode(), "a script"),
        (
            "summary.xml",
            CCDA.format('<x:svg xmlns:x="http://www.w3.org/2000/svg"/>').encode(),
            "SVG",
        ),
        (
            "summary.xml",
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            b'<ClinicalDocument xmlns="urn:hl7-org:v3">&e;</ClinicalDocument>',
            "document type declaration",
        ),
        ("scan.png", huge_png(), "12000×12000 pixels"),
    ],
)
def test_refused_and_nothing_stored(patient_a, login, settings, name, data, message):
    response = post_lab_report(login(patient_a), patient_a, upload(name, data))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("report.pdf", pdf_with(b"/OpenAction [3 0 R /Fit] /JSON (not a script)")),
        (
            "summary.xml",
            b'<?xml version="1.0"?>\n<?xml-stylesheet type="text/xsl" href="CDA.xsl"?>\n'
            b'<ClinicalDocument xmlns="urn:hl7-org:v3"><title>Discharge</title></ClinicalDocument>',
        ),
        ("scan.png", image_bytes("PNG", size=(4000, 3000))),
    ],
)
def test_ordinary_documents_still_pass(patient_a, login, name, data):
    response = post_lab_report(login(patient_a), patient_a, upload(name, data))
    assert response.status_code == 302
    assert Document.objects.count() == 1


def test_a_doctor_photo_with_a_huge_pixel_count_is_refused_before_decoding(
    login, unverified_doctor, monkeypatch
):
    from PIL import Image

    def no_decoding(*args, **kwargs):
        raise AssertionError("the photo was decoded")

    Image.init()  # Pillow builds images of its own while loading its plugins
    monkeypatch.setattr(Image.Image, "load", no_decoding)
    data = doctor_profile_data(unverified_doctor)
    data["photo"] = upload("face.png", huge_png(), "image/png")
    response = login(unverified_doctor.user).post(reverse("doctors:profile"), data)

    assert response.status_code == 200
    assert "12000×12000 pixels" in response.content.decode()
    unverified_doctor.refresh_from_db()
    assert not unverified_doctor.photo
