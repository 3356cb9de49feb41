from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class HistoryRow(_message.Message):
    __slots__ = ("queue", "ds", "offered", "aht_s", "abandoned", "answered_in_target")
    QUEUE_FIELD_NUMBER: _ClassVar[int]
    DS_FIELD_NUMBER: _ClassVar[int]
    OFFERED_FIELD_NUMBER: _ClassVar[int]
    AHT_S_FIELD_NUMBER: _ClassVar[int]
    ABANDONED_FIELD_NUMBER: _ClassVar[int]
    ANSWERED_IN_TARGET_FIELD_NUMBER: _ClassVar[int]
    queue: str
    ds: str
    offered: float
    aht_s: float
    abandoned: float
    answered_in_target: float
    def __init__(self, queue: _Optional[str] = ..., ds: _Optional[str] = ..., offered: _Optional[float] = ..., aht_s: _Optional[float] = ..., abandoned: _Optional[float] = ..., answered_in_target: _Optional[float] = ...) -> None: ...

class ForecastRow(_message.Message):
    __slots__ = ("queue", "ds", "offered", "aht_s", "offered_lo", "offered_hi", "model")
    QUEUE_FIELD_NUMBER: _ClassVar[int]
    DS_FIELD_NUMBER: _ClassVar[int]
    OFFERED_FIELD_NUMBER: _ClassVar[int]
    AHT_S_FIELD_NUMBER: _ClassVar[int]
    OFFERED_LO_FIELD_NUMBER: _ClassVar[int]
    OFFERED_HI_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    queue: str
    ds: str
    offered: float
    aht_s: float
    offered_lo: float
    offered_hi: float
    model: str
    def __init__(self, queue: _Optional[str] = ..., ds: _Optional[str] = ..., offered: _Optional[float] = ..., aht_s: _Optional[float] = ..., offered_lo: _Optional[float] = ..., offered_hi: _Optional[float] = ..., model: _Optional[str] = ...) -> None: ...

class ForecastMetric(_message.Message):
    __slots__ = ("queue", "model", "selected", "values", "labels")
    class ValuesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: float
        def __init__(self, key: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...
    class LabelsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    QUEUE_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    SELECTED_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    LABELS_FIELD_NUMBER: _ClassVar[int]
    queue: str
    model: str
    selected: bool
    values: _containers.ScalarMap[str, float]
    labels: _containers.ScalarMap[str, str]
    def __init__(self, queue: _Optional[str] = ..., model: _Optional[str] = ..., selected: _Optional[bool] = ..., values: _Optional[_Mapping[str, float]] = ..., labels: _Optional[_Mapping[str, str]] = ...) -> None: ...

class Requirement(_message.Message):
    __slots__ = ("queue", "ds", "required_agents", "required_int", "scheduled_needed", "values", "labels", "offered", "aht_s", "sl_curve", "curve_start")
    class ValuesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: float
        def __init__(self, key: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...
    class LabelsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    QUEUE_FIELD_NUMBER: _ClassVar[int]
    DS_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_AGENTS_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_INT_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_NEEDED_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    LABELS_FIELD_NUMBER: _ClassVar[int]
    OFFERED_FIELD_NUMBER: _ClassVar[int]
    AHT_S_FIELD_NUMBER: _ClassVar[int]
    SL_CURVE_FIELD_NUMBER: _ClassVar[int]
    CURVE_START_FIELD_NUMBER: _ClassVar[int]
    queue: str
    ds: str
    required_agents: float
    required_int: int
    scheduled_needed: int
    values: _containers.ScalarMap[str, float]
    labels: _containers.ScalarMap[str, str]
    offered: float
    aht_s: float
    sl_curve: _containers.RepeatedScalarFieldContainer[float]
    curve_start: int
    def __init__(self, queue: _Optional[str] = ..., ds: _Optional[str] = ..., required_agents: _Optional[float] = ..., required_int: _Optional[int] = ..., scheduled_needed: _Optional[int] = ..., values: _Optional[_Mapping[str, float]] = ..., labels: _Optional[_Mapping[str, str]] = ..., offered: _Optional[float] = ..., aht_s: _Optional[float] = ..., sl_curve: _Optional[_Iterable[float]] = ..., curve_start: _Optional[int] = ...) -> None: ...

class ScheduledStaff(_message.Message):
    __slots__ = ("queue", "ds", "agents")
    QUEUE_FIELD_NUMBER: _ClassVar[int]
    DS_FIELD_NUMBER: _ClassVar[int]
    AGENTS_FIELD_NUMBER: _ClassVar[int]
    queue: str
    ds: str
    agents: float
    def __init__(self, queue: _Optional[str] = ..., ds: _Optional[str] = ..., agents: _Optional[float] = ...) -> None: ...

class IntervalService(_message.Message):
    __slots__ = ("queue", "ds", "values", "labels")
    class ValuesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: float
        def __init__(self, key: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...
    class LabelsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    QUEUE_FIELD_NUMBER: _ClassVar[int]
    DS_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    LABELS_FIELD_NUMBER: _ClassVar[int]
    queue: str
    ds: str
    values: _containers.ScalarMap[str, float]
    labels: _containers.ScalarMap[str, str]
    def __init__(self, queue: _Optional[str] = ..., ds: _Optional[str] = ..., values: _Optional[_Mapping[str, float]] = ..., labels: _Optional[_Mapping[str, str]] = ...) -> None: ...

class Kpi(_message.Message):
    __slots__ = ("name", "queue", "period", "value")
    NAME_FIELD_NUMBER: _ClassVar[int]
    QUEUE_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    name: str
    queue: str
    period: str
    value: float
    def __init__(self, name: _Optional[str] = ..., queue: _Optional[str] = ..., period: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...
