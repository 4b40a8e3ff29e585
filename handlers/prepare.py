"""Step 1: normalise, blank boilerplate, tokenise, find cues and names; leave early if no summit is named."""

from __future__ import annotations

import bisect
import re
from collections import Counter

from handlers.clean import blank_boilerplate
from handlers.doc import FULL_SENTENCE_TOKENS, LEAD_SENTENCES, Doc, Resources
from handlers.entities import Span
from handlers.language import SUPPORTED, detect_language
from handlers.limits import MAX_LEAD_SENTENCES
from handlers.match import KeyedTokens, strip_article, token_keys
from handlers.ordinals import OrdinalMention, find_ordinals
from handlers.text import TOKEN_RE, NormText, Token, iter_sentences, normalise, tokens


def prepare(doc: Doc, res: Resources) -> Doc | None:
    """Normalise, blank boilerplate, tokenise, split sentences and find cues and names."""
    article = doc.article
    doc.lang = article.language if article.language in SUPPORTED else detect_language(article.body)
    if doc.lang not in SUPPORTED:
        doc.reason = f"language {doc.lang!r} is not supported"
        return None
    if _opening_names_no_summit(article.body, doc.lang, res):
        # most of the stream, decided from the opening lines alone (a long text is not normalised whole)
        doc.reason = "no summit reported in the lead"
        return None
    doc.text = NormText.of(article.body)
    doc.norm = blank_boilerplate(doc.text.norm, res.boilerplate)
    doc.published = article.published_date
    if not _may_name_a_summit(doc.norm, _lead_chars(doc.norm), doc.lang, res):
        # most of the stream: no word of the lead can begin a summit word or a summit's name
        doc.reason = "no summit reported in the lead"
        return None
    doc.sentences = list(iter_sentences(doc.norm))
    doc.toks = tokens(doc.norm)
    doc.tok_sentence = _sentence_of_each_token(doc.toks, doc.sentences)
    doc.lead_end = _lead_end(doc)
    keyed = KeyedTokens(doc.toks)
    doc.cues = res.cues[doc.lang].find(keyed)
    doc.ordinals = find_ordinals(doc.norm, doc.lang)
    formats = res.gazetteer.find_formats(keyed, _tokens_within(doc.toks, doc.ordinals))
    doc.found.formats = [ref for ref in formats if not _lower_case_acronym(doc, ref.span)]
    if not _summit_word_in_lead(doc):
        # most of the stream: nothing in the lead names a summit, so no name lookups are needed
        doc.reason = "no summit reported in the lead"
        return None
    res.gazetteer.find_rest(keyed, doc.found)
    return doc


def _sentence_of_each_token(toks: list[Token], sentences: list[tuple[int, int]]) -> list[int]:
    starts = [s for s, _ in sentences]
    index, out = 0, []
    for tok in toks:
        while index + 1 < len(starts) and starts[index + 1] <= tok.start:
            index += 1
        out.append(index)
    return out


# a token with a letter in it (the tokens of `TOKEN_RE` that are not numbers): what makes a sentence full
_WORD_RE = re.compile(r"[^\W_]*[^\W\d_][^\W_]*")

FIRST_LOOK_CHARS = 600  # the opening normalised for the first look at a long text (then to a line end)


def _opening_names_no_summit(body: str, lang: str, res: Resources) -> bool:
    """True when the opening lines of a long `body` hold its whole lead and no word of that lead can
    begin a summit word or name: the same answer the whole text gives, for a fraction of the work.

    Normalising and blanking work line by line, so the opening (cut at a line end) normalises to the
    start of the whole text's normal form; the lead is trusted only if it ends before the opening's last
    line, where the cut cannot change a sentence break. Otherwise False: the caller looks at the whole.
    """
    cut = body.find("\n", FIRST_LOOK_CHARS)
    if cut < 0:
        return False  # short: the whole text is as cheap
    opening = blank_boilerplate(normalise(body[: cut + 1]), res.boilerplate)
    last_line = opening.rfind("\n", 0, len(opening) - 1) + 1
    if not opening[last_line:].strip():
        return False
    lead = _lead_chars(opening)
    return lead < last_line - 1 and not _may_name_a_summit(opening, lead, lang, res)


def _lead_chars(norm: str) -> int:
    """Where the lead ends in the text: the same lead as `_lead_end`, found without tokenising it all
    (and without splitting the rest of the text into sentences)."""
    full = 0
    for sentence, (start, end) in enumerate(iter_sentences(norm)):
        if len(_WORD_RE.findall(norm, start, end)) >= FULL_SENTENCE_TOKENS:
            full += 1
        if full >= LEAD_SENTENCES or sentence + 1 >= MAX_LEAD_SENTENCES:
            return end
    return len(norm)


def _may_name_a_summit(norm: str, lead_chars: int, lang: str, res: Resources) -> bool:
    """A cheap first look: does any word of the lead begin a summit word or a summit's name?

    A word that only begins names of several words ("هيئة رؤساء دول ...", "New Levant summit") counts
    when the next word may go on with one of them."""
    known = res.lead_words.setdefault(lang, {})
    words = TOKEN_RE.findall(norm, 0, lead_chars)
    for i, word in enumerate(words):
        may = known.get(word)
        if may is None:
            may = _may_begin_a_summit(word, lang, res)
            if len(known) < _MAX_REMEMBERED:
                known[word] = may
        if may is True:
            return True
        if may and (i + 1 == len(words) or strip_article(words[i + 1]) in may):
            return True  # the lead's last word may go on past the lead: counted, to be safe
    return False


_MAX_REMEMBERED = 1 << 17  # lead words whose answer is kept per language (bounded: the vocabulary is open)


def _may_begin_a_summit(word: str, lang: str, res: Resources) -> bool | frozenset[str]:
    """True when `word` may begin a summit word or a one-word summit name; else the second words that
    a longer summit name it may begin goes on with (empty: none)."""
    if res.cues[lang].may_begin_anchor(word):
        return True
    seconds = res.gazetteer.summit_name_seconds
    after: set[str] = set()
    for key, _ in token_keys(word):
        if key in seconds:
            if "" in seconds[key]:
                return True
            after |= seconds[key]
    return frozenset(after)


_ACRONYM_LETTERS = 4


def _lower_case_acronym(doc: Doc, span: Span) -> bool:
    """ "АС" (the African Union) found in "ас-Сиси": in a cased script a short name is an acronym only as
    written in capitals."""
    if doc.lang == "ar" or doc.text is None or span.first_token != span.last_token:
        return False
    written = doc.text.span(span.start, span.end)[2]
    return len(written) <= _ACRONYM_LETTERS and written.isalpha() and not written.isupper()


def _summit_word_in_lead(doc: Doc) -> bool:
    """A summit word, or a summit's own name, stands in the lead (what `detect` needs first)."""
    summit_names = (r.span.first_token for r in doc.found.formats if r.kind == "summit")
    anchors = (h.first_token for h in doc.cues.get("anchor", []))
    return any(token < doc.lead_end for token in (*anchors, *summit_names))


def _tokens_within(toks: list[Token], mentions: list[OrdinalMention]) -> frozenset[int]:
    starts = [t.start for t in toks]
    inside: set[int] = set()
    for mention in mentions:
        i = bisect.bisect_left(starts, mention.start)
        while i < len(toks) and toks[i].end <= mention.end:
            inside.add(i)
            i += 1
    return frozenset(inside)


def _lead_end(doc: Doc) -> int:
    full = 0
    # words, not numbers: "Source: Xinhua| 2018-06-10 19:42:06|Editor: zh" is no sentence of the lead
    count_by_sentence = Counter(
        s for t, s in zip(doc.toks, doc.tok_sentence, strict=True) if not t.text.isdigit()
    )
    for i, s in enumerate(doc.tok_sentence):
        new = i == 0 or s != doc.tok_sentence[i - 1]
        if new and i and (full >= LEAD_SENTENCES or s >= MAX_LEAD_SENTENCES):
            return i
        if new and count_by_sentence[s] >= FULL_SENTENCE_TOKENS:
            full += 1
    return len(doc.toks)
