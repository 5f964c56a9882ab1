"""Seeded calendars: every verified doctor's appointments, past and future, in every
status, each with its history; completed visits get their clinical and billing rows.
How the sampling keeps visits from overlapping: see the package docstring."""

import bisect
import datetime as dt
import secrets
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.core.management.base import CommandError
from django.db import connection, transaction

from appointments.models import Appointment, AppointmentEvent, AppointmentStatus, Mode, ModeOffer

from . import billing, clinical
from .schedules import CONSULTATION, FOLLOW_UP, TEMPLATES, VISIT_TYPES
from .writer import next_id

S = AppointmentStatus
APPOINTMENT_CHUNK = 50_000

# Final statuses and their weights, for visits that already happened and to come.
PAST_STATUSES = [(S.COMPLETED, 75), (S.NO_SHOW, 7), (S.CANCELLED, 13), (S.DECLINED, 5)]
FUTURE_STATUSES = [(S.CONFIRMED, 55), (S.PENDING, 27), (S.CANCELLED, 14), (S.DECLINED, 4)]
FUTURE_SHARE = 0.25  # of each doctor's visits, in the days to come

CANCEL_REASONS = ["Feeling better", "Travelling", "Clash with work", "Booked by mistake"]
DECLINE_REASONS = ["Not my specialty", "Please book a longer visit", "Clinic closed that day"]

APPOINTMENT_COLUMNS = [
    "id",
    "doctor_id",
    "patient_id",
    "visit_type_id",
    "start",
    "end",
    "blocked_start",
    "blocked_end",
    "mode",
    "location",
    "reason",
    "status",
    "status_reason",
    "video_room",
    "sequence",
    "created_by_id",
    "created_at",
    "updated_at",
]
EVENT_COLUMNS = [
    "id",
    "appointment_id",
    "actor_id",
    "from_status",
    "to_status",
    "from_start",
    "to_start",
    "reason",
    "created_at",
]


def seed_calendars(run, *, total, past_days, future_days):
    """About `total` appointments spread over the verified doctors, written a chunk of
    doctors at a time. Returns how many fewer than asked found room in the windows."""
    if not run.doctors or total == 0:
        return 0
    return _Calendars(run, past_days, future_days).seed(total)


class _Calendars:
    """The calendars of one run: the next keys, each template's grid of starts, and the
    active intervals of every patient drawn so far."""

    def __init__(self, run, past_days, future_days):
        self.run, self.rng, self.now = run, run.rng, run.now
        self.past_days, self.future_days = past_days, future_days
        self.candidate_cache = {}
        self.candidate_starts = {}
        self.patient_busy = defaultdict(list)  # patient -> active [(start, end)]
        self.ids = {
            m: next_id(m)
            for m in (Appointment, AppointmentEvent, *clinical.VISIT_MODELS, *billing.VISIT_MODELS)
        }
        self.short = 0

    def seed(self, total):
        doctors = self.run.doctors
        per_doctor, extra = divmod(total, len(doctors))
        chunk = max(1, APPOINTMENT_CHUNK // max(per_doctor, 1))
        for first in range(0, len(doctors), chunk):
            batch = doctors[first : first + chunk]
            rows = defaultdict(list)
            for offset, doctor in enumerate(batch):
                count = per_doctor + (1 if first + offset < extra else 0)
                self._doctor_calendar(doctor, count, rows)
            _write_chunk(self.run.writer, rows)
        return self.short

    def _candidates(self, template, tz_name, first_day, last_day):
        """Consultation-grid starts (UTC) of a template's windows between two local dates."""
        key = (template, tz_name, first_day, last_day)
        if key in self.candidate_cache:
            return self.candidate_cache[key]
        tz = ZoneInfo(tz_name)
        _name, minutes, after, *_ = VISIT_TYPES[CONSULTATION]
        pitch = dt.timedelta(minutes=minutes + after)
        duration = dt.timedelta(minutes=minutes)
        by_weekday = defaultdict(list)
        for weekdays, start, end, mode in TEMPLATES[template]:
            for day in weekdays:
                by_weekday[day].append((start, end, mode))
        found = []
        day = first_day
        while day <= last_day:
            for start, end, mode in by_weekday.get(day.weekday(), ()):
                wall = dt.datetime.combine(day, start)
                wall_end = dt.datetime.combine(day, end)
                while wall + duration <= wall_end:
                    local = wall.replace(tzinfo=tz)
                    utc = local.astimezone(dt.UTC)
                    # Skip wall times a daylight-saving change removes.
                    if utc.astimezone(tz).replace(tzinfo=None) == wall:
                        found.append((utc, mode))
                    wall += pitch
            day += dt.timedelta(days=1)
        found.sort(key=lambda candidate: candidate[0])
        self.candidate_cache[key] = found
        self.candidate_starts[id(found)] = [start for start, _mode in found]
        return found

    def _doctor_calendar(self, doctor, count, rows):
        rng, now = self.rng, self.now
        did, duid, tz_name, fee, template, address = doctor
        today = now.astimezone(ZoneInfo(tz_name)).date()
        candidates = self._candidates(
            template,
            tz_name,
            today - dt.timedelta(days=self.past_days),
            today + dt.timedelta(days=self.future_days),
        )
        # Candidates are in time order: cut at "now", leaving a margin either side.
        starts = self.candidate_starts[id(candidates)]
        past = candidates[: bisect.bisect_left(starts, now - dt.timedelta(hours=1))]
        future = candidates[bisect.bisect_right(starts, now + dt.timedelta(hours=3)) :]
        away = self.run.time_off.get(did)
        if away:
            future = [c for c in future if not (away[0] - dt.timedelta(hours=1) < c[0] < away[1])]
        want_future = min(len(future), round(count * FUTURE_SHARE))
        want_past = min(len(past), count - want_future)
        self.short += count - want_future - want_past
        picked = [(past[i], False) for i in sorted(rng.sample(range(len(past)), want_past))]
        picked += [(future[i], True) for i in sorted(rng.sample(range(len(future)), want_future))]
        for (start, window_mode), upcoming in picked:
            self._appointment(doctor, start, window_mode, upcoming, rows)

    def _patient_for(self, start, end, active):
        rng = self.rng
        for _ in range(20):
            patient = rng.choice(self.run.patient_ids)
            if not active:
                return patient
            busy = self.patient_busy[patient]
            if not any(s < end and start < e for s, e in busy):
                busy.append((start, end))
                return patient
        raise CommandError("Too few patients for this many upcoming visits: raise --patients.")

    def _appointment(self, doctor, start, window_mode, upcoming, rows):
        rng, now, ids = self.rng, self.now, self.ids
        did, duid, _tz, fee, _template, address = doctor
        kind = CONSULTATION if rng.random() < 0.7 else FOLLOW_UP
        vt_id, minutes, after, approval = self.run.visit_types[did][kind]
        end = start + dt.timedelta(minutes=minutes)
        status = self.run.weighted(FUTURE_STATUSES if upcoming else PAST_STATUSES)
        if status == S.DECLINED and not approval:
            status = S.CANCELLED  # only requests wait for an answer to decline
        if status == S.PENDING and not approval:
            status = S.CONFIRMED
        active = status in (S.PENDING, S.CONFIRMED)
        patient = self._patient_for(start, end, active)
        if window_mode == ModeOffer.BOTH:
            mode = Mode.ONLINE if rng.random() < 0.3 else Mode.IN_PERSON
        else:
            mode = window_mode
        online = mode == Mode.ONLINE
        created = min(start - dt.timedelta(days=rng.randint(1, 30), hours=rng.randint(0, 12)), now)
        created -= dt.timedelta(minutes=1)
        steps, reason = self._history(status, approval, patient, duid, created, end)
        updated = min(max(step[3] for step in steps), now)

        aid = ids[Appointment]
        ids[Appointment] += 1
        rows[Appointment].append(
            (aid, did, patient, vt_id, start, end, start, end + dt.timedelta(minutes=after))
            + (mode, "" if online else address, "", status, reason)
            + (secrets.token_urlsafe(24) if online else None, 0, patient, created, updated)
        )
        for from_status, to_status, actor, when, why in steps:
            rows[AppointmentEvent].append(
                (ids[AppointmentEvent], aid, actor, from_status, to_status, None, start, why)
                + (min(when, now),)
            )
            ids[AppointmentEvent] += 1
        if status == S.COMPLETED:
            self._completed(aid, did, duid, patient, end, fee, rows)

    def _history(self, status, approval, patient, duid, created, end):
        """The visit's steps, created then each change to the final status, as
        (from, to, actor, when, reason); and the reason of the final status."""
        rng = self.rng
        first = S.PENDING if approval else S.CONFIRMED
        steps = [("", first, patient, created, "")]
        answered = created + dt.timedelta(hours=rng.randint(1, 20))
        reason = ""
        if status == S.DECLINED:
            reason = rng.choice(DECLINE_REASONS)
            steps.append((first, S.DECLINED, duid, answered, reason))
        elif status in (S.CONFIRMED, S.COMPLETED, S.NO_SHOW) and first == S.PENDING:
            steps.append((S.PENDING, S.CONFIRMED, duid, answered, ""))
        if status == S.CANCELLED:
            reason = rng.choice(CANCEL_REASONS)
            steps.append((first, S.CANCELLED, patient, answered, reason))
        elif status in (S.COMPLETED, S.NO_SHOW):
            steps.append((S.CONFIRMED, status, duid, end + dt.timedelta(minutes=15), ""))
        return steps, reason

    def _completed(self, aid, did, duid, patient, end, fee, rows):
        """A record, a prescription and an invoice for some completed visits."""
        signed = min(end + dt.timedelta(minutes=self.rng.randint(5, 90)), self.now)
        visit = {"appointment": aid, "doctor": did, "doctor_user": duid, "patient": patient}
        clinical.add_visit_rows(self.run, self.ids, rows, **visit, signed=signed)
        billing.add_invoice_rows(self.run, self.ids, rows, **visit, fee=fee, issued=signed)


def _write_chunk(writer, rows):
    with transaction.atomic():
        if writer.may_skip_triggers():
            # Skips the per-row foreign key triggers of this chunk (a third of the
            # time); every key comes from rows written just before. Checks,
            # unique and exclusion constraints still apply.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        writer.write(Appointment, APPOINTMENT_COLUMNS, rows[Appointment])
        writer.write(AppointmentEvent, EVENT_COLUMNS, rows[AppointmentEvent])
        clinical.write_visit_rows(writer, rows)
        billing.write_invoice_rows(writer, rows)
