"""The report's "Shift cover" table: present when the scenario has cover rows, counts per day."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pandas as pd

from scheduler.model import Scenario, ShiftCover
from scheduler.report.html import render_report
from scheduler.roster.result import Result

GENERATED = dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.UTC)


def _render(
    scenario: Scenario,
    requirements: pd.DataFrame,
    result: Result,
    evaluation: pd.DataFrame,
    summary: dict[str, Any],
) -> str:
    return render_report(
        scenario, requirements, result, evaluation, summary, generated_at=GENERATED
    )


def test_no_cover_rows_no_section(
    tiny_scenario: Scenario,
    tiny_requirements: pd.DataFrame,
    tiny_result: Result,
    tiny_evaluation: pd.DataFrame,
    tiny_summary: dict[str, Any],
) -> None:
    document = _render(tiny_scenario, tiny_requirements, tiny_result, tiny_evaluation, tiny_summary)
    assert 'id="cover"' not in document and "Shift cover" not in document


def test_cover_rows_get_a_table_with_counts_and_shortfall(
    tiny_scenario: Scenario,
    tiny_requirements: pd.DataFrame,
    tiny_result: Result,
    tiny_evaluation: pd.DataFrame,
    tiny_summary: dict[str, Any],
) -> None:
    """The tiny roster has two day shifts on Monday and one on Tuesday; the row wants two."""
    scenario = tiny_scenario.model_copy(
        update={"shift_cover": [ShiftCover(kind="day", min=2, target=2, max=3)]}
    )
    document = _render(scenario, tiny_requirements, tiny_result, tiny_evaluation, tiny_summary)
    assert '<section id="cover"><h2>Shift cover</h2>' in document
    assert '<a href="#cover">Shift cover</a>' in document
    section = document.split('<section id="cover">')[1].split("</section>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", section.split("<tbody>")[1])
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in rows]
    assert [c[1:] for c in cells] == [
        ["kind day", "2", "2", "2", "3", "—"],
        ["kind day", "1", "2", "2", "3", "1"],
    ]
    assert 'class="bad">1<' in section  # Tuesday is one short of its minimum
