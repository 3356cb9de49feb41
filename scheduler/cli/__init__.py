"""The ``wfm`` command: one Typer app, each stage's commands registered from its own module."""

from __future__ import annotations

import typer

from scheduler.cli import (
    bench_cmd,
    demo_cmd,
    forecast_cmd,
    report_cmd,
    roster_cmd,
    serve_cmd,
    setup_cmd,
    staffing_cmd,
)

app = typer.Typer(
    name="wfm",
    help="Workforce-management optimizer: forecast demand, size staff, build and serve rosters.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Registration order is the order commands appear in --help: the pipeline's order.
for module in (
    demo_cmd,
    setup_cmd,
    forecast_cmd,
    staffing_cmd,
    roster_cmd,
    report_cmd,
    serve_cmd,
    bench_cmd,
):
    module.register(app)


def main() -> None:
    """Console-script entry point."""
    app()
