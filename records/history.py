"""Every write to a patient's medical history (conditions, allergies, medications).

The patient and their treating doctors edit it; each change is kept as a
HistoryChange row and audited in the same transaction.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from audit.models import AuditAction
from audit.services import audit_record
from patients.access import is_self, is_treating_doctor

from .models import Allergy, Condition, HistoryChange, HistoryKind, Medication

HISTORY_MODELS = {
    HistoryKind.CONDITION: Condition,
    HistoryKind.ALLERGY: Allergy,
    HistoryKind.MEDICATION: Medication,
}


def _json(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def _require_history_editor(actor, patient):
    if not (is_self(actor, patient.pk) or is_treating_doctor(actor, patient.pk)):
        raise PermissionDenied(_("Only the patient and their treating doctors edit the history."))


@transaction.atomic
def history_item_create(*, kind, patient, actor, request=None, **fields):
    _require_history_editor(actor, patient)
    model = HISTORY_MODELS[kind]
    item = model(
        patient=patient,
        recorded_by=actor,
        updated_by=actor,
        **{name: fields[name] for name in model.HISTORY_FIELDS if name in fields},
    )
    item.full_clean()
    item.save()
    HistoryChange.objects.create(
        patient=patient,
        kind=kind,
        item_id=item.pk,
        changed_by=actor,
        created=True,
        changes={name: _json(getattr(item, name)) for name in model.HISTORY_FIELDS},
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=item, patient=patient, request=request)
    return item


@transaction.atomic
def history_item_update(*, item, actor, request=None, **fields):
    model = type(item)
    item = model.objects.select_for_update().select_related("patient").get(pk=item.pk)
    _require_history_editor(actor, item.patient)
    changes = {}
    for name in model.HISTORY_FIELDS:
        if name in fields and getattr(item, name) != fields[name]:
            changes[name] = [_json(getattr(item, name)), _json(fields[name])]
            setattr(item, name, fields[name])
    if not changes:
        return item
    item.updated_by = actor
    item.full_clean()
    item.save(update_fields=[*changes, "updated_by", "updated_at"])
    kind = next(k for k, m in HISTORY_MODELS.items() if m is model)
    HistoryChange.objects.create(
        patient=item.patient, kind=kind, item_id=item.pk, changed_by=actor, changes=changes
    )
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        obj=item,
        patient=item.patient,
        detail=", ".join(changes),
        request=request,
    )
    return item
