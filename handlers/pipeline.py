"""The handler pipeline: one route table, one `Pipeline.process(article)` entry point.

The route table is data: for each language, the ordered steps an article goes through.
A step returns the enriched `Doc`, or None when the article reports no summit (the reason is
kept on the Doc, so the runtime can count it). Pure and synchronous: no Kafka, no asyncio.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

from handlers.assemble import build_event
from handlers.clean import Boilerplate
from handlers.cues import load_cues
from handlers.dates import _patterns as _date_patterns
from handlers.decide import Decider, Models, decide, decide_summit
from handlers.detect import detect
from handlers.doc import Doc, Resources
from handlers.entities import Gazetteer
from handlers.fields import extract, note_readings, read_chair
from handlers.knowledge import KnowledgeBase
from handlers.ordinals import _month_after
from handlers.ordinals import _pattern as _ordinal_pattern
from handlers.prepare import prepare
from handlers.scan import first_looks
from schemas import RawArticle, RegionalSummit

Step = Callable[[Doc, Resources], Doc | None]

# Which steps run, in what order, for which language. Every language shares the same shape;
# the language-specific part is the cue lexicon and the names each step looks up. The stages:
# reading candidates (prepare: names and cues; detect: summit words; extract: field values; note_readings:
# those values kept aside for identity), their features and the learned decisions (decide_summit; then
# read_chair, the chair's candidates, which only the fields' decisions weigh, and decide), then assembling
# the event (build_event). An article the summit decision turns down is not read for the chair.
ROUTES: Mapping[str, Sequence[Step]] = {
    "ar": (prepare, detect, extract, note_readings, decide_summit, read_chair, decide),
    "en": (prepare, detect, extract, note_readings, decide_summit, read_chair, decide),
    "ru": (prepare, detect, extract, note_readings, decide_summit, read_chair, decide),
}
DECISIONS: tuple[Step, ...] = (decide_summit, decide)  # the learned steps (`Pipeline.read` skips them)
DEFAULT_ROUTE = "ar"


def pipeline_version() -> str:
    """The version stamped on every event (the installed package's version)."""
    try:
        return f"summit-consumer/{version('summit-consumer')}"
    except PackageNotFoundError:  # running from a source tree without installing
        return "summit-consumer/0+unknown"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the handlers made of one article: events, or why there are none."""

    events: tuple[RegionalSummit, ...]
    reason: str = ""


class Pipeline:
    """Read candidates -> their features and learned decisions -> assemble, per the route table."""

    def __init__(self, resources: Resources, routes: Mapping[str, Sequence[Step]] = ROUTES) -> None:
        self.resources = resources
        self.routes = routes
        self.version = pipeline_version()

    @classmethod
    def build(cls, kb: KnowledgeBase | None = None, decider: Decider | None = None) -> Pipeline:
        """Load the knowledge base and the models, and compile every matcher (once, at start-up)."""
        kb = kb or KnowledgeBase.load()
        gazetteer, cues = Gazetteer.build(kb), load_cues()
        for lang in ROUTES:  # the per-language date and ordinal regexes (Arabic's dates: ~35 ms to compile)
            _date_patterns(lang)
            _ordinal_pattern(lang)
        _month_after()
        resources = Resources(
            kb=kb,
            gazetteer=gazetteer,
            cues=cues,
            boilerplate=Boilerplate.load(),
            decider=decider or Models.load(),
            first_looks=first_looks(cues, gazetteer.summit_name_seconds, gazetteer.summit_name_rests),
        )
        return cls(resources)

    def analyse(self, article: RawArticle) -> Outcome:
        """Run the article through its route; the events it reports, or the reason for none."""
        doc: Doc | None = Doc(article=article)
        route = self.routes.get(article.language or "", self.routes[DEFAULT_ROUTE])
        for step in route:
            assert doc is not None
            last = doc
            doc = step(doc, self.resources)
            if doc is None:
                return Outcome((), last.reason or step.__name__)
        assert doc is not None
        return Outcome((build_event(doc, self.version),))

    def read(self, article: RawArticle) -> Doc | None:
        """The article after the reading stages (names, cues, summit words, field values), before any
        learned decision: what the decisions weigh (None when nothing names a summit)."""
        doc: Doc | None = Doc(article=article)
        route = self.routes.get(article.language or "", self.routes[DEFAULT_ROUTE])
        for step in route:
            if doc is None:
                break
            if step not in DECISIONS:
                doc = step(doc, self.resources)
        return doc

    def process(self, article: RawArticle) -> list[RegionalSummit]:
        """The RegionalSummit events `article` reports (empty when it reports none)."""
        return list(self.analyse(article).events)
