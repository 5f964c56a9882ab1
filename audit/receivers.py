from .models import AuditAction
from .services import audit_record


def record_two_factor_removed(sender, *, user, actor, reason, request=None, **kwargs):
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        obj=user,
        object_type="mfa.authenticator",
        detail=f"Two-factor authentication removed. Reason: {reason}",
        request=request,
    )
