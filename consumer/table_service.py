"""The summit table stage as a service: start-up checks, health server, signals, the runtime; an exit code.

The same life (`consumer.service.serve`: signals, health, exit codes) as `consumer.service.run_service`.
"""

from __future__ import annotations

import asyncio

from consumer.changelog import KafkaChangelog, prepare_table_topics
from consumer.errors import ConfigError
from consumer.health import HealthServer
from consumer.kafka import KafkaSink, KafkaSource
from consumer.logs import configure_logging, get_logger
from consumer.runtime import RuntimePolicy
from consumer.service import EXIT_CONFIG, serve, unless_stopped
from consumer.settings import Settings
from consumer.table import TableMetrics, TableRuntime, TableTopics
from consumer.table_settings import TableSettings

log = get_logger(__name__)


async def run_table_service(
    base: Settings, table: TableSettings, *, stop: asyncio.Event | None = None
) -> int:
    """Run until SIGTERM/SIGINT (or `stop`): finish the batch under way, commit, close; an exit code."""
    configure_logging(base.log_level, base.log_format)
    try:
        settings = table.kafka_settings(base)
    except ConfigError as exc:
        log.error("service_not_started", error=str(exc), error_class=type(exc).__name__)
        return EXIT_CONFIG
    log.info("service_starting", stage="table", settings=settings.masked(), table=table.masked())
    stop = stop or asyncio.Event()
    metrics = TableMetrics()
    runtime = TableRuntime(
        source=KafkaSource(settings),
        sink=KafkaSink(settings),
        changelog=KafkaChangelog(settings, table.changelog_topic),
        topics=TableTopics(table=table.topic, changelog=table.changelog_topic, dlq=table.dlq_topic),
        policy=RuntimePolicy.from_settings(settings),
        metrics=metrics,
    )
    port = table.metrics_port
    health = HealthServer(port, metrics, runtime.is_ready) if port else None

    async def start_up() -> bool:
        return await unless_stopped(prepare_table_topics(base, table), stop)

    return await serve(stop, health, start_up, runtime.run)
