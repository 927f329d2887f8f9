"""docker-compose.yml parses, names the stack's services and agrees with the worker's settings, the Dockerfile,
the topics it creates, Prometheus' scrape targets and Grafana's provisioning."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.ops_files import dashboard
from workers.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
LIVE_WORKERS = ("worker-1", "worker-2")


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _services() -> dict:
    return _compose()["services"]


def _workers() -> dict[str, dict]:
    return {name: svc for name, svc in _services().items() if svc.get("build") == "."}


def _settings_of(env: dict) -> Settings:
    """The Settings a container with this environment gets (nothing else from this process' environment)."""
    return Settings(**{k.removeprefix("MODWORKER_").lower(): v for k, v in env.items()})


def _ports(svc: dict) -> list[tuple[str, str]]:
    return [tuple(str(p).split(":", 1)) for p in svc.get("ports", [])]


def _mounts(svc: dict) -> dict[str, str]:
    """container path -> host path (relative to the repo) of a service's bind mounts."""
    out = {}
    for v in svc.get("volumes", []):
        src, dst = v.split(":")[:2]
        if src.startswith("./"):
            out[dst] = src[2:]
    return out


def _topics() -> dict[str, int]:
    env = _services()["topics"]["environment"]
    return {spec.split(":")[0]: int(spec.split(":")[1]) for spec in env["TOPICS"].split()}


def test_compose_names_the_whole_stack():
    services = _services()
    assert {"kafka", "redis", "topics", *LIVE_WORKERS, "worker-shadow", "prometheus", "grafana"} <= set(services)
    assert services["kafka"]["image"].startswith("apache/kafka:")
    assert "broker,controller" in services["kafka"]["environment"]["KAFKA_PROCESS_ROLES"]
    assert set(_workers()) == {*LIVE_WORKERS, "worker-shadow"}
    assert services["worker-shadow"]["profiles"] == ["shadow"]  # not started by a plain `up`
    for name in LIVE_WORKERS:
        assert "profiles" not in services[name]


def test_worker_environment_is_made_of_real_settings():
    fields = {f"MODWORKER_{name.upper()}" for name in Settings.model_fields}
    kafka_env = _services()["kafka"]["environment"]
    for name, svc in _workers().items():
        env = svc["environment"]
        assert set(env) <= fields, (name, set(env) - fields)
        settings = _settings_of(env)  # every value is valid for its setting
        assert settings.redis_url.get_secret_value().startswith("redis://redis:")
        assert f"INTERNAL://{settings.kafka_bootstrap}" in kafka_env["KAFKA_ADVERTISED_LISTENERS"]
        # the policy file is in the image (Dockerfile copies ops/policy to /app/ops/policy) or mounted there
        policy = str(settings.policy_file)
        assert policy.startswith("/app/ops/policy/")
        if name != "worker-shadow":
            assert (ROOT / policy.removeprefix("/app/")).is_file(), policy


def test_live_replicas_share_one_group_and_configuration():
    envs = [_workers()[n]["environment"] for n in LIVE_WORKERS]
    assert all(env == envs[0] for env in envs)
    settings = _settings_of(envs[0])
    assert not settings.shadow and settings.effective_consumer_group == "modworker"


def test_shadow_worker_has_its_own_group_topic_and_counters():
    live = _settings_of(_workers()["worker-1"]["environment"])
    shadow = _settings_of(_workers()["worker-shadow"]["environment"])
    assert shadow.shadow and shadow.input_topic == live.input_topic
    assert shadow.effective_consumer_group != live.effective_consumer_group
    assert shadow.effective_redis_prefix != live.effective_redis_prefix
    assert shadow.decision_topic == shadow.shadow_topic != live.decision_topic
    assert shadow.failure_topic != live.failure_topic
    assert shadow.policy_file != live.policy_file
    assert _mounts(_workers()["worker-shadow"]) == {"/app/ops/policy": "ops/policy"}


def test_metrics_ports_match_the_settings_and_host_ports_do_not_collide():
    host_ports = [h for svc in _services().values() for h, _ in _ports(svc)]
    assert len(host_ports) == len(set(host_ports)), host_ports
    for name, svc in _workers().items():
        port = svc["environment"]["MODWORKER_METRICS_PORT"]
        assert [c for _, c in _ports(svc)] == [port], name


def test_topics_service_creates_every_topic_the_workers_use():
    topics = _topics()
    for name, svc in _workers().items():
        s = _settings_of(svc["environment"])
        assert {s.input_topic, s.decision_topic, s.failure_topic} <= set(topics), name
        assert topics[s.input_topic] == s.topic_partitions
        assert topics[s.decision_topic] == s.topic_partitions
    live = _settings_of(_workers()["worker-1"]["environment"])
    assert live.enforcement_topic in topics and live.deadletter_topic in topics
    # every replica can own at least one input partition
    assert topics[live.input_topic] >= len(LIVE_WORKERS)
    for name in _workers():
        assert _services()[name]["depends_on"]["topics"]["condition"] == "service_completed_successfully"


def test_topics_script_creates_each_topic_with_its_partitions(tmp_path):
    """The one-shot's script, run by bash with a stand-in kafka-topics.sh that records its arguments."""
    svc = _services()["topics"]
    assert svc["entrypoint"] == ["/bin/bash", "-c"]
    script = svc["command"][0].replace("$$", "$")  # compose's escaping of $
    calls = tmp_path / "calls"
    stub = tmp_path / "kafka-topics.sh"
    stub.write_text(f'#!/bin/sh\necho "$@" >> {calls}\n')
    stub.chmod(0o755)
    env = {**os.environ, **svc["environment"]}
    result = subprocess.run(["bash", "-c", script.replace("/opt/kafka/bin/kafka-topics.sh", str(stub))],
                            env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    created = {}
    for line in calls.read_text().splitlines():
        args = line.split()
        if "--create" in args:
            assert args[args.index("--bootstrap-server") + 1] == "kafka:29092"
            created[args[args.index("--topic") + 1]] = int(args[args.index("--partitions") + 1])
    assert created == _topics()


def test_prometheus_scrapes_every_worker_and_loads_the_rules():
    prom = _services()["prometheus"]
    mounts = _mounts(prom)
    assert mounts["/etc/prometheus/prometheus.yml"] == "ops/prometheus/prometheus.yml"
    assert mounts["/etc/prometheus/alerts.yml"] == "ops/prometheus/alerts.yml"
    assert "--config.file=/etc/prometheus/prometheus.yml" in prom["command"]
    config = yaml.safe_load((ROOT / "ops/prometheus/prometheus.yml").read_text())
    for rule_file in config["rule_files"]:
        assert f"/etc/prometheus/{rule_file}" in mounts
    jobs = {j["job_name"]: {t for sc in j["static_configs"] for t in sc["targets"]} for j in config["scrape_configs"]}
    port = lambda n: _workers()[n]["environment"]["MODWORKER_METRICS_PORT"]  # noqa: E731
    assert jobs["modworker"] == {f"{n}:{port(n)}" for n in LIVE_WORKERS}
    assert jobs["modworker-shadow"] == {f"worker-shadow:{port('worker-shadow')}"}
    assert ("9090", "9090") in _ports(prom)


def test_grafana_provisions_the_datasource_and_the_dashboard():
    graf = _services()["grafana"]
    mounts = _mounts(graf)
    assert mounts["/etc/grafana/provisioning"] == "ops/grafana/provisioning"
    providers = yaml.safe_load((ROOT / "ops/grafana/provisioning/dashboards/modworker.yml").read_text())
    path = providers["providers"][0]["options"]["path"]
    assert mounts[path] == "ops/grafana/dashboards"
    assert (ROOT / mounts[path] / "modworker.json").is_file()
    assert graf["environment"]["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"] == f"{path}/modworker.json"
    sources = yaml.safe_load((ROOT / "ops/grafana/provisioning/datasources/prometheus.yml").read_text())
    (ds,) = sources["datasources"]
    assert ds["url"] == "http://prometheus:9090" and ds["type"] == "prometheus"
    # the dashboard's panels use this data source by its uid
    uids = {p["datasource"]["uid"] for p in dashboard()["panels"] if "datasource" in p}
    assert uids == {ds["uid"]}


def test_dockerfile_is_slim_non_root_with_a_healthcheck_on_the_metrics_port():
    text = (ROOT / "Dockerfile").read_text()
    lines = [l.strip() for l in text.splitlines()]
    assert any(l.startswith("FROM python:3.11-slim") for l in lines)
    users = [l.split()[1] for l in lines if l.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    assert "HEALTHCHECK" in text and "/metrics" in text
    default_port = str(Settings.model_fields["metrics_port"].default)
    assert f"EXPOSE {default_port}" in lines
    assert "tests" in (ROOT / ".dockerignore").read_text().split()


@pytest.mark.parametrize("profile", [[], ["--profile", "shadow"]])
def test_docker_compose_validates_the_file_offline(profile):
    exe = shutil.which("docker-compose")
    assert exe, "docker-compose is installed by ops/setup"
    result = subprocess.run([exe, "-f", str(ROOT / "docker-compose.yml"), *profile, "config", "-q"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
