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
