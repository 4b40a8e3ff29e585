"""A cheap early "no" for hard negatives (issue 15): measured, not built. `python -m bench.early_no`.

Hard negatives name a summit word and are turned down only by the summit model, after the whole reading
(prepare, the names, detect, extract). This asks whether a small first-stage model over what is known
before the names are looked up (cues, formats, ordinals, sentences: `early_features`; optionally the states
and the leaders named in full, exact matches only: `name_features`) could turn most of them down first
without losing a real summit. Every labelled article of ../shared/eval (train + dev, held-out URLs left out)
is read stage by stage, timed (thread CPU, median of the passes), and the first-stage model is
cross-validated over the grouped folds of `make eval` (unshuffled, then seeds 1-9): per fold its cut is the
lowest out-of-fold score (inner grouped 5-fold CV over the training folds) of a real summit that the full
summit model accepts there, so no real summit of the training folds that the full model keeps is lost.
Results: bench/PROFILE.md, "A cheap early no: measured".
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.model_selection import GroupKFold

from handlers import prepare as reading
from handlers.clean import blank_boilerplate
from handlers.cues import CueHit
from handlers.decide import decide, decide_summit
from handlers.detect import detect
from handlers.doc import Doc, token_starts
from handlers.entities import Gazetteer
from handlers.features import Row, article_features
from handlers.fields import extract, note_readings, read_chair
from handlers.knowledge import Leader
from handlers.language import SUPPORTED, detect_language
from handlers.limits import MAX_PERSON_MENTIONS
from handlers.match import KeyedTokens
from handlers.ordinals import find_ordinals
from handlers.pipeline import Pipeline
from handlers.text import NormText, iter_sentences, tokens
from schemas import RawArticle
from training import data, fit

# the cue categories the early row counts: in the text, the lead, the summit words' sentences, the first's
EARLY_CUES = (
    "absent",
    "below_level",
    "closing",
    "delegation",
    "event_nouns",
    "guest",
    "heads",
    "held",
    "held_tense",
    "host",
    "invited",
    "meeting_noun",
    "membership",
    "negative",
    "ongoing",
    "ongoing_tense",
    "opening",
    "participation",
    "past_reference",
    "postponed",
    "reference_before",
    "represented",
    "sidelines",
    "speech_of",
    "topic",
    "travel",
    "two_party",
    "upcoming",
    "upcoming_tense",
    "virtual",
)
_KEYS = tuple(
    (c, f"e_{c}", f"e_{c}_in_lead", f"e_{c}_in_anchor_sentences", f"e_{c}_in_first") for c in EARLY_CUES
)
_ORDINAL_GAP = 24  # characters between an ordinal's end and the summit word it numbers
NAME_KEYS = ("e_states", "e_leader", "e_officials")  # the row keys `name_features` writes begin so


def early_features(doc: Doc) -> Row:
    """What the text shows before any name is looked up: its summit words (where they stand, what cue
    words share their sentences), the summit formats it names and the ordinals before its summit words."""
    row: Row = {f"lang_{doc.lang}": 1.0}
    sentence_of = doc.tok_sentence
    anchors: list[CueHit] = doc.cues.get("anchor", [])
    lead_end = doc.lead_end
    row["tokens_log"] = math.log1p(len(doc.toks))
    row["sentences"] = float(len(doc.sentences))
    row["e_anchors"] = float(len(anchors))
    row["e_anchors_in_lead"] = float(sum(h.first_token < lead_end for h in anchors))
    anchor_sentences = {sentence_of[h.first_token] for h in anchors}
    row["e_anchor_sentences"] = float(len(anchor_sentences))
    first_sentence = -1
    if anchors:
        first = anchors[0]
        first_sentence = sentence_of[first.first_token]
        row["e_first_anchor_position"] = first.first_token / max(1, len(doc.toks))
        row["e_first_anchor_sentence"] = float(first_sentence)
        row["e_first_anchor_in_lead"] = float(first.first_token < lead_end)
        row["e_ordinal_before_anchor"] = float(
            sum(any(0 <= h.start - o.end <= _ORDINAL_GAP for o in doc.ordinals) for h in anchors)
        )
        negative = doc.cues.get("negative", [])
        row["e_negative_before_anchor"] = float(sum(h.first_token < first.first_token for h in negative))
    formats = doc.found.formats
    row["e_formats"] = float(len(formats))
    row["e_formats_distinct"] = float(len({r.fmt.key for r in formats}))
    row["e_format_summit_names"] = float(sum(r.kind == "summit" for r in formats))
    row["e_format_in_lead"] = float(sum(r.span.first_token < lead_end for r in formats))
    row["e_format_in_anchor_sentences"] = float(
        sum(sentence_of[r.span.first_token] in anchor_sentences for r in formats)
    )
    for scope in sorted({r.fmt.scope for r in formats}):
        row[f"e_scope_{scope}"] = 1.0
    row["e_ordinals"] = float(len(doc.ordinals))
    for cue, total, in_lead, in_anchor, in_first in _KEYS:
        hits = doc.cues.get(cue)
        if not hits:
            continue
        row[total] = float(len(hits))
        row[in_lead] = float(sum(h.first_token < lead_end for h in hits))
        row[in_anchor] = float(sum(sentence_of[h.first_token] in anchor_sentences for h in hits))
        row[in_first] = float(any(sentence_of[h.first_token] == first_sentence for h in hits))
    return row


def name_features(doc: Doc, keyed: KeyedTokens, gazetteer: Gazetteer) -> Row:
    """The states and the leaders named in full (exact matches only: no spelling-tolerant surnames), where
    they stand against the summit words: the cheap part of what `Gazetteer.find_rest` looks up."""
    row: Row = {}
    sentence_of, lead_end = doc.tok_sentence, doc.lead_end
    anchors: list[CueHit] = doc.cues.get("anchor", [])
    anchor_sentences = {sentence_of[h.first_token] for h in anchors}
    first_sentence = sentence_of[anchors[0].first_token] if anchors else -1
    named = [(h.value[0], h.first_token) for h in gazetteer.countries.find(keyed) if h.value[0]]
    row["e_states"] = float(len({c for c, _ in named}))
    row["e_states_in_lead"] = float(len({c for c, t in named if t < lead_end}))
    row["e_states_in_anchor_sentences"] = float(
        len({c for c, t in named if sentence_of[t] in anchor_sentences})
    )
    row["e_states_in_first"] = float(len({c for c, t in named if sentence_of[t] == first_sentence}))
    leaders: list[tuple[str, int]] = []
    officials = 0
    for hit in gazetteer.people.find(keyed, MAX_PERSON_MENTIONS):
        if hit.value.surname_only:
            continue
        person = hit.value.person
        if not isinstance(person, Leader):
            officials += 1
        elif person.country:
            leaders.append((person.country, hit.first_token))
    row["e_leader_states"] = float(len({c for c, _ in leaders}))
    row["e_leader_states_in_lead"] = float(len({c for c, t in leaders if t < lead_end}))
    row["e_leader_states_in_anchor_sentences"] = float(
        len({c for c, t in leaders if sentence_of[t] in anchor_sentences})
    )
    row["e_officials"] = float(officials)
    return row


@dataclass(slots=True)
class Reading:
    """One article read stage by stage: where the handlers stop, each stage's CPU, the rows."""

    stop: str  # look | anywhere | detect | summit_no | event
    ns: dict[str, int]
    early: Row | None = None  # early_features | name_features (None: stopped before)
    full: Row | None = None  # the summit model's row (None: stopped before the summit decision)


def read_staged(pipeline: Pipeline, article: RawArticle) -> Reading:
    """`Pipeline.analyse` split at each stage (the same steps as `prepare` and the route), with the
    early rows computed where a first stage would stand: after the formats, before `find_rest`."""
    res, clock = pipeline.resources, time.thread_time_ns
    ns: dict[str, int] = {}
    doc = Doc(article=article)
    start = clock()
    doc.lang = article.language if article.language in SUPPORTED else detect_language(article.body)
    doc.text = NormText.of(article.body)
    doc.norm = blank_boilerplate(doc.text.norm, res.boilerplate)
    doc.published = article.published_date
    may = reading._may_name_a_summit(doc.norm, doc.lang, res)
    start = _lap(ns, "look", start, clock)
    if not may:
        return Reading("look", ns)
    doc.sentences = list(iter_sentences(doc.norm))
    doc.toks = tokens(doc.norm)
    doc.tok_sentence = reading._sentence_of_each_token(token_starts(doc), doc.sentences)
    doc.lead_end = reading._lead_end(doc)
    keyed = KeyedTokens(doc.toks)
    doc.cues = res.cues[doc.lang].find(keyed)
    doc.ordinals = find_ordinals(doc.norm, doc.lang)
    formats = res.gazetteer.find_formats(keyed, reading._tokens_within(doc, doc.ordinals))
    doc.found.formats = [ref for ref in formats if not reading._lower_case_acronym(doc, ref.span)]
    anywhere = reading._summit_word_anywhere(doc)
    start = _lap(ns, "cheap", start, clock)
    if not anywhere:
        return Reading("anywhere", ns)
    early = early_features(doc)
    start = _lap(ns, "early_row", start, clock)
    early.update(name_features(doc, keyed, res.gazetteer))
    start = _lap(ns, "early_names", start, clock)
    res.gazetteer.find_rest(keyed, doc.found)
    start = _lap(ns, "names", start, clock)
    detected = detect(doc, res)
    start = _lap(ns, "detect", start, clock)
    if detected is None:
        return Reading("detect", ns, early)
    extracted = extract(detected, res)
    if extracted is None:
        return Reading("detect", ns, early)
    doc = note_readings(extracted, res)
    start = _lap(ns, "extract", start, clock)
    full = article_features(doc, res)
    kept = decide_summit(doc, res)
    start = _lap(ns, "summit", start, clock)
    if kept is None:
        return Reading("summit_no", ns, early, full)
    decide(read_chair(kept, res), res)
    _lap(ns, "fields", start, clock)
    return Reading("event", ns, early, full)


def _lap(ns: dict[str, int], stage: str, start: int, clock: Callable[[], int]) -> int:
    now = clock()
    ns[stage] = now - start
    return now


@dataclass(slots=True)
class Article:
    id: str
    group: str
    summit: bool
    reading: Reading
    ns: dict[str, int] = field(default_factory=dict)  # median over the passes

    def ms(self, *stages: str) -> float:
        return sum(self.ns.get(s, 0) for s in stages) / 1e6

    @property
    def full_ms(self) -> float:
        """Today's cost: every stage but the early rows."""
        return sum(v for k, v in self.ns.items() if not k.startswith("early_")) / 1e6


def measure(pipeline: Pipeline, labelled: Sequence[data.Labelled], passes: int = 3) -> list[Article]:
    raws = [RawArticle.model_validate(a.row) for a in labelled]
    for raw in raws:  # warm the per-word memos
        read_staged(pipeline, raw)
    runs: list[list[Reading]] = [[] for _ in raws]
    for _ in range(passes):
        for i, raw in enumerate(raws):
            runs[i].append(read_staged(pipeline, raw))
    out = []
    for a, readings in zip(labelled, runs, strict=True):
        last = readings[-1]
        ns = {k: int(statistics.median(r.ns[k] for r in readings)) for k in last.ns}
        out.append(Article(a.id, a.group, bool(a.gold.get("is_summit")), last, ns))
    return out


_SUMMIT_PARAMS: dict[str, Any] = dict(fit.PARAMS) | fit.OWN_PARAMS["summit"] | {"objective": "binary"}


def _fit_predict(
    train: Sequence[Row], labels: Sequence[int], test: Sequence[Row], rounds: int
) -> list[float]:
    import lightgbm as lgb

    names = sorted({k for r in train for k in r})
    booster = lgb.train(
        _SUMMIT_PARAMS,
        lgb.Dataset(_matrix(train, names), label=np.array(labels), feature_name=names),
        num_boost_round=rounds,
    )
    return [float(p) for p in booster.predict(_matrix(test, names))]


def _matrix(rows: Sequence[Row], names: Sequence[str]) -> Any:
    index = {n: i for i, n in enumerate(names)}
    x = np.zeros((len(rows), len(names)))
    for r, row in enumerate(rows):
        for k, v in row.items():
            i = index.get(k)
            if i is not None:
                x[r, i] = v
    return x


@dataclass(slots=True)
class Tally:
    hard: int = 0  # held-out hard negatives (they reach the summit decision)
    hard_early: int = 0
    detect: int = 0  # held-out negatives detect turns down
    detect_early: int = 0
    summits: int = 0  # held-out real summits that reach the early point
    lost: int = 0  # turned down early
    lost_kept_by_full: int = 0  # ... that the full summit model accepts
    full_lost: int = 0  # that the full summit model turns down
    today_ms: list[float] = field(default_factory=list)  # mean cost per stream message, per split
    early_ms: list[float] = field(default_factory=list)


def cross_validate(
    articles: Sequence[Article], repeats: int = 10, names: bool = True, rounds: int = 80
) -> Tally:
    def row(a: Article) -> Row:
        return _row(a, names)

    extra = ("early_row", "early_names") if names else ("early_row",)
    reach = [a for a in articles if a.reading.early is not None]
    tally = Tally()
    for repeat in range(repeats):
        split = GroupKFold(5) if repeat == 0 else GroupKFold(5, shuffle=True, random_state=repeat)
        early_no: set[str] = set()
        for train_at, test_at in split.split(reach, groups=[a.group for a in reach]):
            train = [reach[i] for i in train_at]
            test = [reach[i] for i in test_at]
            cut, full_cut = _cut(train, row, rounds)
            early = _fit_predict(
                [row(a) for a in train], [int(a.summit) for a in train], [row(a) for a in test], rounds
            )
            full = _full(train, test)
            for a, p in zip(test, early, strict=True):
                out = p < cut
                if out:
                    early_no.add(a.id)
                if a.summit:
                    kept = full.get(a.id, 0.0) >= full_cut
                    tally.summits += 1
                    tally.full_lost += not kept
                    tally.lost += out
                    tally.lost_kept_by_full += out and kept
                elif a.reading.stop == "detect":
                    tally.detect += 1
                    tally.detect_early += out
                else:
                    tally.hard += 1
                    tally.hard_early += out
        tally.today_ms.append(_stream_ms(articles, lambda a: a.full_ms))
        tally.early_ms.append(_stream_ms(articles, _with_early_no(early_no, extra)))
    return tally


def _with_early_no(early_no: set[str], extra: tuple[str, ...]) -> Callable[[Article], float]:
    """An article's cost with the first stage: up to it when it turns the article down, else today's cost
    and the first stage's rows (their lookups not shared with `find_rest`: an upper bound)."""

    def cost(a: Article) -> float:
        return a.ms("look", "cheap", *extra) if a.id in early_no else a.full_ms + a.ms(*extra)

    return cost


LOSSES = (0, 1, 2, 5, 10, 20)


def tradeoff(
    articles: Sequence[Article], repeats: int = 10, names: bool = True, rounds: int = 80
) -> list[float]:
    """For each count k in LOSSES: the mean share (over the splits) of held-out hard negatives scored below
    the k+1-th lowest held-out score of a real summit the full model keeps (a cut that loses k of them)."""
    reach = [a for a in articles if a.reading.early is not None]
    shares: list[list[float]] = [[] for _ in LOSSES]
    for repeat in range(repeats):
        split = GroupKFold(5) if repeat == 0 else GroupKFold(5, shuffle=True, random_state=repeat)
        early: dict[str, float] = {}
        full: dict[str, float] = {}
        for train_at, test_at in split.split(reach, groups=[a.group for a in reach]):
            train = [reach[i] for i in train_at]
            test = [reach[i] for i in test_at]
            rows = [_row(a, names) for a in train]
            scores = _fit_predict(
                rows, [int(a.summit) for a in train], [_row(a, names) for a in test], rounds
            )
            early.update((a.id, p) for a, p in zip(test, scores, strict=True))
            full.update(_full(train, test))
        from training.__main__ import _f1_threshold

        full_cut = _f1_threshold([(p, int(a.summit)) for a in reach if (p := full.get(a.id)) is not None])
        kept = sorted(early[a.id] for a in reach if a.summit and full.get(a.id, 0.0) >= full_cut)
        hard = [early[a.id] for a in reach if not a.summit and a.reading.stop != "detect"]
        for k, out in zip(LOSSES, shares, strict=True):
            out.append(sum(p < kept[k] for p in hard) / len(hard))
    return [statistics.fmean(s) for s in shares]


def _row(a: Article, names: bool) -> Row:
    assert a.reading.early is not None
    if names:
        return a.reading.early
    return {k: v for k, v in a.reading.early.items() if not k.startswith(NAME_KEYS)}


def _cut(train: Sequence[Article], row: Callable[[Article], Row], rounds: int) -> tuple[float, float]:
    """The early cut (the lowest inner out-of-fold early score of a real summit the full model keeps there)
    and the full model's cut (best F1 over the same inner out-of-fold probabilities)."""
    from training.__main__ import _f1_threshold

    early: dict[str, float] = {}
    full: dict[str, float] = {}
    for inner_train, inner_test in GroupKFold(5).split(train, groups=[a.group for a in train]):
        fit_on = [train[i] for i in inner_train]
        held = [train[i] for i in inner_test]
        scores = _fit_predict(
            [row(a) for a in fit_on], [int(a.summit) for a in fit_on], [row(a) for a in held], rounds
        )
        early.update((a.id, p) for a, p in zip(held, scores, strict=True))
        full.update(_full(fit_on, held))
    full_cut = _f1_threshold([(p, int(a.summit)) for a in train if (p := full.get(a.id)) is not None])
    kept = [early[a.id] for a in train if a.summit and full.get(a.id, 0.0) >= full_cut]
    return min(kept), full_cut


def _full(train: Sequence[Article], test: Sequence[Article]) -> dict[str, float]:
    """The full summit model (its rows, its parameters) fitted on `train`: each test article's probability."""
    fit_on = [a for a in train if a.reading.full is not None]
    scored = [a for a in test if a.reading.full is not None]
    probs = _fit_predict(
        [a.reading.full for a in fit_on if a.reading.full is not None],
        [int(a.summit) for a in fit_on],
        [a.reading.full for a in scored if a.reading.full is not None],
        fit.ROUNDS["summit"],
    )
    return {a.id: p for a, p in zip(scored, probs, strict=True)}


STREAM_SUMMIT_SHARE = 0.02  # bench/real.py's stream: 2 % summit reports, the rest the negatives in turn


def _stream_ms(articles: Sequence[Article], cost: Callable[[Article], float]) -> float:
    summits = [cost(a) for a in articles if a.summit]
    others = [cost(a) for a in articles if not a.summit]
    return STREAM_SUMMIT_SHARE * statistics.fmean(summits) + (1 - STREAM_SUMMIT_SHARE) * statistics.fmean(
        others
    )


def report(articles: Sequence[Article], repeats: int) -> list[str]:
    lines = [
        "stage CPU per article (ms, plain Python unless compiled; median of the passes, mean by outcome):"
    ]
    stages = ("look", "cheap", "early_row", "early_names", "names", "detect", "extract", "summit", "fields")
    for stop in ("look", "anywhere", "detect", "summit_no", "event"):
        group = [a for a in articles if a.reading.stop == stop]
        if group:
            cells = " ".join(f"{s}={statistics.fmean(a.ms(s) for a in group):.3f}" for s in stages)
            full = statistics.fmean(a.full_ms for a in group)
            lines.append(f"  {stop:9s} n={len(group):4d} today={full:.3f} {cells}")
    extra_all = ("look", "cheap", "early_row", "early_names")
    bound = _stream_ms(
        articles, lambda a: a.ms(*extra_all) if not a.summit and a.reading.early is not None else a.full_ms
    )
    today_all = _stream_ms(articles, lambda a: a.full_ms)
    lines.append(
        f"bound: every negative that reaches the first stage turned down there: {today_all:.3f} ->"
        f" {bound:.3f} ms per stream message ({bound / today_all:.3f})"
    )
    for names in (False, True):
        t = cross_validate(articles, repeats, names)
        label = "cues, formats, ordinals + exact states and leaders" if names else "cues, formats, ordinals"
        today, early = statistics.fmean(t.today_ms), statistics.fmean(t.early_ms)
        lines += [
            f"first stage on {label} ({repeats} splits, held-out):",
            f"  hard negatives turned down early {t.hard_early}/{t.hard}"
            f" = {t.hard_early / max(1, t.hard):.3f};"
            f" negatives detect turns down {t.detect_early}/{t.detect}",
            f"  real summits turned down early {t.lost}/{t.summits}, of them kept by the full model"
            f" {t.lost_kept_by_full} (the full model turns down {t.full_lost})",
            f"  mean CPU per stream message: today {today:.3f} ms, with the early no {early:.3f} ms"
            f" ({early / today:.3f})",
            "  a cut losing k held-out summits the full model keeps (one CV a split): hard negatives below "
            + " ".join(
                f"k={k}: {v:.3f}" for k, v in zip(LOSSES, tradeoff(articles, repeats, names), strict=True)
            ),
        ]
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.early_no", description=__doc__)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args(argv)
    articles = measure(Pipeline.build(), data.load(), args.passes)
    print("\n".join(report(articles, args.repeats)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
