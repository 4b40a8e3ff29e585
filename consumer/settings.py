"""Service settings: read once from `SUMMIT_*` environment variables (CLI flags override), passed down."""

from __future__ import annotations

import os
import re
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from consumer.errors import ConfigError

_TOPIC = re.compile(r"^[A-Za-z0-9._-]{1,249}$")
_HOST_PORT = re.compile(r"^[^\s:,]+:\d{1,5}$|^\[[0-9A-Fa-f:.]+\]:\d{1,5}$")

SecurityProtocol = Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"]
SaslMechanism = Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]


class Settings(BaseSettings):
    """Everything the streaming service can be told; invalid values fail at start-up, not later."""

    model_config = SettingsConfigDict(env_prefix="SUMMIT_", extra="forbid", frozen=True)

    bootstrap_servers: str = "localhost:9092"
    input_topic: str = "news.articles.raw"
    output_topic: str = "news.summits.enriched"
    dlq_topic: str = "news.articles.raw.dlq"
    group_id: str = Field(default="summit-consumer", min_length=1)
    client_id: str = Field(default="summit-consumer", min_length=1)
    metrics_port: int = Field(default=9108, ge=0, le=65535, description="0 disables the HTTP server")
    max_in_flight: int = Field(default=256, ge=1, le=100_000)
    max_message_bytes: int = Field(default=1_048_576, ge=1)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["json", "console"] = "json"
    enable_idempotence: bool = False
    session_timeout_ms: int = Field(default=10_000, ge=1000)
    heartbeat_interval_ms: int = Field(default=3000, ge=100)
    auto_offset_reset: Literal["earliest", "latest"] = "earliest"
    shutdown_timeout_s: float = Field(default=8.0, gt=0, le=300)
    create_topics: bool = False
    topic_partitions: int = Field(default=3, ge=1)
    max_consecutive_handler_failures: int = Field(default=50, ge=1)
    publish_max_attempts: int = Field(
        default=0, ge=0, description="0 = retry a transient produce error until it succeeds (pause)"
    )
    commit_interval_ms: int = Field(
        default=1000, ge=10, description="how often settled offsets are committed"
    )
    fetch_max_wait_ms: int = Field(
        default=20, ge=0, le=10_000, description="longest the broker holds a fetch that has no data yet"
    )
    workers: int = Field(default=0, ge=0, le=256, description="handler processes; 0 = one per CPU")
    worker_answer_ms: float = Field(
        default=5.0,
        ge=0,
        le=10_000,
        description="longest a handled article's outcome waits in its worker for the rest of its chunk",
    )
    linger_ms: int = Field(
        default=0, ge=0, le=10_000, description="how long the producer waits to fill a batch of records"
    )
    handler_timeout_ms: int = Field(
        default=2000, ge=10, le=600_000, description="per-article budget; over it, a dead letter"
    )
    security_protocol: SecurityProtocol = "PLAINTEXT"
    sasl_mechanism: SaslMechanism | None = None
    sasl_username: str | None = None
    sasl_password: SecretStr | None = None
    ssl_cafile: str | None = None

    @classmethod
    def from_env(cls, **overrides: Any) -> Settings:
        """Read the environment; keyword overrides (None = not given) win. Raises ConfigError."""
        given = {name: value for name, value in overrides.items() if value is not None}
        try:
            return cls(**given)
        except ValidationError as exc:
            raise ConfigError(_describe(exc)) from exc

    def worker_count(self) -> int:
        """Handler processes to run: `workers`, or one per CPU this process may use when it is 0."""
        if self.workers:
            return self.workers
        try:
            return len(os.sched_getaffinity(0)) or 1
        except AttributeError:  # not Linux
            return os.cpu_count() or 1

    def masked(self) -> dict[str, Any]:
        """The settings as a dict fit for logs: secrets are replaced by '***'."""
        values = self.model_dump()
        for name, field in type(self).model_fields.items():
            if field.annotation is not None and "SecretStr" in str(field.annotation):
                values[name] = None if getattr(self, name) is None else "***"
        return values

    @field_validator("bootstrap_servers")
    @classmethod
    def _servers(cls, value: str) -> str:
        servers = [part.strip() for part in value.split(",") if part.strip()]
        bad = [server for server in servers if not _HOST_PORT.match(server)]
        if not servers or bad:
            raise ValueError(f"expected HOST:PORT[,HOST:PORT...], got {value!r}")
        return ",".join(servers)

    @field_validator("input_topic", "output_topic", "dlq_topic")
    @classmethod
    def _topic(cls, value: str) -> str:
        if not _TOPIC.match(value) or value in (".", ".."):
            raise ValueError(f"{value!r} is not a valid Kafka topic name (1-249 of A-Z a-z 0-9 . _ -)")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        topics = [self.input_topic, self.output_topic, self.dlq_topic]
        if len(set(topics)) != 3:
            raise ValueError(f"input, output and dlq topics must differ, got {topics}")
        if self.heartbeat_interval_ms >= self.session_timeout_ms:
            raise ValueError("heartbeat_interval_ms must be lower than session_timeout_ms")
        if self.security_protocol.startswith("SASL_"):
            if self.sasl_mechanism is None:
                raise ValueError(f"security_protocol {self.security_protocol} needs SUMMIT_SASL_MECHANISM")
            if not self.sasl_username or self.sasl_password is None:
                raise ValueError("SASL needs SUMMIT_SASL_USERNAME and SUMMIT_SASL_PASSWORD")
        return self


def _describe(exc: ValidationError) -> str:
    """One readable line per invalid setting, named as its environment variable."""
    lines = []
    for error in exc.errors():
        where = "_".join(str(part) for part in error["loc"]).upper()
        name = f"SUMMIT_{where}" if where else "settings"
        lines.append(f"{name}: {error['msg']}")
    return "invalid settings: " + "; ".join(lines)
