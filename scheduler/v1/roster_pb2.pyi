import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from scheduler.v1 import demand_pb2 as _demand_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SolveStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SOLVE_STATUS_UNSPECIFIED: _ClassVar[SolveStatus]
    SOLVE_STATUS_OPTIMAL: _ClassVar[SolveStatus]
    SOLVE_STATUS_FEASIBLE: _ClassVar[SolveStatus]
    SOLVE_STATUS_INFEASIBLE: _ClassVar[SolveStatus]
    SOLVE_STATUS_UNKNOWN: _ClassVar[SolveStatus]

class RosterState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ROSTER_STATE_UNSPECIFIED: _ClassVar[RosterState]
    ROSTER_STATE_DRAFT: _ClassVar[RosterState]
    ROSTER_STATE_PUBLISHED: _ClassVar[RosterState]
    ROSTER_STATE_SUPERSEDED: _ClassVar[RosterState]

class JobState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    JOB_STATE_UNSPECIFIED: _ClassVar[JobState]
    JOB_STATE_QUEUED: _ClassVar[JobState]
    JOB_STATE_RUNNING: _ClassVar[JobState]
    JOB_STATE_SUCCEEDED: _ClassVar[JobState]
    JOB_STATE_FAILED: _ClassVar[JobState]
    JOB_STATE_CANCELLED: _ClassVar[JobState]
    JOB_STATE_INTERRUPTED: _ClassVar[JobState]
SOLVE_STATUS_UNSPECIFIED: SolveStatus
SOLVE_STATUS_OPTIMAL: SolveStatus
SOLVE_STATUS_FEASIBLE: SolveStatus
SOLVE_STATUS_INFEASIBLE: SolveStatus
SOLVE_STATUS_UNKNOWN: SolveStatus
ROSTER_STATE_UNSPECIFIED: RosterState
ROSTER_STATE_DRAFT: RosterState
ROSTER_STATE_PUBLISHED: RosterState
ROSTER_STATE_SUPERSEDED: RosterState
JOB_STATE_UNSPECIFIED: JobState
JOB_STATE_QUEUED: JobState
JOB_STATE_RUNNING: JobState
JOB_STATE_SUCCEEDED: JobState
JOB_STATE_FAILED: JobState
JOB_STATE_CANCELLED: JobState
JOB_STATE_INTERRUPTED: JobState

class BreakSpan(_message.Message):
    __slots__ = ("name", "start", "end", "paid")
    NAME_FIELD_NUMBER: _ClassVar[int]
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    PAID_FIELD_NUMBER: _ClassVar[int]
    name: str
    start: int
    end: int
    paid: bool
    def __init__(self, name: _Optional[str] = ..., start: _Optional[int] = ..., end: _Optional[int] = ..., paid: _Optional[bool] = ...) -> None: ...

class ActivitySpan(_message.Message):
    __slots__ = ("queue", "start", "end")
    QUEUE_FIELD_NUMBER: _ClassVar[int]
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    queue: str
    start: int
    end: int
    def __init__(self, queue: _Optional[str] = ..., start: _Optional[int] = ..., end: _Optional[int] = ...) -> None: ...

class Shift(_message.Message):
    __slots__ = ("agent", "day", "template", "start", "end", "breaks", "activities", "paid_minutes")
    AGENT_FIELD_NUMBER: _ClassVar[int]
    DAY_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    BREAKS_FIELD_NUMBER: _ClassVar[int]
    ACTIVITIES_FIELD_NUMBER: _ClassVar[int]
    PAID_MINUTES_FIELD_NUMBER: _ClassVar[int]
    agent: str
    day: int
    template: str
    start: int
    end: int
    breaks: _containers.RepeatedCompositeFieldContainer[BreakSpan]
    activities: _containers.RepeatedCompositeFieldContainer[ActivitySpan]
    paid_minutes: int
    def __init__(self, agent: _Optional[str] = ..., day: _Optional[int] = ..., template: _Optional[str] = ..., start: _Optional[int] = ..., end: _Optional[int] = ..., breaks: _Optional[_Iterable[_Union[BreakSpan, _Mapping]]] = ..., activities: _Optional[_Iterable[_Union[ActivitySpan, _Mapping]]] = ..., paid_minutes: _Optional[int] = ...) -> None: ...

class Roster(_message.Message):
    __slots__ = ("horizon_start", "days", "interval_minutes", "shifts")
    HORIZON_START_FIELD_NUMBER: _ClassVar[int]
    DAYS_FIELD_NUMBER: _ClassVar[int]
    INTERVAL_MINUTES_FIELD_NUMBER: _ClassVar[int]
    SHIFTS_FIELD_NUMBER: _ClassVar[int]
    horizon_start: str
    days: int
    interval_minutes: int
    shifts: _containers.RepeatedCompositeFieldContainer[Shift]
    def __init__(self, horizon_start: _Optional[str] = ..., days: _Optional[int] = ..., interval_minutes: _Optional[int] = ..., shifts: _Optional[_Iterable[_Union[Shift, _Mapping]]] = ...) -> None: ...

class SolveOptions(_message.Message):
    __slots__ = ("time_limit_seconds", "gap_limit", "workers", "seed")
    TIME_LIMIT_SECONDS_FIELD_NUMBER: _ClassVar[int]
    GAP_LIMIT_FIELD_NUMBER: _ClassVar[int]
    WORKERS_FIELD_NUMBER: _ClassVar[int]
    SEED_FIELD_NUMBER: _ClassVar[int]
    time_limit_seconds: float
    gap_limit: float
    workers: int
    seed: int
    def __init__(self, time_limit_seconds: _Optional[float] = ..., gap_limit: _Optional[float] = ..., workers: _Optional[int] = ..., seed: _Optional[int] = ...) -> None: ...

class SolveSummary(_message.Message):
    __slots__ = ("status", "objective", "bound", "gap", "seed", "seconds", "objective_terms", "messages")
    class ObjectiveTermsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: float
        def __init__(self, key: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...
    STATUS_FIELD_NUMBER: _ClassVar[int]
    OBJECTIVE_FIELD_NUMBER: _ClassVar[int]
    BOUND_FIELD_NUMBER: _ClassVar[int]
    GAP_FIELD_NUMBER: _ClassVar[int]
    SEED_FIELD_NUMBER: _ClassVar[int]
    SECONDS_FIELD_NUMBER: _ClassVar[int]
    OBJECTIVE_TERMS_FIELD_NUMBER: _ClassVar[int]
    MESSAGES_FIELD_NUMBER: _ClassVar[int]
    status: SolveStatus
    objective: float
    bound: float
    gap: float
    seed: int
    seconds: float
    objective_terms: _containers.ScalarMap[str, float]
    messages: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, status: _Optional[_Union[SolveStatus, str]] = ..., objective: _Optional[float] = ..., bound: _Optional[float] = ..., gap: _Optional[float] = ..., seed: _Optional[int] = ..., seconds: _Optional[float] = ..., objective_terms: _Optional[_Mapping[str, float]] = ..., messages: _Optional[_Iterable[str]] = ...) -> None: ...

class AgentFairness(_message.Message):
    __slots__ = ("agent", "paid_minutes", "target_minutes", "weekends", "nights", "late_finishes", "early_starts", "preferences_granted", "preferences_asked")
    AGENT_FIELD_NUMBER: _ClassVar[int]
    PAID_MINUTES_FIELD_NUMBER: _ClassVar[int]
    TARGET_MINUTES_FIELD_NUMBER: _ClassVar[int]
    WEEKENDS_FIELD_NUMBER: _ClassVar[int]
    NIGHTS_FIELD_NUMBER: _ClassVar[int]
    LATE_FINISHES_FIELD_NUMBER: _ClassVar[int]
    EARLY_STARTS_FIELD_NUMBER: _ClassVar[int]
    PREFERENCES_GRANTED_FIELD_NUMBER: _ClassVar[int]
    PREFERENCES_ASKED_FIELD_NUMBER: _ClassVar[int]
    agent: str
    paid_minutes: int
    target_minutes: int
    weekends: int
    nights: int
    late_finishes: int
    early_starts: int
    preferences_granted: int
    preferences_asked: int
    def __init__(self, agent: _Optional[str] = ..., paid_minutes: _Optional[int] = ..., target_minutes: _Optional[int] = ..., weekends: _Optional[int] = ..., nights: _Optional[int] = ..., late_finishes: _Optional[int] = ..., early_starts: _Optional[int] = ..., preferences_granted: _Optional[int] = ..., preferences_asked: _Optional[int] = ...) -> None: ...

class ChangedDay(_message.Message):
    __slots__ = ("agent", "day", "before", "after")
    AGENT_FIELD_NUMBER: _ClassVar[int]
    DAY_FIELD_NUMBER: _ClassVar[int]
    BEFORE_FIELD_NUMBER: _ClassVar[int]
    AFTER_FIELD_NUMBER: _ClassVar[int]
    agent: str
    day: int
    before: str
    after: str
    def __init__(self, agent: _Optional[str] = ..., day: _Optional[int] = ..., before: _Optional[str] = ..., after: _Optional[str] = ...) -> None: ...

class RosterDiff(_message.Message):
    __slots__ = ("changed_days", "moved_minutes")
    CHANGED_DAYS_FIELD_NUMBER: _ClassVar[int]
    MOVED_MINUTES_FIELD_NUMBER: _ClassVar[int]
    changed_days: _containers.RepeatedCompositeFieldContainer[ChangedDay]
    moved_minutes: int
    def __init__(self, changed_days: _Optional[_Iterable[_Union[ChangedDay, _Mapping]]] = ..., moved_minutes: _Optional[int] = ...) -> None: ...

class Violation(_message.Message):
    __slots__ = ("rule", "agent", "day", "message")
    RULE_FIELD_NUMBER: _ClassVar[int]
    AGENT_FIELD_NUMBER: _ClassVar[int]
    DAY_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    rule: str
    agent: str
    day: int
    message: str
    def __init__(self, rule: _Optional[str] = ..., agent: _Optional[str] = ..., day: _Optional[int] = ..., message: _Optional[str] = ...) -> None: ...

class RosterVersion(_message.Message):
    __slots__ = ("roster_id", "version", "state", "site", "roster", "solve", "fairness", "diff", "kpis", "created_by", "create_time", "published_by", "publish_time", "job_id", "inputs_sha256")
    ROSTER_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    SITE_FIELD_NUMBER: _ClassVar[int]
    ROSTER_FIELD_NUMBER: _ClassVar[int]
    SOLVE_FIELD_NUMBER: _ClassVar[int]
    FAIRNESS_FIELD_NUMBER: _ClassVar[int]
    DIFF_FIELD_NUMBER: _ClassVar[int]
    KPIS_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_BY_FIELD_NUMBER: _ClassVar[int]
    PUBLISH_TIME_FIELD_NUMBER: _ClassVar[int]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    INPUTS_SHA256_FIELD_NUMBER: _ClassVar[int]
    roster_id: str
    version: int
    state: RosterState
    site: str
    roster: Roster
    solve: SolveSummary
    fairness: _containers.RepeatedCompositeFieldContainer[AgentFairness]
    diff: RosterDiff
    kpis: _containers.RepeatedCompositeFieldContainer[_demand_pb2.Kpi]
    created_by: str
    create_time: _timestamp_pb2.Timestamp
    published_by: str
    publish_time: _timestamp_pb2.Timestamp
    job_id: str
    inputs_sha256: str
    def __init__(self, roster_id: _Optional[str] = ..., version: _Optional[int] = ..., state: _Optional[_Union[RosterState, str]] = ..., site: _Optional[str] = ..., roster: _Optional[_Union[Roster, _Mapping]] = ..., solve: _Optional[_Union[SolveSummary, _Mapping]] = ..., fairness: _Optional[_Iterable[_Union[AgentFairness, _Mapping]]] = ..., diff: _Optional[_Union[RosterDiff, _Mapping]] = ..., kpis: _Optional[_Iterable[_Union[_demand_pb2.Kpi, _Mapping]]] = ..., created_by: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., published_by: _Optional[str] = ..., publish_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., job_id: _Optional[str] = ..., inputs_sha256: _Optional[str] = ...) -> None: ...

class RosterSummary(_message.Message):
    __slots__ = ("roster_id", "site", "horizon_start", "days", "latest_version", "published_version", "create_time", "update_time")
    ROSTER_ID_FIELD_NUMBER: _ClassVar[int]
    SITE_FIELD_NUMBER: _ClassVar[int]
    HORIZON_START_FIELD_NUMBER: _ClassVar[int]
    DAYS_FIELD_NUMBER: _ClassVar[int]
    LATEST_VERSION_FIELD_NUMBER: _ClassVar[int]
    PUBLISHED_VERSION_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    roster_id: str
    site: str
    horizon_start: str
    days: int
    latest_version: int
    published_version: int
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    def __init__(self, roster_id: _Optional[str] = ..., site: _Optional[str] = ..., horizon_start: _Optional[str] = ..., days: _Optional[int] = ..., latest_version: _Optional[int] = ..., published_version: _Optional[int] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class JobProgress(_message.Message):
    __slots__ = ("seconds", "objective", "bound", "phase", "message")
    SECONDS_FIELD_NUMBER: _ClassVar[int]
    OBJECTIVE_FIELD_NUMBER: _ClassVar[int]
    BOUND_FIELD_NUMBER: _ClassVar[int]
    PHASE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    seconds: float
    objective: float
    bound: float
    phase: str
    message: str
    def __init__(self, seconds: _Optional[float] = ..., objective: _Optional[float] = ..., bound: _Optional[float] = ..., phase: _Optional[str] = ..., message: _Optional[str] = ...) -> None: ...

class RosterJob(_message.Message):
    __slots__ = ("job_id", "state", "roster_id", "version", "site", "progress", "error", "error_code", "clashes", "solve", "request_id", "created_by", "create_time", "start_time", "end_time", "cancel_requested")
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    ROSTER_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    SITE_FIELD_NUMBER: _ClassVar[int]
    PROGRESS_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    ERROR_CODE_FIELD_NUMBER: _ClassVar[int]
    CLASHES_FIELD_NUMBER: _ClassVar[int]
    SOLVE_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    CANCEL_REQUESTED_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    state: JobState
    roster_id: str
    version: int
    site: str
    progress: JobProgress
    error: str
    error_code: str
    clashes: _containers.RepeatedScalarFieldContainer[str]
    solve: SolveSummary
    request_id: str
    created_by: str
    create_time: _timestamp_pb2.Timestamp
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    cancel_requested: bool
    def __init__(self, job_id: _Optional[str] = ..., state: _Optional[_Union[JobState, str]] = ..., roster_id: _Optional[str] = ..., version: _Optional[int] = ..., site: _Optional[str] = ..., progress: _Optional[_Union[JobProgress, _Mapping]] = ..., error: _Optional[str] = ..., error_code: _Optional[str] = ..., clashes: _Optional[_Iterable[str]] = ..., solve: _Optional[_Union[SolveSummary, _Mapping]] = ..., request_id: _Optional[str] = ..., created_by: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., cancel_requested: _Optional[bool] = ...) -> None: ...

class AuditEvent(_message.Message):
    __slots__ = ("event_id", "time", "principal", "action", "roster_id", "job_id", "version", "site", "inputs_sha256")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    PRINCIPAL_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    ROSTER_ID_FIELD_NUMBER: _ClassVar[int]
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    SITE_FIELD_NUMBER: _ClassVar[int]
    INPUTS_SHA256_FIELD_NUMBER: _ClassVar[int]
    event_id: int
    time: _timestamp_pb2.Timestamp
    principal: str
    action: str
    roster_id: str
    job_id: str
    version: int
    site: str
    inputs_sha256: str
    def __init__(self, event_id: _Optional[int] = ..., time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., principal: _Optional[str] = ..., action: _Optional[str] = ..., roster_id: _Optional[str] = ..., job_id: _Optional[str] = ..., version: _Optional[int] = ..., site: _Optional[str] = ..., inputs_sha256: _Optional[str] = ...) -> None: ...
