"""Strategies shared by the fuzz tests: grammar-built text and mutated real samples.

Arbitrary text rarely gets past the first check of a parser. The fuzzers therefore also build
input from the grammar's own pieces (:func:`from_pieces`) and take real samples (notices, pages,
work points) and damage them (:func:`mutated`): deleted, duplicated and swapped slices, inserted
grammar pieces and random characters, truncation. That reaches the deep branches (date ranges,
weekday notes, make-up days …) while still producing input nobody wrote on purpose.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

#: Examples per fuzz test (database-backed tests use a quarter). Raise locally with
#: ``GONGKAI_FUZZ_EXAMPLES``; CI keeps the default so the whole folder runs in well under 40 s.
EXAMPLES = int(os.environ.get("GONGKAI_FUZZ_EXAMPLES", "250"))


def fuzz(examples: int = EXAMPLES) -> settings:
    return settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.filter_too_much,
            HealthCheck.data_too_large,
            HealthCheck.function_scoped_fixture,
        ],
    )


FUZZ = fuzz()
DB_FUZZ = fuzz(max(20, EXAMPLES // 4))

#: Characters that matter to Chinese text parsers: full- and half-width punctuation, digits,
#: whitespace variants, brackets, control and odd code points.
SPECIAL = [
    *"0123456789０１２３４５６７８９〇一二三四五六七八九十",
    *"、，。；：:;,.()（）[]【】〔〕〈〉《》“”‘’\"'-—～~/\\ \t\n\r\u3000\u00a0\u200b\ufeff",
    *"年月日号第至周星期天上班放假调休补休共元旦春节",
    *["\x00", "\x0b", "\ud7ff", "\U0001f600", "\u202e", "\u2028"],
]

any_text = st.text(max_size=300)
special_text = st.text(alphabet=st.sampled_from(SPECIAL), max_size=120)


def from_pieces(pieces: Sequence[str], *, max_pieces: int = 40) -> st.SearchStrategy[str]:
    """Text made of grammar pieces (and now and then a random character) in random order."""
    piece = st.one_of(
        st.sampled_from(list(pieces)), st.sampled_from(SPECIAL), st.integers(0, 40).map(str)
    )
    return st.lists(piece, max_size=max_pieces).map("".join)


@st.composite
def _mutate(draw: st.DrawFn, samples: Sequence[str], pieces: Sequence[str], steps: int) -> str:
    text = draw(st.sampled_from(list(samples)))
    insert = st.one_of(st.sampled_from(list(pieces) or SPECIAL), st.sampled_from(SPECIAL))
    for _step in range(draw(st.integers(1, steps))):
        n = len(text)
        i = draw(st.integers(0, n))
        j = draw(st.integers(i, min(n, i + 80)))
        operation = draw(
            st.sampled_from(["delete", "insert", "duplicate", "replace", "swap", "truncate"])
        )
        if operation == "delete":
            text = text[:i] + text[j:]
        elif operation == "insert":
            text = text[:i] + draw(insert) + text[i:]
        elif operation == "duplicate":
            text = text[:j] + text[i:j] + text[j:]
        elif operation == "replace":
            text = text[:i] + draw(insert) + text[j:]
        elif operation == "swap":
            lines = text.split("\n")
            if len(lines) > 1:
                a = draw(st.integers(0, len(lines) - 1))
                b = draw(st.integers(0, len(lines) - 1))
                lines[a], lines[b] = lines[b], lines[a]
                text = "\n".join(lines)
        else:
            text = text[:j]
    return text


def mutated(
    samples: Sequence[str], pieces: Sequence[str] = (), *, steps: int = 4
) -> st.SearchStrategy[str]:
    """A real sample with 1–``steps`` random edits (see the module docstring)."""
    return _mutate(samples, pieces, steps)


@st.composite
def _mutate_bytes(draw: st.DrawFn, samples: Sequence[bytes], steps: int) -> bytes:
    data = bytearray(draw(st.sampled_from(list(samples))))
    for _step in range(draw(st.integers(1, steps))):
        n = len(data)
        i = draw(st.integers(0, n))
        j = draw(st.integers(i, min(n, i + 64)))
        operation = draw(st.sampled_from(["flip", "delete", "insert", "truncate"]))
        if operation == "flip" and i < n:
            data[i] = draw(st.integers(0, 255))
        elif operation == "delete":
            del data[i:j]
        elif operation == "insert":
            data[i:i] = draw(st.binary(max_size=16))
        else:
            del data[j:]
    return bytes(data)


def mutated_bytes(samples: Sequence[bytes], *, steps: int = 4) -> st.SearchStrategy[bytes]:
    """A real file with 1–``steps`` byte-level edits (flipped, deleted, inserted bytes)."""
    return _mutate_bytes(samples, steps)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.sampled_from(["2026-03-02", "2026-02-30", "2027-01-04", "20", "-1", "1e9", ""]),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
