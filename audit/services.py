from .models import AuditAction, AuditEvent


def _client_ip(request):
    # REMOTE_ADDR is what the server saw; a proxy's header is trusted only when
    # the deployment says so through SECURE_PROXY_SSL_HEADER.
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    actor,
    action,
    obj=None,
    object_type="",
    object_id="",
    patient=None,
    allowed=True,
    detail="",
    request=None,
):
    """Append one row to the audit trail and return it."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = str(obj)[:200]
    else:
        object_repr = ""
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    event = AuditEvent(
        actor=actor_obj,
        actor_label=(actor_obj.email if actor_obj else "anonymous")[:254],
        action=action,
        object_type=object_type[:64],
        object_id=str(object_id)[:64],
        object_repr=object_repr,
        patient=patient,
        allowed=allowed,
        detail=detail,
    )
    if request is not None:
        event.ip_address = _client_ip(request)
        event.user_agent = request.META.get("HTTP_USER_AGENT", "")[:300]
        event.path = request.get_full_path()[:300]
    event.save()
    return event


def audit_denied(*, request, object_type, object_id, patient=None, detail=""):
    """Record that someone asked for an object they may not see."""
    return audit_record(
        actor=request.user,
        action=AuditAction.DENY,
        object_type=object_type,
        object_id=object_id,
        patient=patient,
        allowed=False,
        detail=detail,
        request=request,
    )
