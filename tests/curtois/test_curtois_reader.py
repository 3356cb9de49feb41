"""Reader: all 24 published instances parse; bad files fail naming line, field and value."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from scheduler.errors import InputError
from scheduler.roster.curtois.reader import parse_instance, read_instance

TINY = """# tiny
SECTION_HORIZON
7

SECTION_SHIFTS
D,480,
N,600,D|N

SECTION_STAFF
A,D=7|N=2,2400,960,5,2,2,1
B,D=7|N=0,2400,0,5,1,1,1

SECTION_DAYS_OFF
A,0,6
B

SECTION_SHIFT_ON_REQUESTS
A,2,D,3

SECTION_SHIFT_OFF_REQUESTS
B,3,D,2

SECTION_COVER
0,D,1,100,1
0,N,0,100,1
"""


def test_all_instances_match_published_sizes(curtois_dir: Path) -> None:
    """Days, staff and shift-type counts agree with best_known.csv for every instance."""
    with (curtois_dir / "best_known.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 24
    for row in rows:
        inst = read_instance(curtois_dir / f"{row['instance']}.txt")
        assert inst.horizon == int(row["days"]), row["instance"]
        assert len(inst.employees) == int(row["staff"]), row["instance"]
        assert len(inst.shifts) == int(row["shift_types"]), row["instance"]
        # Every instance covers each day and shift type once.
        assert len(inst.cover) == inst.horizon * len(inst.shifts), row["instance"]


def test_instance1_fields(instance1) -> None:  # type: ignore[no-untyped-def]
    """Spot values of Instance1 as written in the file."""
    emp = instance1.employees[0]
    assert (emp.id, emp.max_shifts["D"], emp.max_total_minutes, emp.min_total_minutes) == (
        "A",
        14,
        4320,
        3360,
    )
    assert (emp.max_consecutive_shifts, emp.min_consecutive_shifts) == (5, 2)
    assert (emp.min_consecutive_days_off, emp.max_weekends) == (2, 1)
    assert emp.days_off == frozenset({0})
    assert instance1.on_requests[0].weight == 2 and instance1.on_requests[0].day == 2
    assert instance1.cover[1].requirement == 7


def test_tiny_text_parses() -> None:
    """Multi-shift successions, zero maxima and an employee with no days off."""
    inst = parse_instance(TINY, name="tiny")
    assert inst.shift("N").cannot_follow == frozenset({"D", "N"})
    assert not inst.employees[1].may_work("N")
    assert inst.employees[0].days_off == frozenset({0, 6})
    assert inst.employees[1].days_off == frozenset()
    assert inst.off_requests[0].employee == 1


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("7\n", "8\n", "whole number of weeks"),
        ("A,2,D,3", "A,9,D,3", "outside the horizon"),
        ("A,2,D,3", "Z,2,D,3", "unknown employee"),
        ("0,D,1,100,1", "0,X,1,100,1", "unknown shift"),
        ("2400,960,5", "2400,abc,5", "MinTotalMinutes"),
        ("N,600,D|N", "N,600,D|Q", "unknown shift ID"),
        ("SECTION_COVER", "SECTION_COVERS", "unknown section header"),
    ],
)
def test_bad_files_name_line_field_and_value(old: str, new: str, expected: str) -> None:
    """Each corruption is reported with its line number, field name and value."""
    with pytest.raises(InputError) as caught:
        parse_instance(TINY.replace(old, new, 1), name="bad", source="bad.txt")
    message = str(caught.value)
    assert expected in message
    assert "bad.txt" in message
