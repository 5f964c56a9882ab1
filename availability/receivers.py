"""The availability follows every change of a doctor's schedule, inside its transaction."""

from . import materialize
from .models import DoctorAvailability


def follow_schedule(sender=None, *, doctor_id, taken=None, freed=None, **kwargs):
    """appointments.signals.schedule_changed: keep the free slots equal to the engine's."""
    if taken is None and freed is None:
        materialize.doctor_rebuild(doctor_id=doctor_id)
        return
    if taken is not None:
        materialize.slots_taken(doctor_id=doctor_id, start=taken[0], end=taken[1])
    if freed is not None:
        materialize.slots_freed(doctor_id=doctor_id, start=freed[0], end=freed[1])


def follow_time_zone(sender, instance, created=False, raw=False, update_fields=None, **kwargs):
    """A doctor's zone moves their wall-clock grid: lay it out again."""
    if raw or created or (update_fields is not None and "time_zone" not in update_fields):
        return
    laid_out = (
        DoctorAvailability.objects.filter(doctor_id=instance.pk)
        .values_list("time_zone", flat=True)
        .first()
    )
    if laid_out is not None and laid_out != instance.time_zone:
        materialize.doctor_rebuild(doctor_id=instance.pk)
