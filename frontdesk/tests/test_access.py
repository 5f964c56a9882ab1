"""Every front desk page is for staff: patients and doctors are sent to the admin
sign-in like anyone who is not staff, anonymous visitors too."""

import pytest
from django.urls import reverse

from accounts.models import User
from frontdesk.models import VisitProgress

from .conftest import BOOK, DAY_SHEET, WALK_IN

pytestmark = pytest.mark.django_db


def _pages(appointment, patient):
    return [
        ("get", DAY_SHEET),
        ("get", BOOK),
        ("post", WALK_IN),
        ("get", reverse("admin:frontdesk_invite", args=[patient.pk])),
        ("post", reverse("admin:frontdesk_progress", args=[appointment.pk])),
        ("get", reverse("admin:frontdesk_reschedule", args=[appointment.pk])),
        ("get", reverse("admin:frontdesk_cancel", args=[appointment.pk])),
    ]


def test_staff_open_every_front_desk_page(staff_client, pending, walk_in):
    for method, url in _pages(pending, walk_in):
        response = getattr(staff_client, method)(url)
        assert response.status_code in (200, 302, 400), (url, response.status_code)
        if method == "get":
            assert response.status_code == 200, url


@pytest.mark.parametrize("who", ["patient_a", "doctor", "unverified_doctor", "anonymous"])
def test_everyone_else_is_refused_and_nothing_changes(
    request, client, login, who, pending, walk_in
):
    if who == "anonymous":
        browser = client
    else:
        person = request.getfixturevalue(who)
        browser = login(getattr(person, "user", person))
    data = {"state": "arrived", "full_name": "Xavier Young", "phone": "+91 98450 22222"}
    for method, url in _pages(pending, walk_in):
        response = getattr(browser, method)(url, data)
        if who == "anonymous":
            assert response.status_code == 302, (who, url)
            assert "/login/" in response["Location"]
        else:  # signed in but not staff: the 404 of any page they may not reach
            assert response.status_code == 404, (who, url)
    assert not VisitProgress.objects.exists()
    assert not User.objects.filter(full_name="Xavier Young").exists()
