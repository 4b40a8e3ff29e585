"""Start-up checks of the real CLI: a missing topic is a clear error and exit code 3, unless creating
topics is configured."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest

from consumer.broker import LocalBroker
from consumer.service import EXIT_STARTUP
from consumer.settings import Settings
from tests.integration.processes import Instance

pytestmark = [pytest.mark.integration, pytest.mark.asyncio, pytest.mark.timeout(60)]


async def test_a_missing_dlq_topic_stops_the_cli_with_exit_3_and_names_the_topic(
    local_broker: LocalBroker, make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    settings = make_settings()
    await local_broker.create_topics([settings.input_topic, settings.output_topic], 2)
    instance = Instance("startup", settings, tmp_path / "startup.log").start()
    assert instance.process is not None
    code = await asyncio.to_thread(instance.process.wait, 40)
    assert code == EXIT_STARTUP
    log = instance.log.read_text()
    assert f"missing topics: {settings.dlq_topic}" in log
    assert "SUMMIT_CREATE_TOPICS=true" in log
