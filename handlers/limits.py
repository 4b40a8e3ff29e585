"""How much of one article the handlers consider at most: the caps that keep their time linear in its length.

The extractors compare candidates with each other (summit words with the states, dates and ordinals near
them; list words with the states after them; a sentence walked back to its start for each cue in it). On
a real article these counts are small (the labelled sets, leads of up to 4 KB, have at most 19 summit
words, 51 state mentions, 18 people, 10 ordinals, 8 dates, 29 hits of one cue and sentences of 1 103
characters), but an input of repeated summit sentences multiplies them: 1 MB held 15 000 summit words,
and steps that visit one count per item of another took minutes. Each cap below keeps the FIRST items in
text order (a summit is reported in the lead; the body repeats it), is far above what those sets need,
and turns every pairwise step into a constant; what is left grows with the text alone.

Each constant says what it bounds and what an article beyond it loses.
"""

from __future__ import annotations

from typing import Final

# A sentence with no stop in it (a list, a scraper's run-on text, 1 MB of one clause) is cut into pieces of
# at most this many characters, at a space or punctuation (never inside a word). Steps walk a sentence
# back to its start per cue and compare the items of one sentence with each other. Beyond it: words more
# than this far apart in one sentence are read as if a stop stood between them.
MAX_SENTENCE_CHARS: Final = 2000

# The lead (headline lines, then two full sentences) ends after this many sentences at most. A text of
# short lines ("Summit in Astana" x 10 000) otherwise makes the whole text its lead, and the lead is read
# once per summit word. Beyond it: a lead of more than this many headline lines ends early.
MAX_LEAD_SENTENCES: Final = 16

# Hits of one cue category (summit words, "held", "in", "leaders of", ...). Beyond: later hits of that
# category are not seen (a venue, chair or list introduced only after this many such words).
MAX_CUE_HITS: Final = 128

# Words naming a summit ("summit", "القمة", "саммит" and the anchor phrases): each is compared with the
# formats, ordinals, cues and states around it. Beyond: later summit words are not seen.
MAX_SUMMIT_WORDS: Final = 64

# Mentions of states (names and demonyms): lists of participants are long (51 in one lead of the sets).
MAX_STATE_MENTIONS: Final = 256

# Mentions of cities, of summit formats and organisations, of people, of titles.
MAX_CITY_MENTIONS: Final = 64
MAX_FORMAT_MENTIONS: Final = 64
MAX_PERSON_MENTIONS: Final = 128
MAX_TITLE_MENTIONS: Final = 128

# Ordinal numbers and dates of the text (each is compared with the summit words and the sentences).
MAX_ORDINALS: Final = 64
MAX_DATES: Final = 64

# Places that may be the venue (each city named, each state named, the venue readers' pick): each is
# compared with the summit words and cues around it. Beyond: later places are not candidates.
MAX_VENUE_CANDIDATES: Final = 48
