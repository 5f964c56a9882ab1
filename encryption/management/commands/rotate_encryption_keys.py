from cryptography.fernet import InvalidToken
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import TextField
from django.db.models.functions import Cast

from encryption.fields import FernetToken, encrypted_fields
from encryption.files import rotate_encrypted_files
from encryption.keys import get_multifernet, get_newest_fernet
from encryption.mfa import map_secrets

BATCH = 500


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field and stored file of every model under the newest key in "
        "MEDCONNECT_ENCRYPTION_KEYS. Run after putting a new key first; remove the old "
        "key only afterwards. Values already under the newest key are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would change; write nothing."
        )

    def _rotate_two_factor(self, multi, newest, dry_run):
        """TOTP secrets and recovery seeds live in allauth's JSON `data`."""
        from allauth.mfa.models import Authenticator

        scanned = changed = 0
        for authenticator in Authenticator.objects.order_by("pk").iterator(chunk_size=BATCH):

            def rotate(token, pk=authenticator.pk):
                nonlocal scanned
                scanned += 1
                raw = token.encode("ascii")
                try:
                    newest.decrypt(raw)
                    return token
                except InvalidToken:
                    pass
                try:
                    return multi.rotate(raw).decode("ascii")
                except InvalidToken as exc:
                    raise CommandError(
                        f"Two-factor secret of authenticator {pk} cannot be read with any "
                        "configured key."
                    ) from exc

            data = map_secrets(authenticator.data, rotate)
            if data != authenticator.data:
                changed += 1
                if not dry_run:
                    Authenticator.objects.filter(pk=authenticator.pk).update(data=data)
        verb = "would re-encrypt" if dry_run else "re-encrypted"
        self.stdout.write(
            f"two-factor secrets: {scanned} value(s), {verb} {changed} authenticator(s)"
        )
        return changed

    def handle(self, *args, dry_run=False, **options):
        multi = get_multifernet()
        newest = get_newest_fernet()
        total = 0
        for model, field in encrypted_fields():
            label = f"{model._meta.label}.{field}"
            # Cast to plain text so the field's decryption does not run: we want tokens.
            rows = (
                model._default_manager.exclude(**{field: ""})
                .exclude(**{f"{field}__isnull": True})
                .annotate(_token=Cast(field, TextField()))
                .values_list("pk", "_token")
                .order_by("pk")
            )
            scanned = changed = 0
            for pk, token in rows.iterator(chunk_size=BATCH):
                scanned += 1
                raw = token.encode("ascii")
                try:
                    newest.decrypt(raw)
                    continue  # already under the newest key
                except InvalidToken:
                    pass
                try:
                    rotated = multi.rotate(raw).decode("ascii")
                except InvalidToken as exc:
                    raise CommandError(
                        f"{label} of row {pk} cannot be read with any configured key."
                    ) from exc
                changed += 1
                if not dry_run:
                    with transaction.atomic():
                        model._default_manager.filter(pk=pk).update(**{field: FernetToken(rotated)})
            total += changed
            verb = "would re-encrypt" if dry_run else "re-encrypted"
            self.stdout.write(f"{label}: {scanned} value(s), {verb} {changed}")
        total += self._rotate_two_factor(multi, newest, dry_run)
        total += self._rotate_files(dry_run=dry_run)
        verb = "Would re-encrypt" if dry_run else "Re-encrypted"
        self.stdout.write(self.style.SUCCESS(f"{verb} {total} value(s) in total."))

    def _rotate_files(self, *, dry_run):
        total = 0
        verb = "would re-encrypt" if dry_run else "re-encrypted"
        try:
            for label, scanned, changed in rotate_encrypted_files(dry_run=dry_run):
                total += changed
                self.stdout.write(f"{label}: {scanned} file(s), {verb} {changed}")
        except InvalidToken as exc:
            raise CommandError(str(exc)) from exc
        return total
