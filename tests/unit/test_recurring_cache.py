"""The cache of recurring keys (workers/core/recurring.py): a key is kept on its second sighting, the least
recently used goes first, and a key seen once costs no entry."""
from __future__ import annotations

import pytest

from workers.core.recurring import RecurringCache


def test_a_key_is_kept_on_its_second_sighting():
    cache: RecurringCache[str] = RecurringCache(4)
    assert cache.get("好的") is None
    cache.offer("好的", "first")  # seen once: only its hash is remembered
    assert cache.get("好的") is None and len(cache) == 0
    cache.offer("好的", "second")
    assert cache.get("好的") == "second" and len(cache) == 1


def test_the_least_recently_used_key_goes_first():
    cache: RecurringCache[int] = RecurringCache(3)
    for key in ("a", "b", "c"):
        cache.offer(key, 0)
        cache.offer(key, ord(key))
    assert cache.get("a") == ord("a")  # now the most recent: "b" is the least
    cache.offer("d", 0)
    cache.offer("d", ord("d"))
    assert len(cache) == 3
    assert [cache.get(k) for k in "acd"] == [ord("a"), ord("c"), ord("d")]
    assert cache.get("b") is None


def test_keys_seen_once_take_no_entry_however_many():
    cache: RecurringCache[int] = RecurringCache(8, seen_slots=16)
    for i in range(10_000):
        cache.offer(f"message {i}", i)
    assert len(cache) == 0


def test_clear_forgets_both_the_values_and_the_keys_seen():
    cache: RecurringCache[int] = RecurringCache(2)
    cache.offer("x", 1)
    cache.offer("x", 2)
    cache.offer("y", 1)
    cache.clear()
    assert cache.get("x") is None and len(cache) == 0
    cache.offer("y", 3)  # seen once again, after the clear
    assert cache.get("y") is None


@pytest.mark.parametrize("size, slots", [(0, 16), (4, 0), (4, 12)])
def test_bad_sizes_are_refused(size, slots):
    with pytest.raises(ValueError, match="power of two"):
        RecurringCache(size, slots)


def test_the_doorkeeper_in_c_answers_as_the_python_table():
    import random

    from workers.core import recurring
    from workers.core.text._doorkeeper import Doorkeeper  # no skip: ops/setup builds it, CI must fail without it

    assert recurring.NativeDoorkeeper is Doorkeeper
    rng = random.Random(7)
    keys = [f"k{rng.randrange(300)}" for _ in range(20_000)] + ["", "", "x"]  # hash("") is 0: "seen" at once
    native, python = Doorkeeper(64), recurring._Doorkeeper(64)  # 64 slots: keys take turns in them
    answers = [(native.seen_before(k), python.seen_before(k)) for k in keys]
    assert all(a == b for a, b in answers)
    assert 1000 < sum(a for a, _ in answers) < len(keys) - 1000
    native.clear(), python.clear()
    assert [native.seen_before(k) for k in keys[:500]] == [python.seen_before(k) for k in keys[:500]]


@pytest.mark.parametrize("slots", [0, 12, -4])
def test_the_doorkeeper_in_c_refuses_bad_sizes(slots):
    from workers.core.text._doorkeeper import Doorkeeper

    with pytest.raises(ValueError, match="power of two"):
        Doorkeeper(slots)
