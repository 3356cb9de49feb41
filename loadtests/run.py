"""Bounded loopback load test with pass/fail thresholds (exit 1 when a threshold fails).

Starts ``python -m scheduler.service`` on 127.0.0.1 with a temporary data directory, runs locust
headless for ``--run-time`` with ``--users``, then checks per request name: failure ratio and
95th-percentile latency against the thresholds below (override with flags).

    .venv/bin/python loadtests/run.py --users 10 --run-time 20s
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import os
import platform
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(address: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with grpc.insecure_channel(address) as channel:
                reply = health_pb2_grpc.HealthStub(channel).Check(
                    health_pb2.HealthCheckRequest(), timeout=2
                )
                if reply.status == health_pb2.HealthCheckResponse.SERVING:
                    return
        except grpc.RpcError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"server at {address} not healthy after {timeout} s")


def main() -> int:
    """Run the load test; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--run-time", default="20s")
    parser.add_argument("--workers", type=int, default=2, help="server solver processes")
    parser.add_argument("--max-fail-ratio", type=float, default=0.01)
    parser.add_argument("--p95-read-ms", type=float, default=250.0, help="ListRosters/GetRoster")
    parser.add_argument("--p95-generate-ms", type=float, default=5000.0)
    parser.add_argument("--out", type=Path, default=None, help="keep locust CSVs here")
    parser.add_argument(
        "--report", type=Path, default=None, help="append a dated markdown section to this file"
    )
    args = parser.parse_args()

    load_before = os.getloadavg()
    metrics_port = _free_port()
    port = _free_port()
    address = f"127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        env = {
            **os.environ,
            "WFM_LISTEN": address,
            "WFM_DATA_DIR": str(data),
            "WFM_WORKERS": str(args.workers),
            "WFM_MAX_JOBS": str(max(8, args.users)),
            "WFM_METRICS_LISTEN": f"127.0.0.1:{metrics_port}",
            "WFM_LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
        }
        server = subprocess.Popen([sys.executable, "-m", "scheduler.service"], env=env, cwd=ROOT)
        try:
            _wait_healthy(address, 120)
            token = (data / "admin-token").read_text().strip()
            out = args.out or Path(tmp) / "locust"
            out.mkdir(parents=True, exist_ok=True)
            prefix = out / "wfm"
            cmd = [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(HERE / "locustfile.py"),
                "--headless",
                "--host",
                address,
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                args.run_time,
                "--csv",
                str(prefix),
                "--only-summary",
                "--exit-code-on-error",
                "0",
            ]
            subprocess.run(cmd, env={**env, "WFM_TOKEN": token}, check=True, cwd=ROOT)
            server_side = _server_latency(f"http://127.0.0.1:{metrics_port}/metrics")
            rows = _read_stats(prefix.with_name("wfm_stats.csv"))
            failed = _check(rows, server_side, args)
            if args.report is not None:
                _write_report(args.report, rows, server_side, load_before, failed)
            return 1 if failed else 0
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()


def _read_stats(stats_csv: Path) -> list[dict[str, str]]:
    with stats_csv.open() as handle:
        return list(csv.DictReader(handle))


def _server_latency(url: str) -> dict[str, tuple[int, float, float]]:
    """Per method from the server's own histogram: (calls, share <= 50 ms, p95 bucket bound s).

    Client-side latency includes the client's queueing on a shared machine; the server's
    histogram says how long the server itself took, which tells the two apart.
    """
    try:
        with urllib.request.urlopen(url, timeout=10) as reply:
            text = reply.read().decode()
    except OSError as exc:
        print(f"(server metrics unavailable: {exc})")
        return {}
    buckets: dict[str, list[tuple[float, float]]] = {}
    pattern = re.compile(r'wfm_rpc_seconds_bucket\{le="([^"]+)",method="[^"]*/(\w+)"\} (\S+)')
    for le, method, count in pattern.findall(text):
        bound = float("inf") if le == "+Inf" else float(le)
        buckets.setdefault(method, []).append((bound, float(count)))
    out: dict[str, tuple[int, float, float]] = {}
    for method, points in buckets.items():
        points.sort()
        total = points[-1][1]
        if not total:
            continue
        within_50ms = next((c for b, c in points if b >= 0.05), total) / total
        p95 = next(b for b, c in points if c >= 0.95 * total)
        out[method] = (int(total), within_50ms, p95)
    return out


def _check(
    rows: list[dict[str, str]],
    server_side: dict[str, tuple[int, float, float]],
    args: argparse.Namespace,
) -> bool:
    failed = False
    print(
        f"{'request':<16}{'count':>8}{'fails':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'max ms':>9}{'rps':>8}  server: <=50ms, p95 <="
    )
    for row in rows:
        name = row["Name"]
        count = int(row["Request Count"])
        fails = int(row["Failure Count"])
        p95 = float(row["95%"] or 0)
        seen = server_side.get(name)
        server = f"  {seen[1]:.1%}, {seen[2] * 1000:g} ms" if seen else ""
        print(
            f"{name:<16}{count:>8}{fails:>7}{row['50%']:>9}{row['95%']:>9}{row['99%']:>9}"
            f"{float(row['Max Response Time']):>9.0f}{float(row['Requests/s']):>8.1f}{server}"
        )
        if name == "Aggregated":
            continue
        limit = args.p95_generate_ms if name == "GenerateRoster" else args.p95_read_ms
        if count == 0:
            continue
        if fails / count > args.max_fail_ratio:
            print(f"FAIL {name}: failure ratio {fails / count:.3f} > {args.max_fail_ratio}")
            failed = True
        if p95 > limit:
            print(f"FAIL {name}: p95 {p95:.0f} ms > {limit:.0f} ms")
            failed = True
    print("FAILED" if failed else "PASSED")
    return failed


def _machine() -> str:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs {model}".strip()


def _commit() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "scheduler", "loadtests", "proto"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return head + (" (with uncommitted changes)" if dirty else "")


def _write_report(
    path: Path,
    rows: list[dict[str, str]],
    server_side: dict[str, tuple[int, float, float]],
    load_before: tuple[float, float, float],
    failed: bool,
) -> None:
    load_after = os.getloadavg()
    command = " ".join(["loadtests/run.py", *sys.argv[1:]])
    lines = [
        f"## {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, commit {_commit()}",
        "",
        f"- machine: {_machine()}; load average (1/5/15 min) before "
        f"{'/'.join(f'{x:.2f}' for x in load_before)}, after "
        f"{'/'.join(f'{x:.2f}' for x in load_after)}",
        f"- command: `.venv/bin/python {command}` ({'FAILED' if failed else 'PASSED'} thresholds)",
        "- client = locust on the same machine; server = the server's own `wfm_rpc_seconds` "
        "histogram (share of calls within 50 ms, and the histogram bucket holding its p95)",
        "",
        "| request | calls | fails | p50 ms | p95 ms | p99 ms | max ms | req/s "
        "| server <= 50 ms | server p95 <= |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        seen = server_side.get(row["Name"])
        server = f"{seen[1]:.1%} | {seen[2] * 1000:g} ms" if seen else " | "
        lines.append(
            f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} | {row['50%']} "
            f"| {row['95%']} | {row['99%']} | {float(row['Max Response Time']):.0f} "
            f"| {float(row['Requests/s']):.1f} | {server} |"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n\n")
    print(f"report appended to {path}")


if __name__ == "__main__":
    sys.exit(main())
