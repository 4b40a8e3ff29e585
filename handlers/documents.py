"""Documents the summit adopted or signed, named in the text."""

from __future__ import annotations

from handlers.cues import CueHit
from handlers.doc import (
    Doc,
    DocumentFound,
    Resources,
)
from handlers.entities import Span

_DOC_STOP = frozenset(
    [
        "الذي",
        "التي",
        "الذين",
        "حيث",
        "وذلك",
        "كما",
        "خلال",
        "في",
        "بين",
        "على",
        "الى",
        "إلى",
        "من",
        "عن",
        "مع",
        "بعد",
        "قبل",
        "لدى",
        "which",
        "that",
        "at",
        "during",
        "in",
        "on",
        "with",
        "by",
        "was",
        "were",
        "is",
        "are",
        "будет",
        "который",
        "которая",
        "на",
        "в",
        "во",
        "с",
        "по",
    ]
)


def find_documents(doc: Doc, res: Resources) -> list[DocumentFound]:
    adoption_sentences = {doc.tok_sentence[h.first_token] for h in doc.cues.get("adoption", [])}
    adoption_sentences -= {doc.tok_sentence[h.first_token] for h in doc.cues.get("proposal", [])}
    adoption_sentences -= {doc.tok_sentence[h.first_token] for h in doc.cues.get("past_reference", [])}
    found: list[DocumentFound] = []
    seen: set[str] = set()
    doc_starts = {h.first_token for h in doc.cues.get("document", [])}
    for hit in doc.cues.get("document", []):
        sentence = doc.tok_sentence[hit.first_token]
        if sentence not in adoption_sentences or sentence in doc.excluded_sentences:
            continue
        end = _document_end(doc, hit, doc_starts)
        start = _proper_name_before(doc, hit.first_token) if doc.lang == "en" else hit.start
        key = doc.norm[start:end]
        span = Span(start, end, hit.first_token, hit.first_token)
        if key in seen or end - start < 6:
            continue
        seen.add(key)
        found.append(DocumentFound(span, hit.payload))
    return found


def _proper_name_before(doc: Doc, token: int) -> int:
    """Start of the capitalised words naming a document in English ("the Kazan Declaration")."""
    assert doc.text is not None
    start = doc.toks[token].start
    for i in range(token - 1, max(token - 5, -1), -1):
        original = doc.text.span(doc.toks[i].start, doc.toks[i].end)[2]
        gap = doc.norm[doc.toks[i].end : start]
        if not original[:1].isupper() or any(ch in gap for ch in ",.;:()\n"):
            break
        start = doc.toks[i].start
    return start


def _year_range_end(doc: Doc, i: int) -> int:
    """A title ends at its year, or at the second year of a period ("2025-2027")."""
    nxt = i + 1
    if nxt < len(doc.toks) and doc.norm[doc.toks[i].end : doc.toks[nxt].start].strip() in ("-", "/"):
        word = doc.toks[nxt].text
        if word.isdigit() and len(word) == 4:
            return doc.toks[nxt].end
    return doc.toks[i].end


def _document_end(doc: Doc, hit: CueHit, doc_starts: set[int]) -> int:
    end = hit.end
    quote_open = False
    for i in range(hit.last_token + 1, min(hit.last_token + 9, len(doc.toks))):
        gap = doc.norm[doc.toks[i - 1].end : doc.toks[i].start]
        if '"' in gap:
            quote_open = not quote_open
            if not quote_open:
                return end + gap.index('"') + 1 if '"' in doc.norm[end : end + len(gap)] else end
        elif any(ch in gap for ch in ",.;:()\n") and not quote_open:
            break
        word = doc.toks[i].text
        if (word in _DOC_STOP or i in doc_starts) and not quote_open:
            break
        end = doc.toks[i].end
        if word.isdigit() and len(word) == 4 and not quote_open:
            return _year_range_end(doc, i)
    tail = doc.norm[end : end + 3]
    if quote_open and '"' in tail:
        end += tail.index('"') + 1
    return end
