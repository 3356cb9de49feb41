"""Operations: Prometheus metrics, TLS and mutual TLS, graceful shutdown, PostgreSQL server."""

from __future__ import annotations

import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from scheduler.service.testing import (
    PIPELINE_PROBLEM,
    ServerThread,
    auth,
    client_for,
    roster_input,
    write_tokens,
)
from scheduler.v1 import roster_pb2, roster_service_pb2, roster_service_pb2_grpc


def test_metrics_count_calls_by_code(tmp_path: Path) -> None:
    """/metrics shows calls per method and code, latency and the task gauge."""
    server = ServerThread(
        data_dir=tmp_path,
        auth_file=write_tokens(tmp_path / "tokens.json"),
        workers=1,
        max_jobs=1,
        metrics_listen="127.0.0.1:0",
    ).start()
    try:
        c = client_for(server.address)
        c.rosters.ListRosters(
            roster_service_pb2.ListRostersRequest(), metadata=auth("viewer-a"), timeout=5
        )
        with pytest.raises(grpc.RpcError):
            c.rosters.ListRosters(roster_service_pb2.ListRostersRequest(), timeout=5)
        assert server.server is not None and server.server.metrics.port
        url = f"http://127.0.0.1:{server.server.metrics.port}/metrics"
        method = "/scheduler.v1.RosterService/ListRosters"
        expected = [
            f'wfm_rpc_total{{code="OK",method="{method}"}} 1.0',
            f'wfm_rpc_total{{code="UNAUTHENTICATED",method="{method}"}} 1.0',
        ]
        deadline = time.monotonic() + 5
        while True:  # the server counts a call just after the client has its answer
            with urllib.request.urlopen(url, timeout=5) as reply:
                text = reply.read().decode()
            if all(line in text for line in expected) or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert all(line in text for line in expected), text
        assert "wfm_rpc_seconds_bucket" in text and "wfm_tasks_in_flight" in text
        c.channel.close()
    finally:
        server.stop()


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A CA, a server certificate for 127.0.0.1/localhost and a client certificate."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl not installed")
    d = tmp_path_factory.mktemp("pki")
    _openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=wfm-test-ca",
        cwd=d,
    )
    (d / "san.cnf").write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    for name in ("server", "client"):
        _openssl(
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            f"{name}.key",
            "-out",
            f"{name}.csr",
            "-subj",
            f"/CN={name}",
            cwd=d,
        )
        _openssl(
            "x509",
            "-req",
            "-in",
            f"{name}.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            f"{name}.pem",
            "-days",
            "2",
            "-extfile",
            "san.cnf",
            cwd=d,
        )
    return d


def test_mutual_tls(tmp_path: Path, pki: Path) -> None:
    """With a client CA set, a client without a certificate cannot connect; one with can."""
    server = ServerThread(
        data_dir=tmp_path,
        auth_file=write_tokens(tmp_path / "tokens.json"),
        workers=1,
        max_jobs=1,
        tls_cert=pki / "server.pem",
        tls_key=pki / "server.key",
        tls_client_ca=pki / "ca.pem",
    ).start()
    try:
        port = server.address.rsplit(":", 1)[1]
        ca = (pki / "ca.pem").read_bytes()
        good = grpc.ssl_channel_credentials(
            root_certificates=ca,
            private_key=(pki / "client.key").read_bytes(),
            certificate_chain=(pki / "client.pem").read_bytes(),
        )
        with grpc.secure_channel(f"localhost:{port}", good) as channel:
            reply = roster_service_pb2_grpc.RosterServiceStub(channel).ListRosters(
                roster_service_pb2.ListRostersRequest(), metadata=auth("viewer-a"), timeout=10
            )
            assert list(reply.rosters) == []
        no_cert = grpc.ssl_channel_credentials(root_certificates=ca)
        with grpc.secure_channel(f"localhost:{port}", no_cert) as channel:
            with pytest.raises(grpc.RpcError) as info:
                health_pb2_grpc.HealthStub(channel).Check(
                    health_pb2.HealthCheckRequest(), timeout=5
                )
            assert info.value.code() == grpc.StatusCode.UNAVAILABLE
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel, pytest.raises(grpc.RpcError):
            health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=5)
    finally:
        server.stop()


def test_graceful_shutdown_turns_health_not_serving(tmp_path: Path) -> None:
    """During shutdown health answers NOT_SERVING before the port closes."""
    server = ServerThread(
        data_dir=tmp_path, auth_file=write_tokens(tmp_path / "tokens.json"), workers=1, max_jobs=1
    ).start()
    assert server.server is not None
    server.call(server.server.health.enter_graceful_shutdown())
    with grpc.insecure_channel(server.address) as channel:
        reply = health_pb2_grpc.HealthStub(channel).Check(
            health_pb2.HealthCheckRequest(service="scheduler.v1.RosterService"), timeout=5
        )
    assert reply.status == health_pb2.HealthCheckResponse.NOT_SERVING
    server.stop()


def test_server_on_postgresql(tmp_path: Path, postgres_url: str) -> None:
    """The same server on PostgreSQL: generate, publish, list (generate needs the engine)."""
    server = ServerThread(
        data_dir=tmp_path,
        auth_file=write_tokens(tmp_path / "tokens.json"),
        workers=1,
        max_jobs=2,
        database_url=postgres_url,
    ).start()
    try:
        c = client_for(server.address)
        md = auth("planner-a")
        if PIPELINE_PROBLEM is None:
            v1 = c.rosters.GenerateRoster(
                roster_service_pb2.GenerateRosterRequest(input=roster_input(site="pg-site")),
                metadata=md,
                timeout=60,
            ).roster
            published = c.rosters.PublishRoster(
                roster_service_pb2.PublishRosterRequest(roster_id=v1.roster_id, version=1),
                metadata=md,
                timeout=10,
            ).roster
            assert published.state == roster_pb2.ROSTER_STATE_PUBLISHED
        listed = c.rosters.ListRosters(
            roster_service_pb2.ListRostersRequest(site="pg-site"), metadata=md, timeout=10
        )
        assert len(listed.rosters) == (1 if PIPELINE_PROBLEM is None else 0)
        c.channel.close()
    finally:
        server.stop()


def test_server_only_tls(tmp_path: Path, pki: Path) -> None:
    """TLS without client certificates: a client trusting the CA gets in with just a token; a
    plaintext client and a client trusting another CA cannot connect."""
    server = ServerThread(
        data_dir=tmp_path,
        auth_file=write_tokens(tmp_path / "tokens.json"),
        workers=1,
        max_jobs=1,
        tls_cert=pki / "server.pem",
        tls_key=pki / "server.key",
    ).start()
    try:
        port = server.address.rsplit(":", 1)[1]
        trusting = grpc.ssl_channel_credentials(root_certificates=(pki / "ca.pem").read_bytes())
        with grpc.secure_channel(f"localhost:{port}", trusting) as channel:
            stub = roster_service_pb2_grpc.RosterServiceStub(channel)
            reply = stub.ListRosters(
                roster_service_pb2.ListRostersRequest(), metadata=auth("viewer-a"), timeout=10
            )
            assert list(reply.rosters) == []
            with pytest.raises(grpc.RpcError) as info:  # TLS is no substitute for a token
                stub.ListRosters(roster_service_pb2.ListRostersRequest(), timeout=10)
            assert info.value.code() == grpc.StatusCode.UNAUTHENTICATED
        # The client's own certificate trusts only itself, not the server's CA.
        other_ca = grpc.ssl_channel_credentials(root_certificates=(pki / "client.pem").read_bytes())
        with grpc.secure_channel(f"localhost:{port}", other_ca) as channel:
            with pytest.raises(grpc.RpcError) as info:
                health_pb2_grpc.HealthStub(channel).Check(
                    health_pb2.HealthCheckRequest(), timeout=5
                )
            assert info.value.code() == grpc.StatusCode.UNAVAILABLE
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel, pytest.raises(grpc.RpcError):
            health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=5)
    finally:
        server.stop()
