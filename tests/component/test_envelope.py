"""Decoding at the edge: every class of bad input is refused at its stage; suspicious valid ones pass."""

from __future__ import annotations

import pytest

from consumer.envelope import Envelope, dead_letter_record, parse_article, without_value
from consumer.errors import DecodeError, MessageError
from schemas import DeadLetterHeaders
from tests.fixtures.malformed import POISON, SIZE_LIMIT


def at(value: bytes | None) -> Envelope:
    return Envelope("in", 2, 7, b"key", value, (), 1_700_000_000_000)


@pytest.mark.parametrize(("value", "expected"), [(v, e) for _, v, e in POISON], ids=[n for n, _, _ in POISON])
def test_each_class_of_input_has_its_documented_outcome(value: bytes | None, expected: str) -> None:
    if expected == "accepted":
        parse_article(at(value), max_bytes=SIZE_LIMIT)
        return
    with pytest.raises(MessageError) as refused:
        parse_article(at(value), max_bytes=SIZE_LIMIT)
    assert refused.value.stage == expected


def test_duplicate_keys_below_the_top_level_are_left_to_the_ignored_fields() -> None:
    article = parse_article(at(b'{"body": "text", "extra": {"a": 1, "a": 2}}'), max_bytes=SIZE_LIMIT)
    assert article.body == "text"


def test_a_leading_bom_is_ignored() -> None:
    assert parse_article(at(b'\xef\xbb\xbf{"body": "text"}'), max_bytes=SIZE_LIMIT).body == "text"


def test_a_dead_letter_keeps_key_and_bytes_and_can_drop_the_value_with_a_reason() -> None:
    letter = dead_letter_record(at(b"junk"), DecodeError("not JSON"), topic="dlq")
    assert (letter.key, letter.value) == (b"key", b"junk")
    bare = without_value(letter, "4 bytes refused by dlq")
    headers = DeadLetterHeaders.from_kafka(bare.headers)
    assert bare.value is None
    assert headers.error_message == "not JSON [original value omitted: 4 bytes refused by dlq]"
    assert (headers.original_partition, headers.original_offset) == (2, 7)
