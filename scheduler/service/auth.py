"""Bearer tokens scoped to a tenant and sites, with roles viewer < planner < admin.

Tokens come from a file (YAML or JSON) and/or the ``WFM_TOKENS`` environment variable::

    tokens:
      - name: alice            # who, as recorded in the audit trail
        sha256: 9f86d08...      # SHA-256 hex of the token (or `token: <plain>`)
        tenant: acme            # the only tenant this token sees
        sites: ["lisbon"]       # sites within the tenant, or ["*"]
        role: planner           # viewer | planner | admin

Secure by default: when no token is configured at all, the server creates an admin token on first
start, writes it to ``<data_dir>/admin-token`` (mode 0600) and its hash to the tokens file, and
logs where it is. The server never serves data without a token; only health checking and
reflection are open.
"""

from __future__ import annotations

import contextvars
import hashlib
import hmac
import json
import logging
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Any

import yaml

from scheduler.errors import FieldProblem, InputError
from scheduler.service.errors import PermissionDeniedError, UnauthenticatedError

log = logging.getLogger(__name__)

ADMIN_TOKEN_FILE = "admin-token"
OPEN_METHOD_PREFIXES = ("/grpc.health.v1.Health/", "/grpc.reflection.")


class Role(IntEnum):
    """Roles in increasing power; a role may do everything the ones below it may."""

    VIEWER = 1
    PLANNER = 2
    ADMIN = 3


METHOD_ROLES: dict[str, Role] = {
    "/scheduler.v1.ForecastService/ForecastDemand": Role.PLANNER,
    "/scheduler.v1.StaffingService/ComputeRequirements": Role.VIEWER,
    "/scheduler.v1.StaffingService/EvaluateStaffing": Role.VIEWER,
    "/scheduler.v1.RosterService/GenerateRoster": Role.PLANNER,
    "/scheduler.v1.RosterService/CreateRosterJob": Role.PLANNER,
    "/scheduler.v1.RosterService/GetRosterJob": Role.VIEWER,
    "/scheduler.v1.RosterService/WatchRosterJob": Role.VIEWER,
    "/scheduler.v1.RosterService/CancelRosterJob": Role.PLANNER,
    "/scheduler.v1.RosterService/GetRoster": Role.VIEWER,
    "/scheduler.v1.RosterService/ListRosters": Role.VIEWER,
    "/scheduler.v1.RosterService/PublishRoster": Role.PLANNER,
    "/scheduler.v1.RosterService/ValidateRoster": Role.VIEWER,
    "/scheduler.v1.RosterService/ListAuditEvents": Role.PLANNER,
}
"""The least role each method needs; a method missing here needs ADMIN."""


@dataclass(frozen=True)
class Principal:
    """Who is calling: a named token's tenant, sites and role."""

    name: str
    tenant: str
    sites: frozenset[str]
    role: Role

    def can_see_site(self, site: str) -> bool:
        """Whether the token's site scope includes ``site``."""
        return "*" in self.sites or site in self.sites

    def require_site(self, site: str) -> None:
        """Raise PERMISSION_DENIED unless the token's scope includes ``site``."""
        if not self.can_see_site(site):
            raise PermissionDeniedError(
                f"token {self.name!r} is not scoped to site {site!r} (sites: {sorted(self.sites)})"
            )


_current: contextvars.ContextVar[Principal | None] = contextvars.ContextVar(
    "wfm_principal", default=None
)


def current_principal() -> Principal:
    """The authenticated caller of the RPC being served (set by the auth interceptor)."""
    principal = _current.get()
    if principal is None:
        raise UnauthenticatedError("no authenticated caller")
    return principal


def set_current_principal(principal: Principal | None) -> contextvars.Token[Principal | None]:
    """Bind the caller for the current task (used by the interceptor)."""
    return _current.set(principal)


def reset_current_principal(token: contextvars.Token[Principal | None]) -> None:
    """Undo :func:`set_current_principal` (a no-op if the context changed in between)."""
    try:
        _current.reset(token)
    except ValueError:
        _current.set(None)


def hash_token(token: str) -> str:
    """SHA-256 hex digest of a token (what token files store)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class _Entry:
    digest: str
    principal: Principal


class TokenRegistry:
    """Known tokens by digest; :meth:`authenticate` checks a bearer header in constant time."""

    def __init__(self, entries: Iterable[_Entry]) -> None:
        self._entries = list(entries)

    def __len__(self) -> int:
        return len(self._entries)

    def authenticate(self, authorization: str | None) -> Principal:
        """The principal of an ``authorization: Bearer <token>`` value.

        Raises
        ------
        UnauthenticatedError
            When the header is missing, malformed or names no known token.
        """
        if not authorization:
            raise UnauthenticatedError("missing 'authorization: Bearer <token>' metadata")
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise UnauthenticatedError("authorization metadata must be 'Bearer <token>'")
        digest = hash_token(token.strip())
        found: Principal | None = None
        for entry in self._entries:
            # Compare against every entry so timing does not reveal which one matched.
            if hmac.compare_digest(entry.digest, digest):
                found = entry.principal
        if found is None:
            raise UnauthenticatedError("unknown or revoked token")
        return found

    @staticmethod
    def authorize(principal: Principal, method: str) -> None:
        """Raise PERMISSION_DENIED unless the principal's role may call ``method``."""
        needed = METHOD_ROLES.get(method, Role.ADMIN)
        if principal.role < needed:
            raise PermissionDeniedError(
                f"{method} needs role {needed.name.lower()}; token {principal.name!r} has "
                f"{principal.role.name.lower()}"
            )


def parse_token_entries(raw: object, source: str) -> list[_Entry]:
    """Validate token entries (a list, or a mapping with ``tokens``) from a file or env."""
    if isinstance(raw, dict):
        raw = raw.get("tokens", [])
    if not isinstance(raw, list):
        raise InputError(source, [FieldProblem("tokens", type(raw).__name__, "must be a list")])
    entries: list[_Entry] = []
    problems: list[FieldProblem] = []
    for index, item in enumerate(raw):
        where = f"tokens[{index}]"
        if not isinstance(item, dict):
            problems.append(FieldProblem(where, item, "must be a mapping"))
            continue
        digest = item.get("sha256")
        if digest is None and item.get("token"):
            digest = hash_token(str(item["token"]))
        if not isinstance(digest, str) or len(digest) != 64:
            problems.append(
                FieldProblem(f"{where}.sha256", digest, "need sha256 (64 hex) or token")
            )
            continue
        role_name = str(item.get("role", "viewer")).upper()
        if role_name not in Role.__members__:
            problems.append(
                FieldProblem(f"{where}.role", item.get("role"), "use viewer, planner or admin")
            )
            continue
        tenant = item.get("tenant")
        if not isinstance(tenant, str) or not tenant:
            problems.append(FieldProblem(f"{where}.tenant", tenant, "a tenant name is required"))
            continue
        sites = item.get("sites", ["*"])
        if isinstance(sites, str):
            sites = [sites]
        principal = Principal(
            name=str(item.get("name") or f"token-{index}"),
            tenant=tenant,
            sites=frozenset(str(s) for s in sites),
            role=Role[role_name],
        )
        entries.append(_Entry(digest.lower(), principal))
    if problems:
        raise InputError(source, problems)
    return entries


def _read_token_file(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    try:
        if path.suffix == ".json":
            return json.loads(text)
        return yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise InputError(str(path), [FieldProblem("tokens", str(path), str(exc))]) from exc


def load_registry(auth_file: Path, tokens_json: str | None, data_dir: Path) -> TokenRegistry:
    """Tokens from the file and the environment; bootstrap an admin token if there are none.

    Parameters
    ----------
    auth_file
        Tokens file; created (with a fresh admin token's hash) when missing and no tokens are
        configured anywhere.
    tokens_json
        Extra tokens as a JSON list (from ``WFM_TOKENS``).
    data_dir
        Where the bootstrap admin token is written.
    """
    entries: list[_Entry] = []
    if auth_file.exists():
        entries += parse_token_entries(_read_token_file(auth_file), str(auth_file))
    if tokens_json:
        try:
            raw = json.loads(tokens_json)
        except json.JSONDecodeError as exc:
            raise InputError("WFM_TOKENS", [FieldProblem("WFM_TOKENS", "...", str(exc))]) from exc
        entries += parse_token_entries(raw, "WFM_TOKENS")
    if not entries:
        entries = [bootstrap_admin_token(auth_file, data_dir)]
    return TokenRegistry(entries)


def bootstrap_admin_token(auth_file: Path, data_dir: Path) -> _Entry:
    """Create an admin token for tenant ``default``, store it (0600) and log where."""
    data_dir.mkdir(parents=True, exist_ok=True)
    token = "wfm_" + secrets.token_urlsafe(32)
    token_path = data_dir / ADMIN_TOKEN_FILE
    fd = os.open(token_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(token + "\n")
    record = {
        "tokens": [
            {
                "name": "admin",
                "sha256": hash_token(token),
                "tenant": "default",
                "sites": ["*"],
                "role": "admin",
            }
        ]
    }
    auth_file.parent.mkdir(parents=True, exist_ok=True)
    auth_file.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    log.warning(
        "no tokens configured: created an admin token for tenant 'default'",
        extra={"token_file": str(token_path.resolve()), "tokens_file": str(auth_file.resolve())},
    )
    entry = parse_token_entries(record, str(auth_file))[0]
    return entry
