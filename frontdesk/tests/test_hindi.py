"""The front desk's day sheet in Hindi for staff who read Hindi."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone, translation

from appointments.tests.factories import AppointmentFactory
from frontdesk.selectors import clinic_tz

from .conftest import DAY_SHEET

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _back_to_english():
    """A Hindi request leaves Hindi active in this thread; the next test starts in English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def test_the_day_sheet_in_hindi(staff, staff_client, doctor, patient_a):
    staff.language = "hi"
    staff.save(update_fields=["language"])
    day = timezone.now().astimezone(clinic_tz()).date() + dt.timedelta(days=1)
    AppointmentFactory(
        doctor=doctor,
        patient=patient_a,
        start=dt.datetime.combine(day, dt.time(10), tzinfo=clinic_tz()),
    )
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "hi"
    page = staff_client.get(DAY_SHEET, {"day": day.isoformat()}).content.decode()
    for hindi in ("दिन की सूची", "1 विज़िट।", "Asha Patient", "क्लिनिक के समय क्षेत्र"):
        assert hindi in page
    for english in ("Day sheet", "Times in the clinic's time zone"):
        assert english not in page
