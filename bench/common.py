"""Helpers shared by the benchmarks (they run as scripts: `python bench/<name>.py`)."""

import os
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def render_start_command() -> list[str]:
    """render.yaml's startCommand, as the words of a command (`$PORT` left in)."""
    for line in (ROOT / "render.yaml").read_text().splitlines():
        if line.strip().startswith("startCommand: gunicorn"):
            return shlex.split(line.split("startCommand:", 1)[1])
    raise RuntimeError("render.yaml has no gunicorn startCommand")


RENDER_START = render_start_command()


def production_env(*, base: str, database_url: str, auth_token: str, account_sid: str, **overrides: str) -> dict:
    """The environment of a production deploy on loopback: DEBUG off, signed webhooks
    checked against `base`, the given database; `overrides` on top."""
    import secrets

    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "clinic_assistant.settings",
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-" + secrets.token_hex(24),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "PUBLIC_BASE_URL": base,
        "TWILIO_AUTH_TOKEN": auth_token,
        "TWILIO_ACCOUNT_SID": account_sid,
        "GOOGLE_APPLICATION_CREDENTIALS": "",
        **overrides,
    }


def prepare_database(database_url: str, *, env: dict, tree: Path = ROOT) -> None:
    """A fresh PostgreSQL database for a served benchmark: created, migrated, seed_demo."""
    print(f"database {database_url.rsplit('/', 1)[1]}: create, migrate, seed_demo ...", flush=True)
    recreate_database(database_url)
    for manage in (["migrate", "--noinput", "-v", "0"], ["seed_demo", "-v", "0"]):
        subprocess.run([sys.executable, "manage.py", *manage], cwd=tree, env=env, check=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A server process started and stopped by a benchmark only: `command` with `$PORT`
    replaced, bound to loopback, healthy on /health before the benchmark starts."""

    def __init__(self, command: list[str], *, env: dict, port: int, log_path: Path, cwd: Path):
        self.command = [word.replace("$PORT", str(port)).replace("0.0.0.0:", "127.0.0.1:") for word in command]
        if self.command[0] == "gunicorn":
            self.command[0] = str(Path(sys.executable).with_name("gunicorn"))
        self.env, self.port, self.log_path, self.cwd = env, port, log_path, cwd
        self.process: subprocess.Popen | None = None

    def __enter__(self):
        log = self.log_path.open("w")
        self.process = subprocess.Popen(self.command, cwd=self.cwd, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.command[0]} exited; see {self.log_path}")
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"the server did not become healthy; see {self.log_path}")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


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
