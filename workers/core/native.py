"""Which modules of the core mypyc compiles (setup.py), and the check that the compiled ones are current.

A compiled module (`normalize.cpython-311-x86_64-linux-gnu.so`) sits beside its source and Python imports it
in preference to the `.py`. Edit the source without rebuilding and the old code would silently keep running;
so the build records each source's SHA-256 (`_compiled.json`, beside this file) and importing `workers.core`
raises `StaleBuildError` when a compiled module's source no longer matches. `ops/setup` rebuilds whenever one
of these sources changes (it asks `python workers/core/native.py --sources` which they are).

Standard library only: setup.py loads this file before anything is installed.
"""
from __future__ import annotations

import hashlib
import json
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = Path(__file__).with_name("_compiled.json")
GROUP = "workers.core._native"  # mypyc's shared library: workers/core/_native__mypyc.*.so

# The decision path: normalization, handles, the lexicon scan, the detectors, the text model's glue, scoring,
# policy and the counters' planning. Only modules that mypy checks clean can be listed: mypyc refuses a module
# with type errors. A new detector file works before it is listed here (its frames, detectors/kinds.py, allow
# interpreted subclasses); list it to compile it.
COMPILED = (
    "workers/core/engine.py",
    "workers/core/findings.py",
    "workers/core/fingerprint.py",
    "workers/core/handles.py",
    "workers/core/memory_store.py",
    "workers/core/normalize.py",
    "workers/core/policy.py",
    "workers/core/recurring.py",
    "workers/core/scoring.py",
    "workers/core/signals.py",
    "workers/core/zset.py",
    "workers/core/text_model.py",
    "workers/core/detectors/account_rental.py",
    "workers/core/detectors/base.py",
    "workers/core/detectors/contact_cta.py",
    "workers/core/detectors/employer_context.py",
    "workers/core/detectors/fake_job.py",
    "workers/core/detectors/family_context.py",
    "workers/core/detectors/fraud_drainage.py",
    "workers/core/detectors/identity_verification.py",
    "workers/core/detectors/kinds.py",
    "workers/core/detectors/lexicon.py",
    "workers/core/detectors/low_effort.py",
    "workers/core/detectors/matcher.py",
    "workers/core/detectors/money_offer.py",
    "workers/core/detectors/news_context.py",
    "workers/core/detectors/order_brushing.py",
    "workers/core/detectors/paid_posting.py",
    "workers/core/detectors/question_context.py",
    "workers/core/detectors/quote_context.py",
    "workers/core/detectors/sexual_services.py",
    "workers/core/detectors/unqualified_product.py",
    "workers/core/detectors/upfront_fee.py",
    "workers/core/detectors/urgency.py",
    "workers/core/detectors/warning_context.py",
    "workers/core/text/charmap.py",
    "workers/core/text/offsets.py",
    "workers/core/text/rules.py",
    "workers/core/text/t2s.py",
)


class StaleBuildError(ImportError):
    """A compiled module of the core is older than its source."""


def _digest(path: str, root: Path = ROOT) -> str:
    return hashlib.sha256((root / path).read_bytes()).hexdigest()


def _compiled_files(path: str, root: Path = ROOT) -> list[Path]:
    source = root / path
    return [p for p in (source.with_suffix(s) for s in EXTENSION_SUFFIXES) if p.exists()]


def clear_manifest() -> None:
    MANIFEST.unlink(missing_ok=True)


def remove_compiled(root: Path = ROOT) -> list[Path]:
    """Delete the compiled modules of a former build (a plain-Python build must not leave them shadowing)."""
    gone = [f for p in COMPILED for f in _compiled_files(p, root)]
    gone += [root / "workers/core" / f"{GROUP.rsplit('.', 1)[1]}__mypyc{s}" for s in EXTENSION_SUFFIXES]
    for f in gone:
        f.unlink(missing_ok=True)
    return gone


def write_manifest() -> None:
    MANIFEST.write_text(json.dumps({p: _digest(p) for p in COMPILED}, indent=1, sort_keys=True) + "\n")


def compiled_modules(root: Path = ROOT) -> list[str]:
    """The sources of `COMPILED` that have a compiled module beside them."""
    return [p for p in COMPILED if _compiled_files(p, root)]


def check(root: Path = ROOT, manifest: Path = MANIFEST) -> None:
    """Raise `StaleBuildError` when a compiled module does not match its source (see the module doc)."""
    present = compiled_modules(root)
    if not present:
        return  # plain Python (MODWORKER_PURE_PYTHON=1, or not built)
    try:
        built = json.loads(manifest.read_text())
    except (OSError, ValueError):
        built = {}
    stale = [p for p in present if built.get(p) != _digest(p, root)]
    if stale:
        raise StaleBuildError(
            f"compiled modules of the core are older than their source: {', '.join(stale)}. "
            f"Rebuild them with `ops/setup` (or `.venv/bin/pip install -e .`), or remove "
            f"{', '.join(str(f.relative_to(root)) for p in stale for f in _compiled_files(p, root))}."
        )


if __name__ == "__main__":
    if sys.argv[1:] == ["--sources"]:
        print("\n".join(COMPILED))
    else:
        sys.exit("usage: python workers/core/native.py --sources")
