"""Fixtures shared by the unit tests."""
from __future__ import annotations

import io
import logging

import pytest

from workers.logging_setup import setup_logging


@pytest.fixture
def capture_log():
    """`capture_log(fmt)`: the worker's logging (setup_logging, "json" or "text") into a new StringIO. The root
    logger and the record flags setup_logging turns off for the worker process are restored afterwards."""
    root = logging.getLogger()
    flags = (logging._srcfile, logging.logThreads, logging.logProcesses, logging.logMultiprocessing)
    saved = (list(root.handlers), root.level)

    def start(fmt: str = "json") -> io.StringIO:
        stream = io.StringIO()
        setup_logging("info", fmt, stream=stream)
        return stream

    yield start
    for h in list(root.handlers):
        root.removeHandler(h)
    for h in saved[0]:
        root.addHandler(h)
    root.setLevel(saved[1])
    logging._srcfile, logging.logThreads, logging.logProcesses, logging.logMultiprocessing = flags


@pytest.fixture
def json_log(capture_log) -> io.StringIO:
    return capture_log("json")
