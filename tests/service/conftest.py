"""Fixtures of the service tests: a real server on port 0 in a background thread, real stubs.

The server runs its own event loop in a thread (as ``wfm serve`` runs one in the main thread);
tests call it with the ordinary synchronous stubs a client would use.
"""

from __future__ import annotations

from collections.abc import Iterator

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
