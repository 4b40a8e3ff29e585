"""Logging set-up: structlog, one JSON line per event (orjson), context bound through contextvars."""

from __future__ import annotations

import logging
import sys
from typing import Any

import orjson
import structlog
from structlog.typing import FilteringBoundLogger

_LEVELS = {"DEBUG": logging.DEBUG, "INFO": logging.INFO, "WARNING": logging.WARNING, "ERROR": logging.ERROR}


def configure_logging(level: str = "INFO", fmt: str = "json") -> None:
    """Configure structlog (and route stdlib logging, e.g. aiokafka's, through the same renderer)."""
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info if fmt == "json" else structlog.processors.StackInfoRenderer(),
    ]
    if fmt == "json":
        renderer: Any = structlog.processors.JSONRenderer(serializer=orjson.dumps)
        factory: Any = structlog.BytesLoggerFactory(sys.stderr.buffer)
    else:
        renderer = structlog.dev.ConsoleRenderer(colors=False)
        factory = structlog.PrintLoggerFactory(sys.stderr)
    structlog.configure(
        processors=[*shared, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(_LEVELS[level]),
        logger_factory=factory,
        cache_logger_on_first_use=False,
    )
    _route_stdlib(level)


def _route_stdlib(level: str) -> None:
    """Library loggers (aiokafka) write WARNING and above to stderr as plain lines."""
    root = logging.getLogger()
    root.handlers[:] = [logging.StreamHandler(sys.stderr)]
    root.setLevel(max(_LEVELS[level], logging.WARNING))


def get_logger(name: str) -> FilteringBoundLogger:
    """A logger bound to the module `name`."""
    logger: FilteringBoundLogger = structlog.get_logger(module=name)
    return logger
