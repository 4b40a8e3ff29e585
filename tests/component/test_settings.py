"""Settings: SUMMIT_* variables, CLI overrides, readable errors, masked secrets."""

from __future__ import annotations

import os

import pytest

from consumer.errors import ConfigError
from consumer.settings import Settings


def test_defaults_match_the_shared_names(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("SUMMIT_"):
            monkeypatch.delenv(name)
    settings = Settings.from_env()
    assert (settings.bootstrap_servers, settings.input_topic, settings.output_topic, settings.dlq_topic) == (
        "localhost:9092", "news.articles.raw", "news.summits.enriched", "news.articles.raw.dlq",
    )  # fmt: skip
    assert (settings.metrics_port, settings.max_in_flight, settings.enable_idempotence) == (9108, 256, False)


def test_environment_is_read_and_overrides_win_unless_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUMMIT_INPUT_TOPIC", "from-env")
    monkeypatch.setenv("SUMMIT_METRICS_PORT", "9200")
    monkeypatch.setenv("SUMMIT_CREATE_TOPICS", "true")
    settings = Settings.from_env(metrics_port=0, input_topic=None, group_id="from-flag")
    assert (settings.input_topic, settings.metrics_port, settings.group_id) == ("from-env", 0, "from-flag")
    assert settings.create_topics is True


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"bootstrap_servers": "no-port"}, "SUMMIT_BOOTSTRAP_SERVERS"),
        ({"metrics_port": 70000}, "SUMMIT_METRICS_PORT"),
        ({"output_topic": "bad topic!"}, "SUMMIT_OUTPUT_TOPIC"),
        ({"dlq_topic": "news.articles.raw"}, "must differ"),
        ({"security_protocol": "SASL_SSL", "sasl_mechanism": "PLAIN"}, "SUMMIT_SASL_USERNAME"),
        ({"heartbeat_interval_ms": 20000}, "heartbeat_interval_ms"),
    ],
)
def test_invalid_settings_raise_a_readable_config_error(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Settings.from_env(**overrides)


def test_masked_hides_the_password() -> None:
    settings = Settings.from_env(
        security_protocol="SASL_PLAINTEXT", sasl_mechanism="PLAIN", sasl_username="u", sasl_password="hunter2"
    )
    masked = settings.masked()
    assert masked["sasl_password"] == "***"
    assert masked["sasl_username"] == "u"
    assert "hunter2" not in repr(masked)


def test_publish_retries_are_unbounded_unless_a_maximum_is_set() -> None:
    from consumer.runtime import RuntimePolicy

    assert RuntimePolicy.from_settings(Settings.from_env()).retry.max_attempts is None
    assert RuntimePolicy.from_settings(Settings.from_env(publish_max_attempts=5)).retry.max_attempts == 5
