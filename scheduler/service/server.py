"""The gRPC server: :func:`build_server` wires settings, storage, auth, workers and services.

Order matters: the worker pool is spawned and warmed up *before* the gRPC server starts (spawn,
never fork after gRPC threads exist); the database is migrated and jobs left running by a
previous process are marked INTERRUPTED before the first call is served.

Shutdown (:meth:`WfmServer.stop`): health turns NOT_SERVING first (load balancers stop sending),
new calls are refused, in-flight calls get ``grace_s``; running jobs are asked to stop and keep
their best roster; the pool and the database are closed last.

Usage::

    server = await build_server(load_settings({"listen": "127.0.0.1:0"}))
    await server.start()
    print(server.port)
    await server.wait_for_termination()
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from pathlib import Path

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from scheduler.service import convert
from scheduler.service.auth import ADMIN_TOKEN_FILE, TokenRegistry, load_registry
from scheduler.service.interceptors import ServiceInterceptor
from scheduler.service.jobs import JobManager, RosterWork, WorkerPool
from scheduler.service.metrics import Metrics
from scheduler.service.servicers import ForecastServicer, RosterServicer, StaffingServicer
from scheduler.service.settings import Settings, check_tls
from scheduler.service.store import Repository, open_repository
from scheduler.service.store.repository import now
from scheduler.v1 import (
    forecast_service_pb2,
    forecast_service_pb2_grpc,
    roster_service_pb2,
    roster_service_pb2_grpc,
    staffing_service_pb2,
    staffing_service_pb2_grpc,
)

log = logging.getLogger(__name__)

SERVICE_NAMES = (
    forecast_service_pb2.DESCRIPTOR.services_by_name["ForecastService"].full_name,
    staffing_service_pb2.DESCRIPTOR.services_by_name["StaffingService"].full_name,
    roster_service_pb2.DESCRIPTOR.services_by_name["RosterService"].full_name,
)


class WfmServer:
    """A built server: call :meth:`start`, then :meth:`wait_for_termination` or :meth:`stop`."""

    def __init__(
        self,
        settings: Settings,
        grpc_server: grpc.aio.Server,
        port: int,
        health_servicer: health.aio.HealthServicer,
        pool: WorkerPool,
        repo: Repository,
        jobs: JobManager,
        metrics: Metrics,
        tokens: TokenRegistry,
    ) -> None:
        self.settings = settings
        self.grpc_server = grpc_server
        self.port = port
        self.health = health_servicer
        self.pool = pool
        self.repo = repo
        self.jobs = jobs
        self.metrics = metrics
        self.tokens = tokens
        self._stopped = False

    @property
    def address(self) -> str:
        """``host:port`` clients connect to."""
        host = self.settings.listen.rpartition(":")[0] or "127.0.0.1"
        if host in ("0.0.0.0", "[::]", "::"):
            host = "127.0.0.1"
        return f"{host}:{self.port}"

    @property
    def admin_token_path(self) -> Path:
        """Where a bootstrap admin token is written on first start."""
        return self.settings.data_dir / ADMIN_TOKEN_FILE

    async def start(self) -> None:
        """Start serving and report SERVING on health."""
        self.pool.attach(asyncio.get_running_loop())
        await self.grpc_server.start()
        self.jobs.start()
        for name in ("", *SERVICE_NAMES):
            await self.health.set(name, health_pb2.HealthCheckResponse.SERVING)
        if self.settings.metrics_listen:
            self.metrics.serve(self.settings.metrics_listen)
        log.info(
            "serving",
            extra={
                "address": self.address,
                "tls": self.settings.tls,
                "mutual_tls": self.settings.tls_client_ca is not None,
                "database": _redact(self.settings.resolved_database_url),
                "workers": self.settings.workers,
                "metrics_port": self.metrics.port,
            },
        )

    async def stop(self, grace: float | None = None) -> None:
        """Graceful shutdown: NOT_SERVING, refuse new calls, drain, stop jobs, close."""
        if self._stopped:
            return
        self._stopped = True
        grace_s = self.settings.grace_s if grace is None else grace
        await self.health.enter_graceful_shutdown()
        log.info("shutting down", extra={"grace_s": grace_s})
        await self.jobs.shutdown(grace_s)
        await self.grpc_server.stop(grace_s)
        await asyncio.to_thread(self.pool.close)
        self.metrics.close()
        self.repo.close()

    async def wait_for_termination(self) -> None:
        """Block until the server stops."""
        await self.grpc_server.wait_for_termination()


def _redact(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


def _credentials(settings: Settings) -> grpc.ServerCredentials | None:
    check_tls(settings)  # names the setting (WFM_TLS_KEY...) rather than a bare file error
    if settings.tls_cert is None or settings.tls_key is None:
        return None
    pair = (settings.tls_key.read_bytes(), settings.tls_cert.read_bytes())
    if settings.tls_client_ca is not None:
        return grpc.ssl_server_credentials(
            [pair],
            root_certificates=settings.tls_client_ca.read_bytes(),
            require_client_auth=True,
        )
    return grpc.ssl_server_credentials([pair])


async def build_server(settings: Settings) -> WfmServer:
    """Build (not start) a server: storage, tokens, worker pool, services, port.

    Parameters
    ----------
    settings
        See :class:`~scheduler.service.settings.Settings`; ``listen`` with port 0 binds a free
        port, available as ``WfmServer.port``.
    """
    credentials = _credentials(settings)  # fail on bad TLS files before spawning anything
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    tokens = load_registry(settings.resolved_auth_file, settings.tokens_json, settings.data_dir)
    repo = await asyncio.to_thread(open_repository, settings.resolved_database_url)
    # Other replicas may share the database: interrupt only this replica's own jobs (a stable
    # replica_id) and jobs whose replica stopped sending heartbeats.
    stale_before = now() - dt.timedelta(seconds=settings.job_stale_s)
    interrupted = await asyncio.to_thread(
        lambda: repo.interrupt_active_jobs(
            replica=settings.resolved_replica_id, stale_before=stale_before
        )
    )
    if interrupted:
        log.warning("jobs interrupted by the previous shutdown", extra={"count": interrupted})
    metrics = Metrics()
    pool = WorkerPool(settings.workers, settings.max_jobs, metrics)
    await asyncio.to_thread(pool.warm_up)
    await asyncio.to_thread(convert.warm_up)  # lazy imports must not run on the event loop

    max_bytes = settings.max_message_mb * 1024 * 1024
    server = grpc.aio.server(
        interceptors=[ServiceInterceptor(tokens, metrics)],
        options=[
            ("grpc.max_receive_message_length", max_bytes),
            ("grpc.max_send_message_length", max_bytes),
            ("grpc.keepalive_time_ms", settings.keepalive_time_s * 1000),
            ("grpc.keepalive_timeout_ms", settings.keepalive_timeout_s * 1000),
            ("grpc.http2.min_ping_interval_without_data_ms", 10_000),
            ("grpc.keepalive_permit_without_calls", 1),
            ("grpc.so_reuseport", 0),
        ],
        maximum_concurrent_rpcs=settings.max_concurrent_rpcs,
    )
    work = RosterWork(repo, pool, settings)
    jobs = JobManager(work, metrics)
    forecast_service_pb2_grpc.add_ForecastServiceServicer_to_server(ForecastServicer(work), server)
    staffing_service_pb2_grpc.add_StaffingServiceServicer_to_server(StaffingServicer(work), server)
    roster_service_pb2_grpc.add_RosterServiceServicer_to_server(RosterServicer(work, jobs), server)
    health_servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    for name in ("", *SERVICE_NAMES):
        await health_servicer.set(name, health_pb2.HealthCheckResponse.NOT_SERVING)
    if settings.reflection:
        reflection.enable_server_reflection(
            (*SERVICE_NAMES, health.SERVICE_NAME, reflection.SERVICE_NAME), server
        )
    try:
        if credentials is None:
            port = server.add_insecure_port(settings.listen)
        else:
            port = server.add_secure_port(settings.listen, credentials)
    except RuntimeError as exc:
        await asyncio.to_thread(pool.close)
        repo.close()
        raise OSError(f"cannot listen on {settings.listen}: {exc}") from exc
    return WfmServer(settings, server, port, health_servicer, pool, repo, jobs, metrics, tokens)


async def serve(settings: Settings) -> None:
    """Run a server until SIGINT/SIGTERM, then shut down gracefully."""
    import signal

    server = await build_server(settings)
    await server.start()
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # non-Unix
            loop.add_signal_handler(sig, stop.set)
    waiter = asyncio.create_task(server.wait_for_termination())
    stopper = asyncio.create_task(stop.wait())
    await asyncio.wait({waiter, stopper}, return_when=asyncio.FIRST_COMPLETED)
    await server.stop()
    waiter.cancel()
    stopper.cancel()
