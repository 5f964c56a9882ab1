"""What patients and doctors see and do on the message pages."""

from django.urls import reverse

from appointments.tests.factories import PastVisitFactory
from network.models import Connection, ConnectionStatus

from .. import services
from ..models import Message, Thread, ThreadKind
from .factories import SECRET, connect, pdf_upload, referral_between


def test_inbox_lists_the_thread_with_its_unread_count(colleague_thread, other_doctor, login):
    page = login(other_doctor.user).get(reverse("messaging:inbox")).content.decode()
    assert "A case" in page and "with Dr. Ravi Treating" in page
    assert '1<span class="visually-hidden"> unread</span>' in page


def test_the_navigation_shows_unread_messages(colleague_thread, other_doctor, login):
    page = login(other_doctor.user).get(reverse("notifications:list")).content.decode()
    assert 'data-testid="unread-messages">1<' in page


def test_opening_the_thread_shows_the_text_and_marks_it_read(
    colleague_thread, doctor, other_doctor, login
):
    client = login(other_doctor.user)
    page = client.get(reverse("messaging:thread", args=[colleague_thread.pk])).content.decode()
    assert SECRET in page
    assert f'hx-get="/messages/{colleague_thread.pk}/poll/?after=' in page
    page = client.get(reverse("notifications:list")).content.decode()
    assert 'data-testid="unread-messages"' not in page
    # The sender now sees the read receipt.
    sender_page = login(doctor.user).get(reverse("messaging:thread", args=[colleague_thread.pk]))
    assert "Read" in sender_page.content.decode()
    assert "Dr. Olga Other last read this conversation" in sender_page.content.decode()


def test_reply_with_a_pdf_then_the_other_polls_it_in(colleague_thread, doctor, other_doctor, login):
    client = login(other_doctor.user)
    url = reverse("messaging:thread", args=[colleague_thread.pk])
    first = colleague_thread.messages.get()
    response = client.post(url, {"body": "Echo attached", "attachments": [pdf_upload("echo.pdf")]})
    assert response.status_code == 302
    poll = login(doctor.user).get(
        reverse("messaging:poll", args=[colleague_thread.pk]) + f"?after={first.pk}"
    )
    text = poll.content.decode()
    assert "Echo attached" in text and "echo.pdf" in text
    assert 'id="message-poller"' in text and 'hx-swap-oob="true"' in text
    assert f"after={Message.objects.latest('id').pk}" in text


def test_a_poll_with_a_bad_id_is_a_400(colleague_thread, doctor, login):
    url = reverse("messaging:poll", args=[colleague_thread.pk])
    assert login(doctor.user).get(url + "?after=abc").status_code == 400
    assert login(doctor.user).get(url + "?after=-1").status_code == 400


def test_a_refused_file_is_a_clear_400_and_nothing_is_sent(colleague_thread, doctor, login):
    from records.tests.factories import upload

    response = login(doctor.user).post(
        reverse("messaging:thread", args=[colleague_thread.pk]),
        {"body": "see file", "attachments": [upload("virus.pdf", b"MZ\x90\x00 not a pdf")]},
    )
    assert response.status_code == 400
    assert "not a PDF" in response.content.decode()
    assert colleague_thread.messages.count() == 1


def test_a_retracted_message_leaves_a_visible_mark(colleague_thread, doctor, other_doctor, login):
    message = colleague_thread.messages.get()
    response = login(doctor.user).post(reverse("messaging:retract", args=[message.pk]))
    assert response.status_code == 302
    page = login(other_doctor.user).get(reverse("messaging:thread", args=[colleague_thread.pk]))
    text = page.content.decode()
    assert "This message was retracted" in text and SECRET not in text
    # The other participant cannot retract it: 404.
    assert (
        login(other_doctor.user).post(reverse("messaging:retract", args=[message.pk])).status_code
        == 404
    )


def test_a_removed_connection_leaves_the_thread_read_only(colleague_thread, other_doctor, login):
    Connection.objects.update(status=ConnectionStatus.REMOVED)
    client = login(other_doctor.user)
    url = reverse("messaging:thread", args=[colleague_thread.pk])
    page = client.get(url).content.decode()
    assert SECRET in page and "no longer connected" in page and 'name="body"' not in page
    response = client.post(url, {"body": "Still there?"})
    assert response.status_code == 400 and colleague_thread.messages.count() == 1


def test_closing_keeps_the_thread_readable(asha_thread, patient_a, login):
    client = login(patient_a)
    client.post(reverse("messaging:close", args=[asha_thread.pk]))
    page = client.get(reverse("messaging:thread", args=[asha_thread.pk])).content.decode()
    assert SECRET in page and "This conversation is closed." in page


def test_a_patient_writes_to_their_doctor_from_an_appointment(patient_a, doctor, login):
    visit = PastVisitFactory(patient=patient_a, doctor=doctor)
    client = login(patient_a)
    url = reverse("messaging:new_from_appointment", args=[visit.pk])
    assert "Write to Dr. Ravi Treating" in client.get(url).content.decode()
    response = client.post(url, {"subject": "Side effects", "body": "I feel dizzy"})
    thread = Thread.objects.get()
    assert response["Location"] == reverse("messaging:thread", args=[thread.pk])
    assert thread.kind == ThreadKind.PATIENT and thread.appointment == visit


def test_someone_elses_appointment_is_a_404(patient_b, doctor, patient_a, login):
    visit = PastVisitFactory(patient=patient_a, doctor=doctor)
    url = reverse("messaging:new_from_appointment", args=[visit.pk])
    assert login(patient_b).post(url, {"body": "Hi"}).status_code == 404
    assert not Thread.objects.exists()


def test_a_doctor_writes_to_a_patient_they_treat_only(patient_a, doctor, other_doctor, login):
    PastVisitFactory(patient=patient_a, doctor=doctor)
    url = reverse("messaging:new_for_patient", args=[patient_a.pk])
    assert login(other_doctor.user).post(url, {"body": "Hi"}).status_code == 404
    response = login(doctor.user).post(url, {"subject": "Results", "body": "All normal"})
    assert response.status_code == 302 and Thread.objects.get().patient == patient_a


def test_colleague_form_offers_only_connected_doctors(
    doctor, other_doctor, unverified_doctor, login
):
    client = login(doctor.user)
    url = reverse("messaging:new_colleague")
    assert "not connected with any colleague" in client.get(url).content.decode()
    connect(doctor, other_doctor)
    page = client.get(url).content.decode()
    assert "Dr. Olga Other" in page and "Uma Pending" not in page
    response = client.post(url, {"doctor": unverified_doctor.pk, "body": "Hi"})
    assert response.status_code == 400 and not Thread.objects.exists()
    client.post(url, {"doctor": other_doctor.pk, "subject": "Case", "body": "Hi"})
    assert Thread.objects.get().kind == ThreadKind.DIRECT


def test_referral_thread_opens_for_its_two_doctors_only(
    doctor, other_doctor, patient_a, login, staff
):
    referral = referral_between(doctor, other_doctor, patient_a)
    url = reverse("messaging:referral-thread", args=[referral.pk])
    first = login(doctor.user).get(url)
    thread = Thread.objects.get(referral=referral)
    assert first["Location"] == reverse("messaging:thread", args=[thread.pk])
    assert login(other_doctor.user).get(url)["Location"] == first["Location"]
    assert login(patient_a).get(url).status_code == 404
    assert login(staff).get(url).status_code == 404
    assert Thread.objects.count() == 1


def test_a_thread_of_1000_messages_opens_on_its_newest_page(colleague_thread, doctor, login):
    Message.objects.bulk_create(
        [Message(thread=colleague_thread, sender=doctor.user, body=f"n{i}") for i in range(999)]
    )
    client = login(doctor.user)
    url = reverse("messaging:thread", args=[colleague_thread.pk])
    page = client.get(url).content.decode()
    assert "Page 20 of 20" in page and "n998" in page and "n0<" not in page
    first = client.get(url + "?page=1").content.decode()
    assert SECRET in first and "Go to the newest messages" in first
    assert services  # the services are what the pages call


def test_the_appointment_and_the_record_link_to_a_new_conversation(patient_a, doctor, login):
    visit = PastVisitFactory(patient=patient_a, doctor=doctor)
    page = login(patient_a).get(reverse("appointments:detail", args=[visit.pk])).content.decode()
    assert reverse("messaging:new_from_appointment", args=[visit.pk]) in page
    record = login(doctor.user).get(reverse("records:patient", args=[patient_a.pk]))
    assert reverse("messaging:new_for_patient", args=[patient_a.pk]) in record.content.decode()
