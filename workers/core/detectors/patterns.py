"""What the lexicon scan needs to know about a lexicon pattern, read from the parsed regex (the stdlib's own
parser, so escapes, classes and groups mean exactly what `re` makes of them):

- `literal_starts`: literal strings one of which every match begins with (the automaton finds them; the
  pattern runs only there, anchored);
- `required_literals`: literal strings one of which every match contains further on (a pattern whose starts
  are common, a digit or "一", runs only when the automaton also found one of these in the text);
- `follow_chars`: the characters that can come second in a match (a pattern runs only where one does: most
  "一" in a text are not followed by a numeral or a unit).
"""
from __future__ import annotations

import re
import re._parser as sre  # type: ignore[import-not-found]  # the stdlib's regex parser (Python 3.11)

_MAX_START = 4  # characters of a literal start
_MAX_STARTS = 64  # literal starts per pattern, else the shorter ones
_MAX_CLASS = 16  # characters of a class expanded into starts
_MAX_REQUIRED = 40  # literals of a required alternative
_DIGITS = "0123456789"
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


def _parse(pattern: str) -> list:
    return list(sre.parse(pattern, re.ASCII))


def literal_starts(pattern: str) -> list[str]:
    """Literal strings (at most `_MAX_START` characters) such that every match of `pattern` begins with one of
    them; the pattern's first element must be literal. A literal character, a small class, a group, an
    alternation, an atomic group, a repetition (its first occurrence; or what follows, when it is optional)
    extend a start;
    anything else (a lookaround, a word boundary, a negated class) ends it."""

    def starts(items: list, prefix: str) -> set[str]:
        if not items or len(prefix) >= _MAX_START:
            return {prefix}
        op, av = items[0]
        rest = items[1:]
        if op is sre.LITERAL:
            return starts(rest, prefix + chr(av))
        if op is sre.IN:
            chars = class_chars(av)
            if chars is None or (prefix.isdigit() and any(c.isdigit() for c in chars)):
                return {prefix}  # (a number's first digit is start enough: its other digits would be found too)
            out = {s for c in chars for s in starts(rest, prefix + c)}
        elif op is sre.SUBPATTERN and not av[1] and not av[2]:
            return starts(list(av[3]) + rest, prefix)
        elif op is sre.ATOMIC_GROUP:  # what it matches still begins the match
            return starts(list(av) + rest, prefix)
        elif op is sre.BRANCH:
            out = {s for alt in av[1] for s in starts(list(alt) + rest, prefix)}
        elif op in _REPEATS:
            lo, hi, sub = av
            # one repetition (then the start ends, unless that was the last one); none, when it may be absent
            out = starts(list(sub) + (rest if hi == 1 else []), prefix)
            if lo == 0:
                out |= starts(rest, prefix)
        else:
            return {prefix}
        return out if len(out) <= _MAX_STARTS else {prefix}

    found = starts(_parse(pattern), "")
    if "" in found:
        raise ValueError(f"pattern does not start with a literal: {pattern!r}")
    # a start that another start begins with is enough
    return sorted(s for s in found if not any(s != t and s.startswith(t) for t in found))


_MAX_FOLLOW = 4096  # characters of a follow set (a wider class gives no set)


def follow_chars(pattern: str) -> str | None:
    """The characters, sorted, one of which every match of `pattern` has right after its first character (a
    literal); None when that is not known (any character may come, or the match may end there). Zero-width
    elements (word boundaries, lookarounds) are passed over, so the set may be larger than needed, never
    smaller."""
    items = _parse(pattern)
    if not items or items[0][0] is not sre.LITERAL:
        return None
    chars, nullable = _first_chars(items[1:])
    return None if chars is None or nullable else "".join(sorted(chars))


def _first_chars(items: list) -> tuple[set[str] | None, bool]:
    """(the characters a match of `items` can begin with, or None for any; whether it can match nothing)."""
    out: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            out.add(chr(av))
            return out, False
        if op is sre.IN:
            chars = class_chars(av, _MAX_FOLLOW)
            if chars is None:
                return None, False
            return out | set(chars), False
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue  # zero width: what follows begins the match
        if op is sre.SUBPATTERN:
            if av[1] or av[2]:  # inline flags ("(?i:...)"): not worth following
                return None, False
            alternatives = [list(av[3])]
        elif op is sre.ATOMIC_GROUP:
            alternatives = [list(av)]
        elif op is sre.BRANCH:
            alternatives = [list(alt) for alt in av[1]]
        elif op in _REPEATS:
            alternatives = [list(av[2])] if av[1] else []  # a repetition of at most 0 matches nothing
        else:
            return None, False  # any character, a negated literal, a category, a back reference
        nullable = not alternatives or (op in _REPEATS and av[0] == 0)
        for alt in alternatives:
            chars, empty = _first_chars(alt)
            if chars is None:
                return None, False
            out |= chars
            nullable = nullable or empty
        if len(out) > _MAX_FOLLOW:
            return None, False
        if not nullable:
            return out, False
    return out, True


def required_literals(pattern: str) -> tuple[str, ...] | None:
    """Literal strings one of which every match of `pattern` contains after its leading literal characters:
    the most selective (longest shortest member, then fewest members) of the pattern's mandatory elements
    that are literal (a run of characters, an alternation of literal-led alternatives, a small class) and
    rare enough (no single letter, digit or common punctuation). None when there is no such element."""
    items = _flatten(_parse(pattern))
    i = 0
    while i < len(items) and items[i][0] is sre.LITERAL:
        i += 1
    best: tuple[tuple[int, int], tuple[str, ...]] | None = None
    for literals in _mandatory(items[i:]):
        if len(literals) > _MAX_REQUIRED or not all(map(_selective, literals)):
            continue
        score = (min(map(len, literals)), -len(literals))
        if best is None or score > best[0]:
            best = (score, literals)
    return best[1] if best else None


def _selective(literal: str) -> bool:
    """Whether a literal is rare enough to be worth looking for: two characters or more, or a symbol."""
    return len(literal) > 1 or not (literal.isalnum() or literal.isspace() or literal in _COMMON_PUNCTUATION)


_COMMON_PUNCTUATION = set(",.!?:;-'\"()，。！？：；、")


def _flatten(items: list) -> list:
    """Non-capturing groups without flags inlined."""
    out: list = []
    for op, av in items:
        if op is sre.SUBPATTERN and av[0] is None and not av[1] and not av[2]:
            out += _flatten(list(av[3]))
        else:
            out.append((op, av))
    return out


def _mandatory(items: list):
    """The literal alternatives of the elements every match goes through, one tuple per element."""
    run = ""
    for op, av in items + [(None, None)]:
        if op is sre.LITERAL:
            run += chr(av)
            continue
        if run:
            yield (run,)
            run = ""
        if op is sre.BRANCH:
            heads = [_literal_head(list(alt)) for alt in av[1]]
            if all(heads):
                yield tuple(sorted(set(heads)))
        elif op in _REPEATS and av[0] >= 1:
            yield from _mandatory(_flatten(list(av[2])))
        elif op is sre.IN:
            chars = class_chars(av)
            if chars:
                yield tuple(sorted(set(chars)))


def _literal_head(items: list) -> str:
    head = ""
    for op, av in _flatten(items):
        if op is not sre.LITERAL:
            break
        head += chr(av)
    return head


def class_chars(items: list, limit: int = _MAX_CLASS) -> list[str] | None:
    """The characters of a parsed class, when it has at most `limit` of them and is not negated."""
    chars: list[str] = []
    for op, av in items:
        if op is sre.LITERAL:
            chars.append(chr(av))
        elif op is sre.RANGE and av[1] - av[0] < limit:
            chars.extend(chr(c) for c in range(av[0], av[1] + 1))
        elif op is sre.CATEGORY and av is sre.CATEGORY_DIGIT:
            chars.extend(_DIGITS)  # re.ASCII
        else:
            return None  # negated, a wide range, another category
    return chars if len(chars) <= limit else None
