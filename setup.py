"""The one compiled part of modworker: the text model's n-gram scoring (workers/core/text/_ngrams.c).

Everything else is declared in pyproject.toml; setuptools reads this file only for the extension.
`ops/setup` builds it (pip install -e . compiles it in place; gcc and Python's headers are installed there).
"""
from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "workers.core.text._ngrams",
            sources=["workers/core/text/_ngrams.c"],
            extra_compile_args=["-O2", "-std=c11"],
        )
    ]
)
