"""`python -m bench.camel FILE`: the yardstick as a whole process - camel-tools' normalise, dediacritise
and tokenise of the body of every RawArticle line of FILE (what `summit-consumer enrich FILE` is held to)."""

from __future__ import annotations

import sys
from pathlib import Path

import orjson
from camel_tools.tokenizers.word import simple_word_tokenize
from camel_tools.utils.dediac import dediac_ar
from camel_tools.utils.normalize import normalize_unicode


def tokenise(path: Path) -> int:
    """Words in the bodies of `path`'s articles, after camel-tools' normalisation and dediacritisation."""
    words = 0
    with path.open("rb") as handle:
        for line in handle:
            if line.strip():
                body = orjson.loads(line)["body"]
                words += len(simple_word_tokenize(dediac_ar(normalize_unicode(body))))
    return words


if __name__ == "__main__":
    print(tokenise(Path(sys.argv[1])))
