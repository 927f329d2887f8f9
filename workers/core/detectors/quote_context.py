"""Context that marks a message as quoting someone else: 「他发给我“帮忙点赞一单五块，日结”，这是真的吗」, 'got a text
saying "earn $300 a day liking videos, add my WhatsApp"'. People who ask about a scam or warn about it quote it in
full; scammers rarely put their own words in quotation marks, and when they do it is a name or a slogan
("Moments Promoters", 「降压降糖降脂」), not a sentence. A quoted passage counts when it is 10 to 400 characters
long, holds sentence punctuation (so it is speech, not a title) and the message says something outside it (a
message that is one quotation is a forward, which the other cues read). In the development split such a
quotation is in 0.03% of abusive messages (customer "testimonials" of spam), against 14% of questions, 24% of
warnings and 13% of news.

Label-less, negative weight (damping), like reported speech. Only double and East Asian quotation marks: a single
quote is as often an apostrophe or a scare quote ("our 'brand ambassadors'").

Read from the original text, not the normalized one: normalization drops quotation marks between CJK characters
as word-breaking separators. The scan jumps from each opening mark to its closing mark (`str.find`), so it is
linear in the length of the text whatever the marks are.
"""
from __future__ import annotations

from workers.core.detectors.base import Context, any_topic
from workers.core.findings import Finding

NAME = "quote_context"
RULE = "context.quote"
WEIGHT = -0.3
MIN_QUOTED, MAX_QUOTED = 10, 400
MIN_OUTSIDE = 4  # non-space characters outside the quotation
PAIRS = (("“", "”"), ("「", "」"), ("『", "』"), ('"', '"'), ("＂", "＂"), ("﹁", "﹂"))
SENTENCE_MARKS = frozenset("，,。.！!？?；;：:、…")


def quoted_span(text: str) -> tuple[int, int] | None:
    """The first quotation (marks included) of MIN_QUOTED..MAX_QUOTED characters holding sentence punctuation,
    with something said outside it; None otherwise."""
    best: tuple[int, int] | None = None
    for opening, closing in PAIRS:
        i = text.find(opening)
        while i >= 0 and (best is None or i < best[0]):
            j = text.find(closing, i + 1)
            if j < 0:
                break
            if MIN_QUOTED <= j - i - 1 <= MAX_QUOTED and not SENTENCE_MARKS.isdisjoint(text[i + 1:j]):
                if len("".join((text[:i] + text[j + 1:]).split())) >= MIN_OUTSIDE:
                    best = (i, j + 1)
                    break
            i = text.find(opening, j + 1)
    return best


class QuoteContext:
    name = NAME
    topical = True  # nothing to add without a topic
    damps_model = True  # asked too when only the text model flags the message

    def detect(self, ctx: Context) -> list[Finding]:
        if not any_topic(ctx):
            return []
        return self.context(ctx)

    def context(self, ctx: Context) -> list[Finding]:
        span = quoted_span(ctx.norm.original)
        if span is None:
            return []
        return [Finding(NAME, RULE, None, WEIGHT, span[0], span[1])]
