"""Helpers shared by the benchmarks (they run as scripts: `python bench/<name>.py`)."""

import contextlib
import os
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
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
# The served benchmarks' Twilio account: every webhook they send is signed with this token.
AUTH_TOKEN = "bench-auth-token-" + "0" * 16
ACCOUNT_SID = "AC" + "0" * 32


def production_env(*, base: str, database_url: str, **overrides: str) -> dict:
    """The environment of a production deploy on loopback: DEBUG off, webhooks signed with
    AUTH_TOKEN checked against `base`, the given database; `overrides` on top."""
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
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
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


@dataclass(frozen=True)
class ServedApp:
    base: str  # http://127.0.0.1:<port>
    port: int

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"


@contextlib.contextmanager
def served_app(
    *, label: str, database_url: str, command: list[str] | None = None, tree: Path = ROOT, **env: str
) -> Iterator[ServedApp]:
    """The app as a production deploy serves it, on loopback: render.yaml's start command (or
    `command`, e.g. an older commit's) run in `tree`, with production_env, the database pool,
    and a fresh PostgreSQL database (prepare_database); `env` on top. Yielded once healthy,
    stopped after; the server's log goes to a temporary file named after `label`."""
    port = free_port()
    app = ServedApp(base=f"http://127.0.0.1:{port}", port=port)
    environment = production_env(
        base=app.base, database_url=database_url, **{"DATABASE_POOL": "1", "LOG_LEVEL": "WARNING", **env}
    )
    prepare_database(database_url, env=environment, tree=tree)
    log_path = Path(tempfile.gettempdir()) / f"bench_{label}.log"
    with Server(command or RENDER_START, env=environment, port=port, log_path=log_path, cwd=tree):
        yield app


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
