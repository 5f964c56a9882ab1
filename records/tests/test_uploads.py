import datetime
import hashlib

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from audit.models import AuditEvent
from records.models import Document
from records.tests.factories import (
    AppointmentFactory,
    image_bytes,
    pdf_bytes,
    post_lab_report,
    stored_files,
    upload,
)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "is not a PDF"),
        ("empty.pdf", b"", "empty"),
        ("photo.png", pdf_bytes(), "is not a PNG image"),
        (
            "photo.png",
            image_bytes("PNG")[:8] + b"%PDF-1.4\n" + image_bytes("PNG")[8:],
            "another file format",
        ),
        (
            "scan.jpg",
            image_bytes("JPEG")[:20] + b"%PDF-1.7 " + image_bytes("JPEG")[20:],
            "another file format",
        ),
        ("notes.txt", b"plain\x00text", "is not a plain text"),
        ("notes.txt", "caf\u00e9".encode("latin-1"), "is not a plain text"),
        ("report.html", b"<html><script>alert(1)</script></html>", "not accepted"),
        ("image.svg", b"<svg onload=alert(1)>", "not accepted"),
        ("report.xml", b"<?xml version='1.0'?><html/>", "is not a CCDA XML"),
        ("noextension", pdf_bytes(), "not accepted"),
    ],
)
def test_refused_uploads_store_nothing(patient_a, login, settings, name, data, message):
    response = post_lab_report(login(patient_a), patient_a, upload(name, data))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files(settings) == []


def test_size_limit_is_checked_and_named(patient_a, login, settings):
    settings.MEDCONNECT_MAX_UPLOAD_BYTES = 1024
    response = post_lab_report(
        login(patient_a), patient_a, upload("big.pdf", pdf_bytes() + b"0" * 2048)
    )
    assert response.status_code == 400
    assert "larger than the 1.0\xa0KB limit" in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("report.pdf", pdf_bytes(), "application/pdf"),
        ("scan.png", image_bytes("PNG"), "image/png"),
        ("photo.JPEG", image_bytes("JPEG"), "image/jpeg"),
        ("notes.txt", "Blood pressure 120/80 — fine".encode(), "text/plain; charset=utf-8"),
        (
            "summary.xml",
            b'<?xml version="1.0"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3"></ClinicalDocument>',
            "application/xml",
        ),
        ("ct.dcm", b"\x00" * 128 + b"DICM" + b"\x02\x00\x00\x00UL", "application/dicom"),
    ],
)
def test_valid_files_round_trip_byte_identical(patient_a, login, name, data, content_type):
    client = login(patient_a)
    response = post_lab_report(client, patient_a, upload(name, data))
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.file.name.startswith("documents/")
    assert name not in document.file.name

    download = client.get(reverse("records:document_download", args=[document.pk]))
    assert download.status_code == 200
    assert download.content == data
    assert download["Content-Type"] == content_type
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"


def test_path_traversal_name_is_only_data(patient_a, login, settings, tmp_path):
    client = login(patient_a)
    response = post_lab_report(client, patient_a, upload("../../etc/passwd.pdf", pdf_bytes()))
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.original_filename == "passwd.pdf"
    assert ".." not in document.file.name
    root = settings.STORAGES["default"]["OPTIONS"]["location"]
    (stored,) = stored_files(settings)
    assert stored.is_relative_to(root)
    assert stored.name == document.file.name.rsplit("/", 1)[1]
    listing = client.get(reverse("records:documents", args=[patient_a.pk])).content.decode()
    assert "passwd.pdf" in listing


def test_markup_in_a_filename_is_escaped(patient_a, login):
    client = login(patient_a)
    post_lab_report(client, patient_a, upload("<img src=x onerror=alert(1)>.pdf", pdf_bytes()))
    listing = client.get(reverse("records:documents", args=[patient_a.pk])).content.decode()
    assert "<img src=x" not in listing
    assert "&lt;img src=x onerror=alert(1)&gt;.pdf" in listing


def test_tampered_file_is_refused_and_audited(patient_a, doctor, login):
    AppointmentFactory(doctor=doctor, patient=patient_a)
    client = login(patient_a)
    post_lab_report(client, patient_a, upload("report.pdf", pdf_bytes()))
    document = Document.objects.get()
    with default_storage.open(document.file.name, "wb") as fh:
        fh.write(pdf_bytes("Forged result"))

    for user in (patient_a, doctor.user):
        response = login(user).get(reverse("records:document_download", args=[document.pk]))
        assert response.status_code == 409
        assert "does not match" in response.content.decode()
    assert (
        AuditEvent.objects.filter(
            allowed=False, object_id=str(document.pk), detail__startswith="integrity"
        ).count()
        == 2
    )


def test_missing_file_is_refused_without_a_500(patient_a, login):
    client = login(patient_a)
    post_lab_report(client, patient_a, upload("report.pdf", pdf_bytes()))
    document = Document.objects.get()
    default_storage.delete(document.file.name)
    response = client.get(reverse("records:document_download", args=[document.pk]))
    assert response.status_code == 409


def test_treating_doctor_uploads_to_the_patients_record(patient_a, doctor, login):
    AppointmentFactory(doctor=doctor, patient=patient_a)
    response = post_lab_report(
        login(doctor.user), patient_a, upload("xray.png", image_bytes("PNG"))
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.uploaded_by == doctor.user
    assert document.patient == patient_a
    assert document.document_date == datetime.date(2024, 2, 3)
