"""Test tiers: tests/unit (pure, no services), tests/replay and tests/integration (real Kafka and Redis).

The services are started through ops/stack when a test of the service tiers runs and they are not up.
If they cannot start, those tests FAIL (they never skip: CI must not go green without the real broker).
"""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        parts = Path(str(item.fspath)).relative_to(ROOT).parts
        if len(parts) > 1 and parts[1] in ("integration", "replay"):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def stack():
    """Kafka and Redis are running (started through ops/stack if needed)."""
    result = subprocess.run([str(ROOT / "ops" / "stack"), "up"], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"ops/stack up failed:\n{result.stdout}\n{result.stderr}", pytrace=False)
    return True
