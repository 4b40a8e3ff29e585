"""The handler pipeline the tests share: built once per test process (`Pipeline.build` loads the knowledge
base and the models, ~4 s), not once per module. A pipeline keeps no state between articles that changes an
outcome (its caches only remember answers; `make digest` checks outputs over every article of ../shared/eval),
so sharing it across modules changes no test's result."""

from __future__ import annotations

from functools import cache

from handlers.pipeline import Pipeline


@cache
def built_pipeline() -> Pipeline:
    return Pipeline.build()
