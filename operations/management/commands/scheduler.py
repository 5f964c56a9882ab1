import logging
import signal
import threading

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections

from operations.schedule import periodic_jobs
from operations.scheduler import process_name, scheduler_tick

logger = logging.getLogger("medconnect.scheduler")


class Command(BaseCommand):
    help = (
        "Run the periodic jobs of MEDCONNECT_PERIODIC_JOBS: each period of each job is "
        "queued once, however many schedulers run on however many nodes. Runs until "
        "stopped; --once ticks once (for cron or a test)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One tick, then exit.")
        parser.add_argument("--interval", type=float, help="Seconds between ticks.")
        parser.add_argument(
            "--dry-run", action="store_true", help="List the jobs and their current periods."
        )

    def handle(self, *args, once=False, interval=None, dry_run=False, **options):
        from django.conf import settings
        from django.utils import timezone

        if dry_run:
            now = timezone.now()
            for job in periodic_jobs():
                due = job.due_moment(now)
                self.stdout.write(
                    f"{job.name}: {job.task} every {job.every}, due {due:%Y-%m-%d %H:%M} UTC"
                )
            return
        interval = interval or settings.MEDCONNECT_SCHEDULER_TICK_SECONDS
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        name = process_name()
        while not stop.is_set():
            close_old_connections()
            try:
                claimed = scheduler_tick(name=name)
                if once:
                    self.stdout.write(f"Queued {len(claimed)} periodic run(s).")
            except DatabaseError as exc:  # the database is away: try again next tick
                logger.warning("scheduler_tick_failed", extra={"error": str(exc)[:300]})
            if once:
                return
            stop.wait(interval)
