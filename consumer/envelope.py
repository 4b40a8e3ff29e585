"""Convert at the edge: a consumed record becomes an `Envelope`, its value a `RawArticle` or an error."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import orjson
from pydantic import ValidationError

from consumer.errors import (
    DecodeError,
    InvalidArticleError,
    InvalidEventError,
    MessageError,
    UnreadableRecordError,
)
from schemas import DeadLetterHeaders, RawArticle, RegionalSummit

Headers = tuple[tuple[str, bytes], ...]


class ConsumedRecord(Protocol):
    """The attributes of an aiokafka `ConsumerRecord` this module reads."""

    @property
    def topic(self) -> str: ...
    @property
    def partition(self) -> int: ...
    @property
    def offset(self) -> int: ...
    @property
    def key(self) -> bytes | None: ...
    @property
    def value(self) -> bytes | None: ...
    @property
    def timestamp(self) -> int: ...
    @property
    def headers(self) -> Sequence[tuple[str, bytes]]: ...


@dataclass(frozen=True, slots=True)
class Envelope:
    """One consumed message, as the runtime sees it."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: Headers = ()
    timestamp: int | None = None
    fetch_error: str | None = None  # the broker never returned this record (see `oversized`)
    unreadable: str | None = None  # set when the batch holding this offset could not be read: why


def oversized(topic: str, partition: int, offset: int, fetch_bytes: int) -> Envelope:
    """The envelope of a record the consumer could not read because it is larger than the fetch size (a broker
    that cuts a fetch short instead of returning the whole first record): it has no key or value, and is
    dead-lettered at stage decode like any value over the size limit (README, "Dead letters")."""
    reason = f"record larger than the fetch size ({fetch_bytes} bytes): the broker did not return it"
    return Envelope(topic, partition, offset, None, None, (), None, reason)


@dataclass(frozen=True, slots=True)
class OutboundRecord:
    """One record to produce (to `partition` when given, else where the key's hash puts it)."""

    topic: str
    key: bytes | None
    value: bytes | None
    headers: Headers = ()
    partition: int | None = None


def envelope_from_record(record: ConsumedRecord) -> Envelope:
    """The only place a raw consumer record is read."""
    headers = record.headers  # most records have none: no generator for them
    return Envelope(
        topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        key=record.key,
        value=record.value,
        headers=tuple((str(name), bytes(value or b"")) for name, value in headers) if headers else (),
        timestamp=record.timestamp if record.timestamp is not None and record.timestamp >= 0 else None,
    )


_BOM = b"\xef\xbb\xbf"


def decode(envelope: Envelope, *, max_bytes: int) -> dict[str, object]:
    """The value as a JSON object; raises DecodeError (see the dead-letter table in the README).

    Lenient where RFC 8259 allows it (a leading UTF-8 BOM is ignored); strict where a reader could
    be fooled: a tombstone, a value over `max_bytes`, invalid UTF-8 (lone surrogates included),
    anything orjson refuses (NaN, infinity, raw control characters, nesting over 1024), a document
    that is not an object, and an object that repeats a key (parsers disagree on which one wins).
    """
    if envelope.fetch_error is not None:
        raise DecodeError(envelope.fetch_error)
    if envelope.unreadable is not None:
        raise UnreadableRecordError(
            f"the record batch holding this offset cannot be read: {envelope.unreadable}"
        )
    value = envelope.value
    if value is None:
        raise DecodeError("tombstone: the record has no value")
    if len(value) > max_bytes:
        raise DecodeError(f"value is {len(value)} bytes, over the {max_bytes}-byte limit")
    value = value.removeprefix(_BOM)
    try:
        # orjson reads the bytes as they are (it refuses invalid UTF-8 itself): no decoded copy
        document = orjson.loads(value)
    except orjson.JSONDecodeError:
        pass  # refused: the strict path below says why, in its own words
    else:
        if isinstance(document, dict) and _keys_unique_at_a_glance(value, document):
            return document
    return _decode_strictly(value)


def _decode_strictly(value: bytes) -> dict[str, object]:
    """`decode` step by step (UTF-8, JSON, an object, each top-level key once); each refusal explained."""
    try:
        text = value.decode("utf-8", "strict")
    except UnicodeDecodeError as exc:
        raise DecodeError(f"value is not valid UTF-8: {exc}") from exc
    try:
        document = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise DecodeError(f"value is not JSON: {exc}") from exc
    if not isinstance(document, dict):
        kind = "null" if document is None else type(document).__name__
        raise DecodeError(f"value is JSON {kind}, expected an object")
    _reject_duplicate_keys(text)
    return document


# the end of an object member's name: its closing quote, JSON whitespace, the colon (UTF-8 continuation
# bytes are never ASCII, so this cannot match inside a multi-byte character)
_NAME_END = re.compile(rb'"[ \t\n\r]*:')


def _keys_unique_at_a_glance(value: bytes, document: dict[str, object]) -> bool:
    """True when `value`, which orjson read as `document`, certainly names no top-level key twice.

    Every member of every object in the text ends its name with `"`, whitespace and `:`, so the text
    has at least as many such matches as members, and at least as many members as `document` has
    distinct keys: equal counts leave no room for a repeated key. Only flat documents qualify (no
    object or array value), so nothing nests for the stdlib check to refuse as too deep. False sends
    the value to the full check, which decides exactly as before.
    """
    for item in document.values():
        if isinstance(item, dict | list):
            return False
    return len(_NAME_END.findall(value)) == len(document)


def _reject_duplicate_keys(text: str) -> None:
    """Raise DecodeError when the top-level object names a key twice (orjson silently keeps the last)."""
    try:
        pairs = json.loads(text, object_pairs_hook=list)
    except RecursionError as exc:  # orjson allows 1024 levels, the stdlib scanner fewer
        raise DecodeError("value nests too deeply to check") from exc
    counts = Counter(name for name, _ in pairs)
    if len(counts) != len(pairs):
        repeated = sorted(name for name, count in counts.items() if count > 1)
        raise DecodeError(f"value repeats the key(s) {', '.join(map(repr, repeated))[:200]}")


def parse_article(envelope: Envelope, *, max_bytes: int) -> RawArticle:
    """The value as a validated RawArticle; raises DecodeError or InvalidArticleError."""
    document = decode(envelope, max_bytes=max_bytes)
    try:
        return RawArticle.model_validate(document)
    except ValidationError as exc:
        summary = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'article'}: {e['msg']}" for e in exc.errors())
        raise InvalidArticleError(f"not a RawArticle: {summary}") from exc


def parse_event(envelope: Envelope, *, max_bytes: int) -> RegionalSummit:
    """The value as a validated RegionalSummit (the table stage's input); DecodeError or InvalidEventError."""
    document = decode(envelope, max_bytes=max_bytes)
    try:
        return RegionalSummit.model_validate(document)
    except ValidationError as exc:
        summary = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'event'}: {e['msg']}" for e in exc.errors())
        raise InvalidEventError(f"not a RegionalSummit: {summary[:500]}") from exc


EncodedEvent = tuple[bytes, bytes]  # (key, value) of one output record


def encode_event(event: RegionalSummit) -> EncodedEvent:
    """The key (summit_id: one meeting's events share a partition; an event without one, and none is from
    this pipeline, by its summit_key) and value (its JSON) of one event's output record."""
    return (event.summit_id or event.summit_key).encode("utf-8"), orjson.dumps(event.model_dump(mode="json"))


def summit_record(event: RegionalSummit, *, topic: str) -> OutboundRecord:
    """The output record of one event: key = summit_id, value = its JSON."""
    key, value = encode_event(event)
    return OutboundRecord(topic=topic, key=key, value=value)


def dead_letter_record(
    envelope: Envelope, error: MessageError, *, topic: str, attempts: int = 1
) -> OutboundRecord:
    """The dead letter of one input: its key and bytes unchanged, the reason in the headers."""
    headers = DeadLetterHeaders.model_validate(
        {
            "error.class": error.error_class,
            "error.message": str(error) or error.error_class,
            "error.stage": error.stage,
            "original.topic": envelope.topic,
            "original.partition": envelope.partition,
            "original.offset": envelope.offset,
            "original.timestamp": envelope.timestamp,
            "attempts": attempts,
        }
    )
    return OutboundRecord(
        topic=topic,
        key=_some_key(envelope.key, envelope.value),
        value=envelope.value,
        headers=tuple(headers.to_kafka()),
    )


def _some_key(key: bytes | None, value: bytes | None) -> bytes | None:
    """`key`, or an empty one when the record would have neither (Kafka clients refuse such a record): a
    tombstone without a key, or an unreadable record."""
    return b"" if key is None and value is None else key


def without_value(letter: OutboundRecord, reason: str) -> OutboundRecord:
    """The dead letter with its value left out and `reason` appended to `error.message`."""
    headers = tuple(
        (name, value + f" [original value omitted: {reason}]".encode())
        if name == "error.message"
        else (name, value)
        for name, value in letter.headers
    )
    return OutboundRecord(topic=letter.topic, key=_some_key(letter.key, None), value=None, headers=headers)
