"""Documents on S3-compatible storage behave as on local disk (an in-process S3 double)."""

import hashlib

import boto3
import pytest
from django.urls import reverse
from moto import mock_aws

from records.models import Document
from records.tests.factories import pdf_bytes, post_lab_report, upload

BUCKET = "medconnect-private"


@pytest.fixture
def s3(settings, monkeypatch):
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "ap-south-1",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        client = boto3.client("s3", region_name="ap-south-1")
        client.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "ap-south-1"}
        )
        # The same options medconnect/settings.py sets when MEDCONNECT_S3_BUCKET is given.
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": BUCKET,
                    "region_name": "ap-south-1",
                    "default_acl": "private",
                    "querystring_auth": True,
                    "file_overwrite": False,
                },
            },
        }
        yield client


@pytest.mark.django_db
def test_a_document_round_trips_through_s3(s3, patient_a, patient_b, login):
    data = pdf_bytes("Haemoglobin 13.2")
    client = login(patient_a)
    assert post_lab_report(client, patient_a, upload("report.pdf", data)).status_code == 302

    document = Document.objects.get()
    stored = s3.get_object(Bucket=BUCKET, Key=document.file.name)["Body"].read()
    assert stored == data
    assert document.file.name.startswith("documents/")
    assert document.sha256 == hashlib.sha256(data).hexdigest()

    download = client.get(reverse("records:document_download", args=[document.pk]))
    assert download.status_code == 200
    assert download.content == data
    assert download["Content-Disposition"].startswith("attachment;")

    other = login(patient_b).get(reverse("records:document_download", args=[document.pk]))
    assert other.status_code == 404


@pytest.mark.django_db
def test_a_tampered_object_in_s3_is_not_served(s3, patient_a, login):
    client = login(patient_a)
    post_lab_report(client, patient_a, upload("report.pdf", pdf_bytes()))
    document = Document.objects.get()
    s3.put_object(Bucket=BUCKET, Key=document.file.name, Body=pdf_bytes("forged"))

    download = client.get(reverse("records:document_download", args=[document.pk]))
    assert download.status_code != 200
    assert download.status_code < 500
