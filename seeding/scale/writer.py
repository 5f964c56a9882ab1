"""Writing seeded rows fast: explicit primary keys, COPY on PostgreSQL, bulk_create
elsewhere, and the sequences moved past the keys afterwards."""

import json
import time
from collections import defaultdict

from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection, models

from encryption.fields import EncryptedTextField


class RowWriter:
    """Writes rows of one model: COPY on PostgreSQL, bulk_create elsewhere.

    `columns` are attnames; concrete fields not named take their (constant) default.
    """

    def __init__(self, batch_size):
        self.batch_size = batch_size
        self.copy = connection.vendor == "postgresql"
        self.counts = defaultdict(int)
        self.seconds = defaultdict(float)

    def _extras(self, model, columns):
        extras = {}
        for field in model._meta.concrete_fields:
            if field.attname in columns:
                continue
            default = field.get_default()
            if default is None and not field.null:
                raise CommandError(f"seed_scale must set {model.__name__}.{field.attname}")
            extras[field.attname] = default
        return extras

    def write(self, model, columns, rows):
        rows = list(rows)
        if not rows:
            return
        started = time.monotonic()
        extras = self._extras(model, columns)
        names = list(columns) + list(extras)
        tail = tuple(extras.values())
        if not self.copy:
            model.objects.bulk_create(
                [model(**dict(zip(names, row + tail, strict=True))) for row in rows],
                batch_size=self.batch_size,
            )
        else:
            fields = {f.attname: f for f in model._meta.concrete_fields}
            encrypted = [
                i for i, name in enumerate(names) if isinstance(fields[name], EncryptedTextField)
            ]
            json_columns = [
                i for i, name in enumerate(names) if isinstance(fields[name], models.JSONField)
            ]
            table = connection.ops.quote_name(model._meta.db_table)
            quoted = ", ".join(connection.ops.quote_name(fields[name].column) for name in names)
            sql = f"COPY {table} ({quoted}) FROM STDIN"
            with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
                for row in rows:
                    row = list(row + tail)
                    for i in encrypted:
                        # The field's own encryption, as a save would do it.
                        row[i] = fields[names[i]].get_db_prep_save(row[i], connection)
                    for i in json_columns:
                        row[i] = json.dumps(row[i])
                    copy.write_row(row)
        self.counts[model._meta.label] += len(rows)
        self.seconds[model._meta.label] += time.monotonic() - started

    def may_skip_triggers(self):
        """Whether this connection may switch off foreign key triggers (a superuser on
        PostgreSQL)."""
        if connection.vendor != "postgresql":
            return False
        if not hasattr(self, "_superuser"):
            with connection.cursor() as cursor:
                cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                row = cursor.fetchone()
            self._superuser = bool(row and row[0])
        return self._superuser


def next_id(model):
    return (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1


def reset_sequences(touched):
    """Move each sequence of `touched` past the explicit keys written; refresh the
    planner's statistics on PostgreSQL."""
    statements = connection.ops.sequence_reset_sql(no_style(), touched)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
