import pytest
from django.core import mail
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from doctors.models import DoctorProfile, VerificationStatus
from notifications.models import Notification


def verify_url(profile):
    return reverse("admin:doctors_doctorprofile_verify", args=[profile.pk])


def reject_url(profile):
    return reverse("admin:doctors_doctorprofile_reject", args=[profile.pk])


@pytest.mark.django_db
def test_change_page_offers_verify_and_reject(staff_client, pending_doctor):
    url = reverse("admin:doctors_doctorprofile_change", args=[pending_doctor.pk])
    page = staff_client.get(url).content.decode()

    assert "Verify license" in page
    assert "Reject with reason" in page
    assert verify_url(pending_doctor) in page


@pytest.mark.django_db
def test_staff_verifies_a_doctor(
    staff_client, staff, pending_doctor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(verify_url(pending_doctor), follow=True)

    assert response.status_code == 200
    assert "Dr. Vikram Rao is verified." in response.content.decode()
    pending_doctor.refresh_from_db()
    assert pending_doctor.verification_status == VerificationStatus.VERIFIED
    assert pending_doctor.verification_decided_by == staff
    assert pending_doctor.verification_decided_at is not None
    assert DoctorProfile.objects.verified().filter(pk=pending_doctor.pk).exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["vikram@example.com"]
    assert "verified" in mail.outbox[0].subject
    assert "MMC-2020-1234" in mail.outbox[0].body
    notice = Notification.objects.get(recipient=pending_doctor.user)
    assert notice.title == "Your license is verified"
    assert notice.emailed_at is not None
    event = AuditEvent.objects.get(action=AuditAction.VERIFY)
    assert event.actor == staff
    assert event.object_id == str(pending_doctor.pk)


@pytest.mark.django_db
def test_verify_by_get_changes_nothing(staff_client, pending_doctor):
    response = staff_client.get(verify_url(pending_doctor))

    assert response.status_code == 302
    pending_doctor.refresh_from_db()
    assert pending_doctor.verification_status == VerificationStatus.PENDING


@pytest.mark.django_db
def test_verifying_a_verified_doctor_says_so(staff_client, doctor):
    response = staff_client.post(verify_url(doctor), follow=True)

    assert "This doctor is already verified." in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.VERIFY).exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_staff_rejects_with_a_reason(
    staff_client, staff, pending_doctor, django_capture_on_commit_callbacks
):
    page = staff_client.get(reject_url(pending_doctor)).content.decode()
    assert "Reject Dr. Vikram Rao" in page
    assert "MMC-2020-1234" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reject_url(pending_doctor), {"reason": "License expired in 2023."}, follow=True
        )

    assert "Dr. Vikram Rao was rejected." in response.content.decode()
    pending_doctor.refresh_from_db()
    assert pending_doctor.verification_status == VerificationStatus.REJECTED
    assert pending_doctor.rejection_reason == "License expired in 2023."
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["vikram@example.com"]
    assert "License expired in 2023." in mail.outbox[0].body
    notice = Notification.objects.get(recipient=pending_doctor.user)
    assert "not approved" in notice.title
    event = AuditEvent.objects.get(action=AuditAction.REJECT)
    assert event.actor == staff
    assert event.detail == "License expired in 2023."


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", "   "])
def test_reject_without_reason_is_refused(
    staff_client, pending_doctor, reason, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reject_url(pending_doctor), {"reason": reason})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    pending_doctor.refresh_from_db()
    assert pending_doctor.verification_status == VerificationStatus.PENDING
    assert mail.outbox == []
    assert not Notification.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.REJECT).exists()


@pytest.mark.django_db
def test_verified_doctor_can_later_be_rejected(staff_client, doctor):
    staff_client.post(reject_url(doctor), {"reason": "Council suspended the license."})

    doctor.refresh_from_db()
    assert doctor.verification_status == VerificationStatus.REJECTED
    assert not DoctorProfile.objects.verified().filter(pk=doctor.pk).exists()


@pytest.mark.django_db
def test_bulk_action_verifies_selected(
    staff_client,
    staff,
    pending_doctor,
    unverified_doctor,
    doctor,
    django_capture_on_commit_callbacks,
):
    changelist = reverse("admin:doctors_doctorprofile_changelist")
    data = {
        "action": "verify_selected",
        "_selected_action": [pending_doctor.pk, unverified_doctor.pk, doctor.pk],
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(changelist, data, follow=True)

    assert "Verified 2 doctor(s)." in response.content.decode()
    assert DoctorProfile.objects.pending().count() == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["uma@example.com", "vikram@example.com"]
    assert AuditEvent.objects.filter(action=AuditAction.VERIFY, actor=staff).count() == 2
    assert Notification.objects.filter(kind="doctor_verified").count() == 2


@pytest.mark.django_db
def test_queue_filters_by_state_and_searches(staff_client, pending_doctor, doctor):
    changelist = reverse("admin:doctors_doctorprofile_changelist")

    page = staff_client.get(changelist, {"verification_status__exact": "pending"}).content.decode()
    assert "Vikram Rao" in page
    assert "Ravi Treating" not in page

    page = staff_client.get(changelist, {"verification_status__exact": "verified"}).content.decode()
    assert "Ravi Treating" in page
    assert "Vikram Rao" not in page

    page = staff_client.get(changelist, {"q": "vikram"}).content.decode()
    assert "MMC-2020-1234" in page
    assert "Ravi Treating" not in page

    page = staff_client.get(changelist, {"q": "MMC-2020"}).content.decode()
    assert "Vikram Rao" in page
    assert "Ravi Treating" not in page


@pytest.mark.django_db
def test_staff_cannot_set_status_through_the_change_form(staff_client, pending_doctor):
    url = reverse("admin:doctors_doctorprofile_change", args=[pending_doctor.pk])
    page = staff_client.get(url).content.decode()

    assert 'name="verification_status"' not in page


@pytest.mark.django_db
def test_decision_views_are_not_for_other_people(login, patient_a, doctor, pending_doctor):
    for user in (patient_a, doctor.user):
        client = login(user)
        assert client.post(verify_url(pending_doctor)).status_code == 404
        assert client.post(reject_url(pending_doctor), {"reason": "x"}).status_code == 404
    pending_doctor.refresh_from_db()
    assert pending_doctor.verification_status == VerificationStatus.PENDING
