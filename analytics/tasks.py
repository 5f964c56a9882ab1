"""Background work of the analytics: run by the scheduler (MEDCONNECT_PERIODIC_JOBS)."""

from django_tasks import task

from . import receivers, services


@task()
def generate_monthly_reports():
    """Hourly: last month's report of each doctor whose local month has turned; each is
    claimed once, so two schedulers or workers never make one twice."""
    return {"made": services.generate_due_reports()}


@task()
def rollup_catch_up():
    """Hourly: recount yesterday and today of every doctor."""
    return {"doctors": services.rollup_catch_up()}


@task()
def recount_marked(marks):
    """After a change commits: recount the doctors' local days it touched."""
    receivers.recount(marks)
    return {"marks": len(marks)}
