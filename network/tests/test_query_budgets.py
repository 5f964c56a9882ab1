"""Lists with many rows cost a fixed number of queries."""

import pytest
from django.urls import reverse
from django.utils import timezone

from appointments.models import AppointmentStatus
from appointments.tests.factories import bulk_appointments, bulk_doctors, count_queries
from network.models import ConnectionStatus, ConsentStatus
from network.models import ReferralStatus as RS
from patients.tests.factories import bulk_patients

from .factories import bulk_connections, bulk_referrals

pytestmark = pytest.mark.django_db


def _count(client, url, params=None):
    return count_queries(client, url, params)[0]


def test_referral_list_page_and_api(login, api, doctor, django_assert_num_queries):
    specialists = bulk_doctors(10, prefix="spec")
    patients = bulk_patients(10)
    bulk_referrals(
        referring_doctor=doctor,
        specialists=specialists,
        patients=patients,
        count=60,
        status=RS.SENT,
        consent_status=ConsentStatus.GIVEN,
        urgency="urgent",
        sent_at=timezone.now(),
    )
    client = login(doctor.user)
    expected = _count(client, reverse("network:referrals"))
    bulk_referrals(referring_doctor=doctor, specialists=specialists, patients=patients, count=60)
    with django_assert_num_queries(expected):
        page = client.get(reverse("network:referrals"))
    assert page.content.count(b'data-testid="referral-status"') == 25
    caller = api(doctor.user)
    caller.get("/api/v1/network/referrals/")
    expected_api = _count(caller, "/api/v1/network/referrals/")
    bulk_referrals(referring_doctor=doctor, specialists=specialists, patients=patients, count=30)
    with django_assert_num_queries(expected_api):
        assert len(caller.get("/api/v1/network/referrals/").json()["results"]) == 25


def test_connection_lists(login, api, doctor, django_assert_num_queries):
    colleagues = bulk_doctors(90, prefix="col")
    bulk_connections(doctor, colleagues[:10])
    bulk_connections(doctor, colleagues[10:20], status=ConnectionStatus.PENDING, received=True)
    bulk_connections(doctor, colleagues[20:30], status=ConnectionStatus.PENDING)
    client = login(doctor.user)
    expected = _count(client, reverse("network:connections"), {"q": "Doctor"})
    bulk_connections(doctor, colleagues[30:60])
    bulk_connections(doctor, colleagues[60:90], status=ConnectionStatus.PENDING, received=True)
    with django_assert_num_queries(expected):
        page = client.get(reverse("network:connections"), {"q": "Doctor"})
    assert page.content.count(b'data-testid="connection"') == 40
    assert page.content.count(b'data-testid="received-request"') == 40
    caller = api(doctor.user)
    expected_api = _count(caller, "/api/v1/network/connections/")
    with django_assert_num_queries(expected_api):
        caller.get("/api/v1/network/connections/")


def test_sharing_page(login, patient_a, django_assert_num_queries):
    doctors = bulk_doctors(40, prefix="tr")
    # The patient's visits never overlap: one hour apart.
    for n, d in enumerate(doctors[:20]):
        bulk_appointments(
            doctor=d,
            patients=[patient_a],
            count=1,
            first_start=timezone.now() - timezone.timedelta(hours=n + 1),
            step=timezone.timedelta(hours=1),
            status=AppointmentStatus.COMPLETED,
        )
    bulk_referrals(
        referring_doctor=doctors[0],
        specialists=doctors[20:],
        patients=[patient_a],
        count=20,
        status=RS.SENT,
        consent_status=ConsentStatus.GIVEN,
        sent_at=timezone.now(),
    )
    client = login(patient_a)
    expected = _count(client, reverse("network:sharing"))
    for n, d in enumerate(doctors[20:]):
        bulk_appointments(
            doctor=d,
            patients=[patient_a],
            count=1,
            first_start=timezone.now() + timezone.timedelta(days=1, hours=n),
            step=timezone.timedelta(hours=1),
        )
    with django_assert_num_queries(expected):
        page = client.get(reverse("network:sharing"))
    assert page.content.count(b"End this access now") == 20
    assert page.content.count(b"They see your whole record") == 40


def test_case_discussion_list_page_and_api(login, api, doctor, django_assert_num_queries):
    import datetime as dt

    from appointments.tests.factories import VisitTypeFactory

    from .factories import bulk_discussions

    requesters = bulk_doctors(10, prefix="req")
    talk = VisitTypeFactory(doctor=doctor, name="Case discussion", for_colleagues=True)
    first = timezone.now() + dt.timedelta(days=2)
    step = dt.timedelta(hours=1)
    bulk_discussions(
        host=doctor, visit_type=talk, requesters=requesters, count=30, first_start=first, step=step
    )
    client = login(doctor.user)
    url = reverse("network:discussions")
    expected = _count(client, url)
    bulk_discussions(
        host=doctor,
        visit_type=talk,
        requesters=requesters,
        count=60,
        first_start=first + 30 * step,
        step=step,
    )
    with django_assert_num_queries(expected):
        page = client.get(url)
    assert page.content.count(b'data-testid="discussion"') == 25
    caller = api(doctor.user)
    base = "/api/v1/network/discussions/"
    expected_api = _count(caller, base)
    bulk_discussions(
        host=doctor,
        visit_type=talk,
        requesters=requesters,
        count=30,
        first_start=first + 90 * step,
        step=step,
    )
    with django_assert_num_queries(expected_api):
        assert len(caller.get(base).json()["results"]) == 25
