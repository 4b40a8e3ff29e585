"""docker-compose.yml, .env.example and the README's Configuration table stay consistent with `Settings`
(and the table stage's `TableSettings`).

Nothing runs Docker here: static checks.
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path
from typing import Any

import pytest

from consumer.settings import Settings
from consumer.table_settings import TableSettings

yaml = pytest.importorskip("yaml", reason="PyYAML is not installed (it comes in as a transitive dependency)")

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
SERVICE = "summit-consumer"
TABLE_SERVICE = "summit-table"
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


README = ROOT / "README.md"
SETTINGS = tuple(f"SUMMIT_{name.upper()}" for name in Settings.model_fields) + tuple(
    f"SUMMIT_TABLE_{name.upper()}" for name in TableSettings.model_fields
)
FIELDS = {f"SUMMIT_{n.upper()}": f for n, f in Settings.model_fields.items()} | {
    f"SUMMIT_TABLE_{n.upper()}": f for n, f in TableSettings.model_fields.items()
}
_README_ROW = re.compile(r"^\| (`SUMMIT_[A-Z0-9_]+`(?: / `SUMMIT_[A-Z0-9_]+`)*) \| ([^|]*) \|")


def _readme_defaults() -> dict[str, str]:
    """variable -> default column, from the rows of the README's Configuration table."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, str] = {}
    for line in section.splitlines():
        if match := _README_ROW.match(line):
            for name in re.findall(r"SUMMIT_[A-Z0-9_]+", match[1]):
                rows[name] = match[2].strip().strip("`")
    return rows


def _default_text(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def test_readme_configuration_table_lists_every_setting_with_its_default() -> None:
    rows = _readme_defaults()
    assert sorted(set(SETTINGS) - set(rows)) == [], "settings missing from the README table"
    assert sorted(set(rows) - set(SETTINGS)) == [], "README rows that are not settings"
    for name, field in FIELDS.items():
        assert rows[name] == _default_text(field.default), name


def test_env_example_values_are_the_defaults(env_defaults: dict[str, str]) -> None:
    assert sorted(set(env_defaults) - set(SETTINGS)) == [], ".env.example names that are not settings"
    for name, field in FIELDS.items():
        expected = "" if field.default is None else _default_text(field.default)
        assert env_defaults[name] == expected, name


def test_env_example_lists_every_setting(env_defaults: dict[str, str]) -> None:
    assert all(name.startswith("SUMMIT_") for name in env_defaults)
    assert sorted(set(SETTINGS) - set(env_defaults)) == []
    assert env_defaults["SUMMIT_BOOTSTRAP_SERVERS"] == "localhost:9092"
    assert env_defaults["SUMMIT_METRICS_PORT"] == "9108"


def test_env_example_loads_into_settings(
    env_defaults: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Exporting .env.example as it is gives valid settings, equal to the built-in defaults."""
    for name in [n for n in os.environ if n.startswith("SUMMIT_")]:
        monkeypatch.delenv(name)
    defaults, table_defaults = Settings(), TableSettings()
    for name, value in env_defaults.items():
        if value:
            monkeypatch.setenv(name, value)
    assert Settings() == defaults
    assert TableSettings() == table_defaults


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
    names = (
        "SUMMIT_INPUT_TOPIC",
        "SUMMIT_OUTPUT_TOPIC",
        "SUMMIT_DLQ_TOPIC",
        "SUMMIT_TABLE_TOPIC",
        "SUMMIT_TABLE_CHANGELOG_TOPIC",
        "SUMMIT_TABLE_DLQ_TOPIC",
    )
    assert set(created) == {env_defaults[n] for n in names}
    events = created[env_defaults["SUMMIT_OUTPUT_TOPIC"]]
    assert _configs(events).get("cleanup.policy") == "delete", "every event is kept: a plain log"
    assert int(_configs(events)["retention.ms"]) == 90 * 24 * 3600 * 1000
    for name in ("SUMMIT_TABLE_TOPIC", "SUMMIT_TABLE_CHANGELOG_TOPIC"):
        assert _configs(created[env_defaults[name]]).get("cleanup.policy") == "compact", name
    changelog = created[env_defaults["SUMMIT_TABLE_CHANGELOG_TOPIC"]]
    partitions = changelog[changelog.index("--partitions") + 1]
    assert partitions == events[events.index("--partitions") + 1], "one changelog partition per events one"
    for name in ("SUMMIT_DLQ_TOPIC", "SUMMIT_TABLE_DLQ_TOPIC"):
        assert int(_configs(created[env_defaults[name]])["retention.ms"]) == 30 * 24 * 3600 * 1000


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


def _seconds(duration: str) -> float:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(ms|s|m)", duration)
    assert match, duration
    return float(match[1]) * {"ms": 0.001, "s": 1.0, "m": 60.0}[match[2]]


def test_stop_grace_period_leaves_time_for_the_sigterm_drain(compose: dict[str, Any]) -> None:
    service = compose["services"][SERVICE]
    grace = _seconds(str(service.get("stop_grace_period", "10s")))
    assert grace >= Settings().shutdown_timeout_s + 5


def test_image_runs_as_non_root_with_cpu_torch_and_a_readiness_healthcheck() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.MULTILINE)
    assert users, "no USER"
    assert users[-1] not in ("root", "0")
    assert re.search(r"torch==\S+ --index-url https://download\.pytorch\.org/whl/cpu", dockerfile)
    healthcheck = dockerfile.split("HEALTHCHECK", 1)[1].split("\n\n", 1)[0]
    assert "/readyz" in healthcheck
    assert re.search(r'^ENTRYPOINT \["summit-consumer"\]', dockerfile, re.MULTILINE), (
        "exec form: PID 1 gets SIGTERM"
    )


def test_every_make_command_the_docs_name_is_a_makefile_target() -> None:
    targets = set(re.findall(r"^([a-z][\w-]*):", (ROOT / "Makefile").read_text("utf-8"), re.M))
    docs = [
        ROOT / "README.md",
        ROOT / "bench" / "PROFILE.md",
        ROOT / "eval" / "README.md",
        ROOT / ".ci" / "run",
    ]
    named = {
        m
        for doc in docs
        if doc.exists()
        for m in re.findall(r"(?:`|^\s*)make ([a-z][\w-]*)", doc.read_text("utf-8"), re.M)
    }
    assert named, "the docs name make commands"
    assert named <= targets, f"named in the docs but not in the Makefile: {sorted(named - targets)}"


def test_the_table_stage_runs_after_the_topics_with_its_documented_settings_and_health(
    compose: dict[str, Any], env_defaults: dict[str, str]
) -> None:
    service = compose["services"][TABLE_SERVICE]
    assert service.get("command") == ["summit-consumer", "table"]
    assert (service.get("depends_on") or {}).get("topics", {}).get(
        "condition"
    ) == "service_completed_successfully"
    env = _environment(service)
    assert sorted(set(env) - set(env_defaults)) == [], "every variable is in .env.example"
    for name in (
        "SUMMIT_OUTPUT_TOPIC",
        "SUMMIT_TABLE_TOPIC",
        "SUMMIT_TABLE_CHANGELOG_TOPIC",
        "SUMMIT_TABLE_GROUP_ID",
    ):
        assert env[name] == env_defaults[name], name
    port = env["SUMMIT_TABLE_METRICS_PORT"]
    assert f"{port}:{port}" in [str(p) for p in service.get("ports") or []]
    assert f"localhost:{port}/readyz" in " ".join(
        map(str, (service.get("healthcheck") or {}).get("test") or [])
    )
    assert _seconds(str(service.get("stop_grace_period", "10s"))) >= Settings().shutdown_timeout_s + 5
