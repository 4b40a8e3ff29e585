"""The `make bench` harness runs every part on a tiny size (no timing assertions: a guard against rot)."""

from __future__ import annotations

import asyncio
import math
from pathlib import Path

import orjson
import pytest

from bench import corpus, growth, handler_cost, real, streaming, worst_case
from bench.__main__ import main
from bench.adversarial import GENERATORS, by_name, document, lexicon
from bench.corpus import filler_documents, mixed_corpus, sized_documents
from bench.results import Report, Row
from consumer.broker import LocalBroker
from handlers.pipeline import Pipeline
from schemas import RawArticle


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


def test_each_adversarial_generator_makes_a_body_of_the_size_asked() -> None:
    for generator in GENERATORS:
        body = generator.body(5_000, lexicon())
        assert 4_996 <= len(body.encode()) <= 5_000, generator.name


def test_adversarial_articles_go_through_the_handlers_with_mentions_into_their_bodies(
    pipeline: Pipeline,
) -> None:
    """A smoke test of the generators (their speed is the bench's business): valid articles, valid events."""
    reported = 0
    for generator in GENERATORS:
        article = RawArticle.model_validate(document(generator, 3_000))
        for event in pipeline.process(article):
            reported += 1
            mentions = [m for p in event.participants for m in p.mentions]
            assert all(article.body[m.start : m.end] == m.text for m in mentions), generator.name
    assert reported >= len(GENERATORS) // 2, "most generators open with a summit lead the handlers read"


def test_worst_case_part_times_each_generator_at_each_size_and_renders_the_table(pipeline: Pipeline) -> None:
    chosen = [by_name("summit-ar"), by_name("dots")]
    cells = worst_case.measure(pipeline, chosen, sizes=(1_000, 2_000), repeats=2, limit_s=60)
    assert [(c.generator, c.size, c.status, len(c.seconds)) for c in cells] == [
        (g.name, size, "ok", 2) for g in chosen for size in (1_000, 2_000)
    ]
    table = worst_case.table(cells, chosen)
    assert "| summit-ar |" in table
    assert "2 KB / 1 KB" in table
    _measured(worst_case.rows(cells))


class _Stuck:
    """Stands in for a pipeline that never finishes an article."""

    def process(self, article: RawArticle) -> list[object]:
        import time

        time.sleep(60)
        return []


def test_a_size_over_the_time_limit_is_reported_and_the_larger_ones_skipped() -> None:
    cells = worst_case.measure_generator(_Stuck(), by_name("dots"), (1_000, 2_000), repeats=1, limit_s=0.5)  # type: ignore[arg-type]
    assert [(c.size, c.status) for c in cells] == [(1_000, "over limit"), (2_000, "not run")]
    assert "over 0.5 s" in worst_case.table(cells)


def test_the_search_returns_the_slowest_unit_it_met(pipeline: Pipeline) -> None:
    found = worst_case.search(pipeline, examples=3, size=2_000)
    assert found.unit
    assert found.ms_per_kb > 0
    assert found.unit in found.generator().body(3_000, lexicon())


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


def test_worst_case_flag_prints_the_worst_case_table_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--worst-case", "--quick", "--json", str(tmp_path / "w.json")]) == 0
    out = capsys.readouterr().out
    assert "worst case: time per 10 KB of body" in out
    assert "| hypothesis-slowest |" in out
    parts = {row["part"] for row in orjson.loads((tmp_path / "w.json").read_bytes())["rows"]}
    assert parts == {"6 worst case"}


def test_command_line_runs_the_in_process_parts_quickly(tmp_path: Path) -> None:
    assert main(["--quick", "--parts", "1,4", "--json", str(tmp_path / "r.json")]) == 0
    parts = {row["part"] for row in orjson.loads((tmp_path / "r.json").read_bytes())["rows"]}
    assert parts == {"1 handler cost", "4 growth"}


@pytest.mark.integration
@pytest.mark.timeout(180)
def test_broker_parts_run_on_a_tiny_stream(local_broker: LocalBroker, tmp_path: Path) -> None:
    """Throughput (pass-through and service), latency through the tapped runtime, and memory."""

    async def parts() -> list[Row]:
        rows, _, rate = await streaming.throughput(local_broker, 40, tmp_path, workers=(1,))
        latency, _ = await streaming.latency(local_broker, 20.0, 1.0, tmp_path)
        memory, details = await streaming.memory(local_broker, 40, tmp_path, max_seconds=30)
        assert rate > 0
        assert details["imported_by_service_code"] == []
        return rows + latency + memory

    _measured(asyncio.run(parts()))


@pytest.mark.skipif(not real.available(), reason="../shared/eval not present")
def test_real_stream_is_two_percent_summit_reports_of_real_articles_with_unique_ids() -> None:
    labelled = real.Labelled.read()
    summit_bodies = {doc["body"] for doc in labelled.summits}
    other_bodies = {doc["body"] for doc in labelled.others}
    docs = real.stream(1000)
    assert len(docs) == 1000
    assert len({doc["id"] for doc in docs}) == 1000
    assert sum(doc["body"] in summit_bodies for doc in docs) == 20
    assert sum(doc["body"] in other_bodies for doc in docs) == 980
    assert all("gold" not in doc for doc in docs)


@pytest.mark.skipif(not real.available(), reason="../shared/eval not present")
def test_command_line_runs_the_real_article_part(tmp_path: Path) -> None:
    assert main(["--quick", "--parts", "7", "--json", str(tmp_path / "r.json")]) == 0
    rows = orjson.loads((tmp_path / "r.json").read_bytes())["rows"]
    assert {row["metric"] for row in rows} >= {"enrich / camel-tools", "handler mean / article, real stream"}
