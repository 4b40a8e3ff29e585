"""The pass-through consumer of part 2: decode + re-encode + produce + commit, no handlers.

Same client settings as the service (it uses the service's `KafkaSource` / `KafkaSink` built from
the same `SUMMIT_*` environment); it commits offset + 1 only after the batch's produce acks, every
commit interval. Run as `python -m bench.passthrough` until SIGTERM.
"""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import Set

import orjson

from consumer.envelope import OutboundRecord, decode
from consumer.kafka import KafkaSink, KafkaSource
from consumer.ports import Partition
from consumer.settings import Settings


class _Committer:
    """Offsets acknowledged but not committed yet; also the rebalance listener."""

    def __init__(self, source: KafkaSource) -> None:
        self.source = source
        self.pending: dict[Partition, int] = {}

    async def flush(self, partitions: Set[Partition] | None = None) -> None:
        chosen = {p: o for p, o in self.pending.items() if partitions is None or p in partitions}
        if chosen:
            await self.source.commit(chosen)
            for partition in chosen:
                self.pending.pop(partition, None)

    async def on_revoked(self, partitions: Set[Partition]) -> None:
        await self.flush(partitions)

    async def on_assigned(self, partitions: Set[Partition]) -> None:
        return None


async def run(settings: Settings, stop: asyncio.Event) -> None:
    """Copy every input message to the output topic until `stop` is set."""
    source, sink = KafkaSource(settings), KafkaSink(settings)
    committer = _Committer(source)
    await sink.start()
    await source.start(committer)
    last_commit = time.monotonic()
    try:
        while not stop.is_set():
            envelopes = await source.fetch(max_records=min(settings.max_in_flight, 500), timeout_s=0.2)
            acks = []
            for envelope in envelopes:
                value = orjson.dumps(decode(envelope, max_bytes=settings.max_message_bytes))
                record = OutboundRecord(settings.output_topic, envelope.key, value)
                acks.append(await sink.send(record))
            for ack in acks:
                await ack
            for envelope in envelopes:
                committer.pending[Partition(envelope.topic, envelope.partition)] = envelope.offset + 1
            if time.monotonic() - last_commit >= settings.commit_interval_ms / 1000:
                await committer.flush()
                last_commit = time.monotonic()
        await committer.flush()
    finally:
        await source.stop()
        await sink.stop()


async def _main() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await run(Settings.from_env(), stop)


if __name__ == "__main__":
    asyncio.run(_main())
