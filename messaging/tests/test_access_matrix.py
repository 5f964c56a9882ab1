"""Only a thread's two participants read it, on pages and in the API; everyone else
gets a 404 (audited), anonymous callers the login page or a 401, and nothing an
outsider posts changes anything."""

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEvent

from ..models import Message, Thread
from .factories import patient_thread, pdf_upload


@pytest.fixture
def thread(patient_a, doctor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return patient_thread(patient_a, doctor, files=[pdf_upload()])


def _targets(thread):
    message = thread.messages.get()
    attachment = message.attachments.get()
    return {
        "page": reverse("messaging:thread", args=[thread.pk]),
        "poll": reverse("messaging:poll", args=[thread.pk]) + "?after=0",
        "download": reverse("messaging:attachment_download", args=[attachment.pk]),
        "api_thread": reverse("api:thread", args=[thread.pk]),
        "api_messages": reverse("api:thread_messages", args=[thread.pk]),
        "api_attachments": reverse("api:thread_attachments", args=[thread.pk]),
        "api_download": reverse("api:attachment_download", args=[attachment.pk]),
    }


def _writes(thread):
    message = thread.messages.get()
    return {
        "page_post": (reverse("messaging:thread", args=[thread.pk]), {"body": "Intruder"}),
        "page_close": (reverse("messaging:close", args=[thread.pk]), {}),
        "page_retract": (reverse("messaging:retract", args=[message.pk]), {}),
    }


def _api_writes(thread):
    message = thread.messages.get()
    return {
        "api_post": (reverse("api:thread_messages", args=[thread.pk]), {"body": "Intruder"}),
        "api_close": (reverse("api:thread_close", args=[thread.pk]), {}),
        "api_read": (reverse("api:thread_read", args=[thread.pk]), {}),
        "api_retract": (reverse("api:message_retract", args=[message.pk]), {}),
    }


@pytest.mark.parametrize("who", ["patient_a", "doctor"])
def test_both_participants_read_everything(thread, who, request, login, api):
    user = request.getfixturevalue(who)
    user = getattr(user, "user", user)
    client, api_client = login(user), api(user)
    for name, url in _targets(thread).items():
        response = (api_client if name.startswith("api") else client).get(url)
        assert response.status_code == 200, name


@pytest.mark.parametrize("who", ["patient_b", "other_doctor", "unverified_doctor", "staff"])
def test_everyone_else_gets_404_and_is_audited(thread, who, request, login, api):
    user = request.getfixturevalue(who)
    user = getattr(user, "user", user)
    client, api_client = login(user), api(user)
    denials = AuditEvent.objects.filter(actor=user, action=AuditAction.DENY)
    for name, url in _targets(thread).items():
        response = (api_client if name.startswith("api") else client).get(url)
        assert response.status_code == 404, name
        assert thread.subject.encode() not in response.content
    assert denials.count() >= 6
    for name, (url, data) in {**_writes(thread), **_api_writes(thread)}.items():
        response = (api_client if name.startswith("api") else client).post(url, data)
        assert response.status_code == 404, name
    thread.refresh_from_db()
    assert thread.messages.count() == 1 and not thread.is_closed
    assert not Message.objects.filter(retracted_at__isnull=False).exists()


def test_anonymous_is_sent_to_login_or_gets_401(thread, client, api):
    for name, url in _targets(thread).items():
        response = (api() if name.startswith("api") else client).get(url)
        if name.startswith("api"):
            assert response.status_code == 401, name
        else:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert api().post(reverse("api:threads"), {"kind": "direct", "doctor": 1}).status_code == 401


def test_a_missing_thread_is_the_same_404(patient_a, login, api):
    assert login(patient_a).get(reverse("messaging:thread", args=[999])).status_code == 404
    assert api(patient_a).get(reverse("api:thread", args=[999])).status_code == 404


@pytest.mark.parametrize("who", ["staff", "unverified_doctor"])
def test_people_without_messages_have_no_inbox(who, request, login, api):
    user = request.getfixturevalue(who)
    user = getattr(user, "user", user)
    assert login(user).get(reverse("messaging:inbox")).status_code == 404
    assert api(user).get(reverse("api:threads")).status_code == 404


def test_the_patient_sees_a_doctor_reading_their_thread_in_their_log(thread, doctor, login):
    login(doctor.user).get(reverse("messaging:thread", args=[thread.pk]))
    event = AuditEvent.objects.get(actor=doctor.user, action=AuditAction.VIEW)
    assert event.patient == thread.patient and event.object_type == "messaging.thread"


def test_staff_admin_lists_threads_without_any_text(thread, staff_client):
    response = staff_client.get(reverse("admin:messaging_thread_changelist"))
    assert response.status_code == 200
    page = response.content.decode()
    assert f">{thread.pk}<" in page
    assert thread.subject not in page and "scan.pdf" not in page
    assert Thread.objects.count() == 1
    detail = staff_client.get(reverse("admin:messaging_thread_change", args=[thread.pk]))
    assert detail.status_code == 200 and thread.subject not in detail.content.decode()
