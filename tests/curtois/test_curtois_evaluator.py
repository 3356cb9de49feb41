"""Evaluator: hand-made rosters scored by hand; each hard rule is detected when broken."""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduler.errors import InputError
from scheduler.roster.curtois.evaluator import evaluate, hard_violations
from scheduler.roster.curtois.reader import CurtoisInstance, parse_instance
from scheduler.roster.curtois.roster_file import CurtoisRoster, read_roster, write_roster

WEEK = """SECTION_HORIZON
14

SECTION_SHIFTS
D,480,
N,480,D

SECTION_STAFF
A,D=14|N=2,4800,960,3,2,2,1

SECTION_DAYS_OFF
A,13

SECTION_SHIFT_ON_REQUESTS
A,1,D,3

SECTION_SHIFT_OFF_REQUESTS
A,2,D,5

SECTION_COVER
1,D,1,100,1
2,D,2,100,7
"""


@pytest.fixture()
def week() -> CurtoisInstance:
    """One employee over two weeks: max 3 in a row, min 2 in a row, min 2 off, 1 weekend."""
    return parse_instance(WEEK, name="week")


def roster(pattern: str) -> CurtoisRoster:
    """A one-employee roster from a 14-character pattern, '.' for a day off."""
    return CurtoisRoster.from_rows([[None if c == "." else c for c in pattern]])


def test_objective_terms_by_hand(week: CurtoisInstance) -> None:
    """Day 1 D grants the on-request; day 2 D breaks the off-request and under-covers by 1."""
    result = evaluate(week, roster(".DD..DD..DD..."))
    assert result.on_request_penalty == 0
    assert result.off_request_penalty == 5
    assert result.cover_under_penalty == 100
    assert result.cover_over_penalty == 0
    assert result.objective == 105
    assert result.feasible


def test_missing_the_requests_costs_their_weights(week: CurtoisInstance) -> None:
    """Off on days 1 and 2: on-request 3, under-cover 100 + 200; off-request granted."""
    result = evaluate(week, roster("...DD...DD...."))
    assert result.objective == 3 + 100 + 200
    assert result.feasible


@pytest.mark.parametrize(
    ("pattern", "fragment"),
    [
        ("DDDD..........", "4 shifts in a row"),
        ("...D..........", "only 1 shift(s) in a row"),
        ("DD.DD.........", "only 1 day(s) off"),
        (".....DD.....DD", "works D on a day off"),
        ("ND............", "D may not follow N"),
        ("NN..NN........", "4 x N > max 2"),
        (".....DD.....DD"[:-2] + "..", "ok"),
        ("DD..DD..DD..DD", "weekends worked"),
        ("D.............", "minutes outside"),
    ],
)
def test_each_hard_rule_is_detected(week: CurtoisInstance, pattern: str, fragment: str) -> None:
    """A roster breaking one rule is reported with a message naming that rule."""
    found = hard_violations(week, roster(pattern))
    if fragment == "ok":
        assert found == []
    else:
        assert any(fragment in v for v in found), found


def test_runs_touching_the_horizon_ends_are_exempt(week: CurtoisInstance) -> None:
    """A single shift on day 0 and single days off at the start are allowed."""
    assert hard_violations(week, roster("D..DD..DD.....")) == []
    assert hard_violations(week, roster(".DD..DDD......")) == []


def test_roster_file_round_trip(tmp_path: Path, instance1: CurtoisInstance) -> None:
    """Written files hold ID then one tab field per day, and read back identically."""
    rows = [["D" if (e + d) % 3 else None for d in range(14)] for e in range(8)]
    original = CurtoisRoster.from_rows(rows)
    path = write_roster(tmp_path, instance1, original)
    assert path.name == "Instance1.roster"
    lines = path.read_text().splitlines()
    assert len(lines) == 8 and lines[0].split("\t")[0] == "A"
    assert all(len(line.split("\t")) == 15 for line in lines)
    assert read_roster(path, instance1) == original


def test_roster_file_errors(tmp_path: Path, instance1: CurtoisInstance) -> None:
    """Unknown shifts and missing employees are named."""
    path = tmp_path / "bad.roster"
    path.write_text("A\tX" + "\t" * 13 + "\n")
    with pytest.raises(InputError) as caught:
        read_roster(path, instance1)
    assert "unknown shift ID" in str(caught.value)
    assert "employee missing" in str(caught.value)
