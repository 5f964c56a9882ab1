"""The API's doctor search takes a weekday as a number or a name; a wrong value lists
the valid ones."""

import pytest
from django.urls import reverse

from appointments.models import Weekday
from appointments.tests.factories import AvailabilityRuleFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("day", ["0", "monday", "Monday", "MON", "mon"])
def test_day_is_a_number_or_a_weekday_name(api, doctor, other_doctor, day):
    AvailabilityRuleFactory(doctor=doctor, weekday=Weekday.MONDAY)
    AvailabilityRuleFactory(doctor=other_doctor, weekday=Weekday.SATURDAY)

    response = api().get(reverse("api:doctors"), {"day": day})

    assert response.status_code == 200
    assert [d["name"] for d in response.json()["results"]] == ["Dr. Ravi Treating"]


@pytest.mark.parametrize("day", ["7", "funday", "-1"])
def test_an_invalid_day_lists_the_valid_ones(api, day):
    response = api().get(reverse("api:doctors"), {"day": day})

    assert response.status_code == 400
    message = response.json()["errors"]["day"][0]
    assert f'"{day}" is not a weekday' in message
    assert "0 (Monday) to 6 (Sunday)" in message and "wednesday" in message
