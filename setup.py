"""The compiled parts of modworker; everything else is declared in pyproject.toml.

1. Hot loops written in C: the text model's n-gram scorer and its predictions (workers/core/text/_ngrams.c),
   the campaign fingerprint's shingle hashing (workers/core/text/_minhash.c), the lexicon scan: its
   Aho-Corasick pass, its patterns and its choice of spans (workers/core/text/_keyscan.c), normalization's
   character stage (workers/core/text/_charstage.c) and four of its rewrite rules, helped or wholly
   (workers/core/text/_spelled.c), the mapping of spans back through them (workers/core/text/_offsets.c),
   the handles' cheap checks (workers/core/text/_needles.c), and the doorkeeper of the caches of recurring texts
   (workers/core/text/_doorkeeper.c).
2. The modules of the pure core on the decision path, compiled from their Python source by mypyc (the
   compiler mypy ships, which black and mypy itself are built with): the same code, about 1.35x faster on
   the dev mix, with no second implementation to keep in step. The list is `COMPILED` in
   workers/core/native.py; the hash of each source is written beside it at build time, and importing
   `workers.core` fails with a clear message when a compiled module's source changed since (run `ops/setup`,
   which rebuilds then).
   MODWORKER_PURE_PYTHON=1 at build time skips this step (the core then runs as plain Python).

`ops/setup` builds both (pip install -e . compiles them in place; gcc and Python's headers are installed there).
"""
import importlib.util
import os

from setuptools import Extension, setup

# loaded by path, not imported: importing the package `workers.core` would check the very build being made
_spec = importlib.util.spec_from_file_location("_modworker_native", "workers/core/native.py")
native = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(native)

# The C hot loops, in workers/core/text/ (with the headers each one includes)
C_LOOPS = {
    "_ngrams": ["_ngrams_scan.h", "_ngrams_predict.h"],
    "_charstage": [],
    "_keyscan": ["_keyscan_collect.h", "_keyscan_run.h"],
    "_minhash": [],
    "_spelled": [],
    "_needles": [],
    "_offsets": [],
    "_doorkeeper": [],
}
extensions = [
    Extension(
        f"workers.core.text.{name}",
        sources=[f"workers/core/text/{name}.c"],
        depends=[f"workers/core/text/{h}" for h in headers],
        extra_compile_args=["-O2", "-std=c11"],
    )
    for name, headers in C_LOOPS.items()
]
native.clear_manifest()
if os.environ.get("MODWORKER_PURE_PYTHON") != "1":
    from mypyc.build import mypycify

    extensions += mypycify(
        ["--ignore-missing-imports", "--follow-imports=silent", *native.COMPILED],
        opt_level="3",
        group_name=native.GROUP,
    )
    native.write_manifest()
else:
    native.remove_compiled()

setup(ext_modules=extensions)
