"""Text normalization with a map back to original offsets.

`normalize(text)` returns a `Normalized` whose `text` is what detectors match on and whose `index[i]` is the
offset in the original text of normalized character i, so evidence spans point into what the user wrote.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# Zero-width and other invisible characters, and variation selectors, are dropped.
_INVISIBLE = {
    0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F,
    0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0x2066, 0x2067, 0x2068,
    0x2069, 0x206A, 0x206B, 0x206C, 0x206D, 0x206E, 0x206F, 0x3164, 0xFEFF, 0xFFA0,
}
_INVISIBLE.update(range(0xFE00, 0xFE10))
_INVISIBLE.update(range(0xE0100, 0xE01F0))


@dataclass(frozen=True, slots=True)
class Normalized:
    original: str
    text: str
    index: tuple[int, ...]  # index[i] = original offset of text[i]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the normalized text to the original text."""
        if not self.text or start >= end:
            return (0, 0)
        end = min(end, len(self.index))
        return (self.index[start], self.index[end - 1] + 1)


def normalize(text: str) -> Normalized:
    out: list[str] = []
    index: list[int] = []
    for pos, ch in enumerate(text):
        if ord(ch) in _INVISIBLE:
            continue
        folded = unicodedata.normalize("NFKC", ch).casefold()
        for part in folded:
            out.append(part)
            index.append(pos)
    return Normalized(text, "".join(out), tuple(index))
