"""Bounded loopback load test with pass/fail thresholds (exit 1 when a threshold fails).

Starts ``python -m scheduler.service`` on 127.0.0.1 with a temporary data directory, runs locust
headless for ``--run-time`` with ``--users``, then checks per request name: failure ratio and
95th-percentile latency against the thresholds below (override with flags).

    .venv/bin/python loadtests/run.py --users 10 --run-time 20s
"""

from __future__ import annotations

import argparse
import csv
import os
import socket
import subprocess
import sys
import tempfile
import time
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
    args = parser.parse_args()

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
            "WFM_METRICS_LISTEN": "off",
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
            return _check(prefix.with_name("wfm_stats.csv"), args)
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()


def _check(stats_csv: Path, args: argparse.Namespace) -> int:
    failed = False
    with stats_csv.open() as handle:
        rows = list(csv.DictReader(handle))
    print(
        f"{'request':<16}{'count':>8}{'fails':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'rps':>8}"
    )
    for row in rows:
        name = row["Name"]
        count = int(row["Request Count"])
        fails = int(row["Failure Count"])
        p95 = float(row["95%"] or 0)
        print(
            f"{name:<16}{count:>8}{fails:>7}{row['50%']:>9}{row['95%']:>9}{row['99%']:>9}"
            f"{float(row['Requests/s']):>8.1f}"
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
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
