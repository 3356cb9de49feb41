"""Errors raised for bad input, each naming the field and the offending value."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class FieldProblem:
    """One problem with an input: where it is, what was given, what is wrong."""

    field: str
    value: object
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message} (got {self.value!r})"


class InputError(ValueError):
    """Bad input; carries every problem found so a user can fix them all in one pass."""

    def __init__(self, source: str, problems: Sequence[FieldProblem]) -> None:
        self.source = source
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{source}: {len(self.problems)} problem(s)\n{lines}")


class InfeasibleError(RuntimeError):
    """The hard rules cannot all hold; ``clashes`` says which rules clash for whom."""

    def __init__(self, clashes: Sequence[str]) -> None:
        self.clashes = list(clashes)
        super().__init__(
            "no roster satisfies the hard rules:\n" + "\n".join(f"  - {c}" for c in self.clashes)
        )


class RosterNotFoundError(RuntimeError):
    """No roster meeting the hard rules was found in the time given, and none was proven
    impossible either: more time (or a seed) may find one, so this is not :class:`InfeasibleError`.

    ``reasons`` says what the search could not satisfy (agents whose week was not found, cover
    rows left short), each marked as not proven impossible.
    """

    def __init__(self, reasons: Sequence[str]) -> None:
        self.reasons = list(reasons)
        super().__init__(
            "no roster meeting the hard rules was found in the time given (not proven "
            "impossible; allow more time):\n" + "\n".join(f"  - {r}" for r in self.reasons)
        )
