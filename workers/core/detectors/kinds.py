"""The two frames most detectors share, so each detector file holds only its lexicon and its own rules.

- TopicDetector: a subtype detector. It has nothing to say unless its lexicon's trigger classes fired in this
  event, so it declares `requires = (lexicon,)` (the engine skips it otherwise) and checks it again when called
  directly. It writes `find(ctx)`.
- CueDetector: a label-less cue or context detector (money, contact, urgency, warnings, news, ...). It has
  nothing to add without a topic in the event, nor without a hit of its lexicon (`requires_hits`, unless the
  class sets `needs_hits = False`). It writes `find(ctx, hits)`.
The engine reads `topical`, `requires` and `requires_hits` from the detector (workers/core/engine.py); the two
frames set them when a detector is made (the detectors are compiled by mypyc, whose classes do not run
`__init_subclass__` reliably).
"""
from __future__ import annotations

from typing import ClassVar

from mypy_extensions import mypyc_attr

from workers.core.detectors.base import Context, Hits, Lexicon, any_topic, emit
from workers.core.findings import Finding


# A detector file not (yet) compiled may still build on the two frames (mypyc refuses that by default).
@mypyc_attr(allow_interpreted_subclasses=True)
class TopicDetector:
    name: ClassVar[str]
    lexicon: ClassVar[Lexicon]
    topical: ClassVar[bool] = True

    def __init__(self) -> None:
        self.requires: tuple[Lexicon, ...] = (self.lexicon,)  # nothing to say without its trigger

    def detect(self, ctx: Context) -> list[Finding]:
        if not self.lexicon.triggered(ctx):
            return []
        return self.find(ctx)

    def find(self, ctx: Context) -> list[Finding]:
        raise NotImplementedError


@mypyc_attr(allow_interpreted_subclasses=True)
class CueDetector:
    name: ClassVar[str]
    lexicon: ClassVar[Lexicon]
    topical: ClassVar[bool] = True  # nothing to add without a topic
    damps_model: ClassVar[bool] = False  # True: a context cue the engine also asks when only the text model flags it
    needs_hits: ClassVar[bool] = True  # False: it may have something to say without a hit of its lexicon

    def __init__(self) -> None:
        self.requires_hits: tuple[Lexicon, ...] = (self.lexicon,) if self.needs_hits else ()

    def detect(self, ctx: Context) -> list[Finding]:
        if not any_topic(ctx):
            return []
        return self.find(ctx, self.lexicon.hits(ctx))

    def find(self, ctx: Context, hits: Hits) -> list[Finding]:
        raise NotImplementedError

    def context(self, ctx: Context) -> list[Finding]:
        """The cue without a topic: what it says of a message that only the text model flagged."""
        return self.find(ctx, self.lexicon.hits(ctx))

    def each_class(self, ctx: Context, hits: Hits, prefix: str, weight: float) -> list[Finding]:
        """One finding per lexicon class that matched, at its first match: rule `prefix.class`."""
        return [emit(self.name, ctx, f"{prefix}.{r}", None, weight, spans[0]) for r, spans in hits.items()]
