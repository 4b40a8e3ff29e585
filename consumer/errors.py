"""The service's errors: one hierarchy, retriable or not as a class property.

    SummitError
     ├── ConfigError                 settings are invalid (exit 2)
     ├── StartupError                the broker or the topics are not usable at start-up (exit 3)
     │    └── MissingTopicsError
     ├── MessageError                one message cannot become output; it is dead-lettered (`stage`)
     │    ├── DecodeError            stage decode: tombstone, too large, not UTF-8, not JSON, not an object
     │    │    └── UnreadableRecordError  the record batch holding it cannot be read (corrupt, unknown codec)
     │    ├── InvalidArticleError    stage validate: not a RawArticle
     │    ├── InvalidEventError      stage validate: not a RegionalSummit (the table stage's input)
     │    ├── HandlerError           stage handle: the handler raised (`error_class` is the handler's)
     │    │    ├── HandlerTimeoutError  the article went over its budget (`error_class` HandlerTimeout)
     │    │    └── HandlerCrashedError  the process handling it died (`error_class` HandlerCrashed)
     │    └── OutputRejectedError    stage publish: an output record was refused for good
     ├── BrokerError                 talking to Kafka failed (`operation`: publish, commit, ...)
     │    ├── TransientBrokerError   retriable: timeouts, lost connections, leader changes
     │    ├── RecordRejectedError    the broker or client refused one record for good (e.g. too large)
     │    └── CommitRejectedError    the group moved on: a stale member's commit was refused
     └── FatalRuntimeError           the service must stop and exit non-zero; nothing past it is committed
          └── HandlerFailureLimitError

aiokafka exceptions are translated into `BrokerError`s in `consumer.kafka` and nowhere else.
"""

from __future__ import annotations

from typing import ClassVar

from schemas import Stage


class SummitError(Exception):
    """Base class of every error this service raises on purpose."""

    retriable: ClassVar[bool] = False


class ConfigError(SummitError):
    """The settings are invalid; the message says which and why."""


class StartupError(SummitError):
    """The service cannot start: the broker is unreachable or a topic is missing."""


class MissingTopicsError(StartupError):
    """Topics the service needs do not exist and creating them is disabled."""

    def __init__(self, missing: list[str]) -> None:
        self.missing = sorted(missing)
        names = ", ".join(self.missing)
        super().__init__(f"missing topics: {names} (create them, or set SUMMIT_CREATE_TOPICS=true)")


class MessageError(SummitError):
    """One input message cannot be turned into output; it goes to the dead-letter topic."""

    stage: ClassVar[Stage]

    @property
    def error_class(self) -> str:
        """The `error.class` dead-letter header: what kind of failure this is."""
        return type(self).__name__


class DecodeError(MessageError):
    """The value is not a UTF-8 JSON object within the size limit (or is a tombstone)."""

    stage: ClassVar[Stage] = "decode"


class UnreadableRecordError(DecodeError):
    """The record batch holding this offset cannot be read (its payload does not decompress, its codec is
    unknown, its CRC is wrong): the record's key and value are not known."""


class InvalidArticleError(MessageError):
    """The JSON object is not a valid RawArticle."""

    stage: ClassVar[Stage] = "validate"


class InvalidEventError(MessageError):
    """The JSON object on the events topic is not a valid RegionalSummit."""

    stage: ClassVar[Stage] = "validate"


class HandlerError(MessageError):
    """The handler raised; the original exception is the `__cause__` (or, raised in a worker process,
    named by `raised`)."""

    stage: ClassVar[Stage] = "handle"

    def __init__(self, message: str, *, raised: str | None = None) -> None:
        super().__init__(message)
        self.raised = raised

    @property
    def error_class(self) -> str:
        cause = self.__cause__
        if self.raised is not None:
            return self.raised
        return type(cause).__name__ if cause is not None else type(self).__name__


class HandlerTimeoutError(HandlerError):
    """The article was not handled within the per-article budget; its worker process was killed."""

    @property
    def error_class(self) -> str:
        return "HandlerTimeout"


class HandlerCrashedError(HandlerError):
    """The worker process handling the article died (killed from outside, out of memory, a crash)."""

    @property
    def error_class(self) -> str:
        return "HandlerCrashed"


class OutputRejectedError(MessageError):
    """An output record of this message can never be written; the cause is a RecordRejectedError."""

    stage: ClassVar[Stage] = "publish"

    @property
    def error_class(self) -> str:
        cause = self.__cause__
        return type(cause).__name__ if cause is not None else type(self).__name__


class BrokerError(SummitError):
    """A Kafka operation failed; `operation` names it (publish, commit, fetch, admin)."""

    def __init__(self, message: str, *, operation: str) -> None:
        super().__init__(message)
        self.operation = operation


class TransientBrokerError(BrokerError):
    """A Kafka operation failed in a way that may succeed when retried."""

    retriable: ClassVar[bool] = True


class RecordRejectedError(BrokerError):
    """One record can never be written as it is (e.g. larger than the producer or broker allows)."""


class CommitRejectedError(BrokerError):
    """The group rebalanced and refused this member's commit; its partitions may belong to another now."""


class FatalRuntimeError(SummitError):
    """The service cannot go on safely; it stops without committing past the failure."""


class HandlerFailureLimitError(FatalRuntimeError):
    """The handler failed on too many consecutive messages: likely a bug, not bad input."""
