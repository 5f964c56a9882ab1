import pytest
from django.test import RequestFactory

from audit.models import AuditAction, AuditEvent
from audit.services import audit_denied, audit_record


@pytest.mark.django_db
def test_record_keeps_who_what_and_where(patient_a, doctor):
    request = RequestFactory().get(
        "/records/patients/1/", REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Firefox"
    )
    event = audit_record(
        actor=doctor.user,
        action=AuditAction.VIEW,
        obj=patient_a.patient_profile,
        patient=patient_a,
        request=request,
    )

    event = AuditEvent.objects.get(pk=event.pk)
    assert event.actor == doctor.user
    assert event.actor_label == "ravi@example.com"
    assert event.object_type == "patients.patientprofile"
    assert event.object_id == str(patient_a.patient_profile.pk)
    assert event.object_repr == "Asha Patient"
    assert event.ip_address == "203.0.113.9"
    assert event.user_agent == "Firefox"
    assert event.path == "/records/patients/1/"
    assert AuditEvent.objects.about_patient(patient_a).count() == 1


@pytest.mark.django_db
def test_denied_is_recorded_as_not_allowed(patient_a, other_doctor):
    request = RequestFactory().get("/x/")
    request.user = other_doctor.user
    audit_denied(request=request, object_type="records.document", object_id=7, patient=patient_a)

    event = AuditEvent.objects.get()
    assert event.action == AuditAction.DENY
    assert not event.allowed
    assert event.object_id == "7"


@pytest.mark.django_db
def test_events_cannot_be_updated(patient_a):
    event = audit_record(actor=patient_a, action=AuditAction.CHANGE, obj=patient_a)
    event.detail = "rewritten"

    with pytest.raises(RuntimeError, match="append-only"):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).detail == ""


@pytest.mark.django_db
def test_events_cannot_be_deleted(patient_a):
    event = audit_record(actor=patient_a, action=AuditAction.CHANGE, obj=patient_a)

    with pytest.raises(RuntimeError, match="append-only"):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_events_cannot_be_updated_or_deleted_in_bulk(patient_a):
    audit_record(actor=patient_a, action=AuditAction.CHANGE, obj=patient_a)

    with pytest.raises(RuntimeError, match="append-only"):
        AuditEvent.objects.update(detail="rewritten")
    with pytest.raises(RuntimeError, match="append-only"):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get().detail == ""


@pytest.mark.django_db
def test_events_survive_their_actor(patient_a, doctor):
    audit_record(actor=doctor.user, action=AuditAction.VIEW, obj=patient_a, patient=patient_a)
    doctor.user.delete()

    event = AuditEvent.objects.get()
    assert event.actor is None
    assert event.actor_label == "ravi@example.com"
