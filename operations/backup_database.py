"""The database part of a backup set: pg_dump's custom format on PostgreSQL, the
online backup API on SQLite; and its restore into an empty database.

Row counts come from the same snapshot as the dump (pg_dump --snapshot on a
REPEATABLE READ transaction; the copied file on SQLite), so a restore can be checked
table by table even when the backup ran under traffic.
"""

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection, connections

from .backup_files import BackupError, file_chunks, read_stored, write_stored

PG_DUMP_FILE = "database.pgdump"
SQLITE_FILE = "database.sqlite3"


def _quote(name):
    return '"' + name.replace('"', '""') + '"'


def _sqlite_tables(db):
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    ).fetchall()
    return [name for (name,) in rows]


def count_rows(cursor, tables):
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 (introspected)
        counts[table] = cursor.fetchone()[0]
    return counts


def current_row_counts():
    """Rows per table of the default database, as restore checks them."""
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        return count_rows(cursor, tables)


# --- PostgreSQL ----------------------------------------------------------------------


def pg_tool(name):
    folder = settings.MEDCONNECT_PG_BIN_DIR
    path = str(Path(folder) / name) if folder else shutil.which(name)
    if not path or not Path(path).exists():
        raise BackupError(
            f"{name} was not found: install postgresql-client or set MEDCONNECT_PG_BIN_DIR."
        )
    return path


def tool_major(path):
    out = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", out)
    if not match:
        raise BackupError(f"Cannot read the version of {path}: {out!r}")
    return int(match[1])


def server_major():
    connection.ensure_connection()
    return connection.pg_version // 10000


def pg_environment(settings_dict):
    """libpq's variables for the tools: the password never appears on a command line."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    values = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
        "PGSSLMODE": settings_dict.get("OPTIONS", {}).get("sslmode"),
    }
    env.update({key: str(value) for key, value in values.items() if value})
    return env


def pg_dump_into(folder, fernet):
    pg_dump = pg_tool("pg_dump")
    client, server = tool_major(pg_dump), server_major()
    if client < server:
        raise BackupError(
            f"pg_dump {client} cannot dump a PostgreSQL {server} server: install "
            f"postgresql-client-{server} or point MEDCONNECT_PG_BIN_DIR at its bin folder."
        )
    # A connection of its own holds the snapshot that the counts and the dump share.
    holder = connections.create_connection("default")
    try:
        holder.ensure_connection()
        raw = holder.connection
        raw.autocommit = False
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            cursor.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                "ORDER BY tablename"
            )
            tables = [name for (name,) in cursor.fetchall()]
            counts = count_rows(cursor, tables)
        command = [
            pg_dump,
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--snapshot={snapshot}",
        ]
        with subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=pg_environment(holder.settings_dict),
        ) as process:
            plain_sha, stored_sha, size = write_stored(
                folder / PG_DUMP_FILE, file_chunks(process.stdout), fernet
            )
            error = process.stderr.read().decode(errors="replace")
        if process.returncode != 0:
            raise BackupError(f"pg_dump failed: {error.strip()[:1000]}")
        raw.rollback()
    finally:
        holder.close()
    return {
        "engine": "postgresql",
        "file": PG_DUMP_FILE,
        "tool_major": client,
        "server_major": server,
        "sha256": plain_sha,
        "size": size,
        "tables": counts,
    }, {PG_DUMP_FILE: stored_sha}


def pg_restore_from(path, fernet, database):
    pg_restore = pg_tool("pg_restore")
    needed = database.get("tool_major", 0)
    if tool_major(pg_restore) < needed:
        raise BackupError(
            f"This set was written by pg_dump {needed}: pg_restore {tool_major(pg_restore)} "
            "cannot read it. Point MEDCONNECT_PG_BIN_DIR at a newer client."
        )
    with tempfile.TemporaryDirectory(prefix="medconnect-restore-") as scratch:
        plain = Path(scratch) / PG_DUMP_FILE
        write_stored(plain, read_stored(path, fernet), None)
        result = subprocess.run(
            [
                pg_restore,
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={connection.settings_dict['NAME']}",
                str(plain),
            ],
            capture_output=True,
            text=True,
            env=pg_environment(connection.settings_dict),
        )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()[:1000]}")


# --- SQLite ----------------------------------------------------------------------------


def sqlite_backup_into(folder, fernet):
    connection.ensure_connection()
    with tempfile.TemporaryDirectory(prefix="medconnect-backup-", dir=folder) as scratch:
        copy_path = Path(scratch) / SQLITE_FILE
        copy = sqlite3.connect(copy_path)
        try:
            connection.connection.backup(copy)
            counts = count_rows(copy.cursor(), _sqlite_tables(copy))
        finally:
            copy.close()
        with open(copy_path, "rb") as handle:
            plain_sha, stored_sha, size = write_stored(
                folder / SQLITE_FILE, file_chunks(handle), fernet
            )
    return {
        "engine": "sqlite",
        "file": SQLITE_FILE,
        "sha256": plain_sha,
        "size": size,
        "tables": counts,
    }, {SQLITE_FILE: stored_sha}


def sqlite_restore_from(path, fernet):
    with tempfile.TemporaryDirectory(prefix="medconnect-restore-") as scratch:
        plain = Path(scratch) / SQLITE_FILE
        write_stored(plain, read_stored(path, fernet), None)
        source = sqlite3.connect(plain)
        try:
            connection.ensure_connection()
            source.backup(connection.connection)
        finally:
            source.close()


def dump_database(folder, fernet):
    if connection.in_atomic_block:
        # SQLite's backup would wait forever on its own open write; a dump of
        # PostgreSQL would miss what the transaction has not committed.
        raise BackupError("A backup cannot run inside a transaction.")
    if connection.vendor == "postgresql":
        return pg_dump_into(folder, fernet)
    if connection.vendor == "sqlite":
        return sqlite_backup_into(folder, fernet)
    raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")


def restore_database(folder, fernet, database):
    if database["engine"] != connection.vendor:
        raise BackupError(
            f"This set holds a {database['engine']} database; the target is {connection.vendor}."
        )
    if connection.vendor == "postgresql":
        pg_restore_from(folder / database["file"], fernet, database)
    else:
        sqlite_restore_from(folder / database["file"], fernet)
