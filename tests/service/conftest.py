"""Fixtures of the service tests: a real server on port 0 in a background thread, real stubs.

The server runs its own event loop in a thread (as ``wfm serve`` runs one in the main thread);
tests call it with the ordinary synchronous stubs a client would use.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from scheduler.service.testing import Client, ServerThread, client_for, write_tokens


@pytest.fixture(scope="session")
def shared_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerThread]:
    """One server for the tests that do not restart it (2 workers, SQLite)."""
    data = tmp_path_factory.mktemp("wfm-shared")
    server = ServerThread(
        data_dir=data, auth_file=write_tokens(data / "tokens.json"), workers=2, max_jobs=4
    ).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def client(shared_server: ServerThread) -> Iterator[Client]:
    """Stubs connected to the shared server."""
    c = client_for(shared_server.address)
    yield c
    c.channel.close()


def _pg_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if found:
        return found[-1].parent
    which = shutil.which("pg_ctl")
    return Path(which).parent if which else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL cluster started for the session (skipped if not installed)."""
    bindir = _pg_bin()
    if bindir is None:
        pytest.skip(
            "PostgreSQL binaries not found (/usr/lib/postgresql/*/bin); .ci/run installs them"
        )
    # Not under pytest's basetemp: other pytest sessions on the machine tighten its mode and
    # prune old runs, which would pull the cluster's directory from under it.
    root = Path(tempfile.mkdtemp(prefix="wfm-pg-"))
    data = root / "data"
    prefix: list[str] = []
    if os.geteuid() == 0:  # postgres refuses to run as root
        if shutil.which("runuser") is None:
            pytest.skip("running as root without runuser: cannot start PostgreSQL")
        prefix = ["runuser", "-u", "postgres", "--"]
        shutil.chown(root, "postgres", "postgres")
        os.chmod(root, 0o700)
    port = _free_port()
    run = subprocess.run
    run(
        [
            *prefix,
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
        ],
        check=True,
        capture_output=True,
    )
    run(
        [
            *prefix,
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(root / "log"),
            "-w",
            "-o",
            f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)
