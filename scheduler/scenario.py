"""Scenario files (YAML) to validated domain objects, with every problem reported at once.

A scenario has top-level sections ``site``, ``horizon``, ``queues``, ``contracts``,
``shift_templates``, ``agents``, ``rules`` and optionally ``fairness_ledger`` and
``shift_cover``. Structural errors come from pydantic; cross-references (skills naming queues,
contracts naming templates, agents naming contracts, cover rows naming shift kinds, templates and
dates of the horizon) are checked here, so that a planner sees every problem in one run.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from scheduler.errors import FieldProblem, InputError
from scheduler.model import WEEKDAYS, Scenario

_LIST_SECTIONS = ("queues", "contracts", "shift_templates", "agents")


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file.

    Parameters
    ----------
    path
        A YAML scenario file.

    Returns
    -------
    Scenario
        The validated scenario.

    Raises
    ------
    InputError
        Listing every problem found, each with its field path and offending value.
    """
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(source, [FieldProblem("scenario", source, str(exc))]) from exc
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InputError(
            source, [FieldProblem("scenario", source, f"not valid YAML: {exc}")]
        ) from exc
    return parse_scenario(raw, source=source)


def parse_scenario(raw: object, *, source: str = "scenario") -> Scenario:
    """Validate an already-parsed scenario mapping (see :func:`load_scenario`)."""
    if not isinstance(raw, dict):
        problem = FieldProblem("scenario", type(raw).__name__, "top level must be a mapping")
        raise InputError(source, [problem])
    problems = _reference_problems(raw)
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as exc:
        problems = [*_pydantic_problems(exc, raw), *problems]
        raise InputError(source, problems) from exc
    if problems:
        raise InputError(source, problems)
    return scenario


def _pydantic_problems(exc: ValidationError, raw: dict[str, Any]) -> list[FieldProblem]:
    problems = []
    for error in exc.errors():
        loc = error["loc"]
        problems.append(FieldProblem(_path(loc, raw), error.get("input"), error["msg"]))
    return problems


def _path(loc: tuple[int | str, ...], raw: dict[str, Any]) -> str:
    """``('agents', 3, 'skills')`` -> ``agents[3](id=A004).skills`` (ids help find the entry)."""
    parts: list[str] = []
    node: Any = raw
    for key in loc:
        if isinstance(key, int):
            label = f"[{key}]"
            if isinstance(node, list) and key < len(node) and isinstance(node[key], dict):
                item_id = node[key].get("id")
                if item_id is not None:
                    label += f"(id={item_id})"
            parts.append(label)
        else:
            parts.append(("." if parts else "") + str(key))
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            node = None
    return "".join(parts)


def _ids(raw: dict[str, Any], section: str) -> list[str]:
    items = raw.get(section)
    if not isinstance(items, list):
        return []
    return [str(item["id"]) for item in items if isinstance(item, dict) and "id" in item]


def _reference_problems(raw: dict[str, Any]) -> list[FieldProblem]:
    """Cross-section checks pydantic cannot see: unknown and duplicate identifiers."""
    problems: list[FieldProblem] = []
    for section in _LIST_SECTIONS:
        for item_id, count in Counter(_ids(raw, section)).items():
            if count > 1:
                problems.append(FieldProblem(f"{section}.id", item_id, f"used {count} times"))
    queues = set(_ids(raw, "queues"))
    contracts = set(_ids(raw, "contracts"))
    templates = set(_ids(raw, "shift_templates"))
    for index, contract in enumerate(raw.get("contracts") or []):
        if not isinstance(contract, dict):
            continue
        for name in contract.get("shift_templates") or []:
            if name not in templates:
                problems.append(
                    FieldProblem(
                        f"contracts[{index}](id={contract.get('id')}).shift_templates",
                        name,
                        f"unknown shift template; known: {sorted(templates)}",
                    )
                )
    for index, agent in enumerate(raw.get("agents") or []):
        if not isinstance(agent, dict):
            continue
        where = f"agents[{index}](id={agent.get('id')})"
        skills = agent.get("skills")
        if isinstance(skills, dict):
            for queue_id in skills:
                if queue_id not in queues:
                    problems.append(
                        FieldProblem(
                            f"{where}.skills", queue_id, f"unknown queue; known: {sorted(queues)}"
                        )
                    )
        if "contract" in agent and agent["contract"] not in contracts:
            problems.append(
                FieldProblem(
                    f"{where}.contract",
                    agent["contract"],
                    f"unknown contract; known: {sorted(contracts)}",
                )
            )
        availability = agent.get("availability")
        if isinstance(availability, dict):
            for day in availability:
                if day not in WEEKDAYS:
                    problems.append(
                        FieldProblem(
                            f"{where}.availability", day, f"unknown weekday; use {list(WEEKDAYS)}"
                        )
                    )
    for index, entry in enumerate(raw.get("fairness_ledger") or []):
        if isinstance(entry, dict) and entry.get("agent") not in set(_ids(raw, "agents")):
            problems.append(
                FieldProblem(f"fairness_ledger[{index}].agent", entry.get("agent"), "unknown agent")
            )
    problems.extend(_cover_problems(raw, templates))
    problems.extend(_kind_problems(raw, templates))
    return problems


def _kind_problems(raw: dict[str, Any], templates: set[str]) -> list[FieldProblem]:
    """Shift requests and horizon kind limits naming a kind or template nobody defines."""
    problems: list[FieldProblem] = []
    kinds = {
        str(t.get("kind", "day")) for t in raw.get("shift_templates") or [] if isinstance(t, dict)
    }
    for index, contract in enumerate(raw.get("contracts") or []):
        limits = (
            contract.get("max_shifts_by_kind_per_horizon") if isinstance(contract, dict) else None
        )
        for kind in limits if isinstance(limits, dict) else ():
            if kind not in kinds:
                problems.append(
                    FieldProblem(
                        f"contracts[{index}](id={contract.get('id')}).max_shifts_by_kind_per_horizon",
                        kind,
                        f"no shift template has this kind; kinds: {sorted(kinds)}",
                    )
                )
    for index, agent in enumerate(raw.get("agents") or []):
        prefs = agent.get("preferences") if isinstance(agent, dict) else None
        requests = prefs.get("requests") if isinstance(prefs, dict) else None
        for j, request in enumerate(requests if isinstance(requests, list) else []):
            if not isinstance(request, dict):
                continue
            where = f"agents[{index}](id={agent.get('id')}).preferences.requests[{j}]"
            kind, template = request.get("kind"), request.get("template")
            if kind is not None and kind not in kinds:
                problems.append(
                    FieldProblem(
                        f"{where}.kind",
                        kind,
                        f"no shift template has this kind; kinds: {sorted(kinds)}",
                    )
                )
            if template is not None and template not in templates:
                problems.append(
                    FieldProblem(
                        f"{where}.template",
                        template,
                        f"unknown shift template; known: {sorted(templates)}",
                    )
                )
    return problems


def _cover_problems(raw: dict[str, Any], templates: set[str]) -> list[FieldProblem]:
    """Cover rows naming a shift kind or template nobody defines, or dates off the horizon."""
    problems: list[FieldProblem] = []
    kinds = {
        str(t.get("kind", "day")) for t in raw.get("shift_templates") or [] if isinstance(t, dict)
    }
    horizon = _horizon_dates(raw.get("horizon"))
    for index, row in enumerate(raw.get("shift_cover") or []):
        if not isinstance(row, dict):
            continue
        where = f"shift_cover[{index}]"
        kind, template = row.get("kind"), row.get("template")
        if kind is not None and kind not in kinds:
            problems.append(
                FieldProblem(
                    f"{where}.kind",
                    kind,
                    f"no shift template has this kind; kinds: {sorted(kinds)}",
                )
            )
        if template is not None and template not in templates:
            problems.append(
                FieldProblem(
                    f"{where}.template",
                    template,
                    f"unknown shift template; known: {sorted(templates)}",
                )
            )
        dates = row.get("dates")
        if horizon is None or not isinstance(dates, list):
            continue
        for j, value in enumerate(dates):
            date = _as_date(value)
            if date is not None and date not in horizon:
                problems.append(
                    FieldProblem(
                        f"{where}.dates[{j}]",
                        str(value),
                        f"outside the horizon {min(horizon)}..{max(horizon)}",
                    )
                )
    return problems


def _as_date(value: object) -> dt.date | None:
    """A date from YAML (already a date) or an ISO string; None if neither (pydantic says why)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _horizon_dates(horizon: object) -> set[dt.date] | None:
    """The horizon's dates from the raw section (None when it is malformed: reported elsewhere)."""
    if not isinstance(horizon, dict):
        return None
    start = _as_date(horizon.get("start"))
    days = horizon.get("days", 7)
    if start is None or not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 366:
        return None
    return {start + dt.timedelta(days=i) for i in range(days)}


def dump_scenario(scenario: Scenario) -> dict[str, Any]:
    """A scenario as a plain mapping suitable for YAML (times as minutes)."""
    return scenario.model_dump(mode="json", exclude_defaults=False)
