"""``python -m scheduler.service``: run the gRPC server configured by ``WFM_*`` environment."""

from __future__ import annotations

import asyncio
import sys

from scheduler.errors import InputError
from scheduler.service.metrics import configure_logging
from scheduler.service.server import serve
from scheduler.service.settings import load_settings


def main() -> int:
    """Load settings from the environment and serve until SIGINT/SIGTERM."""
    try:
        settings = load_settings()
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level, settings.log_format)
    asyncio.run(serve(settings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
