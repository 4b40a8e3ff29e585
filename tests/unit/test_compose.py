"""docker-compose.yml stays consistent with .env.example (nothing runs Docker here: a static check)."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path
from typing import Any

import pytest

yaml = pytest.importorskip("yaml", reason="PyYAML is not installed (it comes in as a transitive dependency)")

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
SERVICE = "summit-consumer"
_UNSET = re.compile(r"^#SUMMIT_[A-Z0-9_]+=$")


def _env_example() -> dict[str, str]:
    values: dict[str, str] = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if _UNSET.match(line):  # "#SUMMIT_X=": documented, no default
            line = line[1:]
        elif not line or line.startswith("#"):
            continue
        name, sep, value = line.partition("=")
        assert sep, f".env.example: not NAME=value: {line!r}"
        values[name.strip()] = value.strip()
    return values


@pytest.fixture(scope="module")
def env_defaults() -> dict[str, str]:
    return _env_example()


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    assert isinstance(data.get("services"), dict)
    return data


def _environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):  # ["NAME=value", ...] form
        return dict(item.partition("=")[::2] for item in env)
    return {str(k): str(v) for k, v in env.items()}


def _created_topics(compose: dict[str, Any]) -> dict[str, list[str]]:
    """topic name -> the kafka-topics.sh arguments that create it, from every service's command."""
    topics: dict[str, list[str]] = {}
    for service in compose["services"].values():
        command = service.get("command") or []
        text = command if isinstance(command, str) else "\n".join(map(str, command))
        for line in text.splitlines():
            if "--create" not in line:
                continue
            args = shlex.split(line)
            topics[args[args.index("--topic") + 1]] = args
    return topics


def _configs(args: list[str]) -> dict[str, str]:
    return dict(args[i + 1].partition("=")[::2] for i, a in enumerate(args) if a == "--config")


SETTINGS = (
    "SUMMIT_BOOTSTRAP_SERVERS",
    "SUMMIT_INPUT_TOPIC",
    "SUMMIT_OUTPUT_TOPIC",
    "SUMMIT_DLQ_TOPIC",
    "SUMMIT_GROUP_ID",
    "SUMMIT_CLIENT_ID",
    "SUMMIT_METRICS_PORT",
    "SUMMIT_MAX_IN_FLIGHT",
    "SUMMIT_MAX_MESSAGE_BYTES",
    "SUMMIT_LOG_LEVEL",
    "SUMMIT_LOG_FORMAT",
    "SUMMIT_ENABLE_IDEMPOTENCE",
    "SUMMIT_SESSION_TIMEOUT_MS",
    "SUMMIT_HEARTBEAT_INTERVAL_MS",
    "SUMMIT_AUTO_OFFSET_RESET",
    "SUMMIT_SHUTDOWN_TIMEOUT_S",
    "SUMMIT_CREATE_TOPICS",
    "SUMMIT_TOPIC_PARTITIONS",
    "SUMMIT_MAX_CONSECUTIVE_HANDLER_FAILURES",
    "SUMMIT_COMMIT_INTERVAL_MS",
    "SUMMIT_SECURITY_PROTOCOL",
    "SUMMIT_SASL_MECHANISM",
    "SUMMIT_SASL_USERNAME",
    "SUMMIT_SASL_PASSWORD",
    "SUMMIT_SSL_CAFILE",
)


def test_env_example_lists_every_setting(env_defaults: dict[str, str]) -> None:
    assert all(name.startswith("SUMMIT_") for name in env_defaults)
    assert sorted(set(SETTINGS) - set(env_defaults)) == []
    assert env_defaults["SUMMIT_BOOTSTRAP_SERVERS"] == "localhost:9092"
    assert env_defaults["SUMMIT_METRICS_PORT"] == "9108"


def test_env_example_loads_into_settings(
    env_defaults: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Exporting .env.example as it is gives valid settings, equal to the built-in defaults."""
    settings = pytest.importorskip("consumer.settings", reason="consumer.settings not written yet")
    for name in [n for n in os.environ if n.startswith("SUMMIT_")]:
        monkeypatch.delenv(name)
    defaults = settings.Settings()
    for name, value in env_defaults.items():
        if value:
            monkeypatch.setenv(name, value)
    assert settings.Settings() == defaults


def test_service_environment_names_are_documented(
    compose: dict[str, Any], env_defaults: dict[str, str]
) -> None:
    env = _environment(compose["services"][SERVICE])
    assert env, "the consumer service sets no environment"
    undocumented = sorted(set(env) - set(env_defaults))
    assert not undocumented, f"not in .env.example: {undocumented}"


def test_service_topics_and_group_match_defaults(
    compose: dict[str, Any], env_defaults: dict[str, str]
) -> None:
    env = _environment(compose["services"][SERVICE])
    for name in ("SUMMIT_INPUT_TOPIC", "SUMMIT_OUTPUT_TOPIC", "SUMMIT_DLQ_TOPIC", "SUMMIT_GROUP_ID"):
        assert env.get(name) == env_defaults[name], name


def test_topics_created_match_env_defaults(compose: dict[str, Any], env_defaults: dict[str, str]) -> None:
    created = _created_topics(compose)
    expected = {env_defaults[n] for n in ("SUMMIT_INPUT_TOPIC", "SUMMIT_OUTPUT_TOPIC", "SUMMIT_DLQ_TOPIC")}
    assert set(created) == expected
    output = _configs(created[env_defaults["SUMMIT_OUTPUT_TOPIC"]])
    assert set(output.get("cleanup.policy", "").split(",")) == {"compact", "delete"}
    dlq = _configs(created[env_defaults["SUMMIT_DLQ_TOPIC"]])
    assert int(dlq["retention.ms"]) == 30 * 24 * 3600 * 1000


def test_consumer_starts_after_topics(compose: dict[str, Any]) -> None:
    service = compose["services"][SERVICE]
    depends = service.get("depends_on") or {}
    assert depends.get("topics", {}).get("condition") == "service_completed_successfully"
    assert service.get("command") == ["summit-consumer", "run"]


def test_published_metrics_port_matches(compose: dict[str, Any], env_defaults: dict[str, str]) -> None:
    service = compose["services"][SERVICE]
    port = _environment(service).get("SUMMIT_METRICS_PORT", env_defaults["SUMMIT_METRICS_PORT"])
    assert port == env_defaults["SUMMIT_METRICS_PORT"]
    published = []
    for entry in service.get("ports") or []:
        if isinstance(entry, dict):
            published.append((str(entry.get("published")), str(entry.get("target"))))
        else:
            host, _, container = str(entry).rpartition(":")
            published.append((host.rpartition(":")[2] or container, container.split("/")[0]))
    assert (port, port) in published, f"{port}:{port} not published: {published}"
    healthcheck = " ".join(map(str, (service.get("healthcheck") or {}).get("test") or []))
    assert f"localhost:{port}/readyz" in healthcheck


def test_kafka_runs_in_kraft_mode(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert not any("zookeeper" in name.lower() for name in services)
    assert not any("zookeeper" in str(s.get("image", "")).lower() for s in services.values())
    kafka = services["kafka"]
    assert re.match(r"apache/kafka:(3\.(9|\d{2,})|[4-9])", kafka["image"])
    env = _environment(kafka)
    assert "controller" in env["KAFKA_PROCESS_ROLES"]
    assert "broker" in env["KAFKA_PROCESS_ROLES"]
    assert env.get("KAFKA_CONTROLLER_QUORUM_VOTERS")
    assert not any(k.startswith("KAFKA_ZOOKEEPER") for k in env)
    assert env["KAFKA_AUTO_CREATE_TOPICS_ENABLE"].lower() == "false"


def test_bootstrap_points_at_an_internal_listener(compose: dict[str, Any]) -> None:
    kafka_env = _environment(compose["services"]["kafka"])
    advertised = kafka_env["KAFKA_ADVERTISED_LISTENERS"].split(",")
    bootstrap = _environment(compose["services"][SERVICE])["SUMMIT_BOOTSTRAP_SERVERS"]
    assert any(entry.endswith("//" + bootstrap) for entry in advertised), (bootstrap, advertised)


def test_ui_is_optional(compose: dict[str, Any]) -> None:
    ui = compose["services"].get("kafka-ui")
    if ui is not None:
        assert ui.get("profiles") == ["ui"]
