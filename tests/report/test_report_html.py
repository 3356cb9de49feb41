"""The HTML roster report: sections, numbers, escaping, well-formed markup, size, CLI."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from scheduler.model import Scenario
from scheduler.report import frames, svg
from scheduler.report.coverage import nice_ticks
from scheduler.report.html import render_report
from scheduler.report.tables import service_class
from scheduler.roster.result import Result, SolveStatus

GENERATED = dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.UTC)

VOID = {"meta", "link", "br", "hr", "img", "input", "col", "area", "base", "wbr", "source"}


class BalanceChecker(HTMLParser):
    """Fails on a closing tag that does not match the innermost open one."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)  # `<rect/>` in inline SVG closes itself

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()


def check_balanced(document: str) -> BalanceChecker:
    """Parse ``document`` and assert every element is closed in order."""
    checker = BalanceChecker()
    checker.feed(document)
    checker.close()
    assert checker.problems == []
    assert checker.stack == []
    return checker


def render(
    scenario: Scenario,
    requirements: pd.DataFrame,
    result: Result,
    evaluation: pd.DataFrame,
    summary: dict[str, Any],
) -> str:
    """Render with a fixed time stamp."""
    return render_report(
        scenario, requirements, result, evaluation, summary, generated_at=GENERATED
    )


@pytest.fixture
def tiny_document(
    tiny_scenario: Scenario,
    tiny_requirements: pd.DataFrame,
    tiny_result: Result,
    tiny_evaluation: pd.DataFrame,
    tiny_summary: dict[str, Any],
) -> str:
    """The report of the tiny scenario."""
    return render(tiny_scenario, tiny_requirements, tiny_result, tiny_evaluation, tiny_summary)


def test_document_has_every_section(tiny_document: str) -> None:
    for anchor in ("kpis", "service", "coverage", "shifts", "grid", "fairness", "diff", "solver"):
        assert f'<section id="{anchor}">' in tiny_document
    assert tiny_document.startswith("<!DOCTYPE html>")


def test_header_shows_site_week_solver_and_time(tiny_document: str) -> None:
    assert "Lisbon &amp; Co contact centre" in tiny_document
    assert "Week 10 of 2025" in tiny_document
    assert 'class="badge FEASIBLE"' in tiny_document
    assert "gap 2.79 %" in tiny_document
    assert "2025-03-01 09:30 WET" in tiny_document  # Lisbon in winter is UTC+0


def test_numbers_from_the_summary_are_shown(tiny_document: str) -> None:
    assert "24.0" in tiny_document  # paid hours
    assert "2 / 2" in tiny_document  # agents rostered of available
    assert "87.7 %" in tiny_document and "65.4 %" in tiny_document  # daily service
    assert "81.2 %" in tiny_document  # weekly service
    assert "1,234.50" in tiny_document and "1,200.00" in tiny_document  # objective, bound
    assert "LNS stopped at the time limit" in tiny_document


def test_service_cells_are_coloured_against_goal(tiny_document: str) -> None:
    assert '<td class="good">87.7 %</td>' in tiny_document  # calls goal 80 %
    assert '<td class="bad">65.4 %</td>' in tiny_document
    assert '<td class="near">88.0 %</td>' in tiny_document  # mail goal 90 %


def test_user_strings_are_escaped(tiny_document: str) -> None:
    assert "<script" not in tiny_document
    assert "&lt;script&gt;" in tiny_document
    assert "<b>not bold</b>" not in tiny_document
    assert "&lt;b&gt;not bold&lt;/b&gt;" in tiny_document


def test_document_is_balanced_html(tiny_document: str) -> None:
    checker = check_balanced(tiny_document)
    assert checker.tags.count("svg") == 2 + 2  # two coverage charts, two Gantt days


def test_every_svg_is_well_formed_xml(tiny_document: str) -> None:
    charts = re.findall(r"<svg.*?</svg>", tiny_document, flags=re.S)
    assert len(charts) == 4
    for chart in charts:
        root = ET.fromstring(chart)
        assert root.tag.endswith("svg")


def test_document_is_self_contained(tiny_document: str) -> None:
    # The only URL is the SVG namespace name, which browsers never fetch.
    urls = set(re.findall(r"https?://[^\s\"')]+", tiny_document))
    assert urls == {"http://www.w3.org/2000/svg"}
    assert "<link" not in tiny_document and " src=" not in tiny_document


def test_gantt_draws_each_shift_with_breaks_and_activities(tiny_document: str) -> None:
    assert tiny_document.count("<g><title>") == 3
    assert "lunch 12:00–12:30 (unpaid)" in tiny_document  # A1 on day 0
    assert "calls 08:00–12:00" in tiny_document
    assert "Not working: B2 (time off)" in tiny_document  # day 1


def test_fairness_and_diff_are_left_out_when_absent(
    tiny_scenario: Scenario,
    tiny_requirements: pd.DataFrame,
    tiny_result: Result,
    tiny_evaluation: pd.DataFrame,
    tiny_summary: dict[str, Any],
) -> None:
    bare = tiny_result.model_copy(update={"fairness": (), "diff": None})
    document = render(tiny_scenario, tiny_requirements, bare, tiny_evaluation, tiny_summary)
    assert 'id="fairness"' not in document and 'id="diff"' not in document
    check_balanced(document)


def test_fairness_table_shows_hours_against_target(tiny_document: str) -> None:
    assert "−4.0 h" in tiny_document  # A1: 16 h paid of a 20 h target
    assert "1 / 2" in tiny_document  # wishes granted of asked


def test_diff_lists_changed_days(tiny_document: str) -> None:
    assert "1 agent-days changed, 60 minutes moved" in tiny_document
    assert "09:00-17:30" in tiny_document


def test_service_falls_back_to_the_evaluation(
    tiny_scenario: Scenario, tiny_evaluation: pd.DataFrame
) -> None:
    """Without usable summary records the report weights the evaluation by offered contacts."""
    daily = frames.service_by_day(tiny_evaluation, {"service_by_queue_day": []}, tiny_scenario)
    assert set(daily["queue"]) == {"calls", "mail"}
    rows = tiny_evaluation[tiny_evaluation["ds"].dt.date == dt.date(2025, 3, 3)]
    calls = rows[rows["queue"] == "calls"]
    expected = (calls["service_level"] * calls["offered"]).sum() / calls["offered"].sum()
    got = daily[(daily["queue"] == "calls") & (daily["date"] == dt.date(2025, 3, 3))]
    assert got["service_level"].iloc[0] == pytest.approx(expected)


def test_queues_missing_from_the_summary_come_from_the_evaluation(
    tiny_evaluation: pd.DataFrame,
) -> None:
    summary = {"service_by_queue_week": [{"queue": "calls", "service_level": 0.5}]}
    weekly = frames.service_by_week(tiny_evaluation, summary)
    assert weekly["calls"] == 0.5
    mail = tiny_evaluation[tiny_evaluation["queue"] == "mail"]
    expected = (mail["service_level"] * mail["offered"]).sum() / mail["offered"].sum()
    assert weekly["mail"] == pytest.approx(expected)


def test_summary_days_may_be_horizon_indices(tiny_scenario: Scenario) -> None:
    records = [{"queue": "calls", "day": 1, "service_level": 0.5}]
    daily = frames.service_by_day(pd.DataFrame(), {"service_by_queue_day": records}, tiny_scenario)
    assert daily["date"].iloc[0] == dt.date(2025, 3, 4)


def test_staffing_gaps_count_short_and_over_agent_hours() -> None:
    evaluation = pd.DataFrame({"scheduled": [3, 1, 5], "required": [3, 2.5, 4]})
    gaps = frames.staffing_gaps(evaluation, 30)
    assert gaps.short_agent_hours == pytest.approx(0.75)
    assert gaps.over_agent_hours == pytest.approx(0.5)
    assert gaps.short_intervals == 1


def test_aware_timestamps_are_read_in_site_time(tiny_scenario: Scenario) -> None:
    """08:00 in Lisbon in summer is 07:00 UTC: both must land on minute 480 of a day."""
    summer = tiny_scenario.model_copy(
        update={"horizon": tiny_scenario.horizon.model_copy(update={"start": dt.date(2025, 7, 7)})}
    )
    ds = pd.Series(pd.to_datetime(["2025-07-07 07:00"]).tz_localize("UTC"))
    assert frames.horizon_minutes(ds, summer).tolist() == [480]


def test_coverage_series_places_intervals_on_the_grid(
    tiny_scenario: Scenario, tiny_evaluation: pd.DataFrame
) -> None:
    series = frames.coverage_series(tiny_evaluation, tiny_scenario, "calls")
    assert len(series.required) == 2 * 48
    assert series.scheduled[16] == 1  # 08:00 on day 0: A1 on calls
    assert series.scheduled[0] == 0  # closed at midnight


def test_closed_spans_complement_the_opening_hours(
    realistic_week: tuple[Scenario, pd.DataFrame, Result, pd.DataFrame, dict[str, Any]],
) -> None:
    spans = frames.closed_spans(realistic_week[0])
    assert spans[:3] == [(0, 420), (1380, 1440), (1440, 1440 + 420)]  # Mon 07:00-23:00
    assert spans[-1] == (6 * 1440 + 1350, 7 * 1440)  # Sunday closes 22:30


@pytest.mark.parametrize(
    ("value", "goal", "expected"),
    [(0.81, 0.8, "good"), (0.77, 0.8, "near"), (0.70, 0.8, "bad"), (0.5, None, "na")],
)
def test_service_class(value: float, goal: float | None, expected: str) -> None:
    assert service_class(value, goal) == expected


def test_nice_ticks_cover_the_peak() -> None:
    assert nice_ticks(23) == [0, 5, 10, 15, 20, 25]
    assert nice_ticks(0) == [0, 1]


def test_svg_attributes_are_escaped() -> None:
    markup = svg.rect(0, 0, 1.25, 2, class_='a"b')
    assert markup == '<rect x="0" y="0" width="1.2" height="2" class="a&quot;b"/>'


def test_realistic_week_is_small_and_well_formed(
    realistic_week: tuple[Scenario, pd.DataFrame, Result, pd.DataFrame, dict[str, Any]],
) -> None:
    """Sixty agents, seven days, 30-minute grid: one file well under 2 MB that parses."""
    document = render(*realistic_week)
    assert len(document.encode("utf-8")) < 2_000_000
    check_balanced(document)
    for chart in re.findall(r"<svg.*?</svg>", document, flags=re.S):
        ET.fromstring(chart)
    assert document.count("<g><title>") == len(realistic_week[2].roster.shifts)


# --- the `wfm report` command ---------------------------------------------------------------


def _pipeline_problem() -> str | None:
    try:
        importlib.import_module("scheduler.pipeline")
    except Exception as exc:  # any import failure of a stage still being written
        return f"scheduler.pipeline does not import yet ({type(exc).__name__}: {exc})"
    return None


def _cli_app() -> Any:
    import typer

    from scheduler.cli.report_cmd import register

    app = typer.Typer()
    register(app)

    @app.callback()
    def _root() -> None:
        """Keep `report` a named subcommand even though it is the only one."""

    return app


def test_cli_names_a_missing_file(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    missing = tmp_path / "nope.yaml"
    outcome = CliRunner().invoke(
        _cli_app(),
        ["report", "--scenario", str(missing), "--requirements", "r.csv", "--roster", "x.json"],
    )
    assert outcome.exit_code == 2
    assert "nope.yaml" in outcome.output


def test_cli_names_a_bad_roster_field(
    tmp_path: Path,
    tiny_scenario: Scenario,
    tiny_requirements: pd.DataFrame,
    tiny_result: Result,
) -> None:
    from typer.testing import CliRunner

    from scheduler.scenario import dump_scenario

    scenario_path = tmp_path / "scenario.yaml"
    scenario_path.write_text(json.dumps(dump_scenario(tiny_scenario)), encoding="utf-8")
    requirements_path = tmp_path / "requirements.csv"
    tiny_requirements.to_csv(requirements_path, index=False)
    raw = json.loads(tiny_result.model_dump_json())
    raw["roster"]["shifts"][0]["paid_minutes"] = -5
    roster_path = tmp_path / "roster.json"
    roster_path.write_text(json.dumps(raw), encoding="utf-8")
    outcome = CliRunner().invoke(
        _cli_app(),
        [
            "report",
            "--scenario",
            str(scenario_path),
            "--requirements",
            str(requirements_path),
            "--roster",
            str(roster_path),
        ],
    )
    assert outcome.exit_code == 2
    assert "roster.json" in outcome.output and "paid_minutes" in outcome.output


def test_cli_writes_the_report(
    tmp_path: Path,
    tiny_scenario: Scenario,
    tiny_requirements: pd.DataFrame,
    tiny_result: Result,
) -> None:
    """End to end through the pipeline's evaluation (skipped until the stages import)."""
    problem = _pipeline_problem()
    if problem:
        pytest.skip(problem)
    from typer.testing import CliRunner

    from scheduler.scenario import dump_scenario

    scenario_path = tmp_path / "scenario.yaml"
    scenario_path.write_text(json.dumps(dump_scenario(tiny_scenario)), encoding="utf-8")
    requirements_path = tmp_path / "requirements.csv"
    tiny_requirements.to_csv(requirements_path, index=False)
    roster_path = tmp_path / "roster.json"
    roster_path.write_text(tiny_result.model_dump_json(), encoding="utf-8")
    out = tmp_path / "out" / "report.html"
    outcome = CliRunner().invoke(
        _cli_app(),
        [
            "report",
            "--scenario",
            str(scenario_path),
            "--requirements",
            str(requirements_path),
            "--roster",
            str(roster_path),
            "--out",
            str(out),
        ],
    )
    assert outcome.exit_code == 0, outcome.output
    document = out.read_text(encoding="utf-8")
    check_balanced(document)
    assert "&lt;script&gt;" in document


def test_an_empty_infeasible_result_still_renders(
    tiny_scenario: Scenario, tiny_requirements: pd.DataFrame, tiny_result: Result
) -> None:
    """No shifts and no evaluated intervals: every section still renders, nothing crashes."""
    empty = tiny_result.model_copy(
        update={
            "status": SolveStatus.INFEASIBLE,
            "objective": None,
            "bound": None,
            "gap": None,
            "roster": tiny_result.roster.model_copy(update={"shifts": ()}),
            "fairness": (),
            "diff": None,
            "messages": ("contracts: A1 needs 5 days but is available 2",),
        }
    )
    evaluation = pd.DataFrame(
        columns=["queue", "ds", "offered", "scheduled", "required", "service_level"]
    )
    document = render(tiny_scenario, tiny_requirements, empty, evaluation, {})
    check_balanced(document)
    assert 'class="badge INFEASIBLE"' in document
    assert "A1 needs 5 days" in document
    assert "0 / 2" in document  # agents rostered of available


def test_the_pipeline_summary_feeds_the_service_table(
    tiny_scenario: Scenario,
    tiny_requirements: pd.DataFrame,
    tiny_result: Result,
    tiny_evaluation: pd.DataFrame,
) -> None:
    """The real ``summarize()`` records (keyed by ``period``) are read, not ignored."""
    problem = _pipeline_problem()
    if problem:
        pytest.skip(problem)
    from scheduler.pipeline import summarize

    summary = summarize(tiny_scenario, tiny_requirements, tiny_result, tiny_evaluation)
    daily = frames.service_by_day(pd.DataFrame(), summary, tiny_scenario)
    assert set(daily["date"]) == {dt.date(2025, 3, 3), dt.date(2025, 3, 4)}
    computed = frames.service_by_day(tiny_evaluation, {}, tiny_scenario)
    both = daily.merge(computed, on=["queue", "date"], suffixes=("_summary", "_computed"))
    assert len(both) == 4
    assert both["service_level_summary"].tolist() == pytest.approx(
        both["service_level_computed"].tolist()
    )
    document = render(tiny_scenario, tiny_requirements, tiny_result, tiny_evaluation, summary)
    check_balanced(document)
