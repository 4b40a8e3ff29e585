"""Settings of the summit table stage: its own `SUMMIT_TABLE_*` variables beside the shared `SUMMIT_*` ones.

The stage reads the events topic that `run` writes (`SUMMIT_OUTPUT_TOPIC`) and shares the connection,
security, timeout, in-flight, commit, retry and log settings of `Settings`; what is its own (topics, group,
metrics port) has the `SUMMIT_TABLE_` prefix. `kafka_settings` gives the `Settings` the shared Kafka
adapter runs on.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from consumer.errors import ConfigError
from consumer.settings import _TOPIC, Settings


class TableSettings(BaseSettings):
    """The table stage's own settings; invalid values fail at start-up with the variable's name."""

    model_config = SettingsConfigDict(env_prefix="SUMMIT_TABLE_", extra="forbid", frozen=True)

    topic: str = Field(default="news.summits", description="compacted: one SummitRecord per summit_id")
    changelog_topic: str = Field(
        default="news.summits.changelog",
        description="compacted: the stage's state (each folded event), partition i for events partition i",
    )
    dlq_topic: str = Field(default="news.summits.enriched.dlq", description="events that are not events")
    group_id: str = Field(default="summit-table", min_length=1)
    client_id: str = Field(default="summit-table", min_length=1)
    metrics_port: int = Field(default=9109, ge=0, le=65535, description="0 disables the HTTP server")

    @classmethod
    def from_env(cls, **overrides: Any) -> TableSettings:
        """Read the environment; keyword overrides (None = not given) win. Raises ConfigError."""
        given = {name: value for name, value in overrides.items() if value is not None}
        try:
            return cls(**given)
        except ValidationError as exc:
            lines = [f"SUMMIT_TABLE_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors()]
            raise ConfigError("invalid settings: " + "; ".join(lines)) from exc

    @field_validator("topic", "changelog_topic", "dlq_topic")
    @classmethod
    def _topic(cls, value: str) -> str:
        if not _TOPIC.match(value) or value in (".", ".."):
            raise ValueError(f"{value!r} is not a valid Kafka topic name (1-249 of A-Z a-z 0-9 . _ -)")
        return value

    @model_validator(mode="after")
    def _distinct(self) -> TableSettings:
        topics = [self.topic, self.changelog_topic, self.dlq_topic]
        if len(set(topics)) != 3:
            raise ValueError(f"table, changelog and dlq topics must differ, got {topics}")
        return self

    def kafka_settings(self, base: Settings) -> Settings:
        """`base` as the Kafka adapter of the stage sees it: input = the events topic, output = the table."""
        values = {
            **base.model_dump(),
            "input_topic": base.output_topic,
            "output_topic": self.topic,
            "dlq_topic": self.dlq_topic,
            "group_id": self.group_id,
            "client_id": self.client_id,
            "metrics_port": self.metrics_port,
        }
        try:
            return Settings.model_validate(values)
        except ValidationError as exc:
            raise ConfigError(f"invalid settings for the table stage: {exc.errors()[0]['msg']}") from exc

    def masked(self) -> dict[str, Any]:
        return self.model_dump()
