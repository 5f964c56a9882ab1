"""Backup sets: `backup_create` writes one, `backup_verify` checks one, `backup_restore`
loads one into an empty database and storage and proves it.

A set is a folder named medconnect-<UTC time>: the database (backup_database.py),
every private file (documents, receipts, reports, exports) under files/ by its
storage name, and manifest.json with the row count of every table and the SHA-256
of every file, as written and as stored. The clinical-text keys
(MEDCONNECT_ENCRYPTION_KEYS) are never written into a set: the text they protect
stays ciphertext in the dump, so a set restores a usable clinic only beside them.
"""

import datetime as dt
import json
import logging
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

from .backup_database import current_row_counts, dump_database, restore_database
from .backup_files import (
    BackupError,
    file_chunks,
    read_stored,
    sealer_for,
    sha256_of,
    storage_paths,
    write_stored,
)
from .models import Backup, BackupStatus

logger = logging.getLogger("medconnect.backup")

FORMAT = 1
MANIFEST = "manifest.json"
PREFIX = "medconnect-"
KEY_CHECK = b"medconnect-backup-key-check"
KEYS_NOTE = (
    "Clinical text in this database is encrypted with MEDCONNECT_ENCRYPTION_KEYS, which "
    "are not in this set: keep them apart from it, or its clinical text cannot be read."
)


def _copy_files(folder, fernet):
    files, stored = {}, {}
    for name in storage_paths(default_storage):
        relative = f"files/{name}"
        with default_storage.open(name, "rb") as handle:
            plain_sha, stored_sha, size = write_stored(
                folder / relative, file_chunks(handle), fernet
            )
        files[name] = {"sha256": plain_sha, "size": size}
        stored[relative] = stored_sha
    return files, stored


def _set_name(directory, now):
    name = f"{PREFIX}{now:%Y%m%dT%H%M%SZ}"
    suffix = 1
    while (directory / name).exists() or Backup.objects.filter(name=name).exists():
        suffix += 1
        name = f"{PREFIX}{now:%Y%m%dT%H%M%SZ}-{suffix}"
    return name


def backup_create(*, directory=None, key=None, keep=None, now=None):
    """Write one set; prune old ones. Returns the Backup row (succeeded) or raises."""
    directory = Path(directory or settings.MEDCONNECT_BACKUP_DIR)
    key = settings.MEDCONNECT_BACKUP_ENCRYPTION_KEY if key is None else key
    fernet = sealer_for(key)
    now = now or timezone.now()
    directory.mkdir(parents=True, exist_ok=True)
    name = _set_name(directory, now.astimezone(dt.UTC))
    record = Backup.objects.create(name=name, started_at=now, encrypted=fernet is not None)
    partial = directory / f".{name}.partial"
    try:
        partial.mkdir(mode=0o700)
        database, stored = dump_database(partial, fernet)
        files, stored_files = _copy_files(partial, fernet)
        stored.update(stored_files)
        manifest = {
            "format": FORMAT,
            "name": name,
            "created_at": now.isoformat(),
            "encrypted": fernet is not None,
            "key_check": fernet.encrypt(KEY_CHECK).decode() if fernet else None,
            "note": KEYS_NOTE,
            "database": database,
            "files": files,
            "stored": stored,
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
        (partial / MANIFEST).chmod(0o600)
        partial.rename(directory / name)
    except BaseException as exc:
        shutil.rmtree(partial, ignore_errors=True)
        Backup.objects.filter(pk=record.pk).update(
            status=BackupStatus.FAILED, finished_at=timezone.now(), error=str(exc)[:2000]
        )
        logger.error("backup_failed", extra={"backup": name, "error": str(exc)[:500]})
        raise
    record.status = BackupStatus.SUCCEEDED
    record.finished_at = timezone.now()
    record.size_bytes = sum(p.stat().st_size for p in (directory / name).rglob("*") if p.is_file())
    record.tables = len(database["tables"])
    record.rows = sum(database["tables"].values())
    record.files = len(files)
    record.save()
    logger.info(
        "backup_written",
        extra={
            "backup": name,
            "tables": record.tables,
            "files": record.files,
            "bytes": record.size_bytes,
        },
    )
    backup_prune(
        directory=directory, keep=settings.MEDCONNECT_BACKUP_KEEP if keep is None else keep
    )
    return record


def backup_sets(directory=None):
    """Complete sets in a folder, newest first."""
    directory = Path(directory or settings.MEDCONNECT_BACKUP_DIR)
    if not directory.exists():
        return []
    found = [
        p for p in directory.iterdir() if p.name.startswith(PREFIX) and (p / MANIFEST).exists()
    ]
    return sorted(found, key=lambda p: p.name, reverse=True)


def backup_prune(*, directory=None, keep):
    """Delete all but the newest `keep` sets, and partial sets left by a crash a day ago."""
    directory = Path(directory or settings.MEDCONNECT_BACKUP_DIR)
    removed = [path.name for path in backup_sets(directory)[max(keep, 1) :]]
    for name in removed:
        shutil.rmtree(directory / name)
    day_ago = timezone.now().timestamp() - 86400
    for partial in directory.glob(f".{PREFIX}*.partial"):
        if partial.stat().st_mtime < day_ago:
            shutil.rmtree(partial, ignore_errors=True)
    return removed


def _load_manifest(folder):
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError as exc:
        raise BackupError(f"{folder} is not a backup set: it has no {MANIFEST}.") from exc
    except ValueError as exc:
        raise BackupError(f"{folder / MANIFEST} is damaged: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def backup_verify(folder, *, key=None):
    """Check every stored file against the manifest; returns (manifest, key's Fernet)."""
    folder = Path(folder)
    manifest = _load_manifest(folder)
    key = settings.MEDCONNECT_BACKUP_ENCRYPTION_KEY if key is None else key
    fernet = sealer_for(key) if manifest["encrypted"] else None
    if manifest["encrypted"]:
        if fernet is None:
            raise BackupError(
                "This backup set is encrypted: set MEDCONNECT_BACKUP_ENCRYPTION_KEY to its key."
            )
        try:
            fernet.decrypt(manifest["key_check"].encode())
        except Exception as exc:
            raise BackupError(
                "MEDCONNECT_BACKUP_ENCRYPTION_KEY is not the key of this set."
            ) from exc
    problems = []
    for relative, expected in sorted(manifest["stored"].items()):
        path = folder / relative
        if not path.is_file():
            problems.append(f"{relative} is missing")
        elif sha256_of(path) != expected:
            problems.append(f"{relative} does not match its SHA-256 (corrupted or altered)")
    if problems:
        raise BackupError("The backup set failed verification: " + "; ".join(problems))
    return manifest, fernet


def backup_restore(folder, *, key=None):
    """Restore a verified set into the empty default database and storage, then check
    every table's row count and every file's SHA-256 against the manifest."""
    folder = Path(folder)
    manifest, fernet = backup_verify(folder, key=key)
    existing = current_row_counts()
    if existing:
        raise BackupError(
            f"The database is not empty ({len(existing)} tables): restore into a new, "
            "empty database (create it, do not migrate it)."
        )
    if storage_paths(default_storage):
        raise BackupError("The private file storage is not empty: restore into an empty one.")
    restore_database(folder, fernet, manifest["database"])
    with tempfile.TemporaryDirectory(prefix="medconnect-restore-") as scratch_folder:
        scratch = Path(scratch_folder) / "file"
        for name in manifest["files"]:
            write_stored(scratch, read_stored(folder / f"files/{name}", fernet), None)
            with open(scratch, "rb") as handle:
                saved = default_storage.save(name, File(handle))
            if saved != name:
                raise BackupError(f"The storage stored {name} as {saved}.")
    summary = backup_check_restored(manifest)
    # The set's own row was written as "running" before the dump.
    Backup.objects.filter(status=BackupStatus.RUNNING).update(
        status=BackupStatus.FAILED, error="Restored from a set taken while this backup ran."
    )
    return summary


def backup_check_restored(manifest):
    counts = current_row_counts()
    expected = manifest["database"]["tables"]
    problems = [
        f"{table}: {counts.get(table)} rows, {rows} expected"
        for table, rows in sorted(expected.items())
        if counts.get(table) != rows
    ]
    for name, meta in sorted(manifest["files"].items()):
        with default_storage.open(name, "rb") as handle:
            digest = sha256_of(handle)
        if digest != meta["sha256"]:
            problems.append(f"file {name} does not match its SHA-256")
    if problems:
        raise BackupError("The restored data differ from the set: " + "; ".join(problems))
    return {
        "tables": len(expected),
        "rows": sum(expected.values()),
        "files": len(manifest["files"]),
    }
