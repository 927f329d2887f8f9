"""The decision path of one event, read straight down:
event -> normalized text and handles -> findings -> (+ counter findings) -> scores -> policy action.

The text model reads the text before the rule detectors: when it finds nothing in any category (every score
below `model_floor`), no rule can bring a category label to any threshold of the policy (a label without the
model scores at most (1 - share) x its rules' score), so the detectors are not run (`Analysis.rules_deferred`).
They run later, in `decide`, only if counters add findings (a behavior label reads the detectors' support and
context). Actions and labels are those of the full path on every event; an allowed event whose rules were
deferred reports score 0 (a test compares both paths on the dev split). `Engine(policy, defer_rules=False)`
always runs them (`modworker eval` does, to show rule evidence for every miss).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Protocol, Sequence

from workers.core.detectors import DETECTORS, Context, Detector
from workers.core.detectors.base import event_scan
from workers.core.findings import Decision, Finding
from workers.core.handles import Handle, extract_handles
from workers.core.normalize import Normalized, normalize
from workers.core.policy import Policy
from workers.core.scoring import label_scores
from workers.core.text_model import TextModel


class EventFields(Protocol):
    """What the engine reads of an event: schemas.models.MessageEvent's fields (the codec decodes records into its
    twin, workers.adapters.codec.Event; tests often pass the pydantic model itself)."""

    @property
    def event_id(self) -> str: ...
    @property
    def account_id(self) -> str: ...
    @property
    def surface(self) -> Enum: ...
    @property
    def text(self) -> str: ...
    @property
    def sent_at(self) -> datetime: ...
    @property
    def account_created_at(self) -> datetime | None: ...


@dataclass(slots=True, init=False, unsafe_hash=True)  # immutable by convention: workers/core/findings.py
class Analysis:
    """What the text alone says; counters use its handles before the decision is made."""

    norm: Normalized
    handles: tuple[Handle, ...]
    findings: tuple[Finding, ...]
    rules_deferred: bool  # the rule detectors were not run: the model found nothing they could lift

    def __init__(self, norm: Normalized, handles: tuple[Handle, ...], findings: tuple[Finding, ...],
                 rules_deferred: bool = False) -> None:
        self.norm = norm
        self.handles = handles
        self.findings = findings
        self.rules_deferred = rules_deferred




def enforcement_id(event_id: str, policy_version: str) -> str:
    """Deterministic: the same event under the same policy always gets the same id (downstream dedup)."""
    digest = hashlib.sha256(f"{policy_version}\x1f{event_id}".encode("utf-8")).hexdigest()
    return digest[:32]


class Engine:
    def __init__(self, policy: Policy, detectors: Sequence[Detector] = DETECTORS, defer_rules: bool = True):
        self.policy = policy
        self.detectors = tuple(detectors)
        ref = policy.text_model
        self.model = TextModel.load(ref.path, ref.sha256) if ref is not None else None
        self.model_share = ref.share if ref is not None else 0.0
        self.model_alone_min = ref.alone_min_score if ref is not None else 0.0
        # Below the lowest threshold of any surface every account's action is "allow" (most events): the policy's
        # ladder is read only above it.
        self._lowest_action = min([min(t.values()) for t in policy.thresholds.values() if t] or [float("inf")])
        lowest = min(policy.label_min_score, self._lowest_action)
        # A model score below this cannot bring its label to any threshold of this policy (the blend is at
        # most share * model + (1 - share)), so it changes no label and no action: such findings are not
        # made, which saves mapping their evidence spans for most messages.
        self.model_floor = max(0.05, (lowest - (1.0 - self.model_share)) / self.model_share) if ref else 1.0
        # Without a rule topic only the model can flag a message, from share * model >= lowest (and >= the bar
        # of a label the model alone found) on: then the context cues that damp the model too (`damps_model`:
        # warnings, news, questions) are asked as well.
        self._model_only_bar = max(lowest, self.model_alone_min) / self.model_share if ref else float("inf")
        # Without a model finding every category's blend stays below share * model_floor + (1 - share): when that
        # is at most the lowest bar, the rules cannot flag the event on their own (see the module's docstring).
        self.defer_rules = bool(defer_rules and ref is not None and self.model_share > 0
                                and self.model_share * self.model_floor + (1.0 - self.model_share) <= lowest + 1e-9)
        self._model_context = tuple(d for d in self.detectors if getattr(d, "damps_model", False))
        # Detectors that promise to have nothing to say without a topic trigger (`topical`), without the
        # triggers of given topic lexicons (`requires`) or without hits of given lexicons (`requires_hits`) are
        # skipped then (see `Detector`).
        for d in self.detectors:
            if any(not lex.triggers for lex in getattr(d, "requires", ())):
                raise ValueError(f"{d.name}: `requires` names a lexicon without triggers")
        self._plan = tuple(  # each detector with the ids of the lexicons it needs, as bits (as `key_bits`)
            (d, sum({1 << lex.id for lex in getattr(d, "requires", ())}),
             sum({1 << lex.id for lex in getattr(d, "requires_hits", ())}))
            for d in self.detectors
        )
        self._untopical = tuple(
            d for d, triggers, hits in self._plan
            if not triggers and not hits and not getattr(d, "topical", False)
        )

    def analyze(self, event: EventFields) -> Analysis:
        # Over-long text is truncated for detection, never dropped.
        text = event.text[: self.policy.max_text_chars]
        norm = normalize(text)
        handles = extract_handles(norm)
        predicted: list[Finding] = []
        if self.model is not None:
            predicted = self.model.findings(norm, self.model_floor)
            if not predicted and self.defer_rules:
                return Analysis(norm, handles, (), True)
        return self._with_rules(event, norm, handles, predicted)

    def _with_rules(self, event: EventFields, norm: Normalized, handles: tuple[Handle, ...],
                    predicted: list[Finding]) -> Analysis:
        """The rule detectors' findings, then the model's (`predicted`), then the model's context cues."""
        # `_value_`: the member's value as a plain attribute (`.value` is a property: 0.12 us a read)
        ctx = Context(norm, handles, event.surface._value_, event.sent_at, event.account_created_at)
        scan = event_scan(ctx)
        findings: list[Finding] = []
        if scan.topic:
            triggered, found = scan.triggered_bits, scan.found_bits()
            for detector, triggers, hits in self._plan:
                if triggers & ~triggered or hits & ~found:  # a lexicon it needs found no trigger, or nothing
                    continue
                findings.extend(detector.detect(ctx))
        else:
            for detector in self._untopical:
                findings.extend(detector.detect(ctx))
        if predicted:
            findings.extend(predicted)
            if not scan.topic and any(f.weight >= self._model_only_bar for f in predicted):
                for detector in self._model_context:
                    findings.extend(detector.context(ctx))  # type: ignore[attr-defined]
        return Analysis(norm, handles, tuple(findings))

    def decide(
        self,
        event: EventFields,
        analysis: Analysis,
        extra: Sequence[Finding] = (),
        degraded: bool = False,
    ) -> Decision:
        if extra and analysis.rules_deferred:  # counters found something: their labels read the rules' cues
            analysis = self._with_rules(event, analysis.norm, analysis.handles, [])
        findings = analysis.findings + tuple(extra) if extra else analysis.findings
        scores = label_scores(findings, self.model_share, self.model_alone_min) if findings else {}
        policy = self.policy
        labels: tuple[str, ...]
        reasons: tuple[Finding, ...]
        if scores:
            minimum = policy.label_min_score
            labels = tuple(sorted(label for label, s in scores.items() if s >= minimum))
            score = max(scores.values())  # each already rounded to 4 places (label_scores)
        else:
            labels, score = (), 0.0
        action = "allow" if score < self._lowest_action else policy.action_for(
            event.surface._value_, score, event.account_id)
        if action == "allow":
            labels, reasons = (), ()
        else:
            reasons = tuple(f for f in findings if f.label is None or f.label in labels)
        return Decision(event.event_id, action, labels, score, reasons, policy.version, degraded, scores)

    def decide_text_only(self, event: EventFields) -> Decision:
        return self.decide(event, self.analyze(event))
