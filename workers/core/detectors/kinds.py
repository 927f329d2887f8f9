"""The two frames most detectors share, so each detector file holds only its lexicon and its own rules.

- TopicDetector: a subtype detector. It has nothing to say unless its lexicon's trigger classes fired in this
  event, so it declares `requires = (lexicon,)` (the engine skips it otherwise) and checks it again when called
  directly. It writes `find(ctx)`.
- CueDetector: a label-less cue or context detector (money, contact, urgency, warnings, news, ...). It has
  nothing to add without a topic in the event, nor without a hit of its lexicon (`requires_hits`, unless the
  class sets its own). It writes `find(ctx, hits)`.
The engine reads `topical`, `requires` and `requires_hits` from the class (workers/core/engine.py).
"""
from __future__ import annotations

from typing import ClassVar

from workers.core.detectors.base import Context, Lexicon, any_topic, emit
from workers.core.findings import Finding


class TopicDetector:
    name: ClassVar[str]
    lexicon: ClassVar[Lexicon]
    topical = True

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        cls.requires = (cls.lexicon,)  # nothing to say without its trigger

    def detect(self, ctx: Context) -> list[Finding]:
        if not self.lexicon.triggered(ctx):
            return []
        return self.find(ctx)

    def find(self, ctx: Context) -> list[Finding]:
        raise NotImplementedError


class CueDetector:
    name: ClassVar[str]
    lexicon: ClassVar[Lexicon]
    topical = True  # nothing to add without a topic
    damps_model = False  # True: a context cue the engine also asks when only the text model flags the message

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if "requires_hits" not in cls.__dict__:
            cls.requires_hits = (cls.lexicon,)

    def detect(self, ctx: Context) -> list[Finding]:
        if not any_topic(ctx):
            return []
        return self.find(ctx, self.lexicon.hits(ctx))

    def find(self, ctx: Context, hits: dict[str, list[tuple[int, int]]]) -> list[Finding]:
        raise NotImplementedError

    def context(self, ctx: Context) -> list[Finding]:
        """The cue without a topic: what it says of a message that only the text model flagged."""
        return self.find(ctx, self.lexicon.hits(ctx))

    def each_class(self, ctx: Context, hits: dict, prefix: str, weight: float) -> list[Finding]:
        """One finding per lexicon class that matched, at its first match: rule `prefix.class`."""
        return [emit(self.name, ctx, f"{prefix}.{r}", None, weight, spans[0]) for r, spans in hits.items()]
