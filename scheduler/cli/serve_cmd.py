"""``wfm serve``: run the gRPC service (flags mirror the ``WFM_*`` settings)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    """Add the ``serve`` command to the ``wfm`` app."""

    @app.command("serve")
    def serve_command(
        listen: str = typer.Option(None, help="host:port to bind [WFM_LISTEN; 127.0.0.1:50051]"),
        data_dir: Path = typer.Option(None, help="data directory [WFM_DATA_DIR; ./wfm-data]"),
        database_url: str = typer.Option(
            None, help="SQLAlchemy URL, e.g. postgresql+psycopg://... [WFM_DATABASE_URL]"
        ),
        workers: int = typer.Option(None, help="solver worker processes [WFM_WORKERS; 2]"),
        max_jobs: int = typer.Option(
            None, help="solves/forecasts admitted at once [WFM_MAX_JOBS; 8]"
        ),
        default_time_limit: float = typer.Option(
            None, "--default-time-limit", help="solve time limit if unset, s [30]"
        ),
        auth_file: Path = typer.Option(None, help="tokens file [WFM_AUTH_FILE]"),
        tls_cert: Path = typer.Option(None, help="server certificate (PEM) [WFM_TLS_CERT]"),
        tls_key: Path = typer.Option(None, help="server private key (PEM) [WFM_TLS_KEY]"),
        tls_client_ca: Path = typer.Option(
            None, help="CA for client certificates: enables mutual TLS [WFM_TLS_CLIENT_CA]"
        ),
        metrics_listen: str = typer.Option(
            None, help="host:port of /metrics, 'off' to disable [WFM_METRICS_LISTEN]"
        ),
        grace: float = typer.Option(None, help="shutdown grace period, s [WFM_GRACE_S; 10]"),
        log_level: str = typer.Option(None, help="DEBUG, INFO, WARNING, ERROR [WFM_LOG_LEVEL]"),
        log_format: str = typer.Option(None, help="json or text [WFM_LOG_FORMAT]"),
    ) -> None:
        """Serve the gRPC API (forecast, staffing, rosters) until Ctrl-C / SIGTERM.

        A fresh data directory gets an admin token (printed path in the log); every call except
        health checking needs `authorization: Bearer <token>`.
        """
        from scheduler.cli.common import user_errors
        from scheduler.service.metrics import configure_logging
        from scheduler.service.server import serve
        from scheduler.service.settings import load_settings

        with user_errors():
            settings = load_settings(
                {
                    "listen": listen,
                    "data_dir": data_dir,
                    "database_url": database_url,
                    "workers": workers,
                    "max_jobs": max_jobs,
                    "default_time_limit_s": default_time_limit,
                    "auth_file": auth_file,
                    "tls_cert": tls_cert,
                    "tls_key": tls_key,
                    "tls_client_ca": tls_client_ca,
                    "metrics_listen": metrics_listen,
                    "grace_s": grace,
                    "log_level": log_level.upper() if log_level else None,
                    "log_format": log_format,
                }
            )
            configure_logging(settings.log_level, settings.log_format)
            asyncio.run(serve(settings))
