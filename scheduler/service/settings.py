"""Server settings: one frozen object built from defaults, environment (``WFM_*``) and flags.

Every field can be set by an environment variable named ``WFM_`` + the field name in upper case
(``WFM_LISTEN``, ``WFM_DATABASE_URL``, ``WFM_WORKERS`` ...); ``wfm serve`` flags override those.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from scheduler.errors import FieldProblem, InputError

ENV_PREFIX = "WFM_"


class Settings(BaseModel):
    """Everything ``build_server`` needs; immutable once built."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    listen: str = Field(
        default="127.0.0.1:50051",
        description="host:port to bind; port 0 picks a free port (see Server.port)",
    )
    data_dir: Path = Field(default=Path("wfm-data"), description="SQLite file, tokens, TLS files")
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL (postgresql+psycopg://...); default SQLite in data_dir",
    )
    workers: int = Field(default=2, ge=1, le=256, description="worker processes for solves")
    max_jobs: int = Field(
        default=8,
        ge=1,
        description="solves/forecasts admitted (running + waiting); beyond: RESOURCE_EXHAUSTED",
    )
    default_time_limit_s: float = Field(default=30.0, gt=0, description="solve limit if unset")
    max_time_limit_s: float = Field(default=3600.0, gt=0, description="cap on any solve")
    deadline_margin_s: float = Field(
        default=1.0,
        ge=0,
        description="GenerateRoster stops the solver this long before the call's deadline",
    )
    solver_workers: int = Field(default=1, ge=1, description="CP-SAT workers per solve if unset")
    auth_file: Path | None = Field(
        default=None,
        description="tokens file (YAML/JSON); default data_dir/tokens.json, created on first start",
    )
    tokens_json: str | None = Field(
        default=None, description="tokens as a JSON list (WFM_TOKENS_JSON), added to auth_file"
    )
    tls_cert: Path | None = None
    tls_key: Path | None = None
    tls_client_ca: Path | None = Field(
        default=None, description="CA bundle for client certificates; set to require mutual TLS"
    )
    max_message_mb: int = Field(default=64, ge=1, le=2047)
    max_concurrent_rpcs: int = Field(default=200, ge=1)
    keepalive_time_s: int = Field(default=60, ge=1)
    keepalive_timeout_s: int = Field(default=20, ge=1)
    grace_s: float = Field(default=10.0, ge=0, description="in-flight calls' grace on shutdown")
    metrics_listen: str | None = Field(
        default="127.0.0.1:9464", description="host:port of the Prometheus endpoint; empty = off"
    )
    reflection: bool = True
    replica_id: str | None = Field(
        default=None,
        description="this replica's name in job records; default hostname:pid. Set a stable "
        "one (e.g. the pod name of a StatefulSet) so a restart interrupts its own jobs at once",
    )
    job_poll_s: float = Field(
        default=1.0,
        gt=0,
        le=60,
        description="how often a replica heartbeats its jobs and checks for cancel requests",
    )
    job_stale_s: float = Field(
        default=30.0,
        gt=0,
        description="a job whose replica sent no heartbeat for this long is marked INTERRUPTED",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["json", "text"] = "json"

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        if self.default_time_limit_s > self.max_time_limit_s:
            raise ValueError("default_time_limit_s exceeds max_time_limit_s")
        return self

    @property
    def resolved_database_url(self) -> str:
        """The database URL: the configured one, or a SQLite file in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'wfm.db').resolve()}"

    @property
    def resolved_auth_file(self) -> Path:
        """The tokens file: the configured one, or ``tokens.json`` in the data directory."""
        return self.auth_file or self.data_dir / "tokens.json"

    @property
    def resolved_replica_id(self) -> str:
        """This process's name in job records: the configured one, or ``hostname:pid``."""
        return self.replica_id or f"{socket.gethostname()}:{os.getpid()}"

    @property
    def tls(self) -> bool:
        """Whether the server speaks TLS."""
        return self.tls_cert is not None


CLI_FLAGS = {
    "listen": "--listen",
    "data_dir": "--data-dir",
    "database_url": "--database-url",
    "workers": "--workers",
    "max_jobs": "--max-jobs",
    "default_time_limit_s": "--default-time-limit",
    "auth_file": "--auth-file",
    "tls_cert": "--tls-cert",
    "tls_key": "--tls-key",
    "tls_client_ca": "--tls-client-ca",
    "metrics_listen": "--metrics-listen",
    "grace_s": "--grace",
    "log_level": "--log-level",
    "log_format": "--log-format",
}
"""Settings that ``wfm serve`` also takes as a flag (the rest are environment only)."""


def setting_label(name: str) -> str:
    """How a user sets ``name``: ``tls_key (WFM_TLS_KEY, --tls-key)``."""
    ways = [ENV_PREFIX + name.upper()]
    if name in CLI_FLAGS:
        ways.append(CLI_FLAGS[name])
    return f"{name} ({', '.join(ways)})"


def tls_problems(settings: Settings) -> list[FieldProblem]:
    """What is wrong with the TLS settings: a missing half of the pair, files that are missing,
    unreadable or not PEM. Empty when TLS is off or usable."""
    problems: list[FieldProblem] = []
    cert, key, client_ca = settings.tls_cert, settings.tls_key, settings.tls_client_ca
    if cert is not None and key is None:
        problems.append(
            FieldProblem(setting_label("tls_key"), None, "required when tls_cert is set")
        )
    if key is not None and cert is None:
        problems.append(
            FieldProblem(setting_label("tls_cert"), None, "required when tls_key is set")
        )
    if client_ca is not None and (cert is None or key is None):
        problems.append(
            FieldProblem(
                setting_label("tls_client_ca"),
                str(client_ca),
                "mutual TLS needs tls_cert and tls_key as well",
            )
        )
    for name, path in (("tls_cert", cert), ("tls_key", key), ("tls_client_ca", client_ca)):
        if path is None:
            continue
        try:
            head = path.read_bytes()[:4096]
        except FileNotFoundError:
            problems.append(FieldProblem(setting_label(name), str(path), "no such file"))
            continue
        except IsADirectoryError:
            problems.append(FieldProblem(setting_label(name), str(path), "is a directory"))
            continue
        except OSError as exc:
            problems.append(
                FieldProblem(setting_label(name), str(path), f"cannot read: {exc.strerror}")
            )
            continue
        if b"-----BEGIN" not in head:
            problems.append(FieldProblem(setting_label(name), str(path), "not a PEM file"))
    return problems


def check_tls(settings: Settings) -> None:
    """Raise :class:`InputError` naming each unusable TLS setting (see :func:`tls_problems`)."""
    problems = tls_problems(settings)
    if problems:
        raise InputError("TLS settings", problems)


def load_settings(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Build settings from the environment, then ``overrides`` (flags); ``None`` values are skipped.

    Raises
    ------
    InputError
        Naming each bad setting and the environment variable or flag it came from.
    """
    env = os.environ if environ is None else environ
    raw: dict[str, Any] = {}
    for name in Settings.model_fields:
        key = ENV_PREFIX + name.upper()
        if key in env and env[key] != "":
            raw[name] = env[key]
    if "WFM_TOKENS" in env and "tokens_json" not in raw:
        raw["tokens_json"] = env["WFM_TOKENS"]
    for name, value in (overrides or {}).items():
        if value is not None:
            raw[name] = value
    if raw.get("metrics_listen") in ("", "off", "none"):
        raw["metrics_listen"] = None
    try:
        settings = Settings.model_validate(raw)
    except ValidationError as exc:
        problems = [
            FieldProblem(
                setting_label(str(e["loc"][0])) if e["loc"] else "settings",
                e.get("input"),
                e["msg"],
            )
            for e in exc.errors()
        ]
        raise InputError("settings (WFM_* environment and flags)", problems) from exc
    check_tls(settings)
    return settings
