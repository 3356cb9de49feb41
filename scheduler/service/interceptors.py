"""The one interceptor: authentication, exceptions -> status codes, metrics and access logs.

Every RPC except health checking and reflection goes through :class:`ServiceInterceptor`, which
wraps the method's handler so that, around the servicer:

1. the bearer token is checked and the caller bound (see ``auth.current_principal``),
   and the caller's role is checked against the method;
2. exceptions become status codes with rich details (``google.rpc.Status`` in the
   ``grpc-status-details-bin`` trailer, readable with ``grpc_status.rpc_status.from_call``):

   ======================================  ======================  ===========================
   exception                               code                    details
   ======================================  ======================  ===========================
   InputError, pydantic ValidationError    INVALID_ARGUMENT        BadRequest field violations
   InfeasibleError                         FAILED_PRECONDITION     PreconditionFailure clashes
   NotFoundError                           NOT_FOUND               ResourceInfo
   VersionConflictError                    ABORTED                 ErrorInfo VERSION_CONFLICT
   UnauthenticatedError                    UNAUTHENTICATED
   PermissionDeniedError                   PERMISSION_DENIED
   ResourceExhaustedError                  RESOURCE_EXHAUSTED      RetryInfo
   WorkerCrashedError                      UNAVAILABLE             RetryInfo
   DeadlineTooShortError, NoSolutionError  DEADLINE_EXCEEDED
   RosterNotFoundError                     DEADLINE_EXCEEDED       PreconditionFailure reasons
   anything else                           INTERNAL                (logged with an incident id)
   ======================================  ======================  ===========================

3. calls are counted and timed per method and code, and logged as one structured line.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import grpc
from google.protobuf import any_pb2, duration_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status
from pydantic import ValidationError

from scheduler.errors import InfeasibleError, InputError, RosterNotFoundError
from scheduler.service import errors
from scheduler.service.auth import (
    OPEN_METHOD_PREFIXES,
    TokenRegistry,
    reset_current_principal,
    set_current_principal,
)
from scheduler.service.metrics import Metrics

log = logging.getLogger(__name__)

_CODE_OF: tuple[tuple[type[BaseException], grpc.StatusCode], ...] = (
    (InputError, grpc.StatusCode.INVALID_ARGUMENT),
    (ValidationError, grpc.StatusCode.INVALID_ARGUMENT),
    (InfeasibleError, grpc.StatusCode.FAILED_PRECONDITION),
    (errors.NotFoundError, grpc.StatusCode.NOT_FOUND),
    (errors.VersionConflictError, grpc.StatusCode.ABORTED),
    (errors.AlreadyExistsError, grpc.StatusCode.ALREADY_EXISTS),
    (errors.UnauthenticatedError, grpc.StatusCode.UNAUTHENTICATED),
    (errors.PermissionDeniedError, grpc.StatusCode.PERMISSION_DENIED),
    (errors.ResourceExhaustedError, grpc.StatusCode.RESOURCE_EXHAUSTED),
    (errors.WorkerCrashedError, grpc.StatusCode.UNAVAILABLE),
    (errors.DeadlineTooShortError, grpc.StatusCode.DEADLINE_EXCEEDED),
    (errors.NoSolutionError, grpc.StatusCode.DEADLINE_EXCEEDED),
    # Not proven impossible: the time given ran out, and more of it may find a roster.
    (RosterNotFoundError, grpc.StatusCode.DEADLINE_EXCEEDED),
)


def _pack(message: Any) -> any_pb2.Any:
    packed = any_pb2.Any()
    packed.Pack(message)
    return packed


def _describe(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 200 else text[:197] + "..."


def status_of(exc: BaseException) -> tuple[grpc.StatusCode, str, list[str]]:
    """Code, message and clashes for an exception (jobs record these for failed jobs)."""
    code = grpc.StatusCode.INTERNAL
    for kind, mapped in _CODE_OF:
        if isinstance(exc, kind):
            code = mapped
            break
    if code is grpc.StatusCode.INTERNAL:
        return code, f"internal error ({type(exc).__name__})", []
    clashes: list[str] = []
    if isinstance(exc, InfeasibleError):
        clashes = list(exc.clashes)
    elif isinstance(exc, RosterNotFoundError):
        clashes = list(exc.reasons)
    if isinstance(exc, InputError):
        message = f"{exc.source}: {len(exc.problems)} problem(s): " + "; ".join(
            str(p) for p in exc.problems[:5]
        )
    elif isinstance(exc, InfeasibleError):
        message = "no roster satisfies the hard rules: " + "; ".join(exc.clashes[:5])
    elif isinstance(exc, RosterNotFoundError):
        message = (
            "no roster meeting the hard rules was found in the time given (not proven "
            "impossible; allow more time): " + "; ".join(exc.reasons[:5])
        )
    elif isinstance(exc, ValidationError):
        message = f"invalid input: {exc.error_count()} problem(s)"
    else:
        message = str(exc)
    return code, message, clashes


def rich_status(exc: BaseException, incident: str | None = None) -> grpc.Status:
    """The ``grpc.Status`` (code, message, details trailer) for an exception."""
    code, message, clashes = status_of(exc)
    if incident is not None and code is grpc.StatusCode.INTERNAL:
        message = f"{message}; incident {incident}"
    details: list[any_pb2.Any] = []
    if isinstance(exc, InputError):
        details.append(
            _pack(
                error_details_pb2.BadRequest(
                    field_violations=[
                        error_details_pb2.BadRequest.FieldViolation(
                            field=p.field, description=f"{p.message} (got {_describe(p.value)})"
                        )
                        for p in exc.problems
                    ]
                )
            )
        )
    elif isinstance(exc, ValidationError):
        details.append(
            _pack(
                error_details_pb2.BadRequest(
                    field_violations=[
                        error_details_pb2.BadRequest.FieldViolation(
                            field=".".join(str(p) for p in e["loc"]),
                            description=f"{e['msg']} (got {_describe(e.get('input'))})",
                        )
                        for e in exc.errors()
                    ]
                )
            )
        )
    elif clashes:
        # A proven clash, or what the search did not find in time (not proven impossible).
        kind = "RULE_CLASH" if isinstance(exc, InfeasibleError) else "NOT_FOUND_IN_TIME"
        details.append(
            _pack(
                error_details_pb2.PreconditionFailure(
                    violations=[
                        error_details_pb2.PreconditionFailure.Violation(
                            type=kind, subject="scenario.rules", description=clash
                        )
                        for clash in clashes
                    ]
                )
            )
        )
    elif isinstance(exc, errors.VersionConflictError):
        details.append(
            _pack(error_details_pb2.ErrorInfo(reason="VERSION_CONFLICT", domain="scheduler.v1"))
        )
    elif isinstance(exc, errors.ResourceExhaustedError | errors.WorkerCrashedError):
        details.append(
            _pack(error_details_pb2.RetryInfo(retry_delay=duration_pb2.Duration(seconds=1)))
        )
    status = status_pb2.Status(code=getattr(code_pb2, code.name), message=message, details=details)
    return rpc_status.to_status(status)


Behavior = Callable[[Any, grpc.aio.ServicerContext], Any]


class ServiceInterceptor(grpc.aio.ServerInterceptor):
    """Authentication, error mapping, metrics and access logs around every API method."""

    def __init__(self, tokens: TokenRegistry, metrics: Metrics) -> None:
        self.tokens = tokens
        self.metrics = metrics

    async def intercept_service(
        self,
        continuation: Callable[[grpc.HandlerCallDetails], Awaitable[grpc.RpcMethodHandler]],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler:
        handler = await continuation(handler_call_details)
        method = handler_call_details.method
        if handler is None or method.startswith(OPEN_METHOD_PREFIXES):
            return handler
        if handler.unary_unary is not None:
            return grpc.unary_unary_rpc_method_handler(
                self._unary(method, handler.unary_unary),
                request_deserializer=handler.request_deserializer,
                response_serializer=handler.response_serializer,
            )
        if handler.unary_stream is not None:
            return grpc.unary_stream_rpc_method_handler(
                self._stream(method, handler.unary_stream),
                request_deserializer=handler.request_deserializer,
                response_serializer=handler.response_serializer,
            )
        return handler  # the API has no client-streaming methods

    def _authenticate(self, method: str, context: grpc.aio.ServicerContext) -> Any:
        metadata = dict(context.invocation_metadata() or ())
        principal = self.tokens.authenticate(metadata.get("authorization"))
        self.tokens.authorize(principal, method)
        return principal

    async def _fail(
        self, method: str, exc: BaseException, context: grpc.aio.ServicerContext
    ) -> None:
        incident = uuid.uuid4().hex[:12]
        status = rich_status(exc, incident)
        if status.code is grpc.StatusCode.INTERNAL:
            log.error(
                "unhandled error",
                exc_info=exc,
                extra={"method": method, "incident": incident},
            )
        await context.abort(status.code, status.details, trailing_metadata=status.trailing_metadata)

    def _done(self, method: str, code: grpc.StatusCode, started: float, who: str) -> None:
        elapsed = time.perf_counter() - started
        self.metrics.rpc_total.labels(method, code.name).inc()
        self.metrics.rpc_seconds.labels(method).observe(elapsed)
        log.info(
            "rpc",
            extra={"method": method, "code": code.name, "ms": round(elapsed * 1000, 2), "who": who},
        )

    def _unary(self, method: str, behavior: Behavior) -> Behavior:
        async def wrapper(request: Any, context: grpc.aio.ServicerContext) -> Any:
            started = time.perf_counter()
            code = grpc.StatusCode.OK
            who = "-"
            token = None
            try:
                principal = self._authenticate(method, context)
                who = principal.name
                token = set_current_principal(principal)
                return await behavior(request, context)
            except asyncio.CancelledError:
                code = grpc.StatusCode.CANCELLED
                raise
            except grpc.aio.AbortError:
                code = context.code() or grpc.StatusCode.UNKNOWN  # type: ignore[assignment]
                raise
            except Exception as exc:
                code = status_of(exc)[0]
                await self._fail(method, exc, context)
            finally:
                if token is not None:
                    reset_current_principal(token)
                self._done(method, code, started, who)

        return wrapper

    def _stream(self, method: str, behavior: Behavior) -> Behavior:
        async def wrapper(request: Any, context: grpc.aio.ServicerContext) -> AsyncIterator[Any]:
            started = time.perf_counter()
            code = grpc.StatusCode.OK
            who = "-"
            token = None
            try:
                principal = self._authenticate(method, context)
                who = principal.name
                token = set_current_principal(principal)
                async for item in behavior(request, context):
                    yield item
            except asyncio.CancelledError:
                code = grpc.StatusCode.CANCELLED
                raise
            except grpc.aio.AbortError:
                code = context.code() or grpc.StatusCode.UNKNOWN  # type: ignore[assignment]
                raise
            except Exception as exc:
                code = status_of(exc)[0]
                await self._fail(method, exc, context)
            finally:
                if token is not None:
                    reset_current_principal(token)
                self._done(method, code, started, who)

        return wrapper
