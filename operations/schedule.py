"""Periodic job declarations (settings.MEDCONNECT_PERIODIC_JOBS) and their periods.

A period is named by the moment its run fell due: the latest such moment not after
now. A scheduler that was down catches up with one run, not with every missed one.
"""

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

CALENDAR = ("daily", "weekly", "monthly")
_INTERVAL = re.compile(r"^(\d+)([smhd]?)$")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Job:
    name: str
    task: str
    every: str
    at: dt.time = dt.time(0, 0)
    seconds: int = 0

    def due_moment(self, now):
        """The moment the current period's run fell due (the latest one ≤ now)."""
        if self.seconds:
            elapsed = int((now - EPOCH).total_seconds())
            return EPOCH + dt.timedelta(seconds=elapsed - elapsed % self.seconds)
        local = now.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE))
        candidate = _period_start(self.every, local.date())
        moment = _at(candidate, self.at, local.tzinfo)
        if moment > now:
            moment = _at(
                _period_start(self.every, candidate - dt.timedelta(days=1)), self.at, local.tzinfo
            )
        return moment.astimezone(dt.UTC)


def _period_start(every, day):
    if every == "weekly":
        return day - dt.timedelta(days=day.weekday())
    if every == "monthly":
        return day.replace(day=1)
    return day


def _at(day, at, tz):
    return dt.datetime.combine(day, at, tzinfo=tz)


def _parse_every(name, every):
    if isinstance(every, int) and every > 0:
        return str(every), every
    text = str(every).strip().lower()
    if text in CALENDAR:
        return text, 0
    match = _INTERVAL.match(text)
    if not match or int(match[1]) == 0:
        raise ImproperlyConfigured(
            f"Periodic job {name!r}: every must be seconds, '5m', '2h', 'daily', 'weekly' "
            f"or 'monthly', not {every!r}."
        )
    return text, int(match[1]) * _UNIT_SECONDS[match[2]]


def _parse_at(name, at):
    try:
        return dt.time.fromisoformat(at)
    except (TypeError, ValueError) as exc:
        raise ImproperlyConfigured(
            f"Periodic job {name!r}: at must be 'HH:MM', not {at!r}."
        ) from exc


def parse_job(name, declaration):
    if isinstance(declaration, dict):
        declaration = (declaration["task"], declaration["every"], declaration.get("at"))
    task, every, *rest = declaration
    at = rest[0] if rest and rest[0] else None
    every_text, seconds = _parse_every(name, every)
    if at is not None and seconds:
        raise ImproperlyConfigured(f"Periodic job {name!r}: at applies to daily/weekly/monthly.")
    return Job(
        name=name,
        task=task,
        every=every_text,
        at=_parse_at(name, at) if at else dt.time(0, 0),
        seconds=seconds,
    )


def periodic_jobs():
    return [parse_job(name, decl) for name, decl in settings.MEDCONNECT_PERIODIC_JOBS.items()]


def job_named(name):
    for job in periodic_jobs():
        if job.name == name:
            return job
    return None
