"""The handler the integration tests run."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from schemas import RawArticle, RegionalSummit
from tests.component.fakes import standin_handler

Handle = Callable[[RawArticle], Sequence[RegionalSummit]]


@pytest.fixture(scope="session")
def handler() -> Handle:
    """PLUG IN: the real pipeline goes here once it imports cleanly:

        from handlers.pipeline import Pipeline
        return Pipeline.build().process

    Until then a deterministic stand-in (one event when the body says "summit").
    """
    return standin_handler
