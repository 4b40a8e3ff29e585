"""The dead-letter header set (CONTRACT.md): why a message left the stream, and where it came from."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Stage = Literal["decode", "validate", "handle", "publish"]


class DeadLetterHeaders(BaseModel):
    """Headers of a dead letter; the value is the input bytes unchanged, the key the input key."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    error_class: str = Field(alias="error.class")
    error_message: str = Field(alias="error.message")
    error_stage: Stage = Field(alias="error.stage")
    original_topic: str = Field(alias="original.topic")
    original_partition: int = Field(alias="original.partition", ge=0)
    original_offset: int = Field(alias="original.offset", ge=0)
    original_timestamp: int | None = Field(alias="original.timestamp", default=None)
    failed_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    attempts: int = Field(default=1, ge=1)

    def to_kafka(self) -> list[tuple[str, bytes]]:
        """Encode as Kafka record headers (all UTF-8 strings)."""
        failed = self.failed_at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        values = {
            "error.class": self.error_class,
            "error.message": self.error_message[:2000],
            "error.stage": self.error_stage,
            "original.topic": self.original_topic,
            "original.partition": str(self.original_partition),
            "original.offset": str(self.original_offset),
            "original.timestamp": "" if self.original_timestamp is None else str(self.original_timestamp),
            "failed_at": failed,
            "attempts": str(self.attempts),
        }
        return [(k, v.encode("utf-8", "replace")) for k, v in values.items()]

    @classmethod
    def from_kafka(
        cls, headers: list[tuple[str, bytes]] | tuple[tuple[str, bytes], ...]
    ) -> DeadLetterHeaders:
        """Decode Kafka record headers written by `to_kafka`."""
        raw = {k: v.decode("utf-8") for k, v in headers}
        ts = raw.get("original.timestamp")
        return cls.model_validate({**raw, "original.timestamp": int(ts) if ts else None})
