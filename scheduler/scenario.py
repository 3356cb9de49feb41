"""Scenario files (YAML) to validated domain objects, with every problem reported at once.

A scenario has top-level sections ``site``, ``horizon``, ``queues``, ``contracts``,
``shift_templates``, ``agents``, ``rules`` and optionally ``fairness_ledger``. Structural errors
come from pydantic; cross-references (skills naming queues, contracts naming templates, agents
naming contracts) are checked here, so that a planner sees every problem in one run.
"""

from __future__ import annotations

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
    return problems


def dump_scenario(scenario: Scenario) -> dict[str, Any]:
    """A scenario as a plain mapping suitable for YAML (times as minutes)."""
    return scenario.model_dump(mode="json", exclude_defaults=False)
