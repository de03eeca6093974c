"""Helpers shared by the benchmarks (they run as scripts: `python bench/<name>.py`)."""

import os
import sys
import tempfile
from pathlib import Path


def setup_demo_django(*, use_database_url: bool, prefix: str) -> str:
    """Django on a migrated database holding seed_demo's clinic: the DATABASE_URL one when
    asked (the benchmark removes the rows it makes), else a throwaway SQLite file. Returns
    where it is, for the report."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic_assistant.test_settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")  # keep the tables readable (httpx logs every request)
    if use_database_url:
        if not os.environ.get("DATABASE_URL"):
            sys.exit("--database-url needs DATABASE_URL")
        where = os.environ["DATABASE_URL"].split("@")[-1]
    else:
        path = Path(tempfile.mkdtemp(prefix=prefix)) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        where = str(path)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", verbosity=0)
    return where


def recreate_database(url: str) -> None:
    """Drop and create the PostgreSQL database named in `url`, so every run starts empty."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]
