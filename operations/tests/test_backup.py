"""Backup sets restore: every table's rows (counted, and digested value for value) and
every file's hash equal after a restore into an empty database (SQLite here,
PostgreSQL when DATABASE_URL says so); a damaged set, a wrong key or a non-empty
target are refused."""

import pytest
from cryptography.fernet import Fernet
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from encryption.tests.keys import TEST_ENCRYPTION_KEY
from operations.backup import backup_create, backup_restore, backup_sets, backup_verify
from operations.backup_database import current_row_counts
from operations.backup_files import BackupError, sha256_of, storage_paths
from operations.models import Backup, BackupStatus
from operations.tests.backup_helpers import RestoreTarget, current_table_digests

# A backup reads the database from outside any transaction, as the worker does: the
# tests commit their data (transaction=True).
pytestmark = pytest.mark.timeout(300)


@pytest.fixture
def target(tmp_path):
    restore_target = RestoreTarget(tmp_path)
    yield restore_target
    restore_target.drop()


def first_file(folder):
    return next(path for path in sorted((folder / "files").rglob("*")) if path.is_file())


def source_file_hashes():
    return {
        name: sha256_of(default_storage.open(name, "rb")) for name in storage_paths(default_storage)
    }


@pytest.mark.django_db(transaction=True)
def test_a_set_restores_every_row_and_file(billed_visit, tmp_path, target):
    record = backup_create(directory=tmp_path / "sets")
    expected_rows = current_row_counts()
    expected_digests = current_table_digests()
    expected_files = source_file_hashes()
    assert expected_files, "the visit left a document and a receipt"

    result = target.restore(tmp_path / "sets" / record.name)

    assert result.returncode == 0, result.stderr
    assert "every count and SHA-256 matches the manifest" in result.stdout
    restored = target.row_counts()
    # The set's own Backup row was written before the dump, as "running".
    expected_rows["operations_backup"] -= 1
    assert {t: n for t, n in restored.items()} == expected_rows | {
        "operations_backup": restored["operations_backup"]
    }
    assert restored["appointments_appointment"] == expected_rows["appointments_appointment"] > 0
    # Not only as many rows: the same rows, value for value, in every table but the
    # backups' own (its row was written as "running" before the dump).
    restored_digests = target.table_digests()
    assert expected_digests["appointments_appointment"] != expected_digests["operations_taskoutbox"]
    assert restored_digests.keys() == expected_digests.keys()
    unequal = [
        table
        for table, digest in expected_digests.items()
        if table != "operations_backup" and restored_digests[table] != digest
    ]
    assert unequal == []
    assert target.file_hashes() == expected_files
    assert record.status == BackupStatus.SUCCEEDED
    assert (record.tables, record.files) == (len(expected_rows), len(expected_files))


@pytest.mark.django_db(transaction=True)
def test_an_encrypted_set_holds_nothing_readable_and_no_clinical_keys(
    billed_visit, tmp_path, target
):
    key = Fernet.generate_key().decode()
    record = backup_create(directory=tmp_path / "sets", key=key)
    folder = tmp_path / "sets" / record.name

    everything = b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())
    assert TEST_ENCRYPTION_KEY.encode() not in everything
    assert key.encode() not in everything
    assert billed_visit.patient.email.encode() not in everything
    assert b"Asha Patient" not in everything

    refused = target.restore(folder)
    assert refused.returncode != 0
    assert "set MEDCONNECT_BACKUP_ENCRYPTION_KEY" in refused.stderr
    wrong = target.restore(folder, MEDCONNECT_BACKUP_ENCRYPTION_KEY=Fernet.generate_key().decode())
    assert "is not the key of this set" in wrong.stderr

    result = target.restore(folder, MEDCONNECT_BACKUP_ENCRYPTION_KEY=key)
    assert result.returncode == 0, result.stderr
    assert target.file_hashes() == source_file_hashes()


@pytest.mark.django_db(transaction=True)
def test_a_corrupted_file_in_the_set_is_found_before_anything_is_restored(billed_visit, tmp_path):
    record = backup_create(directory=tmp_path / "sets")
    folder = tmp_path / "sets" / record.name
    damaged = first_file(folder)
    data = bytearray(damaged.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))

    with pytest.raises(BackupError, match="does not match its SHA-256"):
        backup_verify(folder)
    with pytest.raises(Exception, match="does not match its SHA-256"):
        call_command("restore", str(folder), "--verify-only")


@pytest.mark.django_db(transaction=True)
def test_a_missing_file_and_a_damaged_manifest_are_found(billed_visit, tmp_path):
    record = backup_create(directory=tmp_path / "sets")
    folder = tmp_path / "sets" / record.name
    first_file(folder).unlink()
    with pytest.raises(BackupError, match="is missing"):
        backup_verify(folder)
    (folder / "manifest.json").write_text("{not json")
    with pytest.raises(BackupError, match="damaged"):
        backup_verify(folder)


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(patient_a, tmp_path):
    record = backup_create(directory=tmp_path / "sets")
    with pytest.raises(BackupError, match="The database is not empty"):
        backup_restore(tmp_path / "sets" / record.name)


@pytest.mark.django_db(transaction=True)
def test_old_sets_are_pruned_to_the_retention(tmp_path, settings):
    settings.MEDCONNECT_BACKUP_KEEP = 2
    names = [backup_create(directory=tmp_path).name for _ in range(3)]

    assert [path.name for path in backup_sets(tmp_path)] == sorted(names, reverse=True)[:2]


@pytest.mark.django_db(transaction=True)
def test_a_failed_backup_is_recorded_and_leaves_no_partial_set(tmp_path, settings, monkeypatch):
    monkeypatch.setattr(
        "operations.backup.dump_database", lambda *a: (_ for _ in ()).throw(OSError("disk full"))
    )
    with pytest.raises(OSError):
        backup_create(directory=tmp_path / "sets")

    failed = Backup.objects.get()
    assert (failed.status, failed.error) == (BackupStatus.FAILED, "disk full")
    assert list((tmp_path / "sets").iterdir()) == []


@pytest.mark.django_db(transaction=True)
def test_the_backup_command_reports_what_it_wrote(tmp_path, capsys):
    call_command("backup", "--directory", str(tmp_path))
    out = capsys.readouterr().out
    assert out.startswith("Backup medconnect-")
    assert "tables" in out and "files" in out
    call_command("backup", "--directory", str(tmp_path), "--dry-run")
    assert "1 backup set(s); nothing written (dry run)." in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_staff_see_the_last_backup_age_on_the_admin_index(staff_client, tmp_path, settings):
    settings.MEDCONNECT_BACKUP_DIR = tmp_path
    assert "No successful backup yet." in staff_client.get("/admin/").content.decode()

    call_command("backup")
    Backup.objects.update(finished_at=timezone.now() - timezone.timedelta(hours=5))

    page = staff_client.get("/admin/").content.decode()
    assert "Last successful backup: 5\xa0hours ago" in page
