"""Restoring a set into a fresh database in another process, and reading it back."""

import hashlib
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
from django.db import connection

from operations.backup_files import sha256_of

BASE_DIR = Path(__file__).resolve().parents[2]


# One digest of a table's rows in any order: the same data gives the same digest in
# two databases of one engine.
_PG_TABLE_DIGEST = (
    "SELECT md5(coalesce(string_agg(md5(t::text), '' ORDER BY md5(t::text)), '')) FROM \"{}\" t"
)


def _sqlite_table_digest(cursor, table):
    cursor.execute(f'PRAGMA table_info("{table}")')
    values = " || ',' || ".join(f'quote("{row[1]}")' for row in cursor.fetchall())
    # quote() renders each value as SQL text, untouched by the driver's type converters.
    cursor.execute(f'SELECT {values} FROM "{table}"')
    digest = hashlib.sha256()
    for (row,) in sorted(cursor.fetchall()):
        digest.update(row.encode() + b"\n")
    return digest.hexdigest()


def table_digests(cursor, vendor, tables):
    """{table: digest of all its rows} over a DB-API cursor of either engine."""
    digests = {}
    for table in tables:
        if vendor == "sqlite":
            digests[table] = _sqlite_table_digest(cursor, table)
        else:
            cursor.execute(_PG_TABLE_DIGEST.format(table))
            digests[table] = cursor.fetchone()[0]
    return digests


def current_table_digests():
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        return table_digests(cursor, connection.vendor, tables)


def manage_environment(env):
    """This environment without the test run's settings, in debug, plus `env`."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "MEDCONNECT_", "DATABASE_", "REDIS_"))
    }
    environment.update({"DJANGO_DEBUG": "1", **env})
    return environment


def manage(*args, env, timeout=180):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=manage_environment(env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


class RestoreTarget:
    """An empty database of the same engine as the tests', and an empty folder."""

    def __init__(self, tmp_path):
        self.var_dir = tmp_path / "restored"
        self.var_dir.mkdir()
        settings_dict = connection.settings_dict
        if connection.vendor == "sqlite":
            self.path = tmp_path / "restored.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            self.name = f"{settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
            host, port = settings_dict["HOST"] or "127.0.0.1", settings_dict["PORT"] or 5432
            user = settings_dict["USER"] or "postgres"
            self.admin = f"host={host} port={port} user={user} dbname=postgres"
            with psycopg.connect(self.admin, autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{self.name}"')
            self.url = f"postgres://{user}@{host}:{port}/{self.name}"

    def restore(self, set_path, **env):
        return manage(
            "restore",
            str(set_path),
            env={"DATABASE_URL": self.url, "MEDCONNECT_VAR_DIR": str(self.var_dir), **env},
        )

    def row_counts(self):
        if connection.vendor == "sqlite":
            with sqlite3.connect(self.path) as db:
                tables = [
                    name
                    for (name,) in db.execute(
                        "SELECT name FROM sqlite_master WHERE type='table' "
                        "AND name NOT LIKE 'sqlite_%'"
                    )
                ]
                return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
        with psycopg.connect(self.admin.replace("dbname=postgres", f"dbname={self.name}")) as db:
            tables = [
                name
                for (name,) in db.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                )
            ]
            return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}

    def table_digests(self):
        tables = sorted(self.row_counts())
        if connection.vendor == "sqlite":
            with sqlite3.connect(self.path) as db:
                return table_digests(db.cursor(), "sqlite", tables)
        with psycopg.connect(self.admin.replace("dbname=postgres", f"dbname={self.name}")) as db:
            return table_digests(db.cursor(), "postgresql", tables)

    def file_hashes(self):
        root = self.var_dir / "private-media"
        return {
            str(path.relative_to(root)): sha256_of(path)
            for path in root.rglob("*")
            if path.is_file()
        }

    def drop(self):
        if connection.vendor != "sqlite":
            with psycopg.connect(self.admin, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
