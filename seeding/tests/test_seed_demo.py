from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from accounts.models import Role, User
from doctors.models import DoctorProfile, VerificationStatus
from patients.models import PatientProfile


def row_counts():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def seed_demo(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_seed_twice_gives_the_same_rows(settings):
    settings.DEBUG = True
    output = seed_demo()
    first = row_counts()
    again = seed_demo()

    assert row_counts() == first
    assert "Demo data ready" in output
    assert "staff@demo.medconnect" in output
    assert "0 doctors" in again
    assert User.objects.filter(role=Role.STAFF, is_staff=True).count() == 1
    assert DoctorProfile.objects.verified().count() == 4
    assert DoctorProfile.objects.pending().count() == 1
    assert PatientProfile.objects.count() == 2


@pytest.mark.django_db
def test_demo_logins_work(settings, client):
    settings.DEBUG = True
    seed_demo()

    response = client.post(
        "/accounts/login/", {"login": "asha@demo.medconnect", "password": "demo-pass-2026"}
    )
    assert response.status_code == 302
    assert client.get("/patient/").status_code == 200


@pytest.mark.django_db
def test_refuses_with_debug_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="Refusing to create demo accounts"):
        seed_demo()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_allow_production_overrides_the_refusal(settings):
    settings.DEBUG = False

    seed_demo("--allow-production")

    assert DoctorProfile.objects.filter(verification_status=VerificationStatus.PENDING).exists()


@pytest.mark.django_db
def test_dry_run_creates_nothing(settings):
    settings.DEBUG = True

    output = seed_demo("--dry-run")

    assert "Would ensure 12 specializations" in output
    assert not User.objects.exists()


@pytest.mark.django_db
def test_demo_bookings_notify_in_the_app_without_email(
    settings, django_capture_on_commit_callbacks
):
    from django.core import mail

    from notifications.models import Notification

    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):
        seed_demo()

    assert Notification.objects.filter(
        kind__in=["appointment_request_sent", "appointment_booked"]
    ).exists()
    assert mail.outbox == []
