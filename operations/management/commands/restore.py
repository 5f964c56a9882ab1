from django.core.management.base import BaseCommand, CommandError

from operations.backup import backup_restore, backup_verify
from operations.backup_files import BackupError


class Command(BaseCommand):
    help = (
        "Restore a backup set into an empty database and file storage, after checking "
        "every file of the set against its manifest; then prove the restore: every table's "
        "row count and every file's SHA-256 equal the manifest's."
    )

    def add_arguments(self, parser):
        parser.add_argument("set", help="The backup set's folder (medconnect-<time>).")
        parser.add_argument(
            "--verify-only",
            "--dry-run",
            action="store_true",
            dest="verify_only",
            help="Only check the set against its manifest; restore nothing.",
        )

    def handle(self, *args, set, verify_only=False, **options):
        try:
            if verify_only:
                manifest, _ = backup_verify(set)
                self.stdout.write(
                    f"{manifest['name']} is intact: {len(manifest['stored'])} files match "
                    "the manifest (nothing restored)."
                )
                return
            summary = backup_restore(set)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {summary['tables']} tables ({summary['rows']} rows) and "
            f"{summary['files']} files; every count and SHA-256 matches the manifest."
        )
