"""records/access.py: what each person may do with a consultation record or a
document, and when."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from records import access
from records.documents import document_upload
from records.models import RecordStatus
from records.tests.factories import (
    AppointmentFactory,
    ConsultationRecordFactory,
    pdf_bytes,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_record(doctor, patient_a):
    return ConsultationRecordFactory(
        appointment=AppointmentFactory(doctor=doctor, patient=patient_a)
    )


def test_the_author_edits_and_signs_a_draft_then_amends_and_voids_it(draft_record, doctor):
    assert access.record_actions(doctor.user, draft_record) == {"view", "edit", "sign", "void"}
    draft_record.status = RecordStatus.SIGNED
    assert access.record_actions(doctor.user, draft_record) == {"view", "amend", "void"}
    draft_record.status = RecordStatus.VOIDED
    assert access.record_actions(doctor.user, draft_record) == {"view"}
    refusal = access.record_refusal(doctor.user, draft_record, access.VOID)
    assert isinstance(refusal, ValidationError) and "already voided" in refusal.messages[0]


def test_others_read_a_signed_record_and_change_nothing(draft_record, patient_a, other_doctor):
    assert access.record_actions(patient_a, draft_record) == set()  # someone else's draft
    draft_record.status = RecordStatus.SIGNED
    assert access.record_actions(patient_a, draft_record) == {"view"}
    assert access.record_actions(other_doctor.user, draft_record) == set()
    refusal = access.record_refusal(patient_a, draft_record, access.AMEND)
    assert isinstance(refusal, PermissionDenied)


def test_the_record_page_shows_the_authors_buttons_from_the_policy(draft_record, doctor, login):
    page = login(doctor.user).get(reverse("records:record_detail", args=[draft_record.pk]))
    assert page.status_code == 200
    assert "Edit draft" in page.text and "Void" in page.text and "Amend" not in page.text


def test_only_the_patient_who_uploaded_a_document_may_hide_it(patient_a, doctor, login):
    AppointmentFactory(doctor=doctor, patient=patient_a)
    own = document_upload(
        patient=patient_a,
        uploader=patient_a,
        uploaded_file=upload("scan.pdf", pdf_bytes()),
        kind="lab_report",
        document_date=dt.date(2026, 11, 30),
    )
    theirs = document_upload(
        patient=patient_a,
        uploader=doctor.user,
        uploaded_file=upload("letter.pdf", pdf_bytes()),
        kind="lab_report",
        document_date=dt.date(2026, 11, 30),
    )
    assert access.document_refusal(patient_a, own, access.HIDE) is None
    assert isinstance(access.document_refusal(patient_a, theirs, access.HIDE), PermissionDenied)
    assert isinstance(access.document_refusal(doctor.user, own, access.HIDE), PermissionDenied)
    listing = login(patient_a).get(reverse("records:documents", args=[patient_a.pk])).text
    assert listing.count("Hide from my doctors") == 1
