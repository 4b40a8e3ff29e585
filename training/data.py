"""The labelled real articles of ../shared/eval, read at train and eval time (the repository keeps no text).

Articles whose URL hashes into heldout.sha256 are never read (a hidden set judges the work). Each
article gets the group of the meeting it reports, so cross-validation keeps a meeting on one side.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import orjson

EVAL_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "eval"
SETS = ("train.jsonl", "dev.jsonl")


@dataclass(frozen=True, slots=True)
class Labelled:
    row: dict[str, Any]  # a RawArticle plus `gold`

    @property
    def id(self) -> str:
        return str(self.row["id"])

    @property
    def gold(self) -> dict[str, Any]:
        return dict(self.row["gold"])

    @property
    def language(self) -> str:
        return str(self.row.get("language") or "")

    @property
    def group(self) -> str:
        """The meeting the article reports (series + venue + year), or the article itself."""
        gold = self.gold
        if not gold.get("is_summit"):
            return f"article:{self.id}"
        when = gold.get("start_date") or self.row.get("published_at") or ""
        place = gold.get("venue_city") or gold.get("venue_country") or ""
        return f"meeting:{gold.get('series')}|{place}|{str(when)[:4]}"


def normalised_url(url: str) -> str:
    """As heldout.sha256 hashes it: host without www., path without a trailing /, ?query; lower-cased."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower()
    host = host.removeprefix("www.")
    out = host + parts.path.rstrip("/")
    if parts.query:
        out += "?" + parts.query
    return out.lower()


def heldout_digests(directory: Path = EVAL_DIR) -> frozenset[str]:
    path = directory / "heldout.sha256"
    if not path.exists():
        return frozenset()
    return frozenset(line.split()[0] for line in path.read_text().splitlines() if line.strip())


def is_heldout(url: str | None, digests: frozenset[str]) -> bool:
    if not url:
        return False
    return hashlib.sha256(normalised_url(url).encode("utf-8")).hexdigest() in digests


def load(directory: Path = EVAL_DIR, sets: tuple[str, ...] = SETS) -> list[Labelled]:
    """Every labelled article of `sets`, in file order, without the held-out ones."""
    digests = heldout_digests(directory)
    return [a for name in sets for a in _read(directory / name) if not is_heldout(a.row.get("url"), digests)]


def _read(path: Path) -> Iterator[Labelled]:
    with path.open("rb") as handle:
        for line in handle:
            if line.strip():
                yield Labelled(orjson.loads(line))


def digest(directory: Path = EVAL_DIR, sets: tuple[str, ...] = SETS) -> str:
    """SHA-256 over the labelled files the models are trained on (recorded in meta.json)."""
    sha = hashlib.sha256()
    for name in sets:
        sha.update(name.encode())
        sha.update((directory / name).read_bytes())
    return sha.hexdigest()
