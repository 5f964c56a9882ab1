"""Reads of the front desk, each with a fixed number of queries."""

import zoneinfo
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q

from accounts.models import Role
from appointments.models import ACTIVE_STATUSES, Appointment, AppointmentKind, AppointmentStatus
from appointments.selectors import local_day_bounds
from availability.selectors import free_slots_by_day
from doctors.models import DoctorProfile

PATIENT_SEARCH_LIMIT = 20
# The day sheet's grid: one row per quarter hour, at least 08:00 to 18:00.
ROW_MINUTES = 15
DAY_OPENS, DAY_CLOSES = time(8, 0), time(18, 0)
# What the sheet shows: visits that hold or held a patient's time.
SHEET_STATUSES = (*ACTIVE_STATUSES, AppointmentStatus.COMPLETED, AppointmentStatus.NO_SHOW)


def clinic_tz():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def patient_search(query):
    """Patients whose name, email or phone contains the query, at most 20."""
    query = " ".join((query or "").split())
    if len(query) < 2:
        return []
    digits = "".join(ch for ch in query if ch.isdigit())
    match = Q(full_name__icontains=query) | Q(email__icontains=query)
    if len(digits) >= 4:
        match |= Q(patient_profile__phone__icontains=digits)
        match |= Q(patient_profile__phone__icontains=query)
    return list(
        get_user_model()
        .objects.filter(role=Role.PATIENT, is_active=True)
        .filter(match)
        .select_related("patient_profile")
        .order_by("full_name", "pk")[:PATIENT_SEARCH_LIMIT]
    )


def bookable_visit_types():
    """(doctor, [visit types]) of every verified doctor, for the booking form."""
    doctors = list(
        DoctorProfile.objects.verified()
        .select_related("user")
        .prefetch_related("visit_types")
        .order_by("user__full_name", "pk")
    )
    return [
        (doctor, [vt for vt in doctor.visit_types.all() if vt.is_active and not vt.for_colleagues])
        for doctor in doctors
    ]


def desk_free_slots(*, doctor, visit_type, day, now, exclude=None):
    """The free slots of one local day of the doctor, from the stored availability: the one
    place the desk reads free time."""
    return free_slots_by_day(
        doctor=doctor,
        visit_type=visit_type,
        start_date=day,
        end_date=day,
        now=now,
        exclude=exclude,
    ).get(day, [])


@dataclass
class SheetVisit:
    appointment: Appointment
    row: int
    span: int
    start: datetime
    end: datetime
    progress: str = ""


@dataclass
class SheetCell:
    """One table cell of a doctor's column: the visits in it and the rows it spans."""

    row: int
    span: int
    visits: list = field(default_factory=list)


@dataclass
class DaySheet:
    day: object
    tz: object
    doctors: list
    rows: list  # (local time, [SheetCell or None for an empty cell, ...]) per quarter hour
    visit_count: int = 0


def _progress(appointment):
    try:
        return appointment.desk_progress.state
    except Appointment.desk_progress.RelatedObjectDoesNotExist:
        return ""


def _column_cells(visits):
    """A doctor's visits as table cells; visits that overlap share one cell."""
    cells = []
    for visit in visits:
        last = cells[-1] if cells else None
        if last is not None and visit.row < last.row + last.span:
            last.visits.append(visit)
            last.span = max(last.span, visit.row + visit.span - last.row)
        else:
            cells.append(SheetCell(row=visit.row, span=visit.span, visits=[visit]))
    return {cell.row: cell for cell in cells}


def _grid_bounds(day, tz, local):
    opens = datetime.combine(day, DAY_OPENS, tzinfo=tz)
    closes = datetime.combine(day, DAY_CLOSES, tzinfo=tz)
    first = min([opens, *(start for _a, start, _e in local)])
    last = max([closes, *(end for _a, _s, end in local)])
    first = first.replace(minute=first.minute - first.minute % ROW_MINUTES, second=0)
    return first, last


def day_sheet(*, day):
    """Every doctor's visits of one clinic day as a quarter-hour table: doctors with
    visits that day or weekly hours on that weekday are the columns. Two queries."""
    tz = clinic_tz()
    start, end = local_day_bounds(day, tz)
    appointments = list(
        Appointment.objects.filter(start__gte=start, start__lt=end, status__in=SHEET_STATUSES)
        .exclude(kind=AppointmentKind.COLLEAGUE)  # doctors' case discussions: no patient arrives
        .select_related("doctor__user", "patient__patient_profile", "visit_type", "desk_progress")
        .order_by("start", "pk")
    )
    working = DoctorProfile.objects.verified().filter(availability_rules__weekday=day.weekday())
    doctors = list(
        DoctorProfile.objects.filter(
            Q(pk__in={a.doctor_id for a in appointments}) | Q(pk__in=working.values("pk"))
        )
        .select_related("user")
        .order_by("user__full_name", "pk")
    )
    local = [(a, a.start.astimezone(tz), a.end.astimezone(tz)) for a in appointments]
    first, last = _grid_bounds(day, tz, local)
    step = timedelta(minutes=ROW_MINUTES)
    by_doctor = {doctor.pk: [] for doctor in doctors}
    for appointment, local_start, local_end in local:
        seconds = int((local_end - local_start).total_seconds())
        by_doctor[appointment.doctor_id].append(
            SheetVisit(
                appointment=appointment,
                row=int((local_start - first) / step),
                span=max(1, -(-seconds // (ROW_MINUTES * 60))),
                start=local_start,
                end=local_end,
                progress=_progress(appointment),
            )
        )
    columns = [_column_cells(by_doctor[doctor.pk]) for doctor in doctors]
    covered = [set() for _ in doctors]
    rows, row, moment = [], 0, first
    while moment < last or any(row in c for c in covered):
        cells = []
        for index, column in enumerate(columns):
            if row in covered[index]:
                continue  # inside a cell that spans from above
            cell = column.get(row)
            if cell is not None:
                covered[index].update(range(row + 1, row + cell.span))
            cells.append(cell)
        rows.append((moment, cells))
        row, moment = row + 1, moment + step
    return DaySheet(day=day, tz=tz, doctors=doctors, rows=rows, visit_count=len(appointments))
