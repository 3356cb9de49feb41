"""A locust User speaking gRPC: each stub call is timed and reported like an HTTP request."""

from __future__ import annotations

import time
from typing import Any

import grpc
import grpc.experimental.gevent as grpc_gevent
from locust import User

grpc_gevent.init_gevent()  # grpc's threads must cooperate with gevent's greenlets


class GrpcUser(User):
    """Base class: ``self.call("Name", stub.Method, request)`` records latency and failures."""

    abstract = True
    token: str = ""

    def __init__(self, environment: Any) -> None:
        super().__init__(environment)
        target = self.host or "127.0.0.1:50051"
        self.channel = grpc.insecure_channel(target.removeprefix("grpc://"))
        self.metadata = (("authorization", f"Bearer {self.token}"),)

    def on_start(self) -> None:
        """Connect before the first timed call: a planner's client keeps its channel open, so
        the TCP and HTTP/2 set-up must not be billed to whichever RPC happens to go first."""
        grpc.channel_ready_future(self.channel).result(timeout=30)

    def call(self, name: str, method: Any, request: Any, timeout: float = 30.0) -> Any:
        """Call ``method(request)`` and fire a locust request event named ``name``."""
        started = time.perf_counter()
        response = None
        error: BaseException | None = None
        try:
            response = method(request, metadata=self.metadata, timeout=timeout)
        except grpc.RpcError as exc:
            error = exc
        elapsed_ms = (time.perf_counter() - started) * 1000
        self.environment.events.request.fire(
            request_type="grpc",
            name=name,
            response_time=elapsed_ms,
            response_length=response.ByteSize() if response is not None else 0,
            exception=error,
            context={},
        )
        return response

    def on_stop(self) -> None:
        self.channel.close()
