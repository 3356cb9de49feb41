"""Deployment files parse and agree with the service's settings (no container engine here)."""

from __future__ import annotations

from pathlib import Path

import yaml

from scheduler.service.settings import ENV_PREFIX, Settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def test_compose_and_k8s_yaml_parse_and_use_known_settings() -> None:
    """Every WFM_* variable the manifests set is a real setting."""
    known = {ENV_PREFIX + name.upper() for name in Settings.model_fields}
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    assert {"wfm", "postgres"} <= set(compose["services"])
    names = set(compose["services"]["wfm"]["environment"])
    k8s = list(yaml.safe_load_all((DEPLOY / "k8s" / "wfm.yaml").read_text()))
    assert [d["kind"] for d in k8s] == ["Deployment", "Service", "PodDisruptionBudget"]
    container = k8s[0]["spec"]["template"]["spec"]["containers"][0]
    names |= {e["name"] for e in container["env"]}
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    names |= {w.split("=")[0] for w in dockerfile.split() if w.startswith("WFM_") and "=" in w}
    assert names and names <= known, names - known
