from django.core.management.base import BaseCommand, CommandError

from operations.backup import backup_create, backup_sets
from operations.backup_files import BackupError


class Command(BaseCommand):
    help = (
        "Write one backup set (database, private files, manifest with row counts and "
        "SHA-256) under MEDCONNECT_BACKUP_DIR, encrypted when MEDCONNECT_BACKUP_ENCRYPTION_KEY "
        "is set, and prune all but the newest MEDCONNECT_BACKUP_KEEP sets."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--directory", help="Write the set here instead of MEDCONNECT_BACKUP_DIR."
        )
        parser.add_argument(
            "--keep", type=int, help="Keep this many sets (default MEDCONNECT_BACKUP_KEEP)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List the sets there are; write nothing."
        )

    def handle(self, *args, directory=None, keep=None, dry_run=False, **options):
        if dry_run:
            sets = backup_sets(directory)
            for path in sets:
                self.stdout.write(path.name)
            self.stdout.write(f"{len(sets)} backup set(s); nothing written (dry run).")
            return
        try:
            record = backup_create(directory=directory, keep=keep)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Backup {record.name}: {record.tables} tables, {record.rows} rows, "
            f"{record.files} files, {record.size_bytes} bytes"
            f"{', encrypted' if record.encrypted else ''}."
        )
