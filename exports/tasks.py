"""Export background work: the services enqueue these and the tasks run the services
(each module imports the other as a module)."""

from django_tasks import task

from . import services


@task()
def run_export(export_id):
    return str(services.export_run(export_id=export_id))


@task()
def audit_export_download(export_id):
    services.export_audit_download(export_id=export_id)


@task()
def expire_exports():
    """The periodic sweep (MEDCONNECT_PERIODIC_JOBS): files past their window go."""
    return services.export_expire_due()
