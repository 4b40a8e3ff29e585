"""Stage 3, decisions: learned models weigh the candidates' features.

Nine decisions, each a small LightGBM model trained by `make train` on the labelled real articles of
../shared/eval (handlers/models/, text format, read by `handlers.trees`):

- summit: does the article report the summit of its main summit word (whole text, not the lead alone);
- person: does each leader or official named take part;
- state: does each state named take part;
- chair: which state presides (the best candidate above its cut, else none);
- date: which date of the text is the summit's first day (the best above its cut, else none; a month
  alone gives way to a day of that month written about the summit);
- ordinal: which ordinal near a word naming the summit is its own number (the best above its cut, else
  none; the one read beside the summit word is one candidate among them);
- venue, venue_city: which place the text names is where it meets: the state of the best place above the
  venue cut, then the city of that state's place most likely right to the city (else the state alone);
- status: held, ongoing or upcoming.

All features of an article are computed before any decision is applied, so no decision's features
depend on another model's output (training and cross-validation see exactly what the service sees).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any, Protocol

import orjson

from handlers.dates import DateMention
from handlers.doc import Doc, Person, Resources
from handlers.features import (
    Row,
    article_features,
    chair_features,
    date_features,
    ordinal_features,
    person_features,
    state_features,
    status_features,
    venue_features,
)
from handlers.fields import VenueCandidate, numbers_no_meeting, status_signals, with_end
from handlers.ordinals import OrdinalMention
from handlers.trees import TreeModel

STATUSES = ("held", "ongoing", "upcoming")
BINARY = ("summit", "person", "state", "chair", "date", "ordinal", "venue", "venue_city")
MODELS_DIR = Path(str(files("handlers") / "models"))


class Decider(Protocol):
    """What the decisions ask: a probability per candidate row (binary) or per class (status)."""

    def probability(self, decision: str, keys: Sequence[str], rows: Sequence[Row]) -> list[float]: ...

    def classes(self, decision: str, row: Row) -> dict[str, float]: ...

    def threshold(self, decision: str) -> float: ...

    def calibrated(self, p: float) -> float: ...


@dataclass(frozen=True, slots=True)
class Models:
    """The trained models and what training chose for them (thresholds, confidence calibration)."""

    binary: dict[str, TreeModel]
    status: TreeModel
    thresholds: dict[str, float]
    # confidence calibration: isotonic steps (probability -> share of real summits), from held-out folds
    calibration: tuple[tuple[float, float], ...] = ()
    meta: dict[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def load(cls, directory: Path = MODELS_DIR) -> Models:
        """Read the models `make train` wrote (text files: loading runs no code)."""
        meta = orjson.loads((directory / "meta.json").read_bytes())
        binary = {name: TreeModel.load(directory / f"{name}.txt") for name in BINARY}
        return cls(
            binary=binary,
            status=TreeModel.load(directory / "status.txt"),
            thresholds={k: float(v) for k, v in meta.get("thresholds", {}).items()},
            calibration=tuple((float(a), float(b)) for a, b in meta.get("calibration", [])),
            meta=meta,
        )

    def probability(self, decision: str, keys: Sequence[str], rows: Sequence[Row]) -> list[float]:
        return self.binary[decision].proba_many(rows)

    def classes(self, decision: str, row: Row) -> dict[str, float]:
        return dict(zip(STATUSES, self.status.class_proba(row), strict=True))

    def threshold(self, decision: str) -> float:
        return self.thresholds.get(decision, 0.5)

    def calibrated(self, p: float) -> float:
        """The share of real summits among held-out events scored like `p` (isotonic steps)."""
        value = p
        for upper, share in self.calibration:
            value = share
            if p <= upper:
                break
        return round(min(max(value, 0.0), 1.0), 3)


@dataclass(frozen=True, slots=True)
class Rows:
    """The feature rows of one summit report's candidates, all computed before any is decided
    (the article's own row comes first, alone: `article_features`)."""

    people: list[tuple[str, Person, Row]]
    states: dict[str, Row]
    chair: dict[str, Row]
    dates: list[tuple[DateMention, Row]]
    ordinals: list[tuple[OrdinalMention, Row]]
    venue: list[tuple[VenueCandidate, Row]]
    status: Row

    @classmethod
    def of(cls, doc: Doc, res: Resources) -> Rows:
        status = status_signals(doc)  # the date rows read them too
        return cls(
            people=[(person_key(p), p, person_features(doc, p)) for p in doc.people],
            states=state_features(doc),
            chair=chair_features(doc),
            dates=date_features(doc, status),
            ordinals=ordinal_features(doc),
            venue=venue_features(doc),
            status=status_features(doc, status),
        )


def person_key(person: Person) -> str:
    """Who a candidate is: the knowledge base's record, else the name as written."""
    if person.leader is not None:
        return f"leader:{person.leader.name_en}:{person.country or ''}"
    if person.official is not None:
        return f"official:{person.official.name_en}"
    return f"titled:{person.role}:{person.country or ''}"


def decide_summit(doc: Doc, res: Resources) -> Doc | None:
    """The summit decision: None when the article does not report a summit. It weighs what the readers
    found for the whole text; the readings only the fields' decisions weigh (the chair's pointers) come
    after it, so an article it turns down is not read for them."""
    decider = res.decider
    assert decider is not None, "Resources.decider: the models are loaded at start-up"
    p_summit = decider.probability("summit", [doc.article.id], [article_features(doc, res)])[0]
    doc.confidence = decider.calibrated(p_summit)
    if p_summit < decider.threshold("summit"):
        doc.reason = f"the summit model finds no summit report (p={p_summit:.2f})"
        return None
    return doc


def decide(doc: Doc, res: Resources) -> Doc:
    """Apply the fields' learned decisions to a summit report (after `decide_summit`)."""
    decider = res.decider
    assert decider is not None, "Resources.decider: the models are loaded at start-up"
    # the candidates' rows read the reading stages only (not the summit decision): the same rows
    # whatever the order, which is what training records
    rows = Rows.of(doc, res)
    keys = [key for key, _, _ in rows.people]
    kept = decider.probability("person", keys, [row for _, _, row in rows.people])
    doc.people = [
        p for (_, p, _), pr in zip(rows.people, kept, strict=True) if pr >= decider.threshold("person")
    ]
    taking_part = decider.probability("state", list(rows.states), list(rows.states.values()))
    doc.countries = {
        code for code, pr in zip(rows.states, taking_part, strict=True) if pr >= decider.threshold("state")
    }
    _chair(doc, decider, rows.chair)
    _date(doc, decider, rows.dates)
    _ordinal(doc, decider, rows.ordinals)
    _venue(doc, decider, rows.venue)
    status = decider.classes("status", rows.status)
    doc.status = max(STATUSES, key=lambda s: (status.get(s, 0.0), -STATUSES.index(s)))
    return doc


def _ordinal(doc: Doc, decider: Decider, rows: list[tuple[OrdinalMention, Row]]) -> None:
    """The candidate most likely the summit's own number, if likely enough; else none. Every candidate is
    scored, but one the text shows numbers no meeting of the series (a regnal number, "the first ... since",
    "the next", "the fourth in-person", a clock time: `numbers_no_meeting`) is never picked."""
    values = {m.value for m, _ in rows}
    best = _best_above_cut(
        decider,
        "ordinal",
        [str(m.value) for m, _ in rows],
        [row for _, row in rows],
        allowed=lambda i: not numbers_no_meeting(doc, rows[i][0], values),
    )
    doc.ordinal = rows[best][0] if best is not None else None


def _best_above_cut(
    decider: Decider,
    decision: str,
    keys: list[str],
    rows: list[Row],
    allowed: Callable[[int], bool] | None = None,
) -> int | None:
    """The index of the candidate `decision`'s model finds likeliest (the first on a tie) among those
    `allowed` lets it pick (all, by default; every row is scored either way), if at or above its cut; else
    None."""
    if not rows:
        return None
    scores = decider.probability(decision, keys, rows)
    pickable = [i for i in range(len(rows)) if allowed is None or allowed(i)]
    if not pickable:
        return None
    best = _likeliest(scores, pickable)
    return best if scores[best] >= decider.threshold(decision) else None


def _likeliest(scores: Sequence[float], among: Sequence[int]) -> int:
    """The index in `among` whose score is highest, the first on a tie."""
    return max(among, key=lambda i: (scores[i], -i))


def _venue(doc: Doc, decider: Decider, rows: list[tuple[VenueCandidate, Row]]) -> None:
    """The state where the summit meets: the place most likely in it ("venue"), if likely enough; then
    its city: the place of that state most likely right to the city ("venue_city"), if it names a city
    and is likely enough; else the state alone."""
    doc.venue_city, doc.venue_country, doc.venue_span = None, None, None
    if not rows:
        return
    keys = [venue_key(candidate) for candidate, _ in rows]
    features = [row for _, row in rows]
    in_state = decider.probability("venue", keys, features)
    to_city = decider.probability("venue_city", keys, features)
    best = max(range(len(rows)), key=lambda i: (in_state[i], -i))
    if in_state[best] < decider.threshold("venue"):
        return
    country = rows[best][0][0]
    same = [i for i in range(len(rows)) if rows[i][0][0] == country]
    pick = max(same, key=lambda i: (to_city[i], -i))
    cut = decider.threshold("venue_city")
    if rows[best][0][1] is not None and to_city[best] >= cut * _CITY_OF_THE_STATE:
        # the state won through a city's mention: that city needs less of the city model to stand
        pick = best
        cut *= _CITY_OF_THE_STATE
    city = rows[pick][0][1]
    if city is None or to_city[pick] < cut:
        city = None
        pick = next((i for i in same if rows[i][0][1] is None), best)
        # a city-state (Singapore): the state named is the city
        whole = next((i for i in same if (c := rows[i][0][1]) is not None and c.city.city_state), None)
        if whole is not None:
            pick, city = whole, rows[whole][0][1]
    doc.venue_country, doc.venue_city, doc.venue_span = country, city, rows[pick][0][2]


_CITY_OF_THE_STATE = 0.5  # share of the city cut the city whose mention gave the state must reach


def venue_key(candidate: VenueCandidate) -> str:
    country, city = candidate[0], candidate[1]
    return f"{country}|{city.city.name_en if city is not None else ''}"


def _date(doc: Doc, decider: Decider, rows: list[tuple[DateMention, Row]]) -> None:
    """The candidate most likely the summit's first day, if likely enough; else no date. A month alone
    ("in September") gives way to a day of that month written in a sentence about the summit ("it will be
    held on 16-17 September"): the text states the day."""
    if not rows:
        doc.date = None
        return
    # scored once: the recording decider of training keeps a row per call
    keys = [date_key(m) for m, _ in rows]
    scores = decider.probability("date", keys, [row for _, row in rows])
    by_day = day_scores(keys, scores)
    # the likeliest day, and of its mentions the likeliest (the first on a tie)
    top = max(range(len(rows)), key=lambda i: (by_day[i], scores[i], -i))
    best: int | None = top
    if by_day[top] < decider.threshold("date"):
        best = None
    elif len(rows[top][0].start_date) == 7:
        month = rows[top][0].start_date
        days = [
            i
            for i, (m, row) in enumerate(rows)
            if m.start_date[:7] == month
            and len(m.start_date) == 10
            and row.get("says_summit_sentence")
            and not row.get("says_travel")
            and not row.get("says_other_meeting")
        ]
        if days:
            best = _likeliest(scores, days)
    doc.date = with_end(doc, rows[best][0]) if best is not None else None


def date_key(mention: DateMention) -> str:
    return f"{mention.start_date}|{mention.end_date or ''}|{mention.start}"


def day_scores(keys: Sequence[str], scores: Sequence[float]) -> list[float]:
    """Each date candidate's day weighed over every mention of it (`date_key`s, their probabilities): a day
    written several times is the summit's first day when any of its mentions says so (1 - the product of
    1 - p over the mentions of that day). The rows are scored one by one, so a day the text repeats beside
    the summit word, in the lead and after "opened on" gathers what each mention shows."""
    miss: dict[str, float] = {}
    for key, p in zip(keys, scores, strict=True):
        day = key.split("|", 1)[0]
        miss[day] = miss.get(day, 1.0) * (1.0 - p)
    return [1.0 - miss[key.split("|", 1)[0]] for key in keys]


def _chair(doc: Doc, decider: Decider, rows: dict[str, Row]) -> None:
    if not rows:
        return
    scores = decider.probability("chair", list(rows), list(rows.values()))
    best, score = max(zip(rows, scores, strict=True), key=lambda x: (x[1], x[0]))
    if score < decider.threshold("chair"):
        return
    doc.chair = best
    # the evidence: the cue that reads this state by its grammar, else the nearest cue, else the venue
    pointed = sorted(
        (not how.endswith("_read"), span) for how, code, span, _ in doc.chair_pointers if code == best
    )
    doc.chair_span = pointed[0][1] if pointed else doc.venue_span
