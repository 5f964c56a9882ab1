"""The messages API: the same rules and services as the pages."""

from django.urls import reverse

from appointments.tests.factories import PastVisitFactory

from ..models import Message, Thread, ThreadKind
from .factories import SECRET, connect, pdf_upload, referral_between


def test_thread_list_shows_mine_with_unread_counts(colleague_thread, other_doctor, api, patient_a):
    body = api(other_doctor.user).get(reverse("api:threads")).json()
    (row,) = body["results"]
    assert row["id"] == colleague_thread.pk and row["unread_count"] == 1
    assert row["kind"] == "direct" and row["subject"] == "A case"
    assert {p["user"]["full_name"] for p in row["participants"]} == {"Ravi Treating", "Olga Other"}
    assert api(patient_a).get(reverse("api:threads")).json()["results"] == []


def test_a_doctor_starts_a_direct_thread_with_a_connected_colleague(doctor, other_doctor, api):
    client = api(doctor.user)
    payload = {"kind": "direct", "doctor": other_doctor.pk, "subject": "Case", "body": "Hello"}
    assert client.post(reverse("api:threads"), payload, format="json").status_code == 404
    assert not Thread.objects.exists()
    connect(doctor, other_doctor)
    response = client.post(reverse("api:threads"), payload, format="json")
    assert response.status_code == 201 and response.json()["can_post"] is True
    assert Thread.objects.get().messages.get().body == "Hello"


def test_missing_fields_are_a_400(doctor, api):
    response = api(doctor.user).post(reverse("api:threads"), {"kind": "direct"}, format="json")
    assert response.status_code == 400 and "doctor" in response.json()["errors"]
    response = api(doctor.user).post(reverse("api:threads"), {"kind": "nope"}, format="json")
    assert response.status_code == 400


def test_a_patient_starts_a_thread_from_their_appointment(patient_a, patient_b, doctor, api):
    visit = PastVisitFactory(patient=patient_a, doctor=doctor)
    payload = {"kind": "patient", "appointment": visit.pk, "body": "Question about my pills"}
    assert api(patient_b).post(reverse("api:threads"), payload).status_code == 404
    response = api(patient_a).post(reverse("api:threads"), payload)
    assert response.status_code == 201
    thread = Thread.objects.get()
    assert thread.kind == ThreadKind.PATIENT and thread.patient == patient_a


def test_a_doctor_starts_a_thread_with_a_patient_they_treat(patient_a, doctor, other_doctor, api):
    PastVisitFactory(patient=patient_a, doctor=doctor)
    payload = {"kind": "patient", "patient": patient_a.pk, "body": "Your results are fine"}
    assert api(other_doctor.user).post(reverse("api:threads"), payload).status_code == 404
    assert api(doctor.user).post(reverse("api:threads"), payload).status_code == 201


def test_referral_thread_through_the_api(doctor, other_doctor, patient_a, api):
    referral = referral_between(doctor, other_doctor, patient_a)
    payload = {"kind": "referral", "referral": referral.pk, "body": "Welcome to the case"}
    assert api(patient_a).post(reverse("api:threads"), payload).status_code == 404
    response = api(doctor.user).post(reverse("api:threads"), payload)
    assert response.status_code == 201 and response.json()["referral"] == referral.pk
    again = api(other_doctor.user).post(reverse("api:threads"), {**payload, "body": "Thanks"})
    assert again.json()["id"] == response.json()["id"]
    assert Message.objects.count() == 2


def test_messages_list_post_retract_and_read(colleague_thread, doctor, other_doctor, api):
    mine, theirs = api(doctor.user), api(other_doctor.user)
    url = reverse("api:thread_messages", args=[colleague_thread.pk])
    posted = theirs.post(
        url, {"body": "With file", "attachments": [pdf_upload()]}, format="multipart"
    )
    assert posted.status_code == 201
    (attachment,) = posted.json()["attachments"]
    assert attachment["original_filename"] == "scan.pdf" and len(attachment["sha256"]) == 64
    download = mine.get(attachment["download_url"])
    assert download.status_code == 200 and download.content.startswith(b"%PDF")

    listed = mine.get(url).json()["results"]
    assert [m["body"] for m in listed] == [SECRET, "With file"]
    assert listed[0]["read_by_other"] is True  # the other replied, so they read it
    newer = mine.get(url, {"after": listed[0]["id"]}).json()["results"]
    assert [m["id"] for m in newer] == [listed[1]["id"]]
    assert mine.get(url, {"after": "x"}).status_code == 400

    files = mine.get(reverse("api:thread_attachments", args=[colleague_thread.pk])).json()
    assert [a["id"] for a in files["results"]] == [attachment["id"]]

    retract = reverse("api:message_retract", args=[listed[1]["id"]])
    assert mine.post(retract).status_code == 404  # not the sender
    body = theirs.post(retract).json()
    assert body["is_retracted"] is True and body["body"] == "" and body["attachments"] == []
    assert theirs.post(retract).status_code == 409
    assert mine.get(attachment["download_url"]).status_code == 404

    read = mine.post(reverse("api:thread_read", args=[colleague_thread.pk])).json()
    assert read["unread_count"] == 0


def test_close_then_posting_is_a_409(colleague_thread, other_doctor, api):
    client = api(other_doctor.user)
    closed = client.post(reverse("api:thread_close", args=[colleague_thread.pk])).json()
    assert closed["closed_at"] and closed["can_post"] is False
    url = reverse("api:thread_messages", args=[colleague_thread.pk])
    response = client.post(url, {"body": "late"}, format="json")
    assert (
        response.status_code == 409 and response.json()["detail"] == "This conversation is closed."
    )


def test_a_doctor_without_two_factor_gets_403(colleague_thread, doctor, api):
    from allauth.mfa.models import Authenticator

    Authenticator.objects.filter(user=doctor.user).delete()
    assert api(doctor.user).get(reverse("api:threads")).status_code == 403
