"""`wfm serve` registers with flags mirroring the settings; bad settings are a clear error."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from scheduler.cli import serve_cmd
from scheduler.errors import InputError
from scheduler.service.settings import CLI_FLAGS, load_settings


def test_serve_command_flags() -> None:
    """--help lists the main settings."""
    app = typer.Typer()
    serve_cmd.register(app)

    @app.command("other")
    def _other() -> None:  # a second command keeps `serve` a subcommand
        """Placeholder."""

    result = CliRunner().invoke(app, ["serve", "--help"])
    assert result.exit_code == 0, result.output
    for flag in ("--listen", "--data-dir", "--database-url", "--workers", "--tls-client-ca"):
        assert flag in result.output


def test_serve_rejects_bad_settings() -> None:
    """A bad flag value exits 2 naming the setting, without starting anything."""
    app = typer.Typer()
    serve_cmd.register(app)

    @app.command("other")
    def _other() -> None:
        """Placeholder."""

    result = CliRunner().invoke(app, ["serve", "--workers", "0"])
    assert result.exit_code == 2


def test_settings_flags_table_matches_the_command() -> None:
    """Every flag errors quote (settings.CLI_FLAGS) is a real `wfm serve` option, and back."""
    app = typer.Typer()
    serve_cmd.register(app)

    @app.command("other")
    def _other() -> None:
        """Placeholder."""

    output = CliRunner().invoke(app, ["serve", "--help"], terminal_width=200).output
    offered = set(re.findall(r"--[a-z][a-z-]+", output)) - {"--help"}
    assert offered == set(CLI_FLAGS.values())


def _wfm() -> str:
    found = Path(sys.executable).with_name("wfm")
    return str(found) if found.exists() else (shutil.which("wfm") or "wfm")


def test_fresh_serve_with_a_missing_tls_key_names_the_setting(tmp_path: Path) -> None:
    """`wfm serve` with the key file missing exits 2 before binding, spawning or writing
    anything, and says which setting points at a missing file."""
    cert = tmp_path / "server.pem"
    cert.write_text("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("WFM_")}
    env["WFM_TLS_KEY"] = str(tmp_path / "missing.key")
    data = tmp_path / "data"
    command = [_wfm(), "serve", "--data-dir", str(data), "--listen", "127.0.0.1:0"]
    done = subprocess.run(
        [*command, "--metrics-listen", "off", "--tls-cert", str(cert)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    message = " ".join((done.stdout + done.stderr).split())
    assert done.returncode == 2, message
    assert "tls_key (WFM_TLS_KEY, --tls-key)" in message and "missing.key" in message
    assert "no such file" in message and "Traceback" not in message
    assert not data.exists()


def test_tls_key_without_cert_and_non_pem_files_are_named(tmp_path: Path) -> None:
    """Half a TLS pair names the missing half; a file that is not PEM is named too."""
    key = tmp_path / "server.key"
    key.write_text("not a key")
    with pytest.raises(InputError) as info:
        load_settings({"tls_key": key}, environ={})
    fields = {p.field: p.message for p in info.value.problems}
    assert fields["tls_cert (WFM_TLS_CERT, --tls-cert)"] == "required when tls_key is set"
    assert fields["tls_key (WFM_TLS_KEY, --tls-key)"] == "not a PEM file"
