"""The core's modules compiled by mypyc (setup.py, workers/core/native.py): built, and never older than their
source."""
from __future__ import annotations

import json
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

from workers.core import native


def test_every_listed_module_is_compiled_and_imported_compiled():
    # no skip: ops/setup builds them, and CI must fail without them (MODWORKER_PURE_PYTHON=1 is for debugging)
    assert native.compiled_modules() == list(native.COMPILED), "the core is not compiled: run ops/setup"
    import workers.core.engine
    import workers.core.normalize

    for module in (workers.core.engine, workers.core.normalize):
        assert module.__file__.endswith(tuple(EXTENSION_SUFFIXES)), module.__file__


def _tree(tmp_path: Path, source: str, compiled: bool) -> Path:
    path = tmp_path / native.COMPILED[0]
    path.parent.mkdir(parents=True)
    path.write_text(source)
    if compiled:
        path.with_suffix(EXTENSION_SUFFIXES[0]).write_bytes(b"\x7fELF")
    return path


def test_a_source_edited_after_the_build_is_refused_with_how_to_rebuild(tmp_path):
    _tree(tmp_path, "x = 1\n", compiled=True)
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({native.COMPILED[0]: native._digest(native.COMPILED[0], tmp_path)}))
    native.check(tmp_path, manifest)  # as built: fine

    (tmp_path / native.COMPILED[0]).write_text("x = 2\n")
    with pytest.raises(native.StaleBuildError, match=r"older than their source: workers/core/engine\.py.*ops/setup"):
        native.check(tmp_path, manifest)


def test_a_compiled_module_without_a_record_of_its_build_is_refused(tmp_path):
    _tree(tmp_path, "x = 1\n", compiled=True)
    with pytest.raises(native.StaleBuildError):
        native.check(tmp_path, tmp_path / "missing.json")


def test_plain_python_needs_no_record(tmp_path):
    _tree(tmp_path, "x = 1\n", compiled=False)
    native.check(tmp_path, tmp_path / "missing.json")
    assert native.compiled_modules(tmp_path) == []


def test_a_plain_python_build_removes_the_compiled_modules_it_would_leave_shadowing(tmp_path):
    path = _tree(tmp_path, "x = 1\n", compiled=True)
    shared = tmp_path / "workers/core" / f"_native__mypyc{EXTENSION_SUFFIXES[0]}"
    shared.write_bytes(b"\x7fELF")
    native.remove_compiled(tmp_path)
    assert native.compiled_modules(tmp_path) == [] and not shared.exists() and path.exists()
    native.check(tmp_path, tmp_path / "missing.json")



def test_a_new_detector_file_not_yet_compiled_builds_on_the_compiled_frames():
    """"Add a detector by adding its file and one line": an interpreted subclass of the compiled frames works,
    and the engine reads what the frames promise from it."""
    from datetime import datetime, timezone

    from schemas.models import MessageEvent
    from workers.core.detectors import DETECTORS, base, kinds
    from workers.core.engine import Engine
    from workers.core.findings import Finding
    from workers.core.policy import load_policy
    from workers.settings import DEFAULT_POLICY

    assert kinds.__file__.endswith(tuple(EXTENSION_SUFFIXES)), "the frames are compiled: this test is about that"
    lex = base.Lexicon({"ask": "test-cue-word"})
    try:
        class NewCue(kinds.CueDetector):  # defined here: interpreted
            name = "new_cue"
            lexicon = lex

            def find(self, ctx: base.Context, hits: base.Hits) -> list[Finding]:
                return self.each_class(ctx, hits, "new", 0.1)

        cue = NewCue()
        assert cue.requires_hits == (lex,) and cue.topical
        engine = Engine(load_policy(DEFAULT_POLICY), detectors=(*DETECTORS, cue), defer_rules=False)
        event = MessageEvent.model_validate({
            "event_id": "e1", "account_id": "a1", "surface": "group",
            "sent_at": datetime(2026, 11, 30, tzinfo=timezone.utc).isoformat(),
            "text": "帮忙刷单，一单5元，日结，test-cue-word",
        })
        findings = {f.rule_id: f for f in engine.analyze(event).findings}
        assert "new.ask" in findings and findings["new.ask"].detector == "new_cue"
        assert event.text[findings["new.ask"].start:findings["new.ask"].end] == "test-cue-word"
    finally:  # registered lexicons are process-wide: the scanner is rebuilt without it
        base._REGISTRY.remove(lex)
