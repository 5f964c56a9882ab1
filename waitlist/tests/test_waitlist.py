"""The waitlist: a freed slot is offered to the first waiting patient, held for the
claim window, then passed to the next; claiming books it through the normal
booking service, and a claim that loses to a normal booking says so."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from appointments.models import AppointmentStatus, Mode
from appointments.services import appointment_book, appointment_cancel, appointment_reschedule
from directory.tests.factories import doctor_page_url
from patients.tests.factories import PatientFactory
from schedules.services import time_off_add, time_off_delete
from waitlist.models import EntryStatus, OfferStatus, WaitlistEntry, WaitlistOffer
from waitlist.services import (
    LOST_MESSAGE,
    WaitlistError,
    waitlist_join,
    waitlist_leave,
    waitlist_offer_claim,
    waitlist_offer_expire,
)


def join(patient, ctx, **kwargs):
    return waitlist_join(
        patient=patient,
        doctor=ctx["doctor"],
        visit_type=ctx["visit_type"],
        date_from=kwargs.get("date_from", ctx["day"]),
        date_to=kwargs.get("date_to", ctx["day"]),
    )


def expire(offer):
    WaitlistOffer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - dt.timedelta(1))


@pytest.fixture
def waiting(full_day, patient_a, patient_b):
    """Asha joined first, Bela second."""
    first = join(patient_a, full_day)
    second = join(patient_b, full_day)
    return full_day, first, second


def cancel_holder(ctx, capture):
    with capture(execute=True):
        appointment_cancel(appointment=ctx["appointment"], actor=ctx["holder"])


@pytest.mark.django_db
def test_a_cancellation_offers_the_slot_to_the_first_waiting_patient(
    waiting, patient_a, settings, django_capture_on_commit_callbacks
):
    settings.MEDCONNECT_SITE_URL = "https://clinic.example.com"
    ctx, first, second = waiting
    mail.outbox.clear()

    cancel_holder(ctx, django_capture_on_commit_callbacks)

    offer = WaitlistOffer.objects.get()
    assert offer.entry == first and offer.status == OfferStatus.OPEN
    assert offer.start == ctx["start"]
    window = offer.expires_at - offer.created_at
    assert dt.timedelta(minutes=29) < window <= dt.timedelta(minutes=30)
    [message] = [m for m in mail.outbox if patient_a.email in m.to]
    assert "is free for you" in message.subject
    assert "Dr. Ravi Treating (General Medicine)" in message.body
    assert "City Care Clinic" in message.body and "12 MG Road, Bengaluru" in message.body
    assert "(Asia/Kolkata, IST)" in message.body
    assert f"https://clinic.example.com/waitlist/offers/{offer.pk}/" in message.body
    assert patient_a.notifications.filter(kind="waitlist_offer").exists()
    assert not second.offers.exists()


@pytest.mark.django_db
def test_claim_window_comes_from_settings(waiting, settings, django_capture_on_commit_callbacks):
    settings.MEDCONNECT_WAITLIST_CLAIM_MINUTES = 5
    ctx, _first, _second = waiting

    cancel_holder(ctx, django_capture_on_commit_callbacks)

    offer = WaitlistOffer.objects.get()
    assert offer.expires_at - offer.created_at <= dt.timedelta(minutes=5)


@pytest.mark.django_db
def test_an_expired_offer_passes_to_the_next_patient(
    waiting, patient_b, django_capture_on_commit_callbacks
):
    ctx, first, second = waiting
    cancel_holder(ctx, django_capture_on_commit_callbacks)
    offer = WaitlistOffer.objects.get(entry=first)

    assert waitlist_offer_expire(offer_id=offer.pk) is False  # not yet
    expire(offer)
    with django_capture_on_commit_callbacks(execute=True):
        assert waitlist_offer_expire(offer_id=offer.pk) is True

    offer.refresh_from_db()
    assert offer.status == OfferStatus.EXPIRED
    next_offer = WaitlistOffer.objects.get(entry=second)
    assert next_offer.status == OfferStatus.OPEN and next_offer.start == ctx["start"]
    first.refresh_from_db()
    assert first.status == EntryStatus.WAITING  # still waiting for another time

    # When Bela lets it lapse too, nobody is left who was not offered it.
    expire(next_offer)
    out = StringIO()
    call_command("expire_waitlist_offers", stdout=out)
    assert "Expired 1 waitlist offer(s)" in out.getvalue()
    assert WaitlistOffer.objects.open().count() == 0


@pytest.mark.django_db
def test_claiming_books_through_the_booking_service(
    waiting, patient_a, django_capture_on_commit_callbacks
):
    ctx, first, _second = waiting
    cancel_holder(ctx, django_capture_on_commit_callbacks)
    offer = WaitlistOffer.objects.get(entry=first)

    appointment = waitlist_offer_claim(offer=offer, patient=patient_a, mode=Mode.IN_PERSON)

    assert appointment.patient == patient_a and appointment.start == ctx["start"]
    assert appointment.status == AppointmentStatus.CONFIRMED
    offer.refresh_from_db()
    first.refresh_from_db()
    assert offer.status == OfferStatus.CLAIMED and offer.appointment == appointment
    assert first.status == EntryStatus.BOOKED and first.appointment == appointment
    assert appointment.reminders.count() == 2  # a normal booking in every way


@pytest.mark.django_db
def test_a_claim_that_loses_to_a_normal_booking_says_so(
    waiting, patient_a, django_capture_on_commit_callbacks
):
    ctx, first, _second = waiting
    cancel_holder(ctx, django_capture_on_commit_callbacks)
    offer = WaitlistOffer.objects.get(entry=first)
    walk_in = PatientFactory().user
    appointment_book(
        patient=walk_in,
        doctor=ctx["doctor"],
        visit_type=ctx["visit_type"],
        start=ctx["start"],
        mode=Mode.IN_PERSON,
    )

    with pytest.raises(WaitlistError) as caught:
        waitlist_offer_claim(offer=offer, patient=patient_a, mode=Mode.IN_PERSON)

    assert caught.value.messages == [LOST_MESSAGE]
    offer.refresh_from_db()
    first.refresh_from_db()
    assert offer.status == OfferStatus.LOST
    assert first.status == EntryStatus.WAITING


@pytest.mark.django_db
def test_an_expired_or_foreign_offer_cannot_be_claimed(
    waiting, patient_a, patient_b, django_capture_on_commit_callbacks
):
    ctx, first, _second = waiting
    cancel_holder(ctx, django_capture_on_commit_callbacks)
    offer = WaitlistOffer.objects.get(entry=first)

    with pytest.raises(PermissionDenied):
        waitlist_offer_claim(offer=offer, patient=patient_b, mode=Mode.IN_PERSON)

    expire(offer)
    with pytest.raises(WaitlistError, match="This offer has ended"):
        waitlist_offer_claim(offer=offer, patient=patient_a, mode=Mode.IN_PERSON)


@pytest.mark.django_db
def test_a_reschedule_frees_the_old_time(full_day, patient_a, django_capture_on_commit_callbacks):
    entry = join(patient_a, full_day)
    new_start = full_day["start"] + dt.timedelta(days=1)

    with django_capture_on_commit_callbacks(execute=True):
        appointment_reschedule(
            appointment=full_day["appointment"], actor=full_day["holder"], new_start=new_start
        )

    offer = WaitlistOffer.objects.get(entry=entry)
    assert offer.start == full_day["start"]


@pytest.mark.django_db
def test_removed_time_off_frees_its_slots(doctor, patient_a, django_capture_on_commit_callbacks):
    from appointments.tests.factories import VisitTypeFactory, weekly_schedule

    weekly_schedule(doctor, start=(10, 0), end=(10, 30))
    visit_type = VisitTypeFactory(doctor=doctor, duration_minutes=30, requires_approval=False)
    day = timezone.now().astimezone(doctor.tz).date() + dt.timedelta(days=3)
    start = dt.datetime.combine(day, dt.time(9), tzinfo=doctor.tz)
    time_off = time_off_add(doctor=doctor, start=start, end=start + dt.timedelta(hours=4))
    entry = waitlist_join(
        patient=patient_a, doctor=doctor, visit_type=visit_type, date_from=day, date_to=day
    )

    with django_capture_on_commit_callbacks(execute=True):
        time_off_delete(doctor=doctor, time_off=time_off)

    offer = WaitlistOffer.objects.get(entry=entry)
    assert offer.start.astimezone(doctor.tz).time() == dt.time(10)


@pytest.mark.django_db
def test_leaving_withdraws_an_open_offer_and_passes_it_on(
    waiting, patient_a, django_capture_on_commit_callbacks
):
    ctx, first, second = waiting
    cancel_holder(ctx, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        waitlist_leave(patient=patient_a, entry=first)

    first.refresh_from_db()
    assert first.status == EntryStatus.LEFT
    assert first.offers.get().status == OfferStatus.WITHDRAWN
    assert second.offers.get().status == OfferStatus.OPEN


@pytest.mark.django_db
def test_joining_checks_the_dates_and_duplicates(full_day, patient_a):
    day = full_day["day"]
    with pytest.raises(WaitlistError):
        join(patient_a, full_day, date_from=day, date_to=day - dt.timedelta(days=1))
    with pytest.raises(WaitlistError):
        join(patient_a, full_day, date_from=day - dt.timedelta(days=10))
    with pytest.raises(WaitlistError):
        join(patient_a, full_day, date_to=day + dt.timedelta(days=365))
    join(patient_a, full_day)
    with pytest.raises(WaitlistError, match="already on this waitlist"):
        join(patient_a, full_day)
    assert WaitlistEntry.objects.count() == 1


@pytest.mark.django_db
def test_the_expiry_task_runs_in_the_database_worker(
    waiting, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # The worker runs in this test's transaction: it must keep the connection open.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    ctx, first, second = waiting

    def run_worker():
        with django_capture_on_commit_callbacks(execute=True):
            call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    cancel_holder(ctx, django_capture_on_commit_callbacks)
    run_worker()  # offers the freed slot
    offer = WaitlistOffer.objects.get(entry=first)
    queued = DBTaskResult.objects.get(status="READY", task_path__endswith="expire_waitlist_offer")
    assert queued.run_after == offer.expires_at

    run_worker()
    assert WaitlistOffer.objects.get(pk=offer.pk).status == OfferStatus.OPEN  # not yet due

    expire(offer)
    DBTaskResult.objects.filter(pk=queued.pk).update(run_after=timezone.now())
    run_worker()  # expires it and offers it on
    run_worker()
    assert WaitlistOffer.objects.get(pk=offer.pk).status == OfferStatus.EXPIRED
    assert WaitlistOffer.objects.get(entry=second).status == OfferStatus.OPEN


# Pages ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_join_from_the_doctor_page(full_day, patient_a, login):
    client = login(patient_a)
    doctor = full_day["doctor"]
    page = client.get(doctor_page_url(doctor)).content.decode()
    join_url = reverse("waitlist:join", args=[doctor.pk])
    assert join_url in page

    assert client.get(join_url).status_code == 200
    response = client.post(
        join_url,
        {
            "visit_type": full_day["visit_type"].pk,
            "date_from": full_day["day"].isoformat(),
            "date_to": full_day["day"].isoformat(),
        },
    )

    assert response.status_code == 302
    entry = WaitlistEntry.objects.get(patient=patient_a)
    page = client.get(reverse("waitlist:list")).content.decode()
    assert "Consultation with Dr. Ravi Treating" in page

    response = client.post(reverse("waitlist:leave", args=[entry.pk]))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == EntryStatus.LEFT


@pytest.mark.django_db
def test_the_slot_taken_page_offers_the_waitlist(full_day, patient_a, login):
    doctor = full_day["doctor"]
    url = (
        reverse("appointments:book")
        + f"?doctor={doctor.pk}&visit_type={full_day['visit_type'].pk}"
        + f"&start={full_day['start'].isoformat().replace('+', '%2B')}"
    )

    page = login(patient_a).get(url).content.decode()

    assert 'data-testid="slot-taken"' in page
    assert reverse("waitlist:join", args=[doctor.pk]) in page


@pytest.mark.django_db
def test_join_form_errors_are_shown(full_day, patient_a, login):
    response = login(patient_a).post(
        reverse("waitlist:join", args=[full_day["doctor"].pk]),
        {"visit_type": full_day["visit_type"].pk, "date_from": "2000-01-01", "date_to": "x"},
    )

    assert response.status_code == 400


@pytest.mark.django_db
def test_only_patients_join(full_day, other_doctor, login):
    url = reverse("waitlist:join", args=[full_day["doctor"].pk])
    assert login(other_doctor.user).get(url).status_code == 404


@pytest.mark.django_db
def test_claim_page_books_the_offer(
    waiting, patient_a, patient_b, login, django_capture_on_commit_callbacks
):
    ctx, first, _second = waiting
    cancel_holder(ctx, django_capture_on_commit_callbacks)
    offer = WaitlistOffer.objects.get(entry=first)
    url = reverse("waitlist:offer", args=[offer.pk])

    assert login(patient_b).get(url).status_code == 404
    client = login(patient_a)
    assert "Book this time" in client.get(url).content.decode()
    assert (
        reverse("waitlist:offer", args=[offer.pk])
        in client.get(reverse("waitlist:list")).content.decode()
    )
    response = client.post(url, {"mode": Mode.IN_PERSON, "reason": ""})

    offer.refresh_from_db()
    assert offer.status == OfferStatus.CLAIMED
    assert response["Location"] == reverse("appointments:detail", args=[offer.appointment_id])


@pytest.mark.django_db
def test_claim_page_tells_a_loser_why(
    waiting, patient_a, login, django_capture_on_commit_callbacks
):
    ctx, first, _second = waiting
    cancel_holder(ctx, django_capture_on_commit_callbacks)
    offer = WaitlistOffer.objects.get(entry=first)
    appointment_book(
        patient=PatientFactory().user,
        doctor=ctx["doctor"],
        visit_type=ctx["visit_type"],
        start=ctx["start"],
        mode=Mode.IN_PERSON,
    )

    response = login(patient_a).post(
        reverse("waitlist:offer", args=[offer.pk]), {"mode": Mode.IN_PERSON}, follow=True
    )

    assert "Someone booked this time just before you" in response.content.decode()


@pytest.mark.django_db
def test_waitlist_page_query_count_is_fixed(full_day, patient_a, login, django_assert_num_queries):
    from appointments.tests.factories import VisitTypeFactory

    for i in range(10):
        visit_type = VisitTypeFactory(doctor=full_day["doctor"], name=f"Visit {i}")
        waitlist_join(
            patient=patient_a,
            doctor=full_day["doctor"],
            visit_type=visit_type,
            date_from=full_day["day"],
            date_to=full_day["day"],
        )
    client = login(patient_a)
    client.get(reverse("waitlist:list"))

    # session, user, entries, offers, navbar unread count
    with django_assert_num_queries(5):
        response = client.get(reverse("waitlist:list"))
    assert response.content.decode().count("Leave</button>") == 10


@pytest.mark.django_db
def test_offers_made_together_can_all_be_claimed_buffers_included(
    doctor, patient_a, patient_b, django_capture_on_commit_callbacks
):
    """09:00 and 09:30 are booked; Asha waits for a 30-minute visit, Bela for a
    20-minute one with 15 minutes' preparation before it. 09:00 frees up and is held
    for Asha; then 09:30 frees up. Bela's 09:35 would need 09:20 onwards, inside
    Asha's held time: it is not offered, so every open offer can be claimed."""
    from appointments.tests.factories import VisitTypeFactory, weekly_schedule

    weekly_schedule(doctor, start=(9, 0), end=(10, 0))
    plain = VisitTypeFactory(doctor=doctor, duration_minutes=30, requires_approval=False)
    prepared = VisitTypeFactory(
        doctor=doctor, duration_minutes=20, buffer_before_minutes=15, requires_approval=False
    )
    day = timezone.now().astimezone(doctor.tz).date() + dt.timedelta(days=3)
    booked = []
    for clock_time in (dt.time(9), dt.time(9, 30)):
        holder = PatientFactory().user
        booked.append(
            appointment_book(
                patient=holder,
                doctor=doctor,
                visit_type=plain,
                start=dt.datetime.combine(day, clock_time, tzinfo=doctor.tz),
                mode=Mode.IN_PERSON,
            )
        )
    for patient, visit_type in ((patient_a, plain), (patient_b, prepared)):
        waitlist_join(
            patient=patient, doctor=doctor, visit_type=visit_type, date_from=day, date_to=day
        )

    for appointment in booked:
        with django_capture_on_commit_callbacks(execute=True):
            appointment_cancel(appointment=appointment, actor=appointment.patient)

    offers = list(WaitlistOffer.objects.filter(status=OfferStatus.OPEN).order_by("start"))
    assert offers[0].entry.patient == patient_a
    for offer in offers:
        waitlist_offer_claim(offer=offer, patient=offer.entry.patient, mode=Mode.IN_PERSON)
    assert WaitlistOffer.objects.filter(status=OfferStatus.CLAIMED).count() == len(offers)
    assert not WaitlistOffer.objects.filter(status=OfferStatus.LOST).exists()


@pytest.mark.django_db
def test_an_offer_reaches_a_hindi_patient_in_hindi_whoever_frees_the_time(
    waiting, patient_a, django_capture_on_commit_callbacks
):
    """The holder cancels in English; Asha, who reads Hindi, gets her offer in Hindi."""
    patient_a.language = "hi"
    patient_a.save(update_fields=["language"])
    ctx, _first, _second = waiting
    mail.outbox.clear()
    with translation.override("en"):
        cancel_holder(ctx, django_capture_on_commit_callbacks)

    notice = patient_a.notifications.get(kind="waitlist_offer")
    assert notice.title == "डॉ. Ravi Treating के साथ एक समय आपके लिए खाली है"
    assert "is held for you" not in notice.body
    [message] = [m for m in mail.outbox if patient_a.email in m.to]
    assert notice.title in message.subject
    assert "is free for you" not in message.body and "Ravi Treating" in message.body
