"""Tables of the service, as SQLAlchemy 2 ORM models (the current schema).

The schema is created and upgraded by :mod:`scheduler.service.store.migrations`, never by
``create_all`` at run time; a test checks the migrated schema matches these models.

- ``rosters``: one row per roster (tenant, site, horizon) with its latest and published version
  numbers; ``latest_version`` is the optimistic-lock column.
- ``roster_versions``: every version's full result (JSON), inputs digest, who and when.
- ``jobs``: roster jobs with their inputs, state, last progress and outcome.
- ``audit_events``: who generated, published or cancelled what, from which inputs.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of the service's tables."""


class RosterRow(Base):
    """A roster across its versions."""

    __tablename__ = "rosters"
    __table_args__ = (Index("ix_rosters_tenant_create_time", "tenant", "create_time", "id"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(128), index=True)
    site: Mapped[str] = mapped_column(String(256))
    horizon_start: Mapped[str] = mapped_column(String(10))
    days: Mapped[int] = mapped_column(Integer)
    latest_version: Mapped[int] = mapped_column(Integer, default=0)
    published_version: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[str] = mapped_column(String(256))
    create_time: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    update_time: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class RosterVersionRow(Base):
    """One version of a roster: the engine's full result and the inputs' digest."""

    __tablename__ = "roster_versions"
    __table_args__ = (
        UniqueConstraint("roster_id", "version", name="uq_roster_versions_roster_version"),
        UniqueConstraint("tenant", "request_id", name="uq_roster_versions_request"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    roster_id: Mapped[str] = mapped_column(ForeignKey("rosters.id"), index=True)
    tenant: Mapped[str] = mapped_column(String(128))
    version: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(16))
    result_json: Mapped[str] = mapped_column(Text)
    kpis_json: Mapped[str] = mapped_column(Text, default="[]")
    inputs_sha256: Mapped[str] = mapped_column(String(64))
    request_id: Mapped[str | None] = mapped_column(String(256), nullable=True)
    job_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_by: Mapped[str] = mapped_column(String(256))
    create_time: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    published_by: Mapped[str | None] = mapped_column(String(256), nullable=True)
    publish_time: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class JobRow(Base):
    """A roster job: inputs, state, progress and outcome."""

    __tablename__ = "jobs"
    __table_args__ = (UniqueConstraint("tenant", "request_id", name="uq_jobs_request"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    tenant: Mapped[str] = mapped_column(String(128), index=True)
    site: Mapped[str] = mapped_column(String(256))
    request_id: Mapped[str | None] = mapped_column(String(256), nullable=True)
    state: Mapped[str] = mapped_column(String(16), index=True)
    roster_id: Mapped[str] = mapped_column(String(64))
    expected_version: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=0)
    input_blob: Mapped[str] = mapped_column(Text)
    inputs_sha256: Mapped[str] = mapped_column(String(64))
    progress_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    solve_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    error: Mapped[str] = mapped_column(Text, default="")
    error_code: Mapped[str] = mapped_column(String(32), default="")
    clashes_json: Mapped[str] = mapped_column(Text, default="[]")
    created_by: Mapped[str] = mapped_column(String(256))
    create_time: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    start_time: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    end_time: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    replica: Mapped[str] = mapped_column(String(256), default="")
    heartbeat_time: Mapped[dt.datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )


class AuditRow(Base):
    """Who did what to which roster or job, from which inputs."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_tenant_target", "tenant", "target"),
        Index("ix_audit_events_tenant_id", "tenant", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    time: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    tenant: Mapped[str] = mapped_column(String(128), index=True)
    principal: Mapped[str] = mapped_column(String(256))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=0)
    inputs_sha256: Mapped[str] = mapped_column(String(64), default="")
    details_json: Mapped[str] = mapped_column(Text, default="{}")
    site: Mapped[str] = mapped_column(String(256), default="")
