"""How often reports of one meeting share one id: the pair rate of `summit_id` (and of `summit_key`).

usage: .venv/bin/python eval/identity.py [GOLD.jsonl ...] [--show]

Reads labelled articles (default: ../shared/eval/train.jsonl and dev.jsonl) at run time, keeps none of their
text, and skips any article whose normalised URL hashes into ../shared/eval/heldout.sha256. The articles
run through the real pipeline; pairs are counted among the articles it detects as summits.

"Same meeting" comes from the gold labels only: two positives of one series (dashes and case folded, a few
spellings of one series merged) are linked when they give the same ordinal, start dates within 3 days (the
same month when one gives only a month), or the same venue city in the same year (of the start date, else
of publication), and nothing contradicts it; meetings are the connected groups of links. A pair is of
*different* meetings of one format when its series is the same and the gold contradicts it (other
ordinals, start dates more than 7 days apart, other years, other venue states). Pairs across two series
are counted apart (a joined one is a wrong join unless two annotators spelled one series two ways: --show
lists them), and so are pairs of one series that the gold can neither link nor tell apart (undetermined).
A pair is *joined* when the two articles' events share the id.
"""

from __future__ import annotations

import argparse
import itertools
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"
DEFAULT_GOLD = (SHARED / "train.jsonl", SHARED / "dev.jsonl")

# spellings of one series by different annotators (a measurement convenience: the pipeline never sees these)
SERIES_ALIASES = {
    "gcc supreme council summit": "gcc summit",
    "ots summit": "summit of the organization of turkic states",
    "central asia - china summit": "china - central asia summit",
    "central asia - russia summit": "russia - central asia summit",
    "eu - au summit": "african union - european union summit",
    "us - asean summit": "asean - us special summit",
    "el alamein five - party arab summit": "el alamein arab summit",
    "algeria - tunisia - libya consultative meeting": "tunisia - algeria - libya consultative summit",
    "china - arab states summit": "arab - china summit",
    "arab league - eu summit": "arab - eu summit",
}


def series(gold: dict[str, Any]) -> str:
    text = re.sub(r"\s*[\u2013\u2014-]\s*", " - ", str(gold.get("series") or "").lower())
    text = re.sub(r"\s+", " ", text).strip()
    return SERIES_ALIASES.get(text, text)


def _day(text: str | None) -> date | None:
    if not text or len(text) < 10:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


@dataclass(frozen=True)
class Labelled:
    id: str
    language: str
    published_at: str | None
    gold: dict[str, Any]

    @property
    def year(self) -> int | None:
        start = self.gold.get("start_date") or self.published_at
        return int(start[:4]) if start else None


def contradicts(a: Labelled, b: Labelled) -> bool:
    """The gold says these are two meetings."""
    ga, gb = a.gold, b.gold
    same_series = series(ga) == series(gb)
    if same_series and ga.get("ordinal") and gb.get("ordinal") and ga["ordinal"] != gb["ordinal"]:
        return True
    da, db = _day(ga.get("start_date")), _day(gb.get("start_date"))
    if da and db and abs((da - db).days) > 7:
        return True
    if a.year and b.year and a.year != b.year:
        return True
    va, vb = ga.get("venue_country"), gb.get("venue_country")
    return bool(same_series and va and vb and va != vb)


def linked(a: Labelled, b: Labelled) -> bool:
    """The gold says these are one meeting (directly)."""
    ga, gb = a.gold, b.gold
    if series(ga) != series(gb) or contradicts(a, b):
        return False
    if ga.get("ordinal") and ga.get("ordinal") == gb.get("ordinal"):
        return True
    sa, sb = ga.get("start_date"), gb.get("start_date")
    if sa and sb:
        da, db = _day(sa), _day(sb)
        return abs((da - db).days) <= 3 if da and db else sa[:7] == sb[:7]
    city = ga.get("venue_city")
    return bool(city and city == gb.get("venue_city") and a.year and a.year == b.year)


def meetings(items: Sequence[Labelled]) -> dict[str, str]:
    """Article id -> id of its gold meeting (connected groups of links)."""
    parent = {item.id: item.id for item in items}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in itertools.combinations(items, 2):
        if linked(a, b):
            parent[root(a.id)] = root(b.id)
    return {item.id: root(item.id) for item in items}


@dataclass
class Rate:
    """Counts of pairs for one id field."""

    same: int = 0
    same_joined: int = 0
    cross: int = 0
    cross_joined: int = 0
    different: int = 0
    different_joined: int = 0
    undetermined: int = 0
    undetermined_joined: int = 0
    across_series: int = 0
    across_series_joined: int = 0
    missed: list[tuple[str, str]] = field(default_factory=list)
    wrong: list[tuple[str, str]] = field(default_factory=list)

    def describe(self, name: str) -> str:
        pct = 100 * self.same_joined / self.same if self.same else 0.0
        cross = 100 * self.cross_joined / self.cross if self.cross else 0.0
        return (
            f"{name:<12} same-meeting pairs joined {self.same_joined}/{self.same} ({pct:.1f}%), "
            f"across languages {self.cross_joined}/{self.cross} ({cross:.1f}%); "
            f"different meetings of one series joined {self.different_joined}/{self.different}; "
            f"pairs across two series joined {self.across_series_joined}/{self.across_series}; "
            f"undetermined pairs joined {self.undetermined_joined}/{self.undetermined}"
        )


def rate(
    items: Sequence[Labelled], group: dict[str, str], ids: dict[str, set[str]], conflicts: set[frozenset[str]]
) -> Rate:
    result = Rate()
    detected = [item for item in items if ids.get(item.id)]
    for a, b in itertools.combinations(detected, 2):
        if frozenset((a.id, b.id)) in conflicts:
            continue
        joined = bool(ids[a.id] & ids[b.id])
        if group[a.id] == group[b.id]:
            result.same += 1
            result.same_joined += joined
            if a.language != b.language:
                result.cross += 1
                result.cross_joined += joined
            if not joined:
                result.missed.append((a.id, b.id))
        elif series(a.gold) != series(b.gold):
            result.across_series += 1
            result.across_series_joined += joined
            if joined:
                result.wrong.append((a.id, b.id))
        elif contradicts(a, b):
            result.different += 1
            result.different_joined += joined
            if joined:
                result.wrong.append((a.id, b.id))
        else:
            result.undetermined += 1
            result.undetermined_joined += joined
    return result


def load(paths: Iterable[Path]) -> tuple[list[dict[str, Any]], int]:
    """The labelled lines, without the held-out ones (and how many were skipped)."""
    from training.data import heldout_digests, is_heldout  # the repository root is on the path (see the end)

    held = heldout_digests(SHARED)
    rows, skipped = [], 0
    for path in paths:
        for line in path.read_bytes().splitlines():
            if not line.strip():
                continue
            row = orjson.loads(line)
            if is_heldout(row.get("url"), held):
                skipped += 1
                continue
            rows.append(row)
    return rows, skipped


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "gold", nargs="*", type=Path, help="labelled JSON lines (default: ../shared train + dev)"
    )
    parser.add_argument("--show", action="store_true", help="list the pairs missed and wrongly joined")
    parser.add_argument(
        "--pred",
        type=Path,
        help="RegionalSummit lines to measure (e.g. make eval's cross-validated events) instead of running "
        "the committed pipeline over the labelled articles",
    )
    args = parser.parse_args(argv)
    paths = args.gold or [p for p in DEFAULT_GOLD if p.exists()]
    if not paths:
        print(
            f"identity: no labelled files (looked for {', '.join(map(str, DEFAULT_GOLD))})", file=sys.stderr
        )
        return 0

    from handlers.pipeline import Pipeline
    from schemas import RawArticle

    rows, skipped = load(paths)
    events: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if args.pred is not None:
        for line in args.pred.read_bytes().splitlines():
            if line.strip():
                event = orjson.loads(line)
                events[str(event["article"]["id"])].append(event)
    else:
        pipeline = Pipeline.build()
        for row in rows:
            events[row["id"]] = [
                e.model_dump(mode="json") for e in pipeline.process(RawArticle.model_validate(row))
            ]
    positives = []
    for row in rows:
        if row["gold"].get("is_summit"):
            positives.append(
                Labelled(row["id"], row.get("language") or "", row.get("published_at"), row["gold"])
            )
    group = meetings(positives)
    members = defaultdict(list)
    for item in positives:
        members[group[item.id]].append(item)
    conflicts = {
        frozenset((a.id, b.id))
        for items in members.values()
        for a, b in itertools.combinations(items, 2)
        if contradicts(a, b)
    }
    detected = sum(1 for item in positives if events.get(item.id))
    print(
        f"identity: {len(rows)} labelled articles ({skipped} held out), {len(positives)} summit reports, "
        f"{detected} detected; {sum(len(m) > 1 for m in members.values())} meetings with two or more "
        "reports; "
        f"{len(conflicts)} pair(s) the gold contradicts itself on, left out"
    )
    for name in ("summit_key", "summit_id"):
        ids = {aid: {str(e.get(name) or "") for e in evs} - {""} for aid, evs in events.items()}
        result = rate(positives, group, ids, conflicts)
        print(result.describe(name))
        if args.show:
            for a, b in result.missed:
                print(f"  missed  {a} {sorted(ids[a])}  {b} {sorted(ids[b])}")
            for a, b in result.wrong:
                print(
                    f"  joined  {a} {sorted(ids[a])}  {b} {sorted(ids[b])}  (gold: other meetings or series)"
                )
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
