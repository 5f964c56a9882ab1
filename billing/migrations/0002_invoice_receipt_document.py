import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone


def file_receipts_as_documents(apps, schema_editor):
    """Each stored receipt becomes a receipt document of its patient, same file."""
    Invoice = apps.get_model("billing", "Invoice")
    Document = apps.get_model("records", "Document")
    storage = Document._meta.get_field("file").storage
    invoices = (
        Invoice.objects.exclude(receipt_file="")
        .exclude(status="draft")
        .filter(receipt_document__isnull=True)
        .select_related("doctor")
    )
    for invoice in invoices.iterator():
        try:
            size = storage.size(invoice.receipt_file.name)
        except Exception:  # noqa: BLE001 - a lost file leaves the invoice without a receipt
            continue
        document = Document.objects.create(
            patient_id=invoice.patient_id,
            uploaded_by_id=invoice.issued_by_id or invoice.doctor.user_id,
            kind="receipt",
            is_generated=True,
            document_date=timezone.localdate(invoice.issued_at),
            description=f"{invoice.tax_name} receipt {invoice.number}",
            file=invoice.receipt_file.name,
            original_filename=f"Receipt {invoice.number}.pdf",
            content_type="application/pdf",
            size=size,
            sha256=invoice.receipt_sha256,
        )
        invoice.receipt_document_id = document.pk
        invoice.save(update_fields=["receipt_document"])


def receipts_back_on_invoices(apps, schema_editor):
    Invoice = apps.get_model("billing", "Invoice")
    invoices = Invoice.objects.filter(receipt_document__isnull=False).select_related(
        "receipt_document"
    )
    for invoice in invoices.iterator():
        invoice.receipt_file = invoice.receipt_document.file.name
        invoice.receipt_sha256 = invoice.receipt_document.sha256
        invoice.save(update_fields=["receipt_file", "receipt_sha256"])


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0001_initial"),
        ("records", "0002_document_receipt_kind"),
    ]

    operations = [
        migrations.AddField(
            model_name="invoice",
            name="receipt_document",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="records.document",
            ),
        ),
        migrations.RunPython(file_receipts_as_documents, receipts_back_on_invoices),
    ]
