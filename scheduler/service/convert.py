"""The one module converting between API messages (``scheduler.v1``) and domain objects.

Inbound, messages become the same plain mappings a scenario file holds and go through the same
validation (:func:`scheduler.scenario.parse_scenario`), so a bad field gets the same message over
gRPC as in a file; every problem is re-labelled with its path in the request
(``input.scenario.agents[3].skills``). Tables (history, forecast, requirements) become the long
frames the stages read. Outbound, domain results and stored rows become messages.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from google.protobuf.json_format import MessageToDict
from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp
from pydantic import ValidationError

from scheduler.errors import FieldProblem, InputError
from scheduler.model import Scenario
from scheduler.roster.result import (
    AgentFairness,
    Result,
    Roster,
    RosterDiff,
    SolveParams,
)
from scheduler.scenario import parse_scenario
from scheduler.v1 import demand_pb2, roster_pb2, scenario_pb2

if TYPE_CHECKING:
    import pandas as pd

    from scheduler.service.store.models import JobRow, RosterRow, RosterVersionRow
    from scheduler.service.store.repository import AuditEntry

_ID_LABEL = re.compile(r"\(id=[^)]*\)")
_MAX_ROW_PROBLEMS = 20


# -- errors ------------------------------------------------------------------------------------


def relabel(exc: InputError, prefix: str) -> InputError:
    """The same problems with field paths rooted at ``prefix`` (the request field)."""
    problems = []
    for p in exc.problems:
        ids = _ID_LABEL.findall(p.field)
        path = _ID_LABEL.sub("", p.field)
        message = p.message + (f" [{', '.join(i[1:-1] for i in ids)}]" if ids else "")
        if path in ("", "scenario"):
            path = prefix
        elif not path.startswith(prefix):
            path = f"{prefix}.{path}"
        problems.append(FieldProblem(path, p.value, message))
    return InputError(exc.source, problems)


def _problem(field: str, value: object, message: str, source: str = "request") -> InputError:
    return InputError(source, [FieldProblem(field, value, message)])


# -- scenario ----------------------------------------------------------------------------------


def _windows(value: Any) -> Any:
    """``{"windows": [...]}`` (TimeWindowList) -> ``[...]``."""
    if isinstance(value, dict):
        return list(value.get("windows", []))
    return value


def scenario_to_raw(message: scenario_pb2.Scenario) -> dict[str, Any]:
    """A Scenario message as the mapping a scenario file holds (before validation)."""
    raw: dict[str, Any] = MessageToDict(message, preserving_proto_field_name=True)
    site = raw.get("site")
    if isinstance(site, dict):
        if "opening_hours" in site:
            site["opening_hours"] = {k: _windows(v) for k, v in site["opening_hours"].items()}
        for special in site.get("special_days", []):
            if "hours" in special:
                special["hours"] = _windows(special["hours"])
    for queue in raw.get("queues", []):
        channel = queue.get("channel")
        if isinstance(channel, str) and channel.startswith("CHANNEL_"):
            queue["channel"] = channel.removeprefix("CHANNEL_").lower()
        if "goal" not in queue:
            queue["goal"] = {}
    for agent in raw.get("agents", []):
        if "availability" in agent:
            agent["availability"] = {k: _windows(v) for k, v in agent["availability"].items()}
    rules = raw.get("rules")
    if isinstance(rules, dict) and "forbidden_successions" in rules:
        rules["forbidden_successions"] = [
            [pair.get("first", ""), pair.get("second", "")]
            for pair in rules["forbidden_successions"]
        ]
    return raw


def scenario_from_proto(message: scenario_pb2.Scenario, field: str = "scenario") -> Scenario:
    """Validate a Scenario message into the domain scenario.

    Raises
    ------
    InputError
        Naming every bad field by its path in the request.
    """
    if message.ByteSize() == 0:
        raise _problem(field, None, "a scenario is required")
    try:
        return parse_scenario(scenario_to_raw(message), source=field)
    except InputError as exc:
        raise relabel(exc, field) from exc


# -- tables ------------------------------------------------------------------------------------


def _parse_ds(values: Sequence[str], field: str) -> list[dt.datetime]:
    out: list[dt.datetime] = []
    problems: list[FieldProblem] = []
    for index, value in enumerate(values):
        try:
            stamp = dt.datetime.fromisoformat(value)
        except ValueError:
            if len(problems) < _MAX_ROW_PROBLEMS:
                problems.append(FieldProblem(f"{field}[{index}].ds", value, "not an ISO date-time"))
            continue
        if stamp.tzinfo is not None:
            # Local wall-clock time is what opening hours follow (DESIGN.md section 4).
            stamp = stamp.replace(tzinfo=None)
        out.append(stamp)
    if problems:
        raise InputError(field, problems)
    return out


def _check_queue(rows: Sequence[Any], field: str) -> None:
    problems = [
        FieldProblem(f"{field}[{i}].queue", row.queue, "a queue id is required")
        for i, row in enumerate(rows)
        if not row.queue
    ][:_MAX_ROW_PROBLEMS]
    if problems:
        raise InputError(field, problems)


def _finite(rows: Sequence[Any], names: Iterable[str], field: str) -> None:
    problems = []
    for index, row in enumerate(rows):
        for name in names:
            if row.HasField(name) if _has_presence(row, name) else True:
                value = getattr(row, name)
                if isinstance(value, float) and not math.isfinite(value):
                    problems.append(FieldProblem(f"{field}[{index}].{name}", value, "not finite"))
    if problems:
        raise InputError(field, problems[:_MAX_ROW_PROBLEMS])


def _has_presence(row: Message, name: str) -> bool:
    fd = row.DESCRIPTOR.fields_by_name[name]
    return bool(fd.has_presence)


def history_frame(rows: Sequence[demand_pb2.HistoryRow], field: str = "history") -> pd.DataFrame:
    """History rows as the frame :mod:`forecasts` reads."""
    import pandas as pd

    if not rows:
        raise _problem(field, [], "history is empty")
    _check_queue(rows, field)
    _finite(rows, ("offered", "aht_s", "abandoned", "answered_in_target"), field)
    data: dict[str, Any] = {
        "queue": [r.queue for r in rows],
        "ds": pd.to_datetime(_parse_ds([r.ds for r in rows], field)),
        "offered": [r.offered for r in rows],
        "aht_s": [r.aht_s if r.HasField("aht_s") else math.nan for r in rows],
    }
    for optional in ("abandoned", "answered_in_target"):
        if any(r.HasField(optional) for r in rows):
            data[optional] = [
                getattr(r, optional) if r.HasField(optional) else math.nan for r in rows
            ]
    return pd.DataFrame(data)


def forecast_frame(rows: Sequence[demand_pb2.ForecastRow], field: str = "forecast") -> pd.DataFrame:
    """Forecast rows as the frame the staffing stage reads."""
    import pandas as pd

    _check_queue(rows, field)
    _finite(rows, ("offered", "aht_s", "offered_lo", "offered_hi"), field)
    return pd.DataFrame(
        {
            "queue": [r.queue for r in rows],
            "ds": pd.to_datetime(_parse_ds([r.ds for r in rows], field)),
            "offered": [r.offered for r in rows],
            "aht_s": [r.aht_s for r in rows],
            "offered_lo": [r.offered_lo for r in rows],
            "offered_hi": [r.offered_hi for r in rows],
            "model": [r.model for r in rows],
        }
    )


_REQUIREMENT_COLUMNS = (
    "required_agents",
    "required_int",
    "scheduled_needed",
    "offered",
    "aht_s",
    "sl_curve",
    "curve_start",
)


def requirements_frame(
    rows: Sequence[demand_pb2.Requirement], field: str = "requirements"
) -> pd.DataFrame:
    """Requirement rows as the requirements frame (extra columns from ``values``/``labels``)."""
    import pandas as pd

    _check_queue(rows, field)
    _finite(rows, ("required_agents", "offered", "aht_s"), field)
    data: dict[str, Any] = {
        "queue": [r.queue for r in rows],
        "ds": pd.to_datetime(_parse_ds([r.ds for r in rows], field)),
        "required_agents": [r.required_agents for r in rows],
        "required_int": [r.required_int for r in rows],
        "scheduled_needed": [r.scheduled_needed for r in rows],
        "offered": [r.offered for r in rows],
        "aht_s": [r.aht_s for r in rows],
    }
    if any(r.sl_curve for r in rows):
        # The requirements table stores the curve as ';'-joined numbers (as in its CSV).
        data["sl_curve"] = [";".join(f"{x:.6g}" for x in r.sl_curve) for r in rows]
        data["curve_start"] = [r.curve_start for r in rows]
    value_keys = sorted({k for r in rows for k in r.values})
    label_keys = sorted({k for r in rows for k in r.labels})
    for key in value_keys:
        data[key] = [r.values.get(key, math.nan) for r in rows]
    for key in label_keys:
        data[key] = [r.labels.get(key, "") for r in rows]
    frame = pd.DataFrame(data)
    negative = frame.index[(frame["required_agents"] < 0) | (frame["required_int"] < 0)].tolist()
    if negative:
        raise InputError(
            field,
            [
                FieldProblem(f"{field}[{i}].required_agents", rows[i].required_agents, "negative")
                for i in negative[:_MAX_ROW_PROBLEMS]
            ],
        )
    return frame


def _ds_text(value: Any) -> str:
    if hasattr(value, "isoformat"):
        text: str = value.isoformat()
        return text
    return str(value)


def _split_columns(
    record: Mapping[str, Any], known: Iterable[str]
) -> tuple[dict[str, float], dict[str, str]]:
    values: dict[str, float] = {}
    labels: dict[str, str] = {}
    skip = set(known)
    for key, value in record.items():
        if key in skip or value is None:
            continue
        if isinstance(value, bool):
            values[key] = float(value)
        elif isinstance(value, int | float):
            if isinstance(value, float) and math.isnan(value):
                continue
            values[key] = float(value)
        elif hasattr(value, "item"):  # numpy scalar
            values[key] = float(value.item())
        elif isinstance(value, list | tuple):
            for i, item in enumerate(value):
                if isinstance(item, int | float):
                    values[f"{key}_{i}"] = float(item)
        else:
            labels[key] = _ds_text(value)
    return values, labels


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = frame.to_dict(orient="records")
    return out


def _num(record: Mapping[str, Any], key: str, default: float = 0.0) -> float:
    value = record.get(key, default)
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return default if math.isnan(number) else number


def _curve(value: Any) -> list[float]:
    if isinstance(value, str):
        return [float(x) for x in value.split(";") if x.strip()]
    if isinstance(value, list | tuple):
        return [float(x) for x in value]
    return []


def requirements_to_proto(frame: pd.DataFrame) -> list[demand_pb2.Requirement]:
    """The requirements frame as messages; unknown columns go to ``values``/``labels``."""
    rows = []
    for rec in _records(frame):
        values, labels = _split_columns(rec, ("queue", "ds", *_REQUIREMENT_COLUMNS))
        rows.append(
            demand_pb2.Requirement(
                queue=str(rec["queue"]),
                ds=_ds_text(rec["ds"]),
                required_agents=_num(rec, "required_agents"),
                required_int=int(_num(rec, "required_int")),
                scheduled_needed=int(_num(rec, "scheduled_needed")),
                offered=_num(rec, "offered"),
                aht_s=_num(rec, "aht_s"),
                sl_curve=_curve(rec.get("sl_curve")),
                curve_start=int(_num(rec, "curve_start")),
                values=values,
                labels=labels,
            )
        )
    return rows


def forecast_to_proto(frame: pd.DataFrame) -> list[demand_pb2.ForecastRow]:
    """The forecast frame as messages."""
    return [
        demand_pb2.ForecastRow(
            queue=str(rec["queue"]),
            ds=_ds_text(rec["ds"]),
            offered=_num(rec, "offered"),
            aht_s=_num(rec, "aht_s"),
            offered_lo=_num(rec, "offered_lo"),
            offered_hi=_num(rec, "offered_hi"),
            model=str(rec.get("model", "")),
        )
        for rec in _records(frame)
    ]


def metrics_to_proto(frame: pd.DataFrame) -> list[demand_pb2.ForecastMetric]:
    """The backtest metrics frame as messages (metric columns into ``values``)."""
    out = []
    for rec in _records(frame):
        model = str(rec.get("model", rec.get("method", "")))
        selected = bool(rec.get("selected", rec.get("picked", False)))
        values, labels = _split_columns(rec, ("queue", "model", "method", "selected", "picked"))
        out.append(
            demand_pb2.ForecastMetric(
                queue=str(rec.get("queue", "")),
                model=model,
                selected=selected,
                values=values,
                labels=labels,
            )
        )
    return out


def scheduled_frame(
    rows: Sequence[demand_pb2.ScheduledStaff], field: str = "scheduled"
) -> pd.DataFrame:
    """Scheduled staff rows as a ``queue, ds, scheduled`` frame."""
    import pandas as pd

    _check_queue(rows, field)
    return pd.DataFrame(
        {
            "queue": [r.queue for r in rows],
            "ds": pd.to_datetime(_parse_ds([r.ds for r in rows], field)),
            "scheduled": [r.agents for r in rows],
        }
    )


def evaluation_to_proto(frame: pd.DataFrame) -> list[demand_pb2.IntervalService]:
    """Predicted service per queue x interval as messages."""
    out = []
    for rec in _records(frame):
        values, labels = _split_columns(rec, ("queue", "ds"))
        out.append(
            demand_pb2.IntervalService(
                queue=str(rec.get("queue", "")),
                ds=_ds_text(rec.get("ds", "")),
                values=values,
                labels=labels,
            )
        )
    return out


def kpis_to_proto(kpis: Iterable[Mapping[str, Any]]) -> list[demand_pb2.Kpi]:
    """KPI records (``name, queue, period, value``) as messages."""
    return [
        demand_pb2.Kpi(
            name=str(k["name"]),
            queue=str(k.get("queue", "")),
            period=str(k.get("period", "")),
            value=float(k["value"]),
        )
        for k in kpis
    ]


# -- rosters -----------------------------------------------------------------------------------


def roster_to_proto(roster: Roster) -> roster_pb2.Roster:
    """A domain roster as a message."""
    return roster_pb2.Roster(
        horizon_start=roster.horizon_start.isoformat(),
        days=roster.days,
        interval_minutes=roster.interval_minutes,
        shifts=[
            roster_pb2.Shift(
                agent=s.agent,
                day=s.day,
                template=s.template,
                start=s.start,
                end=s.end,
                breaks=[
                    roster_pb2.BreakSpan(name=b.name, start=b.start, end=b.end, paid=b.paid)
                    for b in s.breaks
                ],
                activities=[
                    roster_pb2.ActivitySpan(queue=a.queue, start=a.start, end=a.end)
                    for a in s.activities
                ],
                paid_minutes=s.paid_minutes,
            )
            for s in roster.shifts
        ],
    )


def roster_from_proto(message: roster_pb2.Roster, field: str = "roster") -> Roster:
    """Validate a Roster message into the domain roster.

    Raises
    ------
    InputError
        Naming each bad field (``roster.shifts[2].paid_minutes`` ...).
    """
    raw = {
        "horizon_start": message.horizon_start,
        "days": message.days,
        "interval_minutes": message.interval_minutes,
        "shifts": [
            {
                "agent": s.agent,
                "day": s.day,
                "template": s.template,
                "start": s.start,
                "end": s.end,
                "breaks": [
                    {"name": b.name, "start": b.start, "end": b.end, "paid": b.paid}
                    for b in s.breaks
                ],
                "activities": [
                    {"queue": a.queue, "start": a.start, "end": a.end} for a in s.activities
                ],
                "paid_minutes": s.paid_minutes,
            }
            for s in message.shifts
        ],
    }
    try:
        return Roster.model_validate(raw)
    except ValidationError as exc:
        problems = [
            FieldProblem(
                field + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in e["loc"]),
                e.get("input"),
                e["msg"],
            )
            for e in exc.errors()
        ]
        raise InputError(field, problems[:_MAX_ROW_PROBLEMS]) from exc


def solve_summary_to_proto(result: Result) -> roster_pb2.SolveSummary:
    """The solver part of a result."""
    summary = roster_pb2.SolveSummary(
        status=roster_pb2.SolveStatus.Value("SOLVE_STATUS_" + result.status.value),
        seed=result.seed,
        seconds=result.seconds,
        objective_terms={k: float(v) for k, v in result.objective_terms.items()},
        messages=list(result.messages),
    )
    for name in ("objective", "bound", "gap"):
        value = getattr(result, name)
        if value is not None and math.isfinite(value):
            setattr(summary, name, value)
    return summary


def fairness_to_proto(rows: Iterable[AgentFairness]) -> list[roster_pb2.AgentFairness]:
    """Fairness per agent."""
    return [roster_pb2.AgentFairness(**f.model_dump()) for f in rows]


def diff_to_proto(diff: RosterDiff | None) -> roster_pb2.RosterDiff | None:
    """The diff against the previous roster (``None`` when there was none)."""
    if diff is None:
        return None
    return roster_pb2.RosterDiff(
        changed_days=[roster_pb2.ChangedDay(**c.model_dump()) for c in diff.changed_days],
        moved_minutes=diff.moved_minutes,
    )


def timestamp(value: dt.datetime | None) -> Timestamp | None:
    """A datetime (naive = UTC) as a Timestamp."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    stamp = Timestamp()
    stamp.FromDatetime(value)
    return stamp


def version_to_proto(roster: RosterRow, row: RosterVersionRow) -> roster_pb2.RosterVersion:
    """A stored roster version with its full result."""
    result = Result.model_validate_json(row.result_json)
    message = roster_pb2.RosterVersion(
        roster_id=roster.id,
        version=row.version,
        state=roster_pb2.RosterState.Value("ROSTER_STATE_" + row.state),
        site=roster.site,
        roster=roster_to_proto(result.roster),
        solve=solve_summary_to_proto(result),
        fairness=fairness_to_proto(result.fairness),
        kpis=kpis_to_proto(json.loads(row.kpis_json or "[]")),
        created_by=row.created_by,
        create_time=timestamp(row.create_time),
        published_by=row.published_by or "",
        publish_time=timestamp(row.publish_time),
        job_id=row.job_id or "",
        inputs_sha256=row.inputs_sha256,
    )
    diff = diff_to_proto(result.diff)
    if diff is not None:
        message.diff.CopyFrom(diff)
    return message


def summary_to_proto(roster: RosterRow) -> roster_pb2.RosterSummary:
    """A roster row for listings."""
    return roster_pb2.RosterSummary(
        roster_id=roster.id,
        site=roster.site,
        horizon_start=roster.horizon_start,
        days=roster.days,
        latest_version=roster.latest_version,
        published_version=roster.published_version,
        create_time=timestamp(roster.create_time),
        update_time=timestamp(roster.update_time),
    )


def audit_to_proto(entry: AuditEntry) -> roster_pb2.AuditEvent:
    """An audit trail entry."""
    return roster_pb2.AuditEvent(
        event_id=entry.event_id,
        time=timestamp(entry.time),
        principal=entry.principal,
        action=entry.action,
        roster_id=entry.roster_id,
        job_id=entry.job_id,
        version=entry.version,
        site=entry.site,
        inputs_sha256=entry.inputs_sha256,
    )


def progress_to_proto(event: Mapping[str, Any]) -> roster_pb2.JobProgress:
    """A progress event (a ProgressEvent's fields) as a message."""
    message = roster_pb2.JobProgress(
        seconds=float(event.get("seconds", 0.0)),
        phase=str(event.get("phase", "")),
        message=str(event.get("message", "")),
    )
    for name in ("objective", "bound"):
        value = event.get(name)
        if value is not None and math.isfinite(float(value)):
            setattr(message, name, float(value))
    return message


def job_to_proto(row: JobRow) -> roster_pb2.RosterJob:
    """A stored job."""
    message = roster_pb2.RosterJob(
        job_id=row.id,
        state=roster_pb2.JobState.Value("JOB_STATE_" + row.state),
        roster_id=row.roster_id,
        version=row.version,
        site=row.site,
        error=row.error,
        error_code=row.error_code,
        clashes=json.loads(row.clashes_json or "[]"),
        request_id=row.request_id or "",
        created_by=row.created_by,
        create_time=timestamp(row.create_time),
        start_time=timestamp(row.start_time),
        end_time=timestamp(row.end_time),
        cancel_requested=bool(row.cancel_requested),
    )
    if row.progress_json:
        message.progress.CopyFrom(progress_to_proto(json.loads(row.progress_json)))
    if row.solve_json:
        message.solve.CopyFrom(solve_summary_to_proto(Result.model_validate_json(row.solve_json)))
    return message


def violation_to_proto(violation: Any) -> roster_pb2.Violation:
    """A violation from the roster validator (any object with rule/agent/day/message)."""
    day = getattr(violation, "day", None)
    return roster_pb2.Violation(
        rule=str(getattr(violation, "rule", getattr(violation, "kind", ""))),
        agent=str(getattr(violation, "agent", "") or ""),
        day=-1 if day is None else int(day),
        message=str(getattr(violation, "message", violation)),
    )


# -- options and digests -----------------------------------------------------------------------


def solve_params(
    options: roster_pb2.SolveOptions,
    *,
    default_time_limit_s: float,
    max_time_limit_s: float,
    default_workers: int,
    field: str = "options",
) -> SolveParams:
    """Solver controls from the request, defaults from the settings, capped by the server."""
    problems = []
    limit = default_time_limit_s
    if options.HasField("time_limit_seconds"):
        limit = options.time_limit_seconds
        if not (math.isfinite(limit) and limit > 0):
            problems.append(
                FieldProblem(f"{field}.time_limit_seconds", limit, "must be a positive number")
            )
    gap = options.gap_limit if options.HasField("gap_limit") else 0.0
    if not (math.isfinite(gap) and gap >= 0):
        problems.append(FieldProblem(f"{field}.gap_limit", gap, "must be >= 0"))
    workers = options.workers if options.HasField("workers") else default_workers
    if workers < 1 or workers > 64:
        problems.append(FieldProblem(f"{field}.workers", workers, "must be within 1..64"))
    if problems:
        raise InputError(field, problems)
    return SolveParams(
        time_limit_s=min(limit, max_time_limit_s),
        gap_limit=gap,
        workers=workers,
        seed=options.seed if options.HasField("seed") else 0,
    )


def warm_up() -> None:
    """Import and exercise the table conversions once: pandas, numpy, pyarrow-backed strings,
    date parsing, frame -> message.

    :func:`~scheduler.service.server.build_server` calls this before serving. Left to the first
    request, these imports take about a second *on the event loop* and stall every RPC in
    flight (a ListRosters beside the first GenerateRoster took ~1 s instead of ~5 ms).
    """
    ds = "2025-03-03T08:00:00"
    history_frame([demand_pb2.HistoryRow(queue="q", ds=ds, offered=1.0, aht_s=60.0)])
    forecast_frame([demand_pb2.ForecastRow(queue="q", ds=ds, offered=1.0, aht_s=60.0)])
    scheduled_frame([demand_pb2.ScheduledStaff(queue="q", ds=ds, agents=1.0)])
    frame = requirements_frame(
        [demand_pb2.Requirement(queue="q", ds=ds, required_agents=1.0, values={"x": 1.0})]
    )
    requirements_to_proto(frame)


def digest(*messages: Message) -> str:
    """SHA-256 of messages' deterministic serialisation (the audit trail's inputs digest)."""
    h = hashlib.sha256()
    for message in messages:
        h.update(message.SerializeToString(deterministic=True))
    return h.hexdigest()
