"""Stage 1, reading: normalise, blank boilerplate, tokenise, find cues and names (the candidates)."""

from __future__ import annotations

import bisect

from handlers.clean import blank_boilerplate
from handlers.doc import FULL_SENTENCE_TOKENS, LEAD_SENTENCES, Doc, Resources, token_starts
from handlers.entities import Span
from handlers.language import SUPPORTED, detect_language
from handlers.limits import MAX_LEAD_SENTENCES
from handlers.match import KeyedTokens, token_keys
from handlers.ordinals import OrdinalMention, find_ordinals
from handlers.scan import GoesOn, LongerNames
from handlers.text import TOKEN_RE, NormText, iter_sentences, tokens


def prepare(doc: Doc, res: Resources) -> Doc | None:
    """Normalise, blank boilerplate, tokenise, split sentences and find cues and names."""
    article = doc.article
    doc.lang = article.language if article.language in SUPPORTED else detect_language(article.body)
    if doc.lang not in SUPPORTED:
        doc.reason = f"language {doc.lang!r} is not supported"
        return None
    doc.text = NormText.of(article.body)
    doc.norm = blank_boilerplate(doc.text.norm, res.boilerplate)
    doc.published = article.published_date
    if not _may_name_a_summit(doc.norm, doc.lang, res):
        # most of the stream: no word of the text can begin a summit word or a summit's name
        doc.reason = "no summit word in the text"
        return None
    doc.sentences = list(iter_sentences(doc.norm))
    doc.toks = tokens(doc.norm)
    doc.tok_sentence = _sentence_of_each_token(token_starts(doc), doc.sentences)
    doc.lead_end = _lead_end(doc)
    keyed = KeyedTokens(doc.toks)
    doc.cues = res.cues[doc.lang].find(keyed)
    doc.ordinals = find_ordinals(doc.norm, doc.lang)
    formats = res.gazetteer.find_formats(keyed, _tokens_within(doc, doc.ordinals))
    doc.found.formats = [ref for ref in formats if not _lower_case_acronym(doc, ref.span)]
    if not _summit_word_anywhere(doc):
        # nothing names a summit: no candidate to decide on, so no name lookups are needed
        doc.reason = "no summit word in the text"
        return None
    res.gazetteer.find_rest(keyed, doc.found)
    return doc


def _sentence_of_each_token(starts: list[int], sentences: list[tuple[int, int]]) -> list[int]:
    """The sentence of each token: the last sentence starting at or before it (the first, for a token
    before every sentence). Found sentence by sentence: each one's first token bisected, its run of
    tokens filled at once."""
    out: list[int] = []
    done = 0  # tokens given a sentence so far
    for index in range(1, len(sentences)):
        first = bisect.bisect_left(starts, sentences[index][0], done)
        out += [index - 1] * (first - done)
        done = first
    out += [max(len(sentences) - 1, 0)] * (len(starts) - done)
    return out


def _may_name_a_summit(norm: str, lang: str, res: Resources) -> bool:
    """A cheap first look: does any word of the text begin a summit word or a summit's name?

    A word that only begins names of several words ("هيئة رؤساء دول ...", "New Levant summit") counts
    when the whole of one follows it (`handlers.scan.GoesOn`: as the cue lexicon and `find_formats` would
    read it from the tokens, so that a text the later look finds no summit word in is dropped here).
    With a compiled first look for the language (`handlers.scan`), one scan finds the few words worth
    asking; the same answer as asking every word."""
    known = res.lead_words.setdefault(lang, {})

    def may_begin(word: str) -> bool | frozenset[str]:
        may = known.get(word)
        if may is None:
            may = _may_begin_a_summit(word, lang, res)
            if len(known) < _MAX_REMEMBERED:
                known[word] = may
        return may

    look = res.first_looks.get(lang)
    if look is not None:
        return look.may_name_a_summit(norm, may_begin)
    cues = res.cues[lang]
    goes_on = GoesOn(
        norm, LongerNames(lang, cues.anchor_rests, res.gazetteer.summit_name_rests, cues.as_written)
    )
    for word in TOKEN_RE.finditer(norm):
        may = may_begin(word.group())
        if may is True:
            return True
        if may and goes_on.settles(word, may):
            return True
    return goes_on.settled()


_MAX_REMEMBERED = 1 << 17  # words whose answer is kept per language (bounded: the vocabulary is open)


def _may_begin_a_summit(word: str, lang: str, res: Resources) -> bool | frozenset[str]:
    """True when `word` is a summit word or a one-word summit name; else the second words that a
    longer summit word or name it may begin goes on with (empty: none)."""
    cues = res.cues[lang]
    if cues.is_anchor_word(word):
        return True
    after: set[str] = set()
    for key, _ in token_keys(word):
        for seconds in (cues.anchor_seconds.get(key), res.gazetteer.summit_name_seconds.get(key)):
            if seconds is None:
                continue
            if "" in seconds:
                return True
            after |= seconds
    return frozenset(after)


_ACRONYM_LETTERS = 4


def _lower_case_acronym(doc: Doc, span: Span) -> bool:
    """ "АС" (the African Union) found in "ас-Сиси": in a cased script a short name is an acronym only as
    written in capitals."""
    if doc.lang == "ar" or doc.text is None or span.first_token != span.last_token:
        return False
    written = doc.text.span(span.start, span.end)[2]
    return len(written) <= _ACRONYM_LETTERS and written.isalpha() and not written.isupper()


def _summit_word_anywhere(doc: Doc) -> bool:
    """A summit word, or a summit's own name, stands somewhere in the text (what `detect` needs first)."""
    return bool(doc.cues.get("anchor")) or any(r.kind == "summit" for r in doc.found.formats)


def _tokens_within(doc: Doc, mentions: list[OrdinalMention]) -> frozenset[int]:
    toks, starts = doc.toks, token_starts(doc)
    inside: set[int] = set()
    for mention in mentions:
        i = bisect.bisect_left(starts, mention.start)
        while i < len(toks) and toks[i].end <= mention.end:
            inside.add(i)
            i += 1
    return frozenset(inside)


def _lead_end(doc: Doc) -> int:
    """The first token past the lead: the lead ends before the first sentence that follows LEAD_SENTENCES
    full ones (FULL_SENTENCE_TOKENS words, not numbers: "Source: Xinhua| 2018-06-10 19:42:06|Editor: zh"
    is no sentence of the lead), or at sentence MAX_LEAD_SENTENCES. Read sentence by sentence (the
    token runs of one sentence number, which never decreases), the lead's tokens only."""
    sentence_of, toks = doc.tok_sentence, doc.toks
    full, i, size = 0, 0, len(toks)
    while i < size:
        s = sentence_of[i]
        if i and (full >= LEAD_SENTENCES or s >= MAX_LEAD_SENTENCES):
            return i
        end = bisect.bisect_right(sentence_of, s, i)
        if sum(not t.text.isdigit() for t in toks[i:end]) >= FULL_SENTENCE_TOKENS:
            full += 1
        i = end
    return size
