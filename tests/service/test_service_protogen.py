"""The committed generated code in scheduler/v1 matches proto/scheduler/v1."""

from __future__ import annotations

from scheduler.service.protogen import stale_files


def test_generated_code_is_current() -> None:
    """Fails when a .proto changed without `make proto` (or generated code was edited)."""
    stale = stale_files()
    assert not stale, f"run `make proto`; stale generated files: {stale}"
