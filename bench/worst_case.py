"""Part 6: the worst case. Handler time per 10 KB of adversarial bodies at 10 KB, 100 KB and 1 MB.

Time that grows with the product of two counts shows as a time per 10 KB that grows with the size; a
linear handler keeps it flat. Target: for every generator, the 1 MB figure is at most 15 times the 100 KB
one. Each generator runs in a child process forked from this one (the pipeline is built once, before), so
a size that takes longer than `limit_s` is reported as over the limit and the larger sizes are skipped,
instead of stalling the bench. The last row is the slowest input a hypothesis search found (time per KB
as its target), grown to each size the same way.
"""

from __future__ import annotations

import gc
import multiprocessing
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection

from bench.adversarial import GENERATORS, LEADS, SIZES, Generator, Lexicon, document, fill, lexicon
from bench.results import Row
from handlers.pipeline import Pipeline
from schemas import RawArticle

TARGET_1MB_OVER_100KB = 15.0
PER = 10_000  # bytes: figures are seconds per 10 KB of body


@dataclass
class Cell:
    """One generator at one size: the seconds of each run, or how it failed to finish."""

    generator: str
    size: int
    seconds: list[float] = field(default_factory=list)
    status: str = "ok"  # ok | over limit | not run | failed

    @property
    def per_10kb(self) -> float | None:
        """Median seconds per 10 KB of body, None when not measured."""
        if self.status != "ok" or not self.seconds:
            return None
        return statistics.median(self.seconds) * PER / self.size


def _child(
    conn: Connection, pipeline: Pipeline, generator: Generator, sizes: Sequence[int], repeats: int
) -> None:
    """Time `generator` at each size; one message per run (the parent stops a run that takes too long)."""
    lex = lexicon()
    _freeze()
    try:
        for size in sizes:
            article = RawArticle.model_validate(document(generator, size, lex))
            for _ in range(repeats):
                started = time.perf_counter()
                pipeline.process(article)
                conn.send((size, time.perf_counter() - started))
    except Exception as exc:
        conn.send((None, f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def _freeze() -> None:
    """What a worker does after start-up: the knowledge base out of the collector's walks."""
    gc.collect()
    gc.freeze()


def measure_generator(
    pipeline: Pipeline, generator: Generator, sizes: Sequence[int], repeats: int, limit_s: float
) -> list[Cell]:
    """`generator` at each size, `repeats` runs each, in a forked child; a run over `limit_s` ends it."""
    context = multiprocessing.get_context(
        "fork"
    )  # the bench is single-threaded: the child shares the pipeline
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(child, pipeline, generator, sizes, repeats), daemon=True)
    process.start()
    child.close()
    cells = {size: Cell(generator.name, size) for size in sizes}
    try:
        for size in sizes:
            for _ in range(repeats):
                if not parent.poll(limit_s):
                    cells[size].status = "over limit"
                    cells[size].seconds = [limit_s]
                    for later in sizes[sizes.index(size) + 1 :]:
                        cells[later].status = "not run"
                    return list(cells.values())
                got_size, value = parent.recv()
                if got_size is None:
                    cells[size].status = "failed"
                    return list(cells.values())
                cells[got_size].seconds.append(value)
        return list(cells.values())
    except EOFError:
        cells[size].status = "failed"
        return list(cells.values())
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        parent.close()


def measure(
    pipeline: Pipeline,
    generators: Sequence[Generator] = GENERATORS,
    sizes: Sequence[int] = SIZES,
    repeats: int = 3,
    limit_s: float = 60.0,
) -> list[Cell]:
    """Every generator at every size (each warmed once at 2 KB first, so no child pays for lazy set-up)."""
    lex = lexicon()  # built before the children fork, shared by all of them
    for generator in generators:
        pipeline.process(RawArticle.model_validate(document(generator, 2_000, lex)))
    cells: list[Cell] = []
    for generator in generators:
        cells += measure_generator(pipeline, generator, sizes, repeats, limit_s)
    return cells


# ------------------------------------------------------------------------------------------- search


def _fragments(lex: Lexicon) -> list[str]:
    """What a searched body is made of: words the handlers look for, numbers, punctuation, marks."""
    pieces = [". ", ", ", "\n", "\n\n", " - ", " (", ") ", '"', "• ", "; ", ": ", " ", "\u0651", "\u064e"]
    pieces += ["2024", "9", "10-11", "12/08/2024", "7th", "XII", "السابعة", "الـ33", "седьмой", "29-й"]
    pieces += ["summit", "قمة", "القمة", "саммит", "Astana", "أستانا", "Астане", "August", "أغسطس", "августа"]
    for lang in ("ar", "en", "ru"):
        for words in (lex.states[lang], lex.leaders[lang], lex.titles[lang], lex.cues[lang]):
            pieces += [w + " " for w in words[:: max(1, len(words) // 25)]]
    return pieces


@dataclass(frozen=True)
class Found:
    """The slowest body unit a search met: its language, the unit, and its ms per KB."""

    lang: str
    unit: str
    ms_per_kb: float
    examples: int

    def generator(self) -> Generator:
        """A generator repeating the unit after the language's summit lead."""
        lang, unit = self.lang, self.unit
        among = f"{self.examples} searched units" if self.examples >= 0 else "the units searched in time"
        what = f"slowest of {among} ({lang}, {len(unit)} chars)"
        return Generator("hypothesis-slowest", lang, what, lambda n, _lex: fill(n, unit, LEADS[lang]))


def search(
    pipeline: Pipeline,
    examples: int = 60,
    size: int = 20_000,
    seed: int = 13,
    on_slower: Callable[[Found], None] = lambda found: None,
) -> Found:
    """The body unit (with its language) that makes the handlers slowest per KB at `size` bytes.

    Hypothesis draws units of 1-40 fragments and steers towards higher ms per KB (`target`); seeded,
    so a run is repeatable on the same code. `on_slower` is told of each unit slower than the ones before.
    """
    from hypothesis import HealthCheck, Phase, given, settings, target
    from hypothesis import seed as seeded
    from hypothesis import strategies as st

    pieces = _fragments(lexicon())
    best = Found("en", "summit ", -1.0, examples)

    @seeded(seed)
    @settings(
        max_examples=examples,
        phases=(Phase.generate, Phase.target),
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.sampled_from(("ar", "en", "ru")), st.lists(st.sampled_from(pieces), min_size=1, max_size=40))
    def probe(lang: str, parts: list[str]) -> None:
        nonlocal best
        unit = "".join(parts)
        body = fill(size, unit, LEADS[lang])
        article = RawArticle.model_validate(
            {"id": "search", "language": lang, "published_at": "2024-08-09", "body": body}
        )
        started = time.perf_counter()
        pipeline.process(article)
        ms_per_kb = (time.perf_counter() - started) * 1000 / (size / 1000)
        target(ms_per_kb)
        if ms_per_kb > best.ms_per_kb:
            best = Found(lang, unit, ms_per_kb, examples)
            on_slower(best)

    probe()
    return best


def _search_child(conn: Connection, pipeline: Pipeline, examples: int) -> None:
    _freeze()
    search(pipeline, examples, on_slower=conn.send)
    conn.close()


def searched(pipeline: Pipeline, examples: int, limit_s: float) -> Found | None:
    """`search` in a forked child; after `limit_s`, the slowest unit it had met by then (None: none)."""
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_search_child, args=(child, pipeline, examples), daemon=True)
    process.start()
    child.close()
    deadline = time.monotonic() + limit_s
    found: Found | None = None
    try:
        while parent.poll(max(0.0, deadline - time.monotonic())):
            found = parent.recv()
    except EOFError:
        pass  # the search is over
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        parent.close()
    if found is not None and process.exitcode != 0:
        found = replace(found, examples=-1)  # cut short: fewer examples than asked
    return found


# ------------------------------------------------------------------------------------------- report


def _by_generator(cells: Sequence[Cell]) -> Iterator[tuple[str, dict[int, Cell]]]:
    seen: dict[str, dict[int, Cell]] = {}
    for cell in cells:
        seen.setdefault(cell.generator, {})[cell.size] = cell
    yield from seen.items()


def _label(size: int) -> str:
    return f"{size // 1_000_000} MB" if size >= 1_000_000 else f"{size // 1000} KB"


def _figure(cell: Cell | None) -> str:
    if cell is None or cell.status == "not run":
        return "not run"
    if cell.status == "over limit":
        return f"> {cell.seconds[0] * PER / cell.size * 1000:.4g} ms (over {cell.seconds[0]:g} s)"
    value = cell.per_10kb
    return "failed" if value is None else f"{value * 1000:.3g} ms"


def ratio(cells: dict[int, Cell]) -> float | None:
    """The figure at the largest size over the one at the next (1 MB over 100 KB); None when missing."""
    if len(cells) < 2:
        return None
    small, big = sorted(cells)[-2:]
    a, b = cells[big], cells[small]
    if a is None or b is None or a.per_10kb is None or b.per_10kb is None or b.per_10kb == 0:
        return None
    return a.per_10kb / b.per_10kb


def table(cells: Sequence[Cell], generators: Sequence[Generator] = GENERATORS) -> str:
    """The worst-case table in Markdown: time per 10 KB at each size, and the 1 MB / 100 KB ratio."""
    what = {g.name: g.what for g in generators}
    sizes = sorted({c.size for c in cells})
    head = " | ".join(_label(s) for s in sizes)
    lines = [
        f"| generator | what it repeats | {head} | {_ratio_label(sizes)} |",
        "| --- | --- | " + "--- | " * len(sizes) + "--- |",
    ]
    for name, row in _by_generator(cells):
        value = ratio(row)
        shown = "" if value is None else f"{value:.2f}"
        figures = " | ".join(_figure(row.get(s)) for s in sizes)
        lines.append(f"| {name} | {what.get(name, '')} | {figures} | {shown} |")
    return "\n".join(lines)


def _ratio_label(sizes: Sequence[int]) -> str:
    return f"{_label(sizes[-1])} / {_label(sizes[-2])}" if len(sizes) >= 2 else "ratio"


def rows(cells: Sequence[Cell]) -> list[Row]:
    """The part's rows for the bench report: each generator's 1 MB / 100 KB ratio, and its 1 MB figure."""
    out: list[Row] = []
    for name, row in _by_generator(cells):
        big = row.get(max(row))
        if big is not None and big.per_10kb is not None:
            out.append(
                Row("6 worst case", f"{name} per 10 KB at {_label(big.size)}", big.per_10kb * 1000, "ms")
            )
        label = f"{name} {_ratio_label(sorted(row))}"
        value = ratio(row)
        if value is not None:
            out.append(Row("6 worst case", label, value, "x", TARGET_1MB_OVER_100KB))
        elif any(c.status != "ok" for c in row.values()):
            note = "a size went over the time limit"
            out.append(Row("6 worst case", label, float("inf"), "x", TARGET_1MB_OVER_100KB, note=note))
    return out
