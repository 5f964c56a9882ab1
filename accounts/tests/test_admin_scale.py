"""Every Django Admin list costs a fixed number of queries, however many rows it has:
the test walks every registered ModelAdmin, fills the tables a round at a time and
checks each list renders its rows within the budget, with the same count as before."""

import datetime

import pytest
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.admin_base import EstimatedCountPaginator, ScaledAdminMixin
from accounts.tests.factories import enrol_totp
from appointments.models import Appointment, AppointmentStatus
from appointments.reminders import reminders_sync
from appointments.tests.factories import (
    AppointmentFactory,
    AvailabilityRuleFactory,
    PastVisitFactory,
    TimeOffFactory,
)
from assistant.tests.factories import conversation_of
from audit.services import audit_record
from billing.tests.factories import FeeScheduleFactory, issued_invoice
from messaging.tests.factories import direct_thread
from network.tests.factories import ReferralFactory
from notifications.services import calendar_feed_create_or_rotate, notification_send
from operations.models import Heartbeat, PeriodicRun, TaskOutbox
from operations.tests.factories import succeeded_backup
from prescriptions.tests.factories import PrescriptionFactory
from records.tests.factories import ConsultationRecordFactory, uploaded_blood_test
from waitlist.models import WaitlistEntry, WaitlistOffer

pytestmark = pytest.mark.django_db

BUDGET = 10


@pytest.fixture(autouse=True)
def _no_last_seen_write(monkeypatch):
    # The once-a-minute session stamp would add a write to whichever list a slow run
    # happens to reach after a minute; the lists' own queries are what is compared.
    monkeypatch.setattr("accounts.middleware.LAST_SEEN_RESOLUTION_SECONDS", 10**9)


def _add_round(number, staff):
    """One more row in every table an Admin list shows (as far as a test can make one)."""
    now = timezone.now()
    visit = AppointmentFactory(status=AppointmentStatus.PENDING)
    doctor, patient = visit.doctor, visit.patient
    enrol_totp(doctor.user)
    reminders_sync(appointment=visit, new=True)
    past = PastVisitFactory(doctor=doctor, patient=patient)
    ConsultationRecordFactory(appointment=past)
    PrescriptionFactory(appointment=past)
    issued_invoice(appointment=past, actor=staff)
    uploaded_blood_test(patient, document_date=past.start.date())
    ReferralFactory(referring_doctor=doctor, patient=patient)
    direct_thread(doctor, AppointmentFactory().doctor)
    conversation_of(patient, "hello")
    FeeScheduleFactory(doctor=doctor)
    AvailabilityRuleFactory(doctor=doctor)
    TimeOffFactory(doctor=doctor)
    AppointmentFactory(doctor=doctor, start=now.replace(minute=0) + datetime.timedelta(hours=2))
    entry = WaitlistEntry.objects.create(
        patient=patient,
        doctor=doctor,
        visit_type=visit.visit_type,
        date_from=now.date(),
        date_to=now.date() + datetime.timedelta(days=7),
    )
    WaitlistOffer.objects.create(
        entry=entry,
        doctor=doctor,
        start=visit.start,
        end=visit.end,
        expires_at=now + datetime.timedelta(hours=1),
    )
    notification_send(recipient=patient, kind="appointment", title="A notice", email=False)
    calendar_feed_create_or_rotate(user=patient)
    audit_record(actor=staff, action="view", obj=visit, patient=patient)
    Group.objects.create(name=f"Group {number}")
    succeeded_backup(hours_ago=number + 1, name=f"backup-{number}")
    PeriodicRun.objects.create(
        job=f"job-{number}", period=now, claimed_by="scheduler", status="done"
    )
    Heartbeat.objects.create(kind="worker", name=f"worker-{number}", seen_at=now)
    TaskOutbox.objects.create(task_path="tasks.noop", args_kwargs={})


def _changelists():
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        yield model, model_admin, reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    # A list redirecting to its single row (billing settings) is measured there.
    if response.status_code == 302:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(response.url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries), response


def test_every_admin_uses_the_scaled_base():
    plain = [
        type(model_admin).__name__
        for model_admin in admin.site._registry.values()
        if not isinstance(model_admin, ScaledAdminMixin)
    ]
    assert plain == []


def test_every_changelist_stays_within_budget_as_rows_grow(staff_client, staff):
    for number in range(2):
        _add_round(number, staff)
    for _model, _admin, url in _changelists():
        _queries(staff_client, url)  # once, so rows made on first view are not counted
    first = {url: _queries(staff_client, url)[0] for _m, _a, url in _changelists()}
    for number in range(2, 6):
        _add_round(number, staff)

    grown, over = {}, {}
    for model, _admin, url in _changelists():
        count, response = _queries(staff_client, url)
        if count != first[url]:
            grown[model._meta.label] = (first[url], count)
        if count > BUDGET:
            over[model._meta.label] = count
    assert grown == {}, "query count grew with the rows"
    assert over == {}, f"more than {BUDGET} queries"
    assert Appointment.objects.count() >= 18
    assert Authenticator.objects.count() >= 7


def test_the_doctor_filter_lists_every_doctor_in_one_query(staff_client, staff):
    for number in range(4):
        _add_round(number, staff)
    url = reverse("admin:appointments_appointment_changelist")
    staff_client.get(url)
    count, response = _queries(staff_client, url)
    page = response.content.decode()
    for appointment in Appointment.objects.select_related("doctor__user")[:5]:
        assert appointment.doctor.user.full_name in page
    _add_round(9, staff)
    with CaptureQueriesContext(connection) as queries:
        staff_client.get(url)
    assert len(queries) == count, "\n".join(q["sql"][:300] for q in queries.captured_queries)


def test_appointment_changelist_filters_and_dates_still_work(staff_client, staff):
    _add_round(0, staff)
    visit = Appointment.objects.filter(status=AppointmentStatus.PENDING).get()
    url = reverse("admin:appointments_appointment_changelist")
    page = staff_client.get(url, {"doctor__id__exact": visit.doctor_id}).content.decode()
    assert visit.patient.full_name in page
    # The year links come from the first and last visit.
    page = staff_client.get(url).content.decode()
    assert f"start__year={visit.start.year}" in page or "start__month=" in page
    page = staff_client.get(url, {"start__year": visit.start.year}).content.decode()
    assert visit.patient.full_name in page
    local = timezone.localtime(visit.start)
    page = staff_client.get(
        url, {"start__year": local.year, "start__month": local.month}
    ).content.decode()
    assert visit.patient.full_name in page
    assert f"start__day={local.day}" in page


def test_estimated_count_is_used_only_for_a_large_unfiltered_table(monkeypatch):
    monkeypatch.setattr("accounts.admin_base.table_row_estimate", lambda model, using: 2_000_000)
    assert EstimatedCountPaginator(Appointment.objects.order_by("pk"), 100).count == 2_000_000
    filtered = Appointment.objects.filter(status=AppointmentStatus.PENDING).order_by("pk")
    assert EstimatedCountPaginator(filtered, 100).count == 0

    monkeypatch.setattr("accounts.admin_base.table_row_estimate", lambda model, using: 10)
    assert EstimatedCountPaginator(Appointment.objects.order_by("pk"), 100).count == 0


def test_a_long_doctor_filter_becomes_a_search_box(staff_client, staff, monkeypatch):
    monkeypatch.setattr("accounts.admin_base.RelatedRowsFieldListFilter.CHOICES_SHOWN", 3)
    for number in range(5):
        _add_round(number, staff)
    doctors = list(
        Appointment.objects.select_related("doctor__user")
        .order_by("pk")
        .values_list("doctor__user__full_name", "doctor_id")
    )
    url = reverse("admin:appointments_appointment_changelist")

    page = staff_client.get(url, {"status__exact": "pending"}).content.decode()
    assert 'name="doctor__q"' in page
    assert "type part of a name to see the matching choices" in page
    assert "doctor__id__exact=" not in page  # no doctor listed until staff search
    assert '<input type="hidden" name="status__exact" value="pending">' in page

    name, doctor_id = doctors[-1]
    page = staff_client.get(url, {"doctor__q": name}).content.decode()
    assert f"doctor__id__exact={doctor_id}" in page
    others = [n for n, d in doctors if d != doctor_id and n not in name]
    assert others and not any(f"Dr. {n} (" in page for n in others)

    page = staff_client.get(url, {"doctor__q": "no such doctor anywhere"}).content.decode()
    assert "Nothing matches." in page

    # A chosen doctor stays listed (and selected) without a search.
    response = staff_client.get(url, {"doctor__id__exact": doctor_id})
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Dr. {name} (" in page
    assert 'class="selected"' in page

    count, _response = _queries(staff_client, url + f"?doctor__q={name[:3]}")
    assert count <= BUDGET


def test_the_row_checkbox_is_djangos_own_markup(staff):
    visit = AppointmentFactory()
    scaled = admin.site._registry[Appointment]
    plain = admin.ModelAdmin(Appointment, admin.site)
    assert scaled.action_checkbox(visit) == plain.action_checkbox(visit)
    assert f'value="{visit.pk}"' in scaled.action_checkbox(visit)
