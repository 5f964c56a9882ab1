"""Background work of the availability: rolling the stored days forward."""

from django_tasks import task

from . import materialize


@task()
def roll_forward():
    """Run by the scheduler every few minutes; safe to run twice at once (each doctor is
    locked, skipped if another run holds it, and brought to the same state)."""
    rolled, built = materialize.roll_forward()
    return {"rolled": rolled, "built": built}
