"""Stage 4, assembling: turn a decided `Doc` into the RegionalSummit wire event (ids, mentions)."""

from __future__ import annotations

import hashlib
from datetime import date, datetime

from handlers.doc import Doc, Person
from handlers.entities import Span
from handlers.identity import identify
from handlers.meetings import Calendar
from handlers.text import NormText
from schemas import (
    ArticleRef,
    Document,
    Evidence,
    Mention,
    Official,
    Participant,
    RegionalSummit,
    Summit,
    Venue,
)


def summit_key(doc: Doc) -> str:
    """Key of the summit itself: format + ordinal, else format + date, else scoped to the article."""
    series = doc.fmt.key if doc.fmt else "unknown-format"
    if doc.ordinal is not None:
        return f"{series}:{doc.ordinal.value}"
    if doc.date is not None:
        return f"{series}:{doc.date.start_date}"
    return f"{series}:article-{_digest(doc.article.id)[:16]}"


def event_id(article_id: str, key: str, pipeline_version: str) -> str:
    """Same article, same summit and same pipeline version give the same id."""
    return _digest(f"{article_id}\x1f{key}\x1f{pipeline_version}")[:32]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def build_event(doc: Doc, pipeline_version: str) -> RegionalSummit:
    """The RegionalSummit event for the summit `doc` reports."""
    assert doc.text is not None
    assert doc.name_span is not None
    text = doc.text
    key = summit_key(doc)
    participants = [_participant(text, p) for p in doc.people if p.official is None]
    officials = [_official(text, p) for p in doc.people if p.official is not None]
    event = RegionalSummit(
        event_id=event_id(doc.article.id, key, pipeline_version),
        summit_key=key,
        article=_article_ref(doc),
        summit=_summit(doc, text),
        participants=participants,
        participant_countries=sorted(doc.countries),
        officials=officials,
        documents=[
            Document(
                title=_mention(text, d.title_span).text, kind=d.kind, mentions=[_mention(text, d.title_span)]
            )
            for d in doc.documents
        ],
        confidence=doc.confidence,
        pipeline_version=pipeline_version,
    )
    # the meeting it reports: summit_id (handlers/identity.py), from its fields and the readers' readings
    return identify(event, Calendar.load(), doc.readings)


def _article_ref(doc: Doc) -> ArticleRef:
    article = doc.article
    published = article.published_at
    stamp = published.isoformat() if isinstance(published, datetime | date) else None
    return ArticleRef(
        id=article.id,
        url=article.url,
        source=article.source,
        language=doc.lang,
        published_at=stamp,
        title=article.title,
    )


def _summit(doc: Doc, text: NormText) -> Summit:
    assert doc.name_span is not None
    fmt = doc.fmt
    venue = None
    if doc.venue_city is not None or doc.venue_country is not None:
        venue = Venue(city=doc.venue_city.city.name_en if doc.venue_city else None, country=doc.venue_country)
    return Summit(
        name=_span_text(text, doc.name_span),
        series=fmt.series if fmt else None,
        organization=fmt.organization if fmt else None,
        scope=fmt.scope if fmt else "regional",
        status=doc.status,
        ordinal=doc.ordinal.value if doc.ordinal else None,
        start_date=doc.date.start_date if doc.date else None,
        end_date=doc.date.end_date if doc.date else None,
        venue=venue,
        chair_country=doc.chair,
        evidence=Evidence(
            name=_span_mention(text, doc.name_span),
            ordinal=_span_mention(text, (doc.ordinal.start, doc.ordinal.end)) if doc.ordinal else None,
            date=_span_mention(text, (doc.date.start, doc.date.end)) if doc.date else None,
            venue=_span_mention(text, doc.venue_span) if doc.venue_span else None,
            chair=_span_mention(text, doc.chair_span) if doc.chair_span else None,
        ),
    )


def _participant(text: NormText, person: Person) -> Participant:
    written = _mention(text, person.name_original_span).text
    return Participant(
        name=person.leader.name_en if person.leader else written,
        name_original=written,
        country=person.country,
        role=person.role,
        guest=person.guest,
        mentions=[_mention(text, s) for s in person.mentions],
    )


def _official(text: NormText, person: Person) -> Official:
    assert person.official is not None
    return Official(
        name=person.official.name_en,
        name_original=_mention(text, person.name_original_span).text,
        organization=person.official.organization,
        mentions=[_mention(text, s) for s in person.mentions],
    )


def _mention(text: NormText, span: Span) -> Mention:
    return _span_mention(text, (span.start, span.end))


def _span_mention(text: NormText, span: tuple[int, int]) -> Mention:
    start, end, surface = text.span(*span)
    return Mention(start=start, end=end, text=surface)


def _span_text(text: NormText, span: tuple[int, int]) -> str:
    return text.span(*span)[2]
