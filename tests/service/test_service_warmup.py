"""The server process does its lazy imports before serving, never on the event loop.

Left to the first GenerateRoster, importing pandas/numpy/pyarrow took about a second on the
event loop and every RPC in flight waited (the ListRosters p95 spike of short load tests).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_PROBE = textwrap.dedent(
    """
    import asyncio, sys, tempfile
    from pathlib import Path

    def main():
        from scheduler.service import convert
        from scheduler.service.server import build_server
        from scheduler.service.settings import load_settings

        assert "pandas" not in sys.modules, "precondition: the server module loads no pandas"
        settings = load_settings(
            {"listen": "127.0.0.1:0", "data_dir": Path(tempfile.mkdtemp()), "workers": 1,
             "metrics_listen": "off", "log_level": "ERROR"},
            environ={},
        )

        async def build_and_convert():
            server = await build_server(settings)
            # (the test helpers import the engine, which the server process never does)
            from scheduler.service.testing import roster_input

            before = set(sys.modules)
            inp = roster_input()  # what the first GenerateRoster converts on the event loop
            convert.scenario_from_proto(inp.scenario, "input.scenario")
            convert.forecast_to_proto(convert.forecast_frame(inp.forecast, "input.forecast"))
            convert.digest(inp)
            await server.stop(0)
            return sorted(set(sys.modules) - before)

        print(asyncio.run(build_and_convert()))

    if __name__ == "__main__":
        main()
    """
)


def test_build_server_leaves_nothing_to_import_for_a_request(tmp_path: Path) -> None:
    """After build_server, converting a roster request imports no module in the server."""
    probe = tmp_path / "probe.py"
    probe.write_text(_PROBE)
    done = subprocess.run(
        [sys.executable, str(probe)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout
