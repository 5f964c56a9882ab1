"""Attachments: the documents' content checks and size limit, encrypted under a
server-generated name, checked against their SHA-256 on every download."""

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from records.tests.factories import image_bytes, pdf_bytes, stored_files, upload

from ..models import Attachment, Message
from .factories import pdf_upload


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("report.pdf", b"MZ\x90\x00 an executable", "not a PDF"),
        ("notes.exe", b"%PDF-1.4 hello", "not accepted"),
        ("scan.png", b"%PDF-1.4 hello", "not a PNG"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(
    colleague_thread, doctor, api, settings, name, data, message
):
    before = stored_files(settings)
    response = api(doctor.user).post(
        reverse("api:thread_messages", args=[colleague_thread.pk]),
        {"body": "see file", "attachments": [upload(name, data)]},
        format="multipart",
    )
    assert response.status_code == 400 and message in response.json()["detail"]
    assert stored_files(settings) == before
    assert Message.objects.count() == 1


def test_the_size_limit_is_checked_and_named(colleague_thread, doctor, api, settings):
    settings.MEDCONNECT_MAX_UPLOAD_BYTES = 1024
    response = api(doctor.user).post(
        reverse("api:thread_messages", args=[colleague_thread.pk]),
        {"attachments": [upload("big.pdf", b"%PDF-1.4" + b"0" * 2000)]},
        format="multipart",
    )
    assert response.status_code == 400
    assert "larger than the 1.0\xa0KB limit" in response.json()["detail"]
    assert not Attachment.objects.exists()


def test_file_is_encrypted_at_rest_under_a_generated_name(
    colleague_thread, doctor, other_doctor, login
):
    from ..services import message_post

    data = pdf_bytes("Troponin 0.9 ng/mL")
    message_post(
        thread=colleague_thread,
        sender=doctor.user,
        body="",
        files=[upload("../../etc/troponin.pdf", data, "application/pdf")],
    )
    attachment = Attachment.objects.get()
    assert attachment.file.name.startswith("messages/") and "troponin" not in attachment.file.name
    assert attachment.original_filename == "troponin.pdf"
    with attachment.file.open("rb") as fh:
        stored = fh.read()
    assert stored.startswith(b"gAAAA") and b"Troponin" not in stored and b"%PDF" not in stored

    response = login(other_doctor.user).get(
        reverse("messaging:attachment_download", args=[attachment.pk])
    )
    assert response.status_code == 200 and response.content == data
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_a_tampered_file_is_refused_and_audited(colleague_thread, doctor, other_doctor, login, api):
    from encryption.keys import encrypt_bytes

    from ..services import message_post

    message_post(thread=colleague_thread, sender=doctor.user, body="", files=[pdf_upload()])
    attachment = Attachment.objects.get()
    storage = attachment.file.storage
    storage.delete(attachment.file.name)
    storage.save(attachment.file.name, __import__("io").BytesIO(encrypt_bytes(image_bytes())))

    page = login(other_doctor.user).get(
        reverse("messaging:attachment_download", args=[attachment.pk])
    )
    assert page.status_code == 409 and "failed its integrity check" in page.content.decode()
    assert (
        api(other_doctor.user)
        .get(reverse("api:attachment_download", args=[attachment.pk]))
        .status_code
        == 409
    )
    assert AuditEvent.objects.filter(
        action=AuditAction.DENY, object_type="messaging.attachment"
    ).exists()


def test_a_missing_file_is_a_409_not_a_500(colleague_thread, doctor, other_doctor, login):
    from ..services import message_post

    message_post(thread=colleague_thread, sender=doctor.user, body="", files=[pdf_upload()])
    attachment = Attachment.objects.get()
    attachment.file.storage.delete(attachment.file.name)
    response = login(other_doctor.user).get(
        reverse("messaging:attachment_download", args=[attachment.pk])
    )
    assert response.status_code == 409


def test_files_of_a_retracted_message_are_no_longer_handed_out(
    colleague_thread, doctor, other_doctor, login
):
    from ..services import message_post, message_retract

    message = message_post(
        thread=colleague_thread, sender=doctor.user, body="x", files=[pdf_upload()]
    )
    message_retract(message=message, actor=doctor.user)
    attachment = Attachment.objects.get()
    url = reverse("messaging:attachment_download", args=[attachment.pk])
    assert login(other_doctor.user).get(url).status_code == 404
    assert attachment.file.storage.exists(attachment.file.name)  # never deleted


def test_more_than_five_files_are_refused(colleague_thread, doctor, api):
    response = api(doctor.user).post(
        reverse("api:thread_messages", args=[colleague_thread.pk]),
        {"attachments": [pdf_upload(f"f{i}.pdf") for i in range(6)]},
        format="multipart",
    )
    assert response.status_code == 400 and not Attachment.objects.exists()
