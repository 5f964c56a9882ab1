"""Who may see an export: only the person who asked for it. Everyone else gets the
audited 404, as for any object of a patient."""

from django.http import Http404

from audit.services import audit_denied

from .models import Export


def get_export_for_user(request, export_id):
    export = Export.objects.select_related("patient").filter(pk=export_id).first()
    user = request.user
    if export is None or not user.is_authenticated or export.requested_by_id != user.pk:
        audit_denied(
            request=request,
            object_type="exports.export",
            object_id=str(export_id),
            patient=export.patient if export is not None else None,
        )
        raise Http404("No such export.")
    return export
