"""Case discussions: a doctor books a connected colleague's visit type for colleagues,
through the booking service; only the two doctors see it; either cancels with a reason."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from appointments.errors import BookingError, SlotTaken
from appointments.models import Appointment, AppointmentKind, AppointmentStatus, Mode
from appointments.services import appointment_complete
from appointments.tests.factories import VisitTypeFactory, free_starts_ahead, weekly_schedule
from audit.models import AuditEvent
from billing.models import Invoice
from network import discussions
from network.errors import NetworkError
from network.models import CaseDiscussion, ConnectionStatus
from network.services import connection_remove
from notifications.models import Notification

from .factories import connect

pytestmark = pytest.mark.django_db

TOPIC = "Young patient with resistant hypertension: renal artery imaging first?"


@pytest.fixture
def host(specialist):
    """The colleague who offers case discussions: weekly hours every day 09:00-17:00."""
    weekly_schedule(specialist)
    return specialist


@pytest.fixture
def talk_type(host):
    return VisitTypeFactory(
        doctor=host,
        name="Case discussion",
        duration_minutes=20,
        mode="online",
        requires_approval=False,
        for_colleagues=True,
    )


@pytest.fixture
def connected(doctor, host):
    return connect(doctor, host)


@pytest.fixture
def start(host, talk_type):
    return free_starts_ahead(host, talk_type)[0]


def book(doctor, host, talk_type, start, **kwargs):
    return discussions.case_discussion_book(
        actor=doctor.user,
        colleague=host,
        visit_type=talk_type,
        start=start,
        topic=kwargs.pop("topic", TOPIC),
        **kwargs,
    )


@pytest.fixture
def booked(doctor, host, talk_type, connected, start, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return book(doctor, host, talk_type, start)


# The service ------------------------------------------------------------------------


def test_booking_makes_a_colleague_visit_online_with_a_room(booked, doctor, host, start):
    visit = booked.appointment
    assert visit.kind == AppointmentKind.COLLEAGUE
    assert visit.doctor == host and visit.patient == doctor.user
    assert visit.start == start and visit.mode == Mode.ONLINE and visit.video_room
    assert visit.status == AppointmentStatus.CONFIRMED
    assert booked.requester == doctor and booked.colleague == host and booked.pk == visit.pk


def test_the_topic_is_encrypted_at_rest(booked):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT topic FROM network_casediscussion WHERE appointment_id = %s", [booked.pk]
        )
        stored = cursor.fetchone()[0]
    assert TOPIC not in stored and "hypertension" not in stored
    assert CaseDiscussion.objects.get(pk=booked.pk).topic == TOPIC


def test_both_doctors_get_a_notice_and_an_email_with_the_calendar_file(booked, doctor, host):
    for user in (doctor.user, host.user):
        assert Notification.objects.filter(recipient=user).exists()
        emails = [m for m in mail.outbox if user.email in m.to]
        assert emails, user.email
        message = emails[0]
        calendars = [a for a in message.attachments if not isinstance(a, tuple)]
        assert len(calendars) == 1
        ics = calendars[0].get_payload(decode=True).decode()
        assert "BEGIN:VEVENT" in ics and booked.appointment.video_url in ics
        assert booked.appointment.video_url in message.body
        # The topic is clinical text: never in an email.
        assert "hypertension" not in message.body and "hypertension" not in ics
    url = reverse("network:discussion", args=[booked.pk])
    notice = Notification.objects.get(recipient=host.user, url=url)
    assert notice.title == "New appointment: Dr. Ravi Treating"


def test_each_doctor_reads_the_discussion_notice_in_their_language(
    doctor, host, talk_type, connected, start, django_capture_on_commit_callbacks
):
    """The host reads Hindi, the colleague who books English: each notice, email and
    calendar file follows its reader."""
    host.user.language = "hi"
    host.user.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        booked = book(doctor, host, talk_type, start)
    url = reverse("network:discussion", args=[booked.pk])
    assert Notification.objects.get(recipient=host.user, url=url).title == (
        "नया अपॉइंटमेंट: डॉ. Ravi Treating"
    )
    assert Notification.objects.get(recipient=doctor.user, url=url).title.startswith("Booked:")
    [hosts_email] = [m for m in mail.outbox if host.user.email in m.to]
    assert "नया अपॉइंटमेंट" in hosts_email.subject


def test_only_connected_colleagues_can_book(doctor, other_doctor, host, talk_type, start):
    with pytest.raises(NetworkError, match="connected"):
        book(doctor, host, talk_type, start)
    connect(other_doctor, host)
    assert book(other_doctor, host, talk_type, start).requester == other_doctor


def test_an_unverified_doctor_cannot_book(unverified_doctor, host, talk_type, start):
    connect(unverified_doctor, host)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        book(unverified_doctor, host, talk_type, start)
    assert not Appointment.objects.exists()


def test_a_removed_connection_stops_new_bookings_and_keeps_the_booked_one(
    booked, doctor, host, talk_type, connected, login
):
    connection_remove(connection=connected, actor=host.user)
    connected.refresh_from_db()
    assert connected.status == ConnectionStatus.REMOVED
    later = free_starts_ahead(host, talk_type, days_ahead=4)[0]
    with pytest.raises(NetworkError, match="connected"):
        book(doctor, host, talk_type, later)
    page = login(doctor.user).get(reverse("network:discussion", args=[booked.pk]))
    assert page.status_code == 200 and TOPIC.encode() in page.content
    new_page = login(doctor.user).get(reverse("network:discussion-new", args=[host.pk]))
    assert new_page.status_code == 404


def test_only_the_colleagues_visit_types_for_colleagues(
    doctor, host, connected, visit_type, start, talk_type
):
    patient_type = VisitTypeFactory(doctor=host, name="Consultation", duration_minutes=20)
    for wrong in (patient_type, visit_type):
        with pytest.raises(NetworkError, match="offers to colleagues"):
            book(doctor, host, wrong, start)
    assert not Appointment.objects.exists()


def test_the_topic_is_required_and_short(doctor, host, talk_type, connected, start):
    with pytest.raises(NetworkError, match="discuss"):
        book(doctor, host, talk_type, start, topic="  ")
    with pytest.raises(NetworkError, match="500"):
        book(doctor, host, talk_type, start, topic="x" * 501)


def test_notice_advance_window_and_double_booking_hold(
    doctor, other_doctor, host, talk_type, connected, start
):
    soon = timezone.now() + dt.timedelta(minutes=30)
    with pytest.raises(BookingError):
        book(doctor, host, talk_type, soon.replace(second=0, microsecond=0))
    far = timezone.now() + dt.timedelta(days=talk_type.max_advance_days + 5)
    with pytest.raises(BookingError):
        book(doctor, host, talk_type, far)
    book(doctor, host, talk_type, start)
    connect(other_doctor, host)
    with pytest.raises(SlotTaken):
        book(other_doctor, host, talk_type, start)
    assert Appointment.objects.count() == 1


def test_a_patient_cannot_take_a_slot_a_discussion_holds(booked, host, patient_a, start):
    from appointments.services import appointment_book

    consultation = VisitTypeFactory(doctor=host, name="Consultation", duration_minutes=20)
    with pytest.raises(SlotTaken):
        appointment_book(
            patient=patient_a, doctor=host, visit_type=consultation, start=start, mode=Mode.ONLINE
        )


def test_a_completed_discussion_is_not_billed_and_treats_nobody(booked, host, doctor):
    from patients.access import is_treating_doctor

    now = timezone.now()
    Appointment.objects.filter(pk=booked.pk).update(
        start=now - dt.timedelta(hours=1),
        end=now - dt.timedelta(minutes=40),
        blocked_start=now - dt.timedelta(hours=1),
        blocked_end=now - dt.timedelta(minutes=40),
    )
    appointment_complete(appointment=Appointment.objects.get(pk=booked.pk), actor=host.user)
    assert not Invoice.objects.exists()
    assert not is_treating_doctor(host.user, doctor.user.pk)


def test_either_doctor_cancels_with_a_reason_and_the_other_is_told(
    booked, doctor, host, django_capture_on_commit_callbacks
):
    with pytest.raises(NetworkError, match="why"):
        discussions.case_discussion_cancel(discussion=booked, actor=host.user, reason=" ")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        discussions.case_discussion_cancel(
            discussion=booked, actor=host.user, reason="Called into theatre."
        )
    visit = Appointment.objects.get(pk=booked.pk)
    assert visit.status == AppointmentStatus.CANCELLED
    assert visit.status_reason == "Called into theatre."
    told = [m for m in mail.outbox if doctor.user.email in m.to]
    assert told and "Called into theatre." in told[0].body
    assert "cancelled by the doctor" in told[0].body
    assert "METHOD:CANCEL" in told[0].attachments[0].get_payload(decode=True).decode()


# Pages ---------------------------------------------------------------------------------


def test_the_connections_page_offers_a_case_discussion(login, doctor, host, connected):
    page = login(doctor.user).get(reverse("network:connections"))
    assert reverse("network:discussion-new", args=[host.pk]).encode() in page.content
    assert b"Book a case discussion" in page.content


def test_booking_page_shows_free_times_and_books(login, doctor, host, talk_type, connected, start):
    client = login(doctor.user)
    url = reverse("network:discussion-new", args=[host.pk])
    page = client.get(url)
    assert page.status_code == 200 and b"Case discussion (20 min" in page.content
    assert start.isoformat().encode() in page.content
    response = client.post(
        url, {"visit_type": talk_type.pk, "start": start.isoformat(), "topic": TOPIC}
    )
    discussion = CaseDiscussion.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("network:discussion", args=[discussion.pk])
    assert discussion.appointment.mode == Mode.ONLINE


def test_booking_page_refuses_bad_input_with_a_message(
    login, doctor, host, talk_type, connected, start
):
    client = login(doctor.user)
    url = reverse("network:discussion-new", args=[host.pk])
    for data in (
        {"visit_type": talk_type.pk, "start": "not a time", "topic": TOPIC},
        {"visit_type": talk_type.pk, "start": start.isoformat(), "topic": ""},
        {"visit_type": "99999999999999999999999", "start": start.isoformat(), "topic": TOPIC},
        {"visit_type": 999999, "start": start.isoformat(), "topic": TOPIC},
    ):
        assert client.post(url, data).status_code == 400
    assert not CaseDiscussion.objects.exists()


def test_booking_page_is_for_connected_colleagues_only(
    login, doctor, other_doctor, host, talk_type, patient_a, unverified_doctor
):
    url = reverse("network:discussion-new", args=[host.pk])
    assert login(doctor.user).get(url).status_code == 404  # not connected
    assert AuditEvent.objects.filter(actor=doctor.user, allowed=False).exists()
    assert login(patient_a).get(url).status_code == 404
    page = login(unverified_doctor.user).get(url)
    assert b"unavailable until your license is verified" in page.content


def test_detail_and_list_for_the_two_doctors_only(
    login, booked, doctor, host, other_doctor, patient_a, staff, client
):
    url = reverse("network:discussion", args=[booked.pk])
    for user in (doctor.user, host.user):
        page = login(user).get(url)
        assert page.status_code == 200 and TOPIC.encode() in page.content
        listing = login(user).get(reverse("network:discussions"))
        assert url.encode() in listing.content
    for user in (other_doctor.user, patient_a, staff):
        assert login(user).get(url).status_code == 404
    assert AuditEvent.objects.filter(actor=other_doctor.user, allowed=False).exists()
    assert url.encode() not in login(other_doctor.user).get(reverse("network:discussions")).content
    assert client.get(url).status_code == 302  # anonymous: to sign in


def test_it_shows_in_both_agendas(login, booked, doctor, host):
    day = booked.appointment.start.astimezone(host.tz).date().isoformat()
    for user, words in (
        (host.user, b"Case discussion: Dr. Ravi Treating"),
        (doctor.user, b"Case discussion with Dr. Sara Specialist"),
    ):
        agenda = login(user).get(reverse("appointments:agenda"), {"date": day})
        assert words in agenda.content, user
    # The appointment page of a discussion is the discussion's page.
    response = login(doctor.user).get(reverse("appointments:detail", args=[booked.pk]))
    assert response["Location"] == reverse("network:discussion", args=[booked.pk])


def test_cancel_on_the_page(login, booked, doctor, host, other_doctor):
    url = reverse("network:discussion-cancel", args=[booked.pk])
    assert login(other_doctor.user).post(url, {"reason": "x"}).status_code == 404
    assert login(doctor.user).post(url, {"reason": ""}).status_code == 400
    response = login(doctor.user).post(url, {"reason": "Patient improved."})
    assert response.status_code == 302
    assert Appointment.objects.get(pk=booked.pk).status == AppointmentStatus.CANCELLED
    assert Notification.objects.filter(recipient=host.user, kind="appointment_cancelled").exists()


# API -----------------------------------------------------------------------------------

BASE = "/api/v1/network/discussions/"


def test_api_books_lists_reads_and_cancels(api, doctor, host, talk_type, connected, start):
    caller = api(doctor.user)
    created = caller.post(
        BASE,
        {
            "colleague": host.pk,
            "visit_type": talk_type.pk,
            "start": start.isoformat(),
            "topic": TOPIC,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["topic"] == TOPIC and body["mode"] == "online" and body["video_url"]
    pk = body["id"]
    listed = api(host.user).get(BASE).json()["results"]
    assert [row["id"] for row in listed] == [pk] and "topic" not in listed[0]
    assert api(host.user).get(f"{BASE}{pk}/").json()["topic"] == TOPIC
    cancelled = api(host.user).post(
        f"{BASE}{pk}/cancel/", {"reason": "Clinic closed."}, format="json"
    )
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = api(host.user).post(f"{BASE}{pk}/cancel/", {"reason": "Again."}, format="json")
    assert again.status_code == 409


def test_api_denies_others(api, booked, other_doctor, patient_a, staff, unverified_doctor):
    detail = f"{BASE}{booked.pk}/"
    for user in (other_doctor.user, patient_a, staff, unverified_doctor.user):
        assert api(user).get(detail).status_code == 404
        assert api(user).post(f"{detail}cancel/", {"reason": "x"}, format="json").status_code == 404
    assert api().get(BASE).status_code == 401
    assert api().get(detail).status_code == 401
    assert api(patient_a).get(BASE).status_code == 403
    assert api(other_doctor.user).get(BASE).json()["results"] == []
    assert AuditEvent.objects.filter(actor=other_doctor.user, allowed=False).exists()


def test_api_refuses_bad_and_unconnected_bookings(
    api, doctor, other_doctor, host, talk_type, start
):
    caller = api(other_doctor.user)
    payload = {
        "colleague": host.pk,
        "visit_type": talk_type.pk,
        "start": start.isoformat(),
        "topic": TOPIC,
    }
    refused = caller.post(BASE, payload, format="json")
    assert refused.status_code == 400 and "connected" in str(refused.json())
    connect(other_doctor, host)
    for bad in (
        {**payload, "start": "soon"},
        {**payload, "topic": ""},
        {**payload, "colleague": 2**70},
        {**payload, "visit_type": 999999},
    ):
        assert caller.post(BASE, bad, format="json").status_code == 400
    assert caller.post(BASE, payload, format="json").status_code == 201
    connect(doctor, host)
    taken = api(doctor.user).post(BASE, payload, format="json")
    assert taken.status_code == 409


def test_an_id_past_64_bits_is_a_404_on_the_page_and_the_api(login, api, doctor):
    huge = 2**70
    page = login(doctor.user).get(reverse("network:discussion", args=[huge]))
    assert page.status_code == 404
    answer = api(doctor.user).get(reverse("api:discussion", args=[huge]))
    assert answer.status_code == 404
