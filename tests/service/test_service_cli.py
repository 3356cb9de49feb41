"""`wfm serve` registers with flags mirroring the settings; bad settings are a clear error."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from scheduler.cli import serve_cmd


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
