"""Pure text analysis: raw articles in, RegionalSummit events out (no I/O; see README "What it does")."""

from handlers.native import check

check()  # compiled modules built from other sources than these would run instead of them: refuse
