"""Job declarations and the moment each period falls due."""

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured

from operations.schedule import parse_job, periodic_jobs

UTC = dt.UTC


def at(*args):
    return dt.datetime(*args, tzinfo=UTC)


def test_every_registered_job_parses_and_names_a_real_task():
    from django.utils.module_loading import import_string

    names = {job.name: job for job in periodic_jobs()}
    assert {"reminder-sweep", "waitlist-offer-expiry", "backup", "worker-heartbeat"} <= set(names)
    for job in names.values():
        assert callable(import_string(job.task)) or hasattr(import_string(job.task), "call")


def test_an_interval_period_starts_on_its_multiple():
    job = parse_job("sweep", ("x.y", "5m"))
    assert job.due_moment(at(2026, 3, 1, 10, 7, 30)) == at(2026, 3, 1, 10, 5)
    assert job.due_moment(at(2026, 3, 1, 10, 10)) == at(2026, 3, 1, 10, 10)


def test_a_daily_job_falls_due_at_its_local_time(settings):
    settings.TIME_ZONE = "Asia/Kolkata"  # UTC+05:30
    job = parse_job("backup", ("x.y", "daily", "02:30"))
    # 02:30 in Kolkata is 21:00 UTC the day before.
    assert job.due_moment(at(2026, 3, 1, 20, 59)) == at(2026, 2, 28, 21, 0)
    assert job.due_moment(at(2026, 3, 1, 21, 0)) == at(2026, 3, 1, 21, 0)


def test_weekly_and_monthly_jobs(settings):
    settings.TIME_ZONE = "UTC"
    weekly = parse_job("w", {"task": "x.y", "every": "weekly", "at": "06:00"})
    monthly = parse_job("m", ("x.y", "monthly", "01:00"))
    # 2026-03-04 is a Wednesday: the week began on Monday 2 March.
    assert weekly.due_moment(at(2026, 3, 4, 12)) == at(2026, 3, 2, 6)
    assert weekly.due_moment(at(2026, 3, 2, 5)) == at(2026, 2, 23, 6)
    assert monthly.due_moment(at(2026, 3, 15)) == at(2026, 3, 1, 1)
    assert monthly.due_moment(at(2026, 3, 1, 0, 30)) == at(2026, 2, 1, 1)


def test_a_daylight_saving_zone_keeps_the_wall_clock_time(settings):
    settings.TIME_ZONE = "Europe/Berlin"
    job = parse_job("backup", ("x.y", "daily", "02:30"))
    # Winter: UTC+1; summer (from 29 March 2026): UTC+2.
    assert job.due_moment(at(2026, 3, 10, 12)) == at(2026, 3, 10, 1, 30)
    assert job.due_moment(at(2026, 4, 10, 12)) == at(2026, 4, 10, 0, 30)


@pytest.mark.parametrize(
    "declaration",
    [("x.y", "0m"), ("x.y", "fortnightly"), ("x.y", "daily", "25:00"), ("x.y", "5m", "02:00")],
)
def test_a_bad_declaration_is_refused_with_its_name(declaration):
    with pytest.raises(ImproperlyConfigured, match="'broken'"):
        parse_job("broken", declaration)
