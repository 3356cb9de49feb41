"""What every ``wfm`` command shares: the stderr console, exit codes, and error reporting."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape

from forecasts.schema import HistoryError
from scheduler.errors import InfeasibleError, InputError

EXIT_BAD_INPUT = 2
"""Exit code for input a user must fix (a file, a field, a flag)."""
EXIT_INFEASIBLE = 3
"""Exit code when the hard rules of a scenario cannot all hold."""

err_console = Console(stderr=True, soft_wrap=True)
"""Errors are never wrapped: a field path or file name must stay whole for copy and grep."""


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn domain errors into a clear message and a non-zero exit instead of a traceback."""
    try:
        yield
    except InputError as exc:
        err_console.print(f"[bold red]error[/]: {exc.source}: {len(exc.problems)} problem(s)")
        for problem in exc.problems:
            err_console.print(f"  - {problem}", markup=False, highlight=False)
        raise typer.Exit(EXIT_BAD_INPUT) from exc
    except HistoryError as exc:
        err_console.print(f"[bold red]error[/]: history: {len(exc.problems)} problem(s)")
        for item in exc.problems:
            err_console.print(f"  - {item}", markup=False, highlight=False)
        raise typer.Exit(EXIT_BAD_INPUT) from exc
    except ValidationError as exc:
        err_console.print("[bold red]error[/]:", escape(str(exc)))
        raise typer.Exit(EXIT_BAD_INPUT) from exc
    except InfeasibleError as exc:
        err_console.print("[bold red]infeasible[/]: the hard rules cannot all hold:")
        for clash in exc.clashes:
            err_console.print(f"  - {clash}", markup=False, highlight=False)
        raise typer.Exit(EXIT_INFEASIBLE) from exc
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        err_console.print("[bold red]error[/]:", escape(str(exc)))
        raise typer.Exit(EXIT_BAD_INPUT) from exc
