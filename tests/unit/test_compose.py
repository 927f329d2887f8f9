"""docker-compose.yml parses, names the stack's services and agrees with the worker's settings."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import yaml

from workers.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_names_kafka_redis_and_the_worker():
    services = _compose()["services"]
    assert {"kafka", "redis", "worker"} <= set(services)
    assert services["kafka"]["image"].startswith("apache/kafka:")
    assert "broker,controller" in services["kafka"]["environment"]["KAFKA_PROCESS_ROLES"]


def test_worker_environment_is_made_of_real_settings():
    env = _compose()["services"]["worker"]["environment"]
    fields = {f"MODWORKER_{name.upper()}" for name in Settings.model_fields}
    assert set(env) <= fields, set(env) - fields
    assert env["MODWORKER_REDIS_URL"].startswith("redis://redis:")
    assert env["MODWORKER_KAFKA_BOOTSTRAP"].startswith("kafka:")
    port = env["MODWORKER_METRICS_PORT"]
    assert f"{port}:{port}" in _compose()["services"]["worker"]["ports"]


def test_docker_compose_validates_the_file_offline():
    exe = shutil.which("docker-compose")
    assert exe, "docker-compose is installed by ops/setup"
    result = subprocess.run([exe, "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
