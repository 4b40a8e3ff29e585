"""The `make bench` harness runs every part on a tiny size (no timing assertions: a guard against rot)."""

from __future__ import annotations

import asyncio
import math
from pathlib import Path

import orjson
import pytest

from bench import corpus, growth, handler_cost, streaming
from bench.__main__ import main
from bench.corpus import filler_documents, mixed_corpus, sized_documents
from bench.results import Report, Row
from consumer.broker import LocalBroker
from handlers.pipeline import Pipeline
from schemas import RawArticle


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline.build()


def _measured(rows: list[Row]) -> None:
    assert rows
    assert all(math.isfinite(row.value) and row.value >= 0 for row in rows)


def test_generated_filler_reports_no_summit(pipeline: Pipeline) -> None:
    articles = [RawArticle.model_validate(doc) for doc in filler_documents(30)]
    assert [pipeline.process(article) for article in articles] == [[]] * 30


def test_mixed_corpus_alternates_labelled_articles_and_filler_with_unique_ids() -> None:
    corpus = mixed_corpus(12)
    assert len(corpus.articles) == 12
    assert corpus.filler == corpus.summit_like == 6
    assert len({article.id for article in corpus.articles}) == 12


def test_sized_documents_have_the_requested_body_size() -> None:
    for kilobytes in (1, 4):
        sizes = [len(doc["body"].encode()) for doc in sized_documents(kilobytes, 3)]
        assert all(kilobytes * 1024 - 4 <= size <= kilobytes * 1024 for size in sizes)


def test_handler_cost_part_measures_both_sides_and_digests_the_outputs(pipeline: Pipeline) -> None:
    rows, details = handler_cost.measure(mixed_corpus(8), pipeline, rounds=1)
    _measured(rows)
    assert {"pipeline / baseline (mean)", "baseline mean / article"} <= {row.metric for row in rows}
    assert isinstance(details["output_digest"], str)


def test_growth_part_times_each_body_size(pipeline: Pipeline) -> None:
    rows, _ = growth.body_sizes(pipeline, count=1, rounds=1)
    _measured(rows)
    assert [r.metric for r in rows][-1] == "64 KB / 4 KB"


def test_padded_knowledge_base_is_ten_times_larger_and_changes_no_output(pipeline: Pipeline) -> None:
    rows, details = growth.kb_padding(pipeline, mixed_corpus(6), rounds=1)
    _measured(rows)
    assert details["padded_kb"] == {k: 10 * v for k, v in details["shipped_kb"].items()}  # type: ignore[union-attr]
    assert details["padded_outputs_identical"] is True


def test_report_prints_a_table_and_writes_json(tmp_path: Path) -> None:
    report = Report()
    report.add(Row("1 handler cost", "ratio", 0.5, "x", 0.25), Row("2 end to end", "rate", 10.0, "art/s"))
    assert "| 1 handler cost | ratio | 0.5 x | <= 0.25 | NO |" in report.table()
    report.write(tmp_path / "out.json")
    document = orjson.loads((tmp_path / "out.json").read_bytes())
    assert [row["met"] for row in document["rows"]] == [False, None]
    assert {"machine", "date", "commit"} <= set(document["environment"])


def test_without_the_shared_dev_set_the_bench_says_so_and_uses_the_samples(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(corpus, "DEV_SET", tmp_path / "absent.jsonl")
    assert not mixed_corpus(4).dev_included
    assert main(["--quick", "--parts", "1", "--json", str(tmp_path / "r.json")]) == 0
    assert "skipped: dev articles" in capsys.readouterr().out


def test_command_line_runs_the_in_process_parts_quickly(tmp_path: Path) -> None:
    assert main(["--quick", "--parts", "1,4", "--json", str(tmp_path / "r.json")]) == 0
    parts = {row["part"] for row in orjson.loads((tmp_path / "r.json").read_bytes())["rows"]}
    assert parts == {"1 handler cost", "4 growth"}


@pytest.mark.integration
@pytest.mark.timeout(180)
def test_broker_parts_run_on_a_tiny_stream(local_broker: LocalBroker, tmp_path: Path) -> None:
    """Throughput (pass-through and service), latency through the tapped runtime, and memory."""

    async def parts() -> list[Row]:
        rows, _, rate = await streaming.throughput(local_broker, 40, tmp_path, consumers=(1,))
        latency, _ = await streaming.latency(local_broker, 20.0, 1.0, tmp_path)
        memory, details = await streaming.memory(local_broker, 40, tmp_path, max_seconds=30)
        assert rate > 0
        assert details["imported_by_service_code"] == []
        return rows + latency + memory

    _measured(asyncio.run(parts()))
