"""``wfm bench curtois`` on its own Typer app: JSON lines, roster files, errors."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from scheduler.cli.bench_cmd import register
from scheduler.roster.curtois.evaluator import evaluate
from scheduler.roster.curtois.reader import read_instance
from scheduler.roster.curtois.roster_file import read_roster


def app() -> typer.Typer:
    """A bare app with only the bench commands, as the lead's ``wfm`` app will have them."""
    root = typer.Typer()

    @root.callback()
    def _root() -> None:
        """Test root."""

    register(root)
    return root


def test_json_line_and_roster_file(tmp_path: Path, curtois_dir: Path) -> None:
    """Instance1: one JSON object, the roster file exists and scores what was printed."""
    path = curtois_dir / "Instance1.txt"
    result = CliRunner().invoke(
        app(),
        [
            "bench",
            "curtois",
            str(path),
            "--time-limit",
            "10",
            "--solutions",
            str(tmp_path),
            "--json",
            "--seed",
            "2",
        ],
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert len(lines) == 1
    record = lines[0]
    assert record["instance"] == "Instance1"
    assert record["best_known"] == 607
    assert record["objective"] == 607 and record["gap"] == 0
    assert record["lower_bound"] == 607 and record["status"] == "OPTIMAL"
    instance = read_instance(path)
    written = read_roster(tmp_path / "Instance1.roster", instance)
    assert evaluate(instance, written).objective == record["objective"]


def test_table_output(tmp_path: Path, curtois_dir: Path) -> None:
    """Without --json a table is printed."""
    result = CliRunner().invoke(
        app(),
        [
            "bench",
            "curtois",
            str(curtois_dir / "Instance1.txt"),
            "--time-limit",
            "5",
            "--solutions",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Curtois & Qu benchmark" in result.output and "Instance1" in result.output


def test_bad_instance_file_is_a_clear_error(tmp_path: Path) -> None:
    """A corrupt file exits 2 and names the bad value."""
    bad = tmp_path / "Instance99.txt"
    bad.write_text("SECTION_HORIZON\nseven\nSECTION_SHIFTS\nD,480,\nSECTION_STAFF\nSECTION_COVER\n")
    result = CliRunner().invoke(
        app(), ["bench", "curtois", str(bad), "--solutions", str(tmp_path), "--json"]
    )
    assert result.exit_code == 2
    assert "seven" in result.output
