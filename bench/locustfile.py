"""Locust scenarios for `make bench` (bench/run.py starts one headless run per scenario).

Environment:
- BENCH_FIXTURES: JSON written by bench/fixtures.py (sessions, doctors, free slots to book).
- BENCH_SCENARIO: which page every simulated user requests, back to back (no think
  time: a closed loop measuring the server's throughput at N connections); "mixed"
  for every page at once (searches with varied filters, many doctors' pages, patient
  and doctor pages, the API and bookings), also used by the database-restart run.
  A name ending in "_nocache" requests the same page (the server runs without the
  page cache then).
- BENCH_BOOKING_START: index of the first free slot this run may book; each booking
  POST takes the next slot, so no two requests ask for the same one.
- BENCH_BOOKING_NEXT: if set, the index after the last slot handed out is written
  there when the run ends (the next run's start).
- BENCH_REQUEST_LOG: if set, every request is appended there (time, name, status, ok).
"""

import csv
import datetime as dt
import json
import os
import random
import time
from urllib.parse import urlencode

from locust import FastHttpUser, constant, events, task
from locust.exception import StopUser

with open(os.environ["BENCH_FIXTURES"]) as _fixtures:
    FIXTURES = json.load(_fixtures)
SCENARIO = os.environ.get("BENCH_SCENARIO", "home")
SLOTS = FIXTURES["booking"]
_next_slot = int(os.environ.get("BENCH_BOOKING_START", "0"))

_log_path = os.environ.get("BENCH_REQUEST_LOG")
_log_file = open(_log_path, "a", newline="") if _log_path else None  # noqa: SIM115
_log = csv.writer(_log_file) if _log_file else None


@events.request.add_listener
def _log_request(request_type, name, response_time, response, exception, **kwargs):
    if _log is not None:
        status = getattr(response, "status_code", 0) or 0
        _log.writerow([f"{time.time():.3f}", name, status, int(exception is None)])


@events.quitting.add_listener
def _close_log(**kwargs):
    if _log_file is not None:
        _log_file.close()
    # The next run starts after every slot this one handed out, answered or not.
    if os.environ.get("BENCH_BOOKING_NEXT"):
        with open(os.environ["BENCH_BOOKING_NEXT"], "w") as out:
            out.write(str(_next_slot))


def _take_slot():
    global _next_slot
    if _next_slot >= len(SLOTS):
        return None
    slot = SLOTS[_next_slot]
    _next_slot += 1
    return slot


def _cookie(session_key):
    token = FIXTURES["csrf_token"]
    return {"Cookie": f"sessionid={session_key}; csrftoken={token}"}


class BenchUser(FastHttpUser):
    wait_time = constant(0)
    connection_timeout = 30.0
    network_timeout = 30.0

    def _get(self, url, name, headers=None):
        # A redirect (to the sign-in page, say) is a failure, not the page measured.
        with self.client.get(
            url, name=name, headers=headers, catch_response=True, allow_redirects=False
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")

    def ceiling(self):
        self._get("/bench/ceiling/", "ceiling")

    def bare(self):
        self._get("/bench/bare/", "bare")

    def login(self):
        self._get("/accounts/login/", "login")

    def appointments(self):
        session = random.choice(FIXTURES["patient_sessions"])
        self._get("/appointments/", "appointments", _cookie(session))

    def doctor_dashboard(self):
        session = random.choice(FIXTURES["doctor_sessions"])
        self._get("/doctor/dashboard/", "doctor_dashboard", _cookie(session))

    def admin_appointments(self):
        query = random.choice(["", "?status__exact=confirmed", "?start__year=2026"])
        session = random.choice(FIXTURES["staff_sessions"])
        self._get(
            f"/admin/appointments/appointment/{query}", "admin_appointments", _cookie(session)
        )

    def home(self):
        self._get("/", "home")

    def search(self):
        filters = random.choice(FIXTURES["searches"])
        self._get("/find-a-doctor/?" + urlencode(filters), "search")

    def doctor_page(self):
        self._get(f"/find-a-doctor/{random.choice(FIXTURES['doctors'])}/", "doctor_page")

    def dashboard(self):
        self._get("/patient/", "dashboard", _cookie(random.choice(FIXTURES["patient_sessions"])))

    def agenda(self):
        query = random.choice(["", "?view=week"])
        session = random.choice(FIXTURES["doctor_sessions"])
        self._get(f"/schedule/{query}", "agenda", _cookie(session))

    def clinic_dashboard(self):
        # The staff dashboard over the last 30 or 365 days (run `manage.py
        # analytics_rollup` after seeding so the rollups hold the seeded visits).
        days = random.choice([30, 365])
        end = dt.date.today()
        query = urlencode({"start": end - dt.timedelta(days=days - 1), "end": end})
        session = random.choice(FIXTURES["staff_sessions"])
        self._get(
            f"/admin/analytics/analyticsdashboard/?{query}",
            f"clinic_dashboard_{days}",
            _cookie(session),
        )

    def api_search(self):
        filters = random.choice(FIXTURES["api_searches"])
        self._get("/api/v1/doctors/?" + urlencode(filters), "api_search")

    def api_slots(self):
        self._get(f"/api/v1/doctors/{random.choice(FIXTURES['doctors'])}/slots/", "api_slots")

    def book(self):
        slot = _take_slot()
        if slot is None:
            raise StopUser()
        query = urlencode(
            {"doctor": slot["doctor"], "visit_type": slot["visit_type"], "start": slot["start"]}
        )
        body = {"mode": slot["mode"], "reason": "", "csrfmiddlewaretoken": FIXTURES["csrf_token"]}
        with self.client.post(
            "/book/?" + query,
            data=urlencode(body),
            headers={
                **_cookie(slot["session"]),
                "Content-Type": "application/x-www-form-urlencoded",
            },
            name="book",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            # Success is the redirect to the new appointment's page.
            location = response.headers.get("Location", "") if response.headers else ""
            if response.status_code != 302 or "/appointments/" not in location:
                response.failure(f"HTTP {response.status_code}")

    def mixed(self):
        # Roughly what a clinic's traffic looks like: mostly people finding a doctor.
        pages = [
            (self.search, 6),
            (self.doctor_page, 6),
            (self.api_search, 2),
            (self.api_slots, 2),
            (self.dashboard, 2),
            (self.appointments, 1),
            (self.agenda, 1),
            (self.doctor_dashboard, 1),
            (self.book, 2),
        ]
        random.choices([page for page, _ in pages], weights=[w for _, w in pages])[0]()

    @task
    def request(self):
        getattr(self, SCENARIO.removesuffix("_nocache"))()
