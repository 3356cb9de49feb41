"""Prometheus metrics and structured (JSON) logs of the service.

Each server has its own registry, so several servers in one process (tests) do not clash.
Exposed on ``settings.metrics_listen`` (``/metrics``):

- ``wfm_rpc_total{method,code}``: calls by method and status code;
- ``wfm_rpc_seconds{method}``: call latency histogram;
- ``wfm_solve_seconds{kind}``: worker task time (roster, forecast, staffing, validate);
- ``wfm_tasks_in_flight``: solves and forecasts admitted (running + waiting): the queue depth;
- ``wfm_jobs_total{state}``: roster jobs by final state.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)


class Metrics:
    """The service's metrics in their own registry."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.rpc_total = Counter(
            "wfm_rpc_total",
            "RPCs by method and status code",
            ["method", "code"],
            registry=self.registry,
        )
        self.rpc_seconds = Histogram(
            "wfm_rpc_seconds",
            "RPC latency",
            ["method"],
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.solve_seconds = Histogram(
            "wfm_solve_seconds",
            "Worker task time",
            ["kind"],
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.tasks_in_flight = Gauge(
            "wfm_tasks_in_flight",
            "Worker tasks admitted (running + waiting)",
            registry=self.registry,
        )
        self.jobs_total = Counter(
            "wfm_jobs_total", "Roster jobs by final state", ["state"], registry=self.registry
        )
        self._http: Any = None
        self.port: int | None = None

    def serve(self, listen: str) -> int:
        """Serve ``/metrics`` on ``host:port`` (port 0 = any); returns the port."""
        host, _, port = listen.rpartition(":")
        server, _thread = start_http_server(
            int(port), addr=host or "0.0.0.0", registry=self.registry
        )
        self._http = server
        self.port = int(server.server_port)
        return self.port

    def close(self) -> None:
        """Stop the HTTP endpoint."""
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
            self._http = None


_STANDARD_ATTRS = set(logging.LogRecord("x", 0, "x", 0, "x", None, None).__dict__) | {
    "message",
    "asctime",
    "taskName",
}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and any ``extra`` fields."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD_ATTRS:
                payload[key] = value
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, default=str)


_configured = threading.Lock()


def configure_logging(level: str = "INFO", fmt: str = "json") -> None:
    """Send the ``scheduler`` loggers to stderr as JSON lines (or plain text)."""
    with _configured:
        logger = logging.getLogger("scheduler")
        logger.setLevel(level)
        for handler in list(logger.handlers):
            if getattr(handler, "_wfm", False):
                logger.removeHandler(handler)
        handler = logging.StreamHandler(sys.stderr)
        handler._wfm = True  # type: ignore[attr-defined]
        handler.setFormatter(
            JsonFormatter()
            if fmt == "json"
            else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
        )
        logger.addHandler(handler)
        logger.propagate = False
