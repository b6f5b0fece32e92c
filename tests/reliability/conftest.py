"""A throwaway PostgreSQL server that a test may stop and start at will:
its own data folder in /tmp, a free port on 127.0.0.1, trust
authentication. Never the machine's shared server.

Skipped with the reason when PostgreSQL's server binaries are missing,
except under CI=true, where that is a failure."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def _skip_or_fail(reason: str):
    if IN_CI:
        pytest.fail(reason)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ThrowawayPostgres:
    def __init__(self, bin_dir: Path, folder: Path, as_user: str | None):
        self.bin = bin_dir
        self.folder = folder
        self.data = folder / "data"
        self.port = free_port()
        self.as_user = as_user

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.as_user:  # the server refuses to run as root
            command = ["runuser", "-u", self.as_user, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if check and result.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {result.stderr or result.stdout}")
        return result

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                  "--no-sync", "--no-instructions")

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c full_page_writes=off -c synchronous_commit=off")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "server.log"),
                  "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def create_database(self, name: str) -> str:
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
        return self.url(name)


@pytest.fixture(scope="session")
def throwaway_postgres():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        _skip_or_fail("PostgreSQL's server binaries (initdb, pg_ctl) are not installed "
                      "(apt-get install postgresql)")
    bin_dir = Path(found[-1]).parent
    as_user = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            _skip_or_fail("running as root and there is no 'postgres' user to run a throwaway server as")
        if not shutil.which("runuser"):
            _skip_or_fail("running as root and runuser is missing")
        as_user = "postgres"
    folder = Path(tempfile.mkdtemp(prefix="t2-throwaway-pg-"))
    if as_user:
        record = pwd.getpwnam(as_user)
        os.chown(folder, record.pw_uid, record.pw_gid)
    server = ThrowawayPostgres(bin_dir, folder, as_user)
    try:
        server.init()
        server.start()
    except Exception as exc:  # noqa: BLE001
        shutil.rmtree(folder, ignore_errors=True)
        _skip_or_fail(f"a throwaway PostgreSQL server could not start: {exc}")
    yield server
    server.stop("immediate")
    shutil.rmtree(folder, ignore_errors=True)
