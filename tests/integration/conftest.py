"""The handler the integration tests run."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from schemas import RawArticle, RegionalSummit
from tests.pipelines import built_pipeline

Handle = Callable[[RawArticle], Sequence[RegionalSummit]]


@pytest.fixture(scope="session")
def handler() -> Handle:
    """The real handler pipeline, built once for the session."""
    return built_pipeline().process
