"""Every write of a doctor's schedule settings: weekly windows, visit types and time
off. Each change tells the slot engine that the doctor's free slots changed."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appointments.models import AvailabilityRule, TimeOff, VisitType
from appointments.signals import slot_freed
from appointments.slots import schedule_changed
from audit.models import AuditAction
from audit.services import audit_record
from doctors.models import DoctorProfile


def _lock_doctor(doctor):
    # Two windows saved at once for one doctor queue here: each sees the other.
    return DoctorProfile.objects.select_for_update(of=("self",)).get(pk=doctor.pk)


# The fields of a visit type a doctor or staff may set, in form order.
VISIT_TYPE_FIELDS = (
    "name",
    "duration_minutes",
    "mode",
    "buffer_before_minutes",
    "buffer_after_minutes",
    "min_notice_minutes",
    "max_advance_days",
    "cancel_cutoff_hours",
    "reschedule_cutoff_hours",
    "requires_approval",
    "is_active",
    "for_colleagues",
)


def _own(obj, doctor):
    if obj.doctor_id != doctor.pk:
        raise PermissionDenied(_("This is not part of your schedule."))


def visit_type_save(*, doctor, visit_type=None, actor=None, request=None, **fields):
    """Create a visit type for a doctor, or change one of theirs."""
    unknown = set(fields) - set(VISIT_TYPE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown visit type fields: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        if visit_type is None:
            visit_type = VisitType(doctor=doctor)
        else:
            visit_type = VisitType.objects.select_for_update().get(pk=visit_type.pk)
            _own(visit_type, doctor)
        for name, value in fields.items():
            setattr(visit_type, name, value.strip() if name == "name" else value)
        duplicate = (
            VisitType.objects.filter(doctor=doctor, name__iexact=visit_type.name)
            .exclude(pk=visit_type.pk)
            .exists()
        )
        if duplicate:
            raise ValidationError(
                {
                    "name": _("You already have a visit type called “%(name)s”.")
                    % {"name": visit_type.name}
                }
            )
        creating = visit_type.pk is None
        visit_type.full_clean(validate_constraints=False)
        visit_type.save()
        schedule_changed(doctor.pk)
        audit_record(
            actor=actor or doctor.user,
            action=AuditAction.CREATE if creating else AuditAction.CHANGE,
            obj=visit_type,
            request=request,
        )
    return visit_type


def visit_type_deactivate(*, doctor, visit_type, actor=None, request=None):
    """Stop offering a visit type; booked visits of it stay as they are."""
    with transaction.atomic():
        visit_type = VisitType.objects.select_for_update().get(pk=visit_type.pk)
        _own(visit_type, doctor)
        if visit_type.is_active:
            visit_type.is_active = False
            visit_type.save(update_fields=["is_active"])
            schedule_changed(doctor.pk)
            audit_record(
                actor=actor or doctor.user,
                action=AuditAction.CHANGE,
                obj=visit_type,
                detail="deactivated",
                request=request,
            )
    return visit_type


def availability_rule_overlap(*, doctor, weekday, start_time, end_time, exclude_pk=None):
    """Another window of the doctor on that weekday that overlaps, or None."""
    others = AvailabilityRule.objects.filter(
        doctor=doctor, weekday=weekday, start_time__lt=end_time, end_time__gt=start_time
    )
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    return others.first()


def availability_rule_save(
    *,
    doctor,
    rule=None,
    weekday,
    start_time,
    end_time,
    mode,
    location="",
    actor=None,
    request=None,
):
    """Add or change a weekly window; windows of one weekday never overlap."""
    if start_time and end_time and end_time <= start_time:
        raise ValidationError({"end_time": _("The window must end after it starts.")})
    with transaction.atomic():
        # Two windows saved at once cannot both pass the overlap check.
        _lock_doctor(doctor)
        if rule is None:
            rule = AvailabilityRule(doctor=doctor)
        else:
            rule = AvailabilityRule.objects.select_for_update().get(pk=rule.pk)
            _own(rule, doctor)
        rule.weekday = weekday
        rule.start_time = start_time
        rule.end_time = end_time
        rule.mode = mode
        rule.location = (location or "").strip()
        rule.full_clean(validate_constraints=False)
        clash = availability_rule_overlap(
            doctor=doctor,
            weekday=weekday,
            start_time=start_time,
            end_time=end_time,
            exclude_pk=rule.pk,
        )
        if clash:
            raise ValidationError(
                _("This window overlaps your %(weekday)s window %(start)s–%(end)s.")
                % {
                    "weekday": clash.get_weekday_display(),
                    "start": f"{clash.start_time:%H:%M}",
                    "end": f"{clash.end_time:%H:%M}",
                }
            )
        creating = rule.pk is None
        rule.save()
        schedule_changed(doctor.pk)
        audit_record(
            actor=actor or doctor.user,
            action=AuditAction.CREATE if creating else AuditAction.CHANGE,
            obj=rule,
            request=request,
        )
    return rule


def availability_rule_delete(*, doctor, rule, actor=None, request=None):
    """Remove a weekly window; appointments already booked in it stay."""
    with transaction.atomic():
        rule = AvailabilityRule.objects.select_for_update().get(pk=rule.pk)
        _own(rule, doctor)
        audit_record(
            actor=actor or doctor.user,
            action=AuditAction.CHANGE,
            obj=rule,
            detail="deleted",
            request=request,
        )
        rule.delete()
        schedule_changed(doctor.pk)


def time_off_add(*, doctor, start, end, reason="", actor=None, request=None):
    """Block a period; appointments already booked in it stay until moved or cancelled."""
    if start is None or end is None:
        raise ValidationError(_("Give both the start and the end of the time off."))
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ValidationError(_("Times need a time zone."))
    if end <= start:
        raise ValidationError({"end": _("The time off must end after it starts.")})
    with transaction.atomic():
        time_off = TimeOff(doctor=doctor, start=start, end=end, reason=(reason or "").strip())
        time_off.full_clean(validate_constraints=False)
        time_off.save()
        schedule_changed(doctor.pk)
        audit_record(
            actor=actor or doctor.user, action=AuditAction.CREATE, obj=time_off, request=request
        )
    return time_off


def time_off_delete(*, doctor, time_off, actor=None, request=None):
    with transaction.atomic():
        time_off = TimeOff.objects.select_for_update().get(pk=time_off.pk)
        _own(time_off, doctor)
        audit_record(
            actor=actor or doctor.user,
            action=AuditAction.CHANGE,
            obj=time_off,
            detail="deleted",
            request=request,
        )
        slot_freed.send(sender=TimeOff, doctor=doctor, start=time_off.start, end=time_off.end)
        time_off.delete()
        schedule_changed(doctor.pk)
