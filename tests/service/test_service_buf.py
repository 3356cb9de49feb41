"""The API passes buf's STANDARD lint rules and buf's formatting (proto/buf.yaml).

buf is a single binary outside the Python environment: the test uses ``$WFM_BUF``, else ``buf``
on PATH, else the npm install ``.ci/run`` makes (``/tmp/buftools``), and skips saying how to get
it when none is there.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NPM_BUF = Path("/tmp/buftools/node_modules/.bin/buf")


def _buf() -> str | None:
    configured = os.environ.get("WFM_BUF")
    if configured:
        return configured
    on_path = shutil.which("buf")
    if on_path:
        return on_path
    return str(NPM_BUF) if NPM_BUF.exists() else None


@pytest.fixture(scope="module")
def buf() -> str:
    """Path of a working buf binary (skips the module when there is none)."""
    found = _buf()
    if found is None:
        pytest.skip(
            "buf not found (set WFM_BUF, put buf on PATH, or "
            "`npm install --no-save --no-package-lock --prefix /tmp/buftools @bufbuild/buf`)"
        )
    if not Path(found).exists() and shutil.which(found) is None:
        pytest.fail(f"WFM_BUF={found!r} does not exist")
    return found


def _run(buf: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [buf, *args], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )


def test_buf_lint_standard(buf: str) -> None:
    """`buf lint proto` reports nothing (STANDARD rules, package scheduler.v1 in scheduler/v1)."""
    done = _run(buf, "lint", "proto")
    assert done.returncode == 0, f"buf lint findings:\n{done.stdout}{done.stderr}"


def test_buf_format_clean(buf: str) -> None:
    """The .proto files are laid out as `buf format` would write them."""
    done = _run(buf, "format", "--diff", "--exit-code", "proto")
    assert done.returncode == 0, f"run `buf format -w proto`:\n{done.stdout}{done.stderr}"


def test_buf_lint_catches_a_bad_name(buf: str, tmp_path: Path) -> None:
    """The configuration really lints: a zero enum value without _UNSPECIFIED is reported."""
    copy = tmp_path / "proto"
    shutil.copytree(ROOT / "proto", copy)
    roster = copy / "scheduler" / "v1" / "roster.proto"
    roster.write_text(roster.read_text().replace("JOB_STATE_UNSPECIFIED = 0", "JOB_STATE_NONE = 0"))
    done = _run(buf, "lint", str(copy))
    assert done.returncode != 0
    assert "JOB_STATE_NONE" in done.stdout + done.stderr
