from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run background tasks with the configured backend: db_worker for the database "
        "backend, rqworker (with its scheduler for delayed tasks) for the RQ backend."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=1.0, help="database backend: idle poll seconds"
        )
        parser.add_argument("--burst", action="store_true", help="Run what is queued, then exit.")
        parser.add_argument("--name", help="The worker's name in logs and heartbeats.")

    def handle(self, *args, interval=1.0, burst=False, name=None, **options):
        if settings.MEDCONNECT_TASKS_BACKEND == "rq":
            extra = {"name": name} if name else {}
            call_command(
                "rqworker",
                "default",
                job_class="operations.rq_backend.RQJob",
                with_scheduler=True,
                burst=burst,
                verbosity=options["verbosity"],
                **extra,
            )
            return
        extra = {"worker_id": name} if name else {}
        call_command(
            "db_worker", interval=interval, batch=burst, verbosity=options["verbosity"], **extra
        )
