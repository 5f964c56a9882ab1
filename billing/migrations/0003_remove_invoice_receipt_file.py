# Separate from 0002: PostgreSQL refuses to alter a table with pending
# deferred-constraint events from rows updated in the same transaction.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0002_invoice_receipt_document"),
    ]

    operations = [
        migrations.RemoveField(model_name="invoice", name="receipt_file"),
        migrations.RemoveField(model_name="invoice", name="receipt_sha256"),
    ]
