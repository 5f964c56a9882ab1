from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from audit.models import AuditAction, AuditEvent
from doctors.models import VerificationStatus
from notifications.models import Notification


def run(*args):
    out = StringIO()
    call_command("verify_doctor", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_verify_by_email(pending_doctor, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        output = run("VIKRAM@example.com", "--as", staff.email)

    assert "Dr. Vikram Rao (MMC-2020-1234) is now verified" in output
    pending_doctor.refresh_from_db()
    assert pending_doctor.verification_status == VerificationStatus.VERIFIED
    assert pending_doctor.verification_decided_by == staff
    assert [m.to for m in mail.outbox] == [["vikram@example.com"]]
    assert Notification.objects.filter(
        recipient=pending_doctor.user, kind="doctor_verified"
    ).exists()
    event = AuditEvent.objects.get(action=AuditAction.VERIFY)
    assert event.actor == staff


@pytest.mark.django_db
def test_verify_by_license_in_any_case(pending_doctor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run(" mmc-2020-1234 ")

    pending_doctor.refresh_from_db()
    assert pending_doctor.verification_status == VerificationStatus.VERIFIED
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action=AuditAction.VERIFY).count() == 1


@pytest.mark.django_db
def test_reject_with_reason(pending_doctor, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        output = run(
            "MMC-2020-1234", "--reject", "--reason", "Registration lapsed.", "--as", staff.email
        )

    assert "is now rejected" in output
    pending_doctor.refresh_from_db()
    assert pending_doctor.verification_status == VerificationStatus.REJECTED
    assert pending_doctor.rejection_reason == "Registration lapsed."
    assert "Registration lapsed." in mail.outbox[0].body
    assert Notification.objects.filter(
        recipient=pending_doctor.user, kind="doctor_rejected"
    ).exists()
    event = AuditEvent.objects.get(action=AuditAction.REJECT)
    assert event.actor == staff
    assert event.detail == "Registration lapsed."


@pytest.mark.django_db
@pytest.mark.parametrize("reason", [[], ["--reason", "  "]])
def test_reject_without_reason_is_refused(pending_doctor, reason):
    with pytest.raises(CommandError, match="--reject needs --reason"):
        run("vikram@example.com", "--reject", *reason)

    pending_doctor.refresh_from_db()
    assert pending_doctor.verification_status == VerificationStatus.PENDING
    assert not AuditEvent.objects.filter(action=AuditAction.REJECT).exists()


@pytest.mark.django_db
def test_unknown_doctor_is_an_error(pending_doctor, patient_a):
    with pytest.raises(CommandError, match="No doctor with email or license ID"):
        run("nobody@example.com")
    with pytest.raises(CommandError, match="No doctor"):
        run(patient_a.email)


@pytest.mark.django_db
def test_unknown_staff_is_an_error(pending_doctor, patient_a):
    with pytest.raises(CommandError, match="No staff account"):
        run("MMC-2020-1234", "--as", patient_a.email)
    pending_doctor.refresh_from_db()
    assert pending_doctor.verification_status == VerificationStatus.PENDING


@pytest.mark.django_db
def test_already_verified_is_an_error(doctor):
    with pytest.raises(CommandError, match="already verified"):
        run(doctor.license_id)
    assert not AuditEvent.objects.filter(action=AuditAction.VERIFY).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "said"),
    [((), "Would verify Dr. Vikram Rao"), (("--reject", "--reason", "x"), "Would reject")],
)
def test_dry_run_changes_nothing(pending_doctor, args, said, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        output = run("MMC-2020-1234", "--dry-run", *args)

    assert said in output
    pending_doctor.refresh_from_db()
    assert pending_doctor.verification_status == VerificationStatus.PENDING
    assert mail.outbox == []
    assert not Notification.objects.exists()
    assert not AuditEvent.objects.filter(action__in=["verify", "reject"]).exists()


@pytest.mark.django_db
def test_a_hindi_doctor_hears_of_the_decision_in_hindi(
    pending_doctor, staff, django_capture_on_commit_callbacks
):
    """The staff decide in English; the doctor, who reads Hindi, gets the notice and
    its email in Hindi."""
    from django.utils import translation

    from doctors.services import doctor_verify

    pending_doctor.user.language = "hi"
    pending_doctor.user.save(update_fields=["language"])
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        doctor_verify(doctor=pending_doctor, decided_by=staff)
    notice = Notification.objects.get(recipient=pending_doctor.user, kind="doctor_verified")
    assert notice.title == "आपका लाइसेंस सत्यापित हो गया है"
    [email] = [m for m in mail.outbox if pending_doctor.user.email in m.to]
    assert notice.title in email.subject and "verified" not in email.body
