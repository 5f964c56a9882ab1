from django.core.management.base import BaseCommand
from django.utils import timezone

from appointments.reminders import reminders_due, reminders_send_due


class Command(BaseCommand):
    help = (
        "Send every appointment reminder that is due (and failed ones whose retry is due). "
        "A safety net next to the worker: safe to run at any time, a reminder goes out once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what is due without sending anything."
        )

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        due = list(reminders_due(now).order_by("due_at").values_list("pk", "due_at", "status"))
        if dry_run:
            for pk, due_at, status in due:
                self.stdout.write(f"reminder {pk}: {status}, due {due_at:%Y-%m-%d %H:%M} UTC")
            self.stdout.write(f"{len(due)} reminder(s) due; nothing sent (dry run).")
            return
        outcomes = reminders_send_due(now=now)
        summary = ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items()))
        self.stdout.write(f"{len(due)} reminder(s) due: {summary or 'nothing to do'}.")
