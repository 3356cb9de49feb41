"""Exceptions the service raises; the error interceptor turns each into one status code.

Domain errors (:class:`scheduler.errors.InputError`, :class:`scheduler.errors.InfeasibleError`)
are raised by the domain code itself; these cover what only a service has: records that do not
exist, version conflicts, authentication, admission control and crashed workers.
"""

from __future__ import annotations


class ServiceError(Exception):
    """Base class; ``str(exc)`` is the message the client sees."""


class NotFoundError(ServiceError):
    """A roster, version or job does not exist (or is not visible to the caller)."""


class VersionConflictError(ServiceError):
    """An optimistic-lock check failed: the roster moved on since the caller looked."""


class AlreadyExistsError(ServiceError):
    """An idempotency key was reused for a different request."""


class UnauthenticatedError(ServiceError):
    """No valid bearer token."""


class PermissionDeniedError(ServiceError):
    """The token is valid but its role or scope does not allow the call."""


class ResourceExhaustedError(ServiceError):
    """Admission control: too many solves or forecasts in flight."""


class WorkerCrashedError(ServiceError):
    """A worker process died while running a task; the server keeps serving."""


class DeadlineTooShortError(ServiceError):
    """The call's deadline leaves no time to solve."""


class NoSolutionError(ServiceError):
    """The solver stopped (time limit or cancel) before finding any roster."""
