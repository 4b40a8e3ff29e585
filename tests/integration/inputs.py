"""Inputs the integration tests feed: articles that report a summit, and ones that do not."""

from __future__ import annotations

import orjson


def good_articles(count: int, prefix: str = "g") -> list[bytes]:
    """Articles that report a summit (for the stand-in and, by their text, for the real pipeline)."""
    return [
        orjson.dumps(
            {
                "id": f"{prefix}{i}",
                "url": f"https://example.test/{prefix}{i}",
                "language": "en",
                "published_at": "2025-09-01",
                "body": f"The 25th SCO summit was held in Tianjin on 31 August 2025 (report {i}). "
                "Xi Jinping and Vladimir Putin attended the summit of the Shanghai Cooperation Organisation.",
            }
        )
        for i in range(count)
    ]


def non_summit_articles(count: int, prefix: str = "n") -> list[bytes]:
    return [
        orjson.dumps({"id": f"{prefix}{i}", "language": "en", "body": f"Weather report {i}: sunny and warm."})
        for i in range(count)
    ]


def sample_articles() -> list[bytes]:
    """The bundled sample articles (Arabic, English, Russian; summits and hard negatives)."""
    from consumer.demo import sample_lines

    return sample_lines()
