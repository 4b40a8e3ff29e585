"""OffsetLedger: the commit advances only over an unbroken run of settled offsets."""

from __future__ import annotations

from consumer.ports import Partition
from consumer.runtime import OffsetLedger

P = Partition("t", 0)


def test_commit_stops_at_the_first_unsettled_offset_then_jumps_when_it_settles() -> None:
    ledger = OffsetLedger()
    for offset in range(5):
        ledger.track(P, offset)
    for offset in (0, 1, 3, 4):
        ledger.settle(P, offset)
    assert ledger.committable() == {P: 2}
    ledger.mark_committed({P: 2})
    assert ledger.committable() == {}
    ledger.settle(P, 2)
    assert ledger.committable() == {P: 5}


def test_gaps_in_offsets_follow_fetch_order() -> None:
    ledger = OffsetLedger()
    for offset in (10, 12, 15):
        ledger.track(P, offset)
    ledger.settle(P, 12)
    assert ledger.committable() == {}
    ledger.settle(P, 10)
    assert ledger.committable() == {P: 13}


def test_forgotten_partitions_ignore_late_settlements() -> None:
    ledger = OffsetLedger()
    ledger.track(P, 0)
    ledger.forget([P])
    ledger.settle(P, 0)
    assert ledger.committable() == {}
