"""What every ``wfm`` command shares: the stderr console, exit codes, and error reporting."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape

from forecasts.schema import HistoryError
from scheduler.errors import FieldProblem, InfeasibleError, InputError, RosterNotFoundError

EXIT_BAD_INPUT = 2
"""Exit code for input a user must fix (a file, a field, a flag)."""
EXIT_INFEASIBLE = 3
"""Exit code when the hard rules of a scenario cannot all hold."""
EXIT_NOT_FOUND = 4
"""Exit code when no roster meeting the hard rules was found in the time given (not proven
impossible: a longer ``--time-limit`` may find one)."""

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
    except RosterNotFoundError as exc:
        err_console.print(
            "[bold red]not found[/]: no roster meeting the hard rules was found in the time "
            "given (not proven impossible; allow more time with --time-limit):"
        )
        for reason in exc.reasons:
            err_console.print(f"  - {reason}", markup=False, highlight=False)
        raise typer.Exit(EXIT_NOT_FOUND) from exc
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        err_console.print("[bold red]error[/]:", escape(str(exc)))
        raise typer.Exit(EXIT_BAD_INPUT) from exc


def read_requirements_csv(path: Path) -> pd.DataFrame:
    """The staffing stage's requirements CSV with ``ds`` parsed (errors name the file)."""
    source = str(path)
    try:
        frame = pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputError(
            source, [FieldProblem("requirements", source, f"not a CSV: {exc}")]
        ) from exc
    if "ds" in frame.columns:
        try:
            frame["ds"] = pd.to_datetime(frame["ds"])
        except (ValueError, TypeError) as exc:
            raise InputError(
                source, [FieldProblem("ds", str(frame["ds"].iloc[0]), f"not a timestamp: {exc}")]
            ) from exc
    return frame
