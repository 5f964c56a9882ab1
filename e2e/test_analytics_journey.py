"""Staff open the clinic dashboard from the Admin index, change the period, read a
chart's numbers as a table and download them as CSV."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import StaffFactory, enrol_totp
from analytics.rollups import rollup_rebuild
from analytics.tests.factories import visit, window
from appointments.models import AppointmentStatus
from doctors.tests.factories import DoctorFactory

from .accessibility import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def clinic():
    staff = StaffFactory(full_name="Meera Desk", email="desk@example.com")
    enrol_totp(staff)
    doctor = DoctorFactory(user__full_name="Ravi Menon")
    today = timezone.now().astimezone(doctor.tz).date()
    window(doctor, today.weekday())
    for n in range(1, 11):
        day = dt.datetime.combine(today - dt.timedelta(days=n), dt.time(9, 0))
        visit(doctor, day)
        if n % 3 == 0:
            visit(doctor, day.replace(hour=10), status=AppointmentStatus.NO_SHOW)
    rollup_rebuild(doctor=doctor, first=today - dt.timedelta(days=60), last=today)
    return staff, today


def test_staff_read_the_dashboard_and_download_a_table(live_server, signed_in_page, clinic):
    staff, today = clinic
    page = signed_in_page(staff)
    page.goto(live_server.url + "/admin/")
    expect(page.get_by_text("The clinic at a glance")).to_be_visible()
    page.get_by_role("link", name="Open the clinic dashboard").click()
    expect(page.get_by_role("heading", name="Clinic dashboard", level=1)).to_be_visible()
    expect(page.get_by_test_id("fig-completed")).to_have_text("10")
    assert_accessible(page)

    # A week instead of thirty days.
    page.get_by_label("From", exact=True).fill((today - dt.timedelta(days=6)).isoformat())
    page.get_by_label("To", exact=True).fill(today.isoformat())
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_test_id("fig-completed")).to_have_text("6")

    chart = page.get_by_test_id("chart-appointments")
    chart.get_by_text("as a table").click()
    table = chart.get_by_role("table")
    expect(table).to_be_visible()
    expect(table.get_by_role("row")).to_have_count(8)  # header and seven days
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_test_id("csv-appointments").click()
    path = download.value.path()
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("Day,Completed")
    assert len(text.strip().splitlines()) == 8
