"""A cache of the values of recurring keys: an LRU that admits a key on its second sighting.

Chat traffic repeats itself (campaigns paste the same text, people write "好的"), but most messages are never
seen again. A plain LRU spends on each of those an insertion, and the eviction of an entry long out of the
processor's caches; this one remembers a key seen once only by its hash, in a table indexed by the hash's low
bits (TinyLFU's "doorkeeper"), and keeps its value when it comes back. Two keys whose hashes share the low
bits take turns in their slot: at worst a recurring key is admitted one sighting late. Pure.
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Generic, TypeVar

V = TypeVar("V")


class RecurringCache(Generic[V]):
    """`get` a key's value (None when not kept); `offer` the value of a key `get` did not find."""

    def __init__(self, size: int, seen_slots: int = 1 << 14) -> None:
        if size < 1 or seen_slots < 1 or seen_slots & (seen_slots - 1):
            raise ValueError("size must be at least 1 and seen_slots a power of two")
        self.size = size
        self._mask = seen_slots - 1
        self._kept: OrderedDict[str, V] = OrderedDict()
        self._seen: list[int] = [0] * seen_slots

    def get(self, key: str) -> V | None:
        value = self._kept.get(key)
        if value is not None:
            self._kept.move_to_end(key)
        return value

    def offer(self, key: str, value: V) -> None:
        """Keep `value` when `key` was seen before (evicting the least recently used), else remember the key."""
        h = hash(key)
        slot = h & self._mask
        if self._seen[slot] == h:
            kept = self._kept
            if len(kept) >= self.size:
                kept.popitem(last=False)
            kept[key] = value
        else:
            self._seen[slot] = h

    def __len__(self) -> int:
        return len(self._kept)

    def clear(self) -> None:
        """Forget every key (the state of a fresh process)."""
        self._kept.clear()
        self._seen[:] = [0] * len(self._seen)
