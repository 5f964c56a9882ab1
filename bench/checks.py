"""What the database must hold after the load: no overlapping active appointments,
a "created" history row for each, and as many bench bookings as were counted."""

ACTIVE = "('pending', 'confirmed')"


def db_checks(booking_patients=()):
    from django.db import connection

    checks = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT count(*) FROM appointments_appointment a
                JOIN appointments_appointment b
                  ON a.doctor_id = b.doctor_id AND a.id < b.id
                 AND a.blocked_start < b.blocked_end AND b.blocked_start < a.blocked_end
               WHERE a.status IN {ACTIVE} AND b.status IN {ACTIVE}"""  # noqa: S608
        )
        checks["doctor_overlaps"] = cursor.fetchone()[0]
        cursor.execute(
            f"""SELECT count(*) FROM appointments_appointment a
                JOIN appointments_appointment b
                  ON a.patient_id = b.patient_id AND a.id < b.id
                 AND a.start < b."end" AND b.start < a."end"
               WHERE a.status IN {ACTIVE} AND b.status IN {ACTIVE}"""  # noqa: S608
        )
        checks["patient_overlaps"] = cursor.fetchone()[0]
        cursor.execute(
            """SELECT count(*) FROM appointments_appointment a WHERE NOT EXISTS (
                 SELECT 1 FROM appointments_appointmentevent e
                  WHERE e.appointment_id = a.id AND e.from_status = '')"""
        )
        checks["appointments_without_created_event"] = cursor.fetchone()[0]
        if booking_patients:
            cursor.execute(
                "SELECT count(*) FROM appointments_appointment WHERE patient_id = ANY(%s)",
                [list(booking_patients)],
            )
            checks["bench_bookings_in_db"] = cursor.fetchone()[0]
            cursor.execute(
                """SELECT count(*) FROM (
                     SELECT doctor_id, start FROM appointments_appointment
                      WHERE patient_id = ANY(%s) GROUP BY doctor_id, start
                     HAVING count(*) > 1) d""",
                [list(booking_patients)],
            )
            checks["bench_double_bookings"] = cursor.fetchone()[0]
    return checks
