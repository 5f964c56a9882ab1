"""The scheduled jobs and the recount command."""

import datetime as dt

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from analytics.models import DayRollup
from analytics.tasks import generate_monthly_reports, rollup_catch_up
from operations.schedule import periodic_jobs

from .factories import visit, window


def test_the_jobs_are_registered_hourly():
    jobs = {job.name: job for job in periodic_jobs()}
    assert jobs["analytics-rollup-catch-up"].task == "analytics.tasks.rollup_catch_up"
    assert jobs["analytics-monthly-reports"].task == "analytics.tasks.generate_monthly_reports"
    assert jobs["analytics-monthly-reports"].seconds == 3600
    assert "analytics-monthly-reports" in settings.MEDCONNECT_PERIODIC_JOBS


def test_the_catch_up_counts_today_even_without_bookings(doctor):
    today = timezone.now().astimezone(doctor.tz).date()
    window(doctor, today.weekday())
    rollup_catch_up.enqueue()
    row = DayRollup.objects.get(doctor=doctor, day=today, mode="")
    assert row.minutes_offered == 240


def test_the_monthly_job_runs(doctor):
    result = generate_monthly_reports.enqueue()
    assert result.return_value["made"] in (0, 1)


def test_the_recount_command(doctor, capsys):
    yesterday = timezone.now().astimezone(doctor.tz) - dt.timedelta(days=1)
    visit(doctor, yesterday.replace(hour=9, minute=0, second=0, microsecond=0, tzinfo=None))
    call_command("analytics_rollup", "--days", "3", "--dry-run")
    assert "Would recount" in capsys.readouterr().out
    assert not DayRollup.objects.exists()
    call_command("analytics_rollup", "--days", "3")
    assert "Recounted 1 doctors" in capsys.readouterr().out
    assert DayRollup.objects.filter(doctor=doctor, completed=1).exists()
