"""The database refuses overlapping active appointments.

PostgreSQL: exclusion constraints over time ranges (one per doctor, on the
blocked range with buffers; one per patient, on the visit itself).
SQLite: triggers that abort an insert or update that would overlap.
"""

from django.db import migrations

ACTIVE = "('pending', 'confirmed')"

POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    f"""ALTER TABLE appointments_appointment
        ADD CONSTRAINT appointments_appointment_doctor_no_overlap
        EXCLUDE USING gist (
            doctor_id WITH =,
            tstzrange(blocked_start, blocked_end, '[)') WITH &&
        ) WHERE (status IN {ACTIVE})""",
    f"""ALTER TABLE appointments_appointment
        ADD CONSTRAINT appointments_appointment_patient_no_overlap
        EXCLUDE USING gist (
            patient_id WITH =,
            tstzrange(start, "end", '[)') WITH &&
        ) WHERE (status IN {ACTIVE})""",
]
POSTGRES_DOWN = [
    "ALTER TABLE appointments_appointment DROP CONSTRAINT IF EXISTS "
    "appointments_appointment_doctor_no_overlap",
    "ALTER TABLE appointments_appointment DROP CONSTRAINT IF EXISTS "
    "appointments_appointment_patient_no_overlap",
]


def _sqlite_trigger(name, when):
    # SQLite stores these datetimes as ISO text in UTC, so text comparison orders them.
    return f"""
        CREATE TRIGGER {name}
        BEFORE {when} ON appointments_appointment
        WHEN NEW.status IN {ACTIVE}
        BEGIN
            SELECT RAISE(ABORT, 'appointments_appointment_doctor_no_overlap')
            WHERE EXISTS (
                SELECT 1 FROM appointments_appointment a
                WHERE a.doctor_id = NEW.doctor_id
                  AND a.id IS NOT NEW.id
                  AND a.status IN {ACTIVE}
                  AND a.blocked_start < NEW.blocked_end
                  AND NEW.blocked_start < a.blocked_end
            );
            SELECT RAISE(ABORT, 'appointments_appointment_patient_no_overlap')
            WHERE EXISTS (
                SELECT 1 FROM appointments_appointment a
                WHERE a.patient_id = NEW.patient_id
                  AND a.id IS NOT NEW.id
                  AND a.status IN {ACTIVE}
                  AND a.start < NEW."end"
                  AND NEW.start < a."end"
            );
        END
    """


SQLITE_UP = [
    _sqlite_trigger("appointments_no_overlap_insert", "INSERT"),
    _sqlite_trigger("appointments_no_overlap_update", "UPDATE"),
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS appointments_no_overlap_insert",
    "DROP TRIGGER IF EXISTS appointments_no_overlap_update",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("appointments", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_UP, "sqlite": SQLITE_UP}),
            _run({"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN}),
        )
    ]
