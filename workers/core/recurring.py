"""A cache of the values of recurring keys: an LRU that admits a key on its second sighting.

Chat traffic repeats itself (campaigns paste the same text, people write "好的"), but most messages are never
seen again. A plain LRU spends on each of those an insertion, and the eviction of an entry long out of the
processor's caches; this one remembers a key seen once only by its hash, in a table indexed by the hash's low
bits (TinyLFU's "doorkeeper"), and keeps its value when it comes back. Two keys whose hashes share the low
bits take turns in their slot: at worst a recurring key is admitted one sighting late. Pure.

The doorkeeper's table is C's (`workers/core/text/_doorkeeper.c`, built by ops/setup) when built: a 64-bit hash
in a list of Python ints is boxed at every offer. `_Doorkeeper` below is its reference and fallback.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Any, Generic, TypeVar

try:  # the doorkeeper in C (workers/core/text/_doorkeeper.c, built by ops/setup): the same answers as below
    from workers.core.text._doorkeeper import Doorkeeper as NativeDoorkeeper
except ImportError:  # not built
    NativeDoorkeeper = None

V = TypeVar("V")


class _Doorkeeper:
    """The hashes of keys seen once: one slot per low bits of the hash, all 0 at first."""

    def __init__(self, slots: int) -> None:
        self._mask = slots - 1
        self._seen: list[int] = [0] * slots

    def seen_before(self, key: str) -> bool:
        """Whether hash(key) is in its slot; when it is not, it goes there."""
        h = hash(key)
        slot = h & self._mask
        if self._seen[slot] == h:
            return True
        self._seen[slot] = h
        return False

    def clear(self) -> None:
        self._seen[:] = [0] * len(self._seen)


def doorkeeper(slots: int) -> Any:
    """The C doorkeeper when built, else `_Doorkeeper`."""
    return NativeDoorkeeper(slots) if NativeDoorkeeper is not None else _Doorkeeper(slots)


class RecurringCache(Generic[V]):
    """`get` a key's value (None when not kept); `offer` the value of a key `get` did not find."""

    def __init__(self, size: int, seen_slots: int = 1 << 14) -> None:
        if size < 1 or seen_slots < 1 or seen_slots & (seen_slots - 1):
            raise ValueError("size must be at least 1 and seen_slots a power of two")
        self.size = size
        self._kept: OrderedDict[str, V] = OrderedDict()
        self._seen: Any = doorkeeper(seen_slots)

    def get(self, key: str) -> V | None:
        value = self._kept.get(key)
        if value is not None:
            self._kept.move_to_end(key)
        return value

    def offer(self, key: str, value: V) -> None:
        """Keep `value` when `key` was seen before (evicting the least recently used), else remember the key."""
        if self._seen.seen_before(key):
            kept = self._kept
            if len(kept) >= self.size:
                kept.popitem(last=False)
            kept[key] = value

    def __len__(self) -> int:
        return len(self._kept)

    def clear(self) -> None:
        """Forget every key (the state of a fresh process)."""
        self._kept.clear()
        self._seen.clear()
