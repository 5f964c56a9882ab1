import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from audit.services import audit_record


@pytest.fixture
def event(patient_a, doctor):
    return audit_record(
        actor=doctor.user,
        action=AuditAction.VIEW,
        obj=patient_a.patient_profile,
        patient=patient_a,
        detail="opened the record",
    )


@pytest.mark.django_db
def test_staff_see_the_trail(login, staff, event):
    page = login(staff).get(reverse("admin:audit_auditevent_changelist")).content.decode()

    assert "ravi@example.com" in page
    assert "Add audit event" not in page


@pytest.mark.django_db
def test_change_page_is_read_only(login, staff, event):
    client = login(staff)
    url = reverse("admin:audit_auditevent_change", args=[event.pk])
    response = client.get(url)

    assert response.status_code == 200
    page = response.content.decode()
    assert "opened the record" in page
    assert 'name="detail"' not in page
    assert 'name="_save"' not in page
    assert "Delete" not in page

    response = client.post(url, {"detail": "rewritten", "action": "deny"})
    assert response.status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).detail == "opened the record"


@pytest.mark.django_db
def test_no_add_and_no_delete(login, staff, event):
    client = login(staff)

    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert client.post(reverse("admin:audit_auditevent_delete", args=[event.pk])).status_code == 403
    response = client.post(
        reverse("admin:audit_auditevent_changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_trail_is_searchable_by_patient(login, staff, event, patient_b):
    audit_record(actor=patient_b, action=AuditAction.CHANGE, obj=patient_b, patient=patient_b)
    changelist = reverse("admin:audit_auditevent_changelist")

    page = login(staff).get(changelist, {"q": "asha@example.com"}).content.decode()
    assert "ravi@example.com" in page
    assert "bela@example.com" not in page
