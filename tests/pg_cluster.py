"""A throwaway PostgreSQL cluster for the tests: a temp folder, 127.0.0.1 only, a free port.

PostgreSQL refuses to run as root, so when the tests run as root the cluster belongs to the
``postgres`` user (``runuser -u postgres -- initdb/pg_ctl``). The folder is made with
``mkdtemp`` (not pytest's tmp_path, whose parents only root can enter) and owned by whoever runs
the server. Nothing here ever listens on, or connects to, another address than 127.0.0.1.
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

HOST = "127.0.0.1"
SUPERUSER = "postgres"


def server_binaries() -> Path | None:
    """The newest installed PostgreSQL's bin folder (Debian's layout), or None."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[4])
    )
    return Path(found[-1]).parent if found else None


def why_no_server() -> str | None:
    """Why a cluster cannot be started here, in one line; None when it can."""
    if server_binaries() is None:
        return "PostgreSQL is not installed (Debian: apt-get install postgresql)"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install -e '.[dev]')"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no 'postgres' user to run the server as"
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass
class Cluster:
    """A running cluster: its folder, port and the superuser's password."""

    folder: Path
    port: int
    password: str
    bindir: Path
    _as_postgres: bool = field(default=False, repr=False)

    def url(self, database: str, user: str = SUPERUSER, password: str | None = None) -> str:
        secret = self.password if password is None else password
        return f"postgresql+psycopg://{user}:{secret}@{HOST}:{self.port}/{database}"

    def _run(self, *argv: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / argv[0]), *argv[1:]]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=False, timeout=600)

    def sql(self, statement: str, database: str = "postgres", **connect: str) -> list[tuple]:
        """Run one statement as the superuser (or ``user``/``password``); autocommit."""
        import psycopg

        params = {"user": SUPERUSER, "password": self.password} | connect
        with psycopg.connect(
            host=HOST, port=self.port, dbname=database, autocommit=True, **params
        ) as conn:
            cursor = conn.execute(statement)  # type: ignore[arg-type]
            return cursor.fetchall() if cursor.description else []

    def psql(
        self, statement: str, database: str, user: str, password: str
    ) -> subprocess.CompletedProcess[str]:
        """The real ``psql`` client, as a person at a terminal would run it."""
        return subprocess.run(
            [
                str(self.bindir / "psql"),
                "-X",
                "-At",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                HOST,
                "-p",
                str(self.port),
                "-U",
                user,
                "-d",
                database,
                "-c",
                statement,
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
            env=dict(os.environ, PGPASSWORD=password, PGCONNECT_TIMEOUT="10"),
        )

    def stop(self, *, keep: bool = False) -> None:
        """Stop the server, and remove its folder unless ``keep`` (a benchmark's cached one)."""
        self._run("pg_ctl", "stop", "-D", str(self.folder / "data"), "-m", "fast", "-w")
        if not keep:
            shutil.rmtree(self.folder, ignore_errors=True)


def start_cluster(*, durable: bool = False, folder: Path | None = None) -> Cluster:
    """Make and start a cluster; the caller must ``stop()`` it (even when tests fail).

    The tests' cluster skips flushing to disk; ``durable`` keeps the server's own defaults
    (fsync, synchronous commit), for benchmarks that must count what a real server does.
    ``folder``: a cluster kept there between runs (a benchmark's demo, loaded once): made the
    first time, started again as it was after (``stop(keep=True)``).
    """
    bindir = server_binaries()
    assert bindir is not None, why_no_server()
    as_postgres = os.geteuid() == 0
    if folder is not None and (folder / "data" / "PG_VERSION").exists():
        password = (folder / "pwfile").read_text().strip()
        cluster = Cluster(folder, _free_port(), password, bindir, as_postgres)
        _start(cluster, durable, keep=True)
        return cluster
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    else:
        folder = Path(tempfile.mkdtemp(prefix="circlekeeper-pg-"))
    password = secrets.token_urlsafe(16)
    (folder / "pwfile").write_text(password + "\n")
    if as_postgres:
        account = pwd.getpwnam("postgres")
        os.chown(folder, account.pw_uid, account.pw_gid)
        os.chown(folder / "pwfile", account.pw_uid, account.pw_gid)
    cluster = Cluster(folder, _free_port(), password, bindir, as_postgres)
    made = cluster._run(
        "initdb",
        "-D",
        str(folder / "data"),
        "-U",
        SUPERUSER,
        "--pwfile",
        str(folder / "pwfile"),
        "--auth=scram-sha-256",
        "-E",
        "UTF8",
        "--locale=C.UTF-8",
        "--no-sync",  # a throwaway cluster: nothing to make durable
    )
    if made.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"initdb failed: {made.stderr.strip()}")
    _start(cluster, durable, keep=False)
    return cluster


def _start(cluster: Cluster, durable: bool, *, keep: bool) -> None:
    folder = cluster.folder
    options = (
        f"-c listen_addresses={HOST} -p {cluster.port} -c unix_socket_directories={folder} "
        "-c max_connections=200"
    )
    if not durable:
        options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    started = cluster._run(
        "pg_ctl", "start", "-D", str(folder / "data"), "-o", options, "-l",
        str(folder / "server.log"), "-w", "-t", "60",
    )  # fmt: skip
    if started.returncode != 0:
        log = (folder / "server.log").read_text() if (folder / "server.log").exists() else ""
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"the test server did not start: {started.stderr.strip()} {log}")
