"""The caps of `handlers.limits`: an article that repeats what the extractors count is read up to them."""

from __future__ import annotations

from handlers import limits
from handlers.doc import Doc
from handlers.pipeline import ROUTES, Pipeline
from schemas import RawArticle

SENTENCE = (
    "The 7th summit of the Shanghai Cooperation Organisation was held in Astana on 9 August 2024 "
    "with President Kassym-Jomart Tokayev of Kazakhstan and President Shavkat Mirziyoyev of Uzbekistan. "
)


def analysed(pipeline: Pipeline, body: str) -> Doc:
    """The Doc after every step of the English route (the last one that ran, if the article stops)."""
    doc = Doc(
        article=RawArticle.model_validate(
            {"id": "c", "language": "en", "published_at": "2024-08-09", "body": body}
        )
    )
    for step in ROUTES["en"]:
        nxt = step(doc, pipeline.resources)
        if nxt is None:
            break
        doc = nxt
    return doc


def test_a_body_repeating_a_summit_sentence_is_read_up_to_each_cap(pipeline: Pipeline) -> None:
    doc = analysed(pipeline, SENTENCE * 2000)  # 390 KB: thousands of everything
    assert doc.main is not None
    assert len(doc.cues["anchor"]) == limits.MAX_SUMMIT_WORDS
    assert all(len(hits) <= limits.MAX_CUE_HITS for hits in doc.cues.values())
    assert len(doc.anchors) <= limits.MAX_SUMMIT_WORDS + limits.MAX_FORMAT_MENTIONS
    assert len(doc.found.formats) == limits.MAX_FORMAT_MENTIONS
    assert len(doc.found.countries) == limits.MAX_STATE_MENTIONS
    assert len(doc.found.cities) == limits.MAX_CITY_MENTIONS
    assert len(doc.found.people) == limits.MAX_PERSON_MENTIONS
    assert len(doc.found.titles) == limits.MAX_TITLE_MENTIONS
    assert len(doc.ordinals) == limits.MAX_ORDINALS
    assert doc.date_mentions is not None
    assert len(doc.date_mentions) == limits.MAX_DATES
    # the first ones in text order: the caps cut the end of the text, never its lead
    assert doc.cues["anchor"] == sorted(doc.cues["anchor"], key=lambda h: h.start)
    assert doc.found.countries[0].span.start < len(SENTENCE)


def test_the_summit_read_from_thousands_of_repeats_is_the_one_read_from_a_few(pipeline: Pipeline) -> None:
    [few] = pipeline.process(
        RawArticle.model_validate(
            {"id": "f", "language": "en", "published_at": "2024-08-09", "body": SENTENCE * 3}
        )
    )
    [many] = pipeline.process(
        RawArticle.model_validate(
            {"id": "m", "language": "en", "published_at": "2024-08-09", "body": SENTENCE * 2000}
        )
    )
    assert many.summit == few.summit
    assert many.participant_countries == few.participant_countries
    assert [p.name for p in many.participants] == [p.name for p in few.participants]
    assert all(len(p.mentions) <= limits.MAX_PERSON_MENTIONS for p in many.participants)


def test_a_lead_of_short_lines_ends_after_the_cap(pipeline: Pipeline) -> None:
    doc = analysed(pipeline, "SCO summit in Astana\n" * 5000)
    assert doc.lead_end > 0
    assert doc.tok_sentence[doc.lead_end - 1] < limits.MAX_LEAD_SENTENCES
    assert doc.tok_sentence[doc.lead_end] >= limits.MAX_LEAD_SENTENCES


def test_no_sentence_is_longer_than_the_cap_unless_it_is_one_word(pipeline: Pipeline) -> None:
    doc = analysed(pipeline, SENTENCE.replace(". ", ", ") * 300)  # one sentence of 58 KB
    assert len(doc.sentences) > 1
    assert all(end - start <= limits.MAX_SENTENCE_CHARS for start, end in doc.sentences)
