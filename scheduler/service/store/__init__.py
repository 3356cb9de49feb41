"""Persistence: SQLAlchemy 2 models, versioned schema migrations and the repository."""

from scheduler.service.store.repository import Repository, open_repository

__all__ = ["Repository", "open_repository"]
