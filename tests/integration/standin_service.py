"""`python -m tests.integration.standin_service`: the real `run_service` with the stand-in handler.

Used by the signal tests only while `handlers.pipeline` does not import (see `service_command`).
"""

from __future__ import annotations

import asyncio
import sys

from consumer.errors import ConfigError
from consumer.service import EXIT_CONFIG, run_service
from consumer.settings import Settings
from tests.component.fakes import standin_handler


def main() -> int:
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return EXIT_CONFIG
    return asyncio.run(run_service(settings, standin_handler))


if __name__ == "__main__":
    sys.exit(main())
