"""`summit-consumer`: the command line, and the composition root of the service.

Exit codes: 0 success; 1 runtime failure; 2 usage or configuration error; 3 start-up failure
(broker unreachable, topics missing) or an unreadable input file.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from consumer.offline import Summary
    from consumer.settings import Settings

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_INPUT = 0, 1, 2, 3
GENERATED = Path(__file__).resolve().parent.parent / "schemas" / "generated"

EPILOG = """examples:
  summit-consumer enrich articles.jsonl -o events.jsonl
  cat articles.jsonl | summit-consumer enrich - > events.jsonl
  summit-consumer merge events.jsonl -o summits.jsonl
  SUMMIT_BOOTSTRAP_SERVERS=kafka:9092 summit-consumer run --metrics-port 9108
  SUMMIT_BOOTSTRAP_SERVERS=kafka:9092 summit-consumer table --metrics-port 9109
  summit-consumer schema --asyncapi > asyncapi.json
  summit-consumer demo
"""


def _version() -> str:
    try:
        return version("summit-consumer")
    except PackageNotFoundError:
        return "0+unknown"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="summit-consumer",
        description="Turn raw news articles into RegionalSummit events (Kafka service and offline tool).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="run the streaming service (settings from SUMMIT_* variables)")
    run.add_argument("--bootstrap-servers", help="HOST:PORT[,HOST:PORT...] (SUMMIT_BOOTSTRAP_SERVERS)")
    run.add_argument("--input-topic", help="topic of raw articles (SUMMIT_INPUT_TOPIC)")
    run.add_argument("--output-topic", help="topic of RegionalSummit events (SUMMIT_OUTPUT_TOPIC)")
    run.add_argument("--dlq-topic", help="dead-letter topic (SUMMIT_DLQ_TOPIC)")
    run.add_argument("--group-id", help="consumer group (SUMMIT_GROUP_ID)")
    run.add_argument("--metrics-port", type=int, help="port of /metrics, /healthz, /readyz; 0 = off")

    table = sub.add_parser(
        "table",
        help="run the summit table stage: events in, one SummitRecord per summit_id out (compacted topic)",
    )
    table.add_argument("--bootstrap-servers", help="HOST:PORT[,HOST:PORT...] (SUMMIT_BOOTSTRAP_SERVERS)")
    table.add_argument("--events-topic", help="topic of RegionalSummit events (SUMMIT_OUTPUT_TOPIC)")
    table.add_argument("--table-topic", help="compacted topic of SummitRecords (SUMMIT_TABLE_TOPIC)")
    table.add_argument(
        "--changelog-topic", help="compacted topic of the stage's state (SUMMIT_TABLE_CHANGELOG_TOPIC)"
    )
    table.add_argument("--dlq-topic", help="dead letters of the stage (SUMMIT_TABLE_DLQ_TOPIC)")
    table.add_argument("--group-id", help="consumer group (SUMMIT_TABLE_GROUP_ID)")
    table.add_argument(
        "--metrics-port", type=int, help="port of /metrics, /healthz, /readyz (SUMMIT_TABLE_METRICS_PORT)"
    )

    enrich = sub.add_parser(
        "enrich",
        help="offline: RawArticle JSON lines in, RegionalSummit JSON lines out",
        epilog="example: summit-consumer enrich articles.jsonl -o events.jsonl",
    )
    enrich.add_argument("input", help="JSON-lines file of articles, or - for standard input")
    enrich.add_argument("-o", "--output", default="-", help="where events go (default -: standard output)")
    enrich.add_argument("--fail-on-error", action="store_true", help="exit 1 when any line is not an article")
    enrich.add_argument("--quiet", action="store_true", help="no progress or summary on standard error")
    enrich.add_argument("--verbose", action="store_true", help="print the summary even off a terminal")

    merge = sub.add_parser(
        "merge",
        help="offline: RegionalSummit JSON lines in, SummitRecord JSON lines out (the summit table)",
        epilog="example: summit-consumer merge events.jsonl -o summits.jsonl",
    )
    merge.add_argument("input", help="JSON-lines file of events (enrich output), or - for standard input")
    merge.add_argument("-o", "--output", default="-", help="where records go (default -: standard output)")
    merge.add_argument("--fail-on-error", action="store_true", help="exit 1 when any line is not an event")
    merge.add_argument("--verbose", action="store_true", help="print the summary on standard error")

    schema = sub.add_parser("schema", help="print the JSON Schemas (or the AsyncAPI document)")
    schema.add_argument("--asyncapi", action="store_true", help="print the AsyncAPI 3.0 document instead")
    schema.add_argument("--write", action="store_true", help=f"write the documents under {GENERATED}")

    sub.add_parser("config", help="print the effective settings (secrets masked)")

    demo = sub.add_parser("demo", help="start a local broker, feed the sample articles, show the events")
    demo.add_argument(
        "--samples", type=Path, help="JSON-lines file of articles (default: the bundled samples)"
    )
    demo.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for the samples")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `summit-consumer` command."""
    args = build_parser().parse_args(argv)
    if args.command in ("run", "table"):
        # a stop asked for while the service loads is a clean stop: nothing was fetched yet
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, _exit_cleanly)
    handler = {
        "run": _cmd_run,
        "table": _cmd_table,
        "enrich": _cmd_enrich,
        "merge": _cmd_merge,
        "schema": _cmd_schema,
        "config": _cmd_config,
        "demo": _cmd_demo,
    }[args.command]
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `summit-consumer enrich ... | head`: the reader left, nothing is wrong
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def _settings(args: argparse.Namespace | None = None) -> Settings:
    from consumer.settings import Settings

    overrides = {}
    if args is not None:
        overrides = {
            "bootstrap_servers": getattr(args, "bootstrap_servers", None),
            "input_topic": getattr(args, "input_topic", None),
            "output_topic": getattr(args, "output_topic", None),
            "dlq_topic": getattr(args, "dlq_topic", None),
            "group_id": getattr(args, "group_id", None),
            "metrics_port": getattr(args, "metrics_port", None),
        }
    return Settings.from_env(**overrides)


def _cmd_run(args: argparse.Namespace) -> int:
    import asyncio

    from consumer.errors import ConfigError
    from consumer.service import run_service

    try:
        settings = _settings(args)
    except ConfigError as exc:
        print(f"summit-consumer: invalid settings: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return asyncio.run(run_service(settings))  # the handlers are built in the worker processes


def _cmd_table(args: argparse.Namespace) -> int:
    import asyncio

    from consumer.errors import ConfigError
    from consumer.settings import Settings
    from consumer.table_service import run_table_service
    from consumer.table_settings import TableSettings

    try:
        base = Settings.from_env(bootstrap_servers=args.bootstrap_servers, output_topic=args.events_topic)
        table = TableSettings.from_env(
            topic=args.table_topic,
            changelog_topic=args.changelog_topic,
            dlq_topic=args.dlq_topic,
            group_id=args.group_id,
            metrics_port=args.metrics_port,
        )
    except ConfigError as exc:
        print(f"summit-consumer: invalid settings: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return asyncio.run(run_table_service(base, table))


def _exit_cleanly(signum: int, frame: object) -> None:
    raise SystemExit(EXIT_OK)


def _cmd_enrich(args: argparse.Namespace) -> int:
    from consumer.offline import enrich_lines

    with ExitStack() as stack:
        try:
            source = sys.stdin if args.input == "-" else stack.enter_context(_open(args.input, "r"))
            sink = sys.stdout if args.output == "-" else stack.enter_context(_open(args.output, "w"))
        except OSError as exc:
            print(f"summit-consumer: cannot open {exc.filename}: {exc.strerror}", file=sys.stderr)
            return EXIT_INPUT
        on_terminal = not args.quiet and sys.stderr.isatty()
        with _progress_bar(on_terminal) as progress:
            summary = enrich_lines(source, sink, progress=progress)
    if on_terminal or args.verbose:
        print(summary.describe(), file=sys.stderr)
    return EXIT_FAILURE if args.fail_on_error and summary.rejected else EXIT_OK


def _cmd_merge(args: argparse.Namespace) -> int:
    from consumer.offline import merge_lines

    with ExitStack() as stack:
        try:
            source = sys.stdin if args.input == "-" else stack.enter_context(_open(args.input, "r"))
            sink = sys.stdout if args.output == "-" else stack.enter_context(_open(args.output, "w"))
        except OSError as exc:
            print(f"summit-consumer: cannot open {exc.filename}: {exc.strerror}", file=sys.stderr)
            return EXIT_INPUT
        summary = merge_lines(source, sink)
    if args.verbose or summary.rejected:
        print(summary.describe(), file=sys.stderr)
    return EXIT_FAILURE if args.fail_on_error and summary.rejected else EXIT_OK


@contextmanager
def _progress_bar(enabled: bool) -> Iterator[Callable[[Summary], None] | None]:
    """A live line on the terminal: articles, articles/s, summits found, lines rejected."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("enrich")

        def update(summary: Summary) -> None:
            rate = summary.articles / summary.seconds if summary.seconds else 0.0
            text = (
                f"{summary.articles} articles ({rate:.0f}/s), {summary.events} summits, "
                f"{summary.non_summit} non-summit, {summary.rejected} rejected"
            )
            bar.update(task, description=text)

        yield update


def _open(path: str, mode: str) -> IO[str]:
    # surrogateescape: a line that is not UTF-8 is reported as a rejected article, not a crash
    return open(path, mode, encoding="utf-8", errors="surrogateescape")


def _cmd_schema(args: argparse.Namespace) -> int:
    import orjson

    from schemas.documents import asyncapi, json_schemas

    documents = {"asyncapi": asyncapi()} if args.asyncapi else json_schemas()
    if args.write:
        GENERATED.mkdir(parents=True, exist_ok=True)
        for name, doc in {**json_schemas(), "asyncapi": asyncapi()}.items():
            path = GENERATED / f"{name}.json"
            path.write_bytes(orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n")
            print(f"wrote {path}", file=sys.stderr)
        return EXIT_OK
    payload = documents["asyncapi"] if args.asyncapi else documents
    sys.stdout.write(orjson.dumps(payload, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode() + "\n")
    return EXIT_OK


def _cmd_config(args: argparse.Namespace) -> int:
    import orjson

    from consumer.errors import ConfigError

    try:
        settings = _settings()
    except ConfigError as exc:
        print(f"summit-consumer: invalid settings: {exc}", file=sys.stderr)
        return EXIT_USAGE
    masked = settings.masked()
    sys.stdout.write(orjson.dumps(masked, option=orjson.OPT_INDENT_2, default=str).decode() + "\n")
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace) -> int:
    from consumer.demo import run_demo

    return run_demo(samples=args.samples, timeout=args.timeout)


if __name__ == "__main__":
    sys.exit(main())
