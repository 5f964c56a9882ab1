"""Restoring a set into a fresh database in another process, and reading it back."""

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
