"""Vectorised, FEBRL-style corruptions of string columns.

Strings are handled as a matrix of code points (numpy ``<U`` arrays viewed as uint32), so an edit
of a million values is a handful of array operations rather than a Python loop.
"""

from __future__ import annotations

import numpy as np

LETTERS = np.frombuffer("abcdefghijklmnopqrstuvwxyz".encode("utf-32-le"), dtype=np.uint32)
DIGITS = np.frombuffer("0123456789".encode("utf-32-le"), dtype=np.uint32)
TYPOS = ("substitute", "insert", "delete", "transpose")


def _codes(values: np.ndarray, spare: int = 1) -> np.ndarray:
    """(n, width + spare) uint32 code points; 0 pads the end of each string."""
    width = max(values.dtype.itemsize // 4, 1) + spare
    return np.ascontiguousarray(values.astype(f"<U{width}")).view(np.uint32).reshape(len(values), width)


def _strings(codes: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(codes).view(f"<U{codes.shape[1]}").ravel()


def typo(values: np.ndarray, rng: np.random.Generator, alphabet: np.ndarray = LETTERS) -> np.ndarray:
    """One random keystroke error per non-empty value: substitute, insert, delete or transpose a character."""
    codes = _codes(values)
    lengths = (codes != 0).sum(axis=1)
    rows = np.flatnonzero(lengths > 0)
    kind = rng.integers(0, len(TYPOS), len(rows))
    position = (rng.random(len(rows)) * lengths[rows]).astype(np.int64)
    letter = alphabet[rng.integers(0, len(alphabet), len(rows))]
    columns = np.arange(codes.shape[1])

    substitute = rows[kind == 0]
    codes[substitute, position[kind == 0]] = letter[kind == 0]

    insert, at = rows[kind == 1], position[kind == 1]
    shifted = np.take_along_axis(codes[insert], np.maximum(columns - (columns > at[:, None]), 0), axis=1)
    shifted[np.arange(len(insert)), at] = letter[kind == 1]
    codes[insert] = shifted

    delete, at = rows[kind == 2], position[kind == 2]
    source = np.minimum(columns + (columns >= at[:, None]), codes.shape[1] - 1)
    shrunk = np.take_along_axis(codes[delete], source, axis=1)
    shrunk[:, -1] = 0
    codes[delete] = shrunk

    # a transpose needs two characters; on a one-character value it leaves it as it is
    swap, at = rows[kind == 3], position[kind == 3]
    at = np.minimum(at, np.maximum(lengths[swap] - 2, 0))
    ok = lengths[swap] >= 2
    swap, at = swap[ok], at[ok]
    first, second = codes[swap, at].copy(), codes[swap, at + 1].copy()
    codes[swap, at], codes[swap, at + 1] = second, first
    return _strings(codes)


def change_digit(values: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Replace one digit of each value with a different random digit (postcode, date of birth, identifiers)."""
    codes = _codes(values, spare=0)
    is_digit = (codes >= DIGITS[0]) & (codes <= DIGITS[-1])
    counts = is_digit.sum(axis=1)
    rows = np.flatnonzero(counts > 0)
    # pick the k-th digit of the row, k uniform over its digits
    k = (rng.random(len(rows)) * counts[rows]).astype(np.int64)
    rank = np.cumsum(is_digit[rows], axis=1) - 1
    column = np.argmax((rank == k[:, None]) & is_digit[rows], axis=1)
    old = codes[rows, column] - DIGITS[0]
    new = (old + rng.integers(1, 10, len(rows))) % 10
    codes[rows, column] = DIGITS[new]
    return _strings(codes)


def transpose_digits(values: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Swap two neighbouring characters, the usual keying error in long numbers."""
    codes = _codes(values, spare=0)
    lengths = (codes != 0).sum(axis=1)
    rows = np.flatnonzero(lengths >= 2)
    at = (rng.random(len(rows)) * (lengths[rows] - 1)).astype(np.int64)
    first, second = codes[rows, at].copy(), codes[rows, at + 1].copy()
    codes[rows, at], codes[rows, at + 1] = second, first
    return _strings(codes)
