"""`python -m bench.digest`: one SHA-256 over everything the handlers make of a fixed set of articles.

A speed step must leave it unchanged. The set: the labelled real articles of ../shared/eval (train + dev,
held-out URLs excluded, read here and kept nowhere), each also with its body's second half alone (another
lead), the bundled samples and reports, the team-written example sets under eval/, generated filler, and
long articles (real bodies joined to about 16 000 characters). Per article the digest takes its id, the
reason when it reports no summit, and every event as `summit-consumer enrich` writes it.

`--against REF` runs the same digest on the handlers of git revision REF (an export of its tree, with this
file copied in) and says whether the two agree; `--write FILE` keeps the per-article lines for a diff.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parent.parent
EVAL_DIR = ROOT.parent / "shared" / "eval"
_EXAMPLE_SETS = ("team.jsonl", "blind2.jsonl", "blind3.jsonl", "blind4.jsonl", "blind5.jsonl")
_ARTICLE_FIELDS = ("id", "url", "source", "language", "published_at", "title", "body")


def _lines(path: Path) -> Iterator[dict[str, Any]]:
    if path.is_file():
        with path.open("rb") as handle:
            yield from (orjson.loads(line) for line in handle if line.strip())


def _article(raw: dict[str, Any]) -> dict[str, Any]:
    body = next((raw[k] for k in ("body", "content", "text") if raw.get(k)), "")
    return {**{k: raw[k] for k in _ARTICLE_FIELDS if k in raw}, "body": body}


def documents(eval_dir: Path = EVAL_DIR) -> list[dict[str, Any]]:
    """The fixed article set, in a fixed order (see the module docstring)."""
    from bench.corpus import filler_documents
    from consumer.demo import more_reports, sample_lines
    from training.data import load

    docs = [_article(a.row) for a in load(eval_dir)] if eval_dir.is_dir() else []
    halves = [
        {**d, "id": f"half-{d['id']}", "body": d["body"][len(d["body"]) // 2 :]}
        for d in docs
        if len(d["body"]) > 200
    ]
    docs += halves
    docs += [_article(orjson.loads(line)) for line in [*sample_lines(), *more_reports()]]
    for name in _EXAMPLE_SETS:
        docs += [_article(raw) for raw in _lines(ROOT / "eval" / name)]
    docs += filler_documents(300)
    return docs + _long_documents(docs, 16 * 1024, 20)


def _long_documents(docs: Sequence[dict[str, Any]], size: int, count: int) -> list[dict[str, Any]]:
    """`count` articles of about `size` characters, each the bodies of consecutive `docs` joined."""
    out: list[dict[str, Any]] = []
    step = max(1, len(docs) // count)
    for n in range(min(count, len(docs))):
        first = docs[n * step]
        parts = [str(d["body"]) for d in docs[n * step :]]
        body = ""
        while parts and len(body) < size:
            body += parts.pop(0) + "\n\n"
        out.append({**first, "id": f"long-{n}", "body": body})
    return out


def outcome_lines(docs: Sequence[dict[str, Any]]) -> Iterator[bytes]:
    """One line per article: its id, its reason (no summit) and its events, as `enrich` writes them."""
    from handlers.pipeline import Pipeline
    from schemas import RawArticle

    pipeline = Pipeline.build()
    for doc in docs:
        outcome = pipeline.analyse(RawArticle.model_validate(doc))
        events = [orjson.dumps(e.model_dump(mode="json")).decode() for e in outcome.events]
        yield orjson.dumps({"id": doc.get("id"), "reason": outcome.reason, "events": events})


def digest(write: Path | None = None, eval_dir: Path = EVAL_DIR) -> tuple[str, int, int]:
    """(sha256 hex, articles, events) of the outcomes of `documents()`."""
    sha = hashlib.sha256()
    articles = events = 0
    out = write.open("wb") if write else None
    try:
        for line in outcome_lines(documents(eval_dir)):
            sha.update(line + b"\n")
            articles += 1
            events += line.count(b'"schema_version')
            if out is not None:
                out.write(line + b"\n")
    finally:
        if out is not None:
            out.close()
    return sha.hexdigest(), articles, events


def at_revision(ref: str, write: Path | None = None, eval_dir: Path = EVAL_DIR) -> str:
    """The digest of revision `ref`'s handlers and models (its tree exported, this file run beside it)."""
    with tempfile.TemporaryDirectory(prefix="digest-") as tmp:
        tree = Path(tmp) / "tree"
        tree.mkdir()
        archive = subprocess.run(["git", "archive", ref], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
        (tree / "bench" / "digest.py").write_bytes(Path(__file__).read_bytes())
        env = {**os.environ, "PYTHONPATH": str(tree)}
        command = [sys.executable, "-m", "bench.digest", "--quiet", "--eval-dir", str(eval_dir)]
        if write is not None:
            command += ["--write", str(write.resolve())]
        out = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True, check=True)
        return out.stdout.split()[0]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.digest", description=__doc__)
    parser.add_argument("--against", metavar="REF", help="also digest git revision REF and compare")
    parser.add_argument("--write", type=Path, help="keep the per-article lines here")
    parser.add_argument("--eval-dir", type=Path, default=EVAL_DIR, help="labelled articles (../shared/eval)")
    parser.add_argument("--quiet", action="store_true", help="print the digest alone")
    args = parser.parse_args(argv)
    here, articles, events = digest(args.write, args.eval_dir)
    if args.quiet:
        print(here)
        return 0
    print(f"this tree: {here} ({articles} articles, {events} events)")
    if args.against is None:
        return 0
    theirs = at_revision(
        args.against, args.write.with_suffix(".ref.jsonl") if args.write else None, args.eval_dir.resolve()
    )
    same = theirs == here
    print(f"{args.against}: {theirs} -> {'identical' if same else 'DIFFERENT'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
