from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Channel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CHANNEL_UNSPECIFIED: _ClassVar[Channel]
    CHANNEL_VOICE: _ClassVar[Channel]
    CHANNEL_CHAT: _ClassVar[Channel]
    CHANNEL_EMAIL: _ClassVar[Channel]
    CHANNEL_BACK_OFFICE: _ClassVar[Channel]
CHANNEL_UNSPECIFIED: Channel
CHANNEL_VOICE: Channel
CHANNEL_CHAT: Channel
CHANNEL_EMAIL: Channel
CHANNEL_BACK_OFFICE: Channel

class TimeWindow(_message.Message):
    __slots__ = ("start", "end")
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    start: int
    end: int
    def __init__(self, start: _Optional[int] = ..., end: _Optional[int] = ...) -> None: ...

class TimeWindowList(_message.Message):
    __slots__ = ("windows",)
    WINDOWS_FIELD_NUMBER: _ClassVar[int]
    windows: _containers.RepeatedCompositeFieldContainer[TimeWindow]
    def __init__(self, windows: _Optional[_Iterable[_Union[TimeWindow, _Mapping]]] = ...) -> None: ...

class SpecialDay(_message.Message):
    __slots__ = ("date", "kind", "name", "hours")
    DATE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    HOURS_FIELD_NUMBER: _ClassVar[int]
    date: str
    kind: str
    name: str
    hours: TimeWindowList
    def __init__(self, date: _Optional[str] = ..., kind: _Optional[str] = ..., name: _Optional[str] = ..., hours: _Optional[_Union[TimeWindowList, _Mapping]] = ...) -> None: ...

class Site(_message.Message):
    __slots__ = ("name", "timezone", "country", "interval_minutes", "opening_hours", "special_days")
    class OpeningHoursEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: TimeWindowList
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[TimeWindowList, _Mapping]] = ...) -> None: ...
    NAME_FIELD_NUMBER: _ClassVar[int]
    TIMEZONE_FIELD_NUMBER: _ClassVar[int]
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    INTERVAL_MINUTES_FIELD_NUMBER: _ClassVar[int]
    OPENING_HOURS_FIELD_NUMBER: _ClassVar[int]
    SPECIAL_DAYS_FIELD_NUMBER: _ClassVar[int]
    name: str
    timezone: str
    country: str
    interval_minutes: int
    opening_hours: _containers.MessageMap[str, TimeWindowList]
    special_days: _containers.RepeatedCompositeFieldContainer[SpecialDay]
    def __init__(self, name: _Optional[str] = ..., timezone: _Optional[str] = ..., country: _Optional[str] = ..., interval_minutes: _Optional[int] = ..., opening_hours: _Optional[_Mapping[str, TimeWindowList]] = ..., special_days: _Optional[_Iterable[_Union[SpecialDay, _Mapping]]] = ...) -> None: ...

class Horizon(_message.Message):
    __slots__ = ("start", "days")
    START_FIELD_NUMBER: _ClassVar[int]
    DAYS_FIELD_NUMBER: _ClassVar[int]
    start: str
    days: int
    def __init__(self, start: _Optional[str] = ..., days: _Optional[int] = ...) -> None: ...

class ServiceGoal(_message.Message):
    __slots__ = ("service_level", "answer_seconds", "asa_seconds", "max_abandon", "deadline_minutes")
    SERVICE_LEVEL_FIELD_NUMBER: _ClassVar[int]
    ANSWER_SECONDS_FIELD_NUMBER: _ClassVar[int]
    ASA_SECONDS_FIELD_NUMBER: _ClassVar[int]
    MAX_ABANDON_FIELD_NUMBER: _ClassVar[int]
    DEADLINE_MINUTES_FIELD_NUMBER: _ClassVar[int]
    service_level: float
    answer_seconds: float
    asa_seconds: float
    max_abandon: float
    deadline_minutes: int
    def __init__(self, service_level: _Optional[float] = ..., answer_seconds: _Optional[float] = ..., asa_seconds: _Optional[float] = ..., max_abandon: _Optional[float] = ..., deadline_minutes: _Optional[int] = ...) -> None: ...

class Queue(_message.Message):
    __slots__ = ("id", "name", "channel", "goal", "patience_seconds", "max_occupancy", "shrinkage", "max_concurrency", "concurrency_efficiency")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    GOAL_FIELD_NUMBER: _ClassVar[int]
    PATIENCE_SECONDS_FIELD_NUMBER: _ClassVar[int]
    MAX_OCCUPANCY_FIELD_NUMBER: _ClassVar[int]
    SHRINKAGE_FIELD_NUMBER: _ClassVar[int]
    MAX_CONCURRENCY_FIELD_NUMBER: _ClassVar[int]
    CONCURRENCY_EFFICIENCY_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    channel: Channel
    goal: ServiceGoal
    patience_seconds: float
    max_occupancy: float
    shrinkage: float
    max_concurrency: int
    concurrency_efficiency: float
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., channel: _Optional[_Union[Channel, str]] = ..., goal: _Optional[_Union[ServiceGoal, _Mapping]] = ..., patience_seconds: _Optional[float] = ..., max_occupancy: _Optional[float] = ..., shrinkage: _Optional[float] = ..., max_concurrency: _Optional[int] = ..., concurrency_efficiency: _Optional[float] = ...) -> None: ...

class Contract(_message.Message):
    __slots__ = ("id", "min_minutes_per_week", "max_minutes_per_week", "max_days", "min_days", "max_consecutive_days", "min_consecutive_days_off", "min_rest_minutes", "max_weekends", "shift_templates", "max_shifts_by_kind", "min_minutes_per_horizon", "max_minutes_per_horizon", "max_shifts_by_kind_per_horizon")
    class MaxShiftsByKindEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    class MaxShiftsByKindPerHorizonEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    ID_FIELD_NUMBER: _ClassVar[int]
    MIN_MINUTES_PER_WEEK_FIELD_NUMBER: _ClassVar[int]
    MAX_MINUTES_PER_WEEK_FIELD_NUMBER: _ClassVar[int]
    MAX_DAYS_FIELD_NUMBER: _ClassVar[int]
    MIN_DAYS_FIELD_NUMBER: _ClassVar[int]
    MAX_CONSECUTIVE_DAYS_FIELD_NUMBER: _ClassVar[int]
    MIN_CONSECUTIVE_DAYS_OFF_FIELD_NUMBER: _ClassVar[int]
    MIN_REST_MINUTES_FIELD_NUMBER: _ClassVar[int]
    MAX_WEEKENDS_FIELD_NUMBER: _ClassVar[int]
    SHIFT_TEMPLATES_FIELD_NUMBER: _ClassVar[int]
    MAX_SHIFTS_BY_KIND_FIELD_NUMBER: _ClassVar[int]
    MIN_MINUTES_PER_HORIZON_FIELD_NUMBER: _ClassVar[int]
    MAX_MINUTES_PER_HORIZON_FIELD_NUMBER: _ClassVar[int]
    MAX_SHIFTS_BY_KIND_PER_HORIZON_FIELD_NUMBER: _ClassVar[int]
    id: str
    min_minutes_per_week: int
    max_minutes_per_week: int
    max_days: int
    min_days: int
    max_consecutive_days: int
    min_consecutive_days_off: int
    min_rest_minutes: int
    max_weekends: int
    shift_templates: _containers.RepeatedScalarFieldContainer[str]
    max_shifts_by_kind: _containers.ScalarMap[str, int]
    min_minutes_per_horizon: int
    max_minutes_per_horizon: int
    max_shifts_by_kind_per_horizon: _containers.ScalarMap[str, int]
    def __init__(self, id: _Optional[str] = ..., min_minutes_per_week: _Optional[int] = ..., max_minutes_per_week: _Optional[int] = ..., max_days: _Optional[int] = ..., min_days: _Optional[int] = ..., max_consecutive_days: _Optional[int] = ..., min_consecutive_days_off: _Optional[int] = ..., min_rest_minutes: _Optional[int] = ..., max_weekends: _Optional[int] = ..., shift_templates: _Optional[_Iterable[str]] = ..., max_shifts_by_kind: _Optional[_Mapping[str, int]] = ..., min_minutes_per_horizon: _Optional[int] = ..., max_minutes_per_horizon: _Optional[int] = ..., max_shifts_by_kind_per_horizon: _Optional[_Mapping[str, int]] = ...) -> None: ...

class ShiftRequest(_message.Message):
    __slots__ = ("date", "want", "kind", "template", "weight")
    DATE_FIELD_NUMBER: _ClassVar[int]
    WANT_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    date: str
    want: str
    kind: str
    template: str
    weight: float
    def __init__(self, date: _Optional[str] = ..., want: _Optional[str] = ..., kind: _Optional[str] = ..., template: _Optional[str] = ..., weight: _Optional[float] = ...) -> None: ...

class Preferences(_message.Message):
    __slots__ = ("days_off", "weekdays_off", "start_window", "shift_kinds", "weight", "requests")
    DAYS_OFF_FIELD_NUMBER: _ClassVar[int]
    WEEKDAYS_OFF_FIELD_NUMBER: _ClassVar[int]
    START_WINDOW_FIELD_NUMBER: _ClassVar[int]
    SHIFT_KINDS_FIELD_NUMBER: _ClassVar[int]
    WEIGHT_FIELD_NUMBER: _ClassVar[int]
    REQUESTS_FIELD_NUMBER: _ClassVar[int]
    days_off: _containers.RepeatedScalarFieldContainer[str]
    weekdays_off: _containers.RepeatedScalarFieldContainer[str]
    start_window: TimeWindow
    shift_kinds: _containers.RepeatedScalarFieldContainer[str]
    weight: int
    requests: _containers.RepeatedCompositeFieldContainer[ShiftRequest]
    def __init__(self, days_off: _Optional[_Iterable[str]] = ..., weekdays_off: _Optional[_Iterable[str]] = ..., start_window: _Optional[_Union[TimeWindow, _Mapping]] = ..., shift_kinds: _Optional[_Iterable[str]] = ..., weight: _Optional[int] = ..., requests: _Optional[_Iterable[_Union[ShiftRequest, _Mapping]]] = ...) -> None: ...

class Agent(_message.Message):
    __slots__ = ("id", "name", "skills", "contract", "availability", "time_off", "preferences", "cost_per_hour")
    class SkillsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: float
        def __init__(self, key: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...
    class AvailabilityEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: TimeWindowList
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[TimeWindowList, _Mapping]] = ...) -> None: ...
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SKILLS_FIELD_NUMBER: _ClassVar[int]
    CONTRACT_FIELD_NUMBER: _ClassVar[int]
    AVAILABILITY_FIELD_NUMBER: _ClassVar[int]
    TIME_OFF_FIELD_NUMBER: _ClassVar[int]
    PREFERENCES_FIELD_NUMBER: _ClassVar[int]
    COST_PER_HOUR_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    skills: _containers.ScalarMap[str, float]
    contract: str
    availability: _containers.MessageMap[str, TimeWindowList]
    time_off: _containers.RepeatedScalarFieldContainer[str]
    preferences: Preferences
    cost_per_hour: float
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., skills: _Optional[_Mapping[str, float]] = ..., contract: _Optional[str] = ..., availability: _Optional[_Mapping[str, TimeWindowList]] = ..., time_off: _Optional[_Iterable[str]] = ..., preferences: _Optional[_Union[Preferences, _Mapping]] = ..., cost_per_hour: _Optional[float] = ...) -> None: ...

class BreakRule(_message.Message):
    __slots__ = ("name", "minutes", "paid", "earliest_after_start", "latest_end_after_start")
    NAME_FIELD_NUMBER: _ClassVar[int]
    MINUTES_FIELD_NUMBER: _ClassVar[int]
    PAID_FIELD_NUMBER: _ClassVar[int]
    EARLIEST_AFTER_START_FIELD_NUMBER: _ClassVar[int]
    LATEST_END_AFTER_START_FIELD_NUMBER: _ClassVar[int]
    name: str
    minutes: int
    paid: bool
    earliest_after_start: int
    latest_end_after_start: int
    def __init__(self, name: _Optional[str] = ..., minutes: _Optional[int] = ..., paid: _Optional[bool] = ..., earliest_after_start: _Optional[int] = ..., latest_end_after_start: _Optional[int] = ...) -> None: ...

class ShiftTemplate(_message.Message):
    __slots__ = ("id", "kind", "start_earliest", "start_latest", "start_step_minutes", "lengths_minutes", "breaks")
    ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    START_EARLIEST_FIELD_NUMBER: _ClassVar[int]
    START_LATEST_FIELD_NUMBER: _ClassVar[int]
    START_STEP_MINUTES_FIELD_NUMBER: _ClassVar[int]
    LENGTHS_MINUTES_FIELD_NUMBER: _ClassVar[int]
    BREAKS_FIELD_NUMBER: _ClassVar[int]
    id: str
    kind: str
    start_earliest: int
    start_latest: int
    start_step_minutes: int
    lengths_minutes: _containers.RepeatedScalarFieldContainer[int]
    breaks: _containers.RepeatedCompositeFieldContainer[BreakRule]
    def __init__(self, id: _Optional[str] = ..., kind: _Optional[str] = ..., start_earliest: _Optional[int] = ..., start_latest: _Optional[int] = ..., start_step_minutes: _Optional[int] = ..., lengths_minutes: _Optional[_Iterable[int]] = ..., breaks: _Optional[_Iterable[_Union[BreakRule, _Mapping]]] = ...) -> None: ...

class Succession(_message.Message):
    __slots__ = ("first", "second")
    FIRST_FIELD_NUMBER: _ClassVar[int]
    SECOND_FIELD_NUMBER: _ClassVar[int]
    first: str
    second: str
    def __init__(self, first: _Optional[str] = ..., second: _Optional[str] = ...) -> None: ...

class ObjectiveWeights(_message.Message):
    __slots__ = ("service", "understaffing", "overstaffing", "cost", "preferences", "fairness", "stability", "fairness_spread", "queue_switch", "goal_shortfall")
    SERVICE_FIELD_NUMBER: _ClassVar[int]
    UNDERSTAFFING_FIELD_NUMBER: _ClassVar[int]
    OVERSTAFFING_FIELD_NUMBER: _ClassVar[int]
    COST_FIELD_NUMBER: _ClassVar[int]
    PREFERENCES_FIELD_NUMBER: _ClassVar[int]
    FAIRNESS_FIELD_NUMBER: _ClassVar[int]
    STABILITY_FIELD_NUMBER: _ClassVar[int]
    FAIRNESS_SPREAD_FIELD_NUMBER: _ClassVar[int]
    QUEUE_SWITCH_FIELD_NUMBER: _ClassVar[int]
    GOAL_SHORTFALL_FIELD_NUMBER: _ClassVar[int]
    service: float
    understaffing: float
    overstaffing: float
    cost: float
    preferences: float
    fairness: float
    stability: float
    fairness_spread: float
    queue_switch: float
    goal_shortfall: float
    def __init__(self, service: _Optional[float] = ..., understaffing: _Optional[float] = ..., overstaffing: _Optional[float] = ..., cost: _Optional[float] = ..., preferences: _Optional[float] = ..., fairness: _Optional[float] = ..., stability: _Optional[float] = ..., fairness_spread: _Optional[float] = ..., queue_switch: _Optional[float] = ..., goal_shortfall: _Optional[float] = ...) -> None: ...

class Rules(_message.Message):
    __slots__ = ("forbidden_successions", "weekend_days", "objective")
    FORBIDDEN_SUCCESSIONS_FIELD_NUMBER: _ClassVar[int]
    WEEKEND_DAYS_FIELD_NUMBER: _ClassVar[int]
    OBJECTIVE_FIELD_NUMBER: _ClassVar[int]
    forbidden_successions: _containers.RepeatedCompositeFieldContainer[Succession]
    weekend_days: _containers.RepeatedScalarFieldContainer[str]
    objective: ObjectiveWeights
    def __init__(self, forbidden_successions: _Optional[_Iterable[_Union[Succession, _Mapping]]] = ..., weekend_days: _Optional[_Iterable[str]] = ..., objective: _Optional[_Union[ObjectiveWeights, _Mapping]] = ...) -> None: ...

class FairnessLedgerEntry(_message.Message):
    __slots__ = ("agent", "weekends_worked", "nights_worked", "late_finishes", "early_starts", "minutes_vs_target")
    AGENT_FIELD_NUMBER: _ClassVar[int]
    WEEKENDS_WORKED_FIELD_NUMBER: _ClassVar[int]
    NIGHTS_WORKED_FIELD_NUMBER: _ClassVar[int]
    LATE_FINISHES_FIELD_NUMBER: _ClassVar[int]
    EARLY_STARTS_FIELD_NUMBER: _ClassVar[int]
    MINUTES_VS_TARGET_FIELD_NUMBER: _ClassVar[int]
    agent: str
    weekends_worked: int
    nights_worked: int
    late_finishes: int
    early_starts: int
    minutes_vs_target: int
    def __init__(self, agent: _Optional[str] = ..., weekends_worked: _Optional[int] = ..., nights_worked: _Optional[int] = ..., late_finishes: _Optional[int] = ..., early_starts: _Optional[int] = ..., minutes_vs_target: _Optional[int] = ...) -> None: ...

class ShiftCover(_message.Message):
    __slots__ = ("kind", "template", "dates", "weekdays", "min", "target", "max", "under_weight", "over_weight")
    KIND_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    DATES_FIELD_NUMBER: _ClassVar[int]
    WEEKDAYS_FIELD_NUMBER: _ClassVar[int]
    MIN_FIELD_NUMBER: _ClassVar[int]
    TARGET_FIELD_NUMBER: _ClassVar[int]
    MAX_FIELD_NUMBER: _ClassVar[int]
    UNDER_WEIGHT_FIELD_NUMBER: _ClassVar[int]
    OVER_WEIGHT_FIELD_NUMBER: _ClassVar[int]
    kind: str
    template: str
    dates: _containers.RepeatedScalarFieldContainer[str]
    weekdays: _containers.RepeatedScalarFieldContainer[str]
    min: int
    target: int
    max: int
    under_weight: float
    over_weight: float
    def __init__(self, kind: _Optional[str] = ..., template: _Optional[str] = ..., dates: _Optional[_Iterable[str]] = ..., weekdays: _Optional[_Iterable[str]] = ..., min: _Optional[int] = ..., target: _Optional[int] = ..., max: _Optional[int] = ..., under_weight: _Optional[float] = ..., over_weight: _Optional[float] = ...) -> None: ...

class Scenario(_message.Message):
    __slots__ = ("site", "horizon", "queues", "contracts", "shift_templates", "agents", "rules", "fairness_ledger", "shift_cover")
    SITE_FIELD_NUMBER: _ClassVar[int]
    HORIZON_FIELD_NUMBER: _ClassVar[int]
    QUEUES_FIELD_NUMBER: _ClassVar[int]
    CONTRACTS_FIELD_NUMBER: _ClassVar[int]
    SHIFT_TEMPLATES_FIELD_NUMBER: _ClassVar[int]
    AGENTS_FIELD_NUMBER: _ClassVar[int]
    RULES_FIELD_NUMBER: _ClassVar[int]
    FAIRNESS_LEDGER_FIELD_NUMBER: _ClassVar[int]
    SHIFT_COVER_FIELD_NUMBER: _ClassVar[int]
    site: Site
    horizon: Horizon
    queues: _containers.RepeatedCompositeFieldContainer[Queue]
    contracts: _containers.RepeatedCompositeFieldContainer[Contract]
    shift_templates: _containers.RepeatedCompositeFieldContainer[ShiftTemplate]
    agents: _containers.RepeatedCompositeFieldContainer[Agent]
    rules: Rules
    fairness_ledger: _containers.RepeatedCompositeFieldContainer[FairnessLedgerEntry]
    shift_cover: _containers.RepeatedCompositeFieldContainer[ShiftCover]
    def __init__(self, site: _Optional[_Union[Site, _Mapping]] = ..., horizon: _Optional[_Union[Horizon, _Mapping]] = ..., queues: _Optional[_Iterable[_Union[Queue, _Mapping]]] = ..., contracts: _Optional[_Iterable[_Union[Contract, _Mapping]]] = ..., shift_templates: _Optional[_Iterable[_Union[ShiftTemplate, _Mapping]]] = ..., agents: _Optional[_Iterable[_Union[Agent, _Mapping]]] = ..., rules: _Optional[_Union[Rules, _Mapping]] = ..., fairness_ledger: _Optional[_Iterable[_Union[FairnessLedgerEntry, _Mapping]]] = ..., shift_cover: _Optional[_Iterable[_Union[ShiftCover, _Mapping]]] = ...) -> None: ...
