"""Vectorised TD3 (passport) machine-readable zones, with deliberate faults for forgeries.

Line 2 is assembled as a ``[n, 44]`` byte matrix so a million passports cost a few numpy
operations; line 1 (the name field) is a short string per document.
"""

from __future__ import annotations

import numpy as np

_VALUES = np.zeros(256, dtype=np.int64)
_VALUES[ord("0") : ord("9") + 1] = np.arange(10)
_VALUES[ord("A") : ord("Z") + 1] = np.arange(10, 36)
_WEIGHTS = np.array([7, 3, 1], dtype=np.int64)
_DIGIT0 = ord("0")


def _check(matrix: np.ndarray) -> np.ndarray:
    """ICAO 9303 check digit (as an ASCII byte) of each row of a byte matrix."""
    weights = np.resize(_WEIGHTS, matrix.shape[1])
    return ((_VALUES[matrix] * weights).sum(axis=1) % 10 + _DIGIT0).astype(np.uint8)


def _digits(values: np.ndarray, width: int) -> np.ndarray:
    """Zero-padded decimal digits of non-negative integers as a ``[n, width]`` byte matrix."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return ((values[:, None] // powers) % 10 + _DIGIT0).astype(np.uint8)


def _yymmdd(days: np.ndarray) -> np.ndarray:
    text = np.datetime_as_string(days.astype("datetime64[D]"), unit="D")
    raw = np.frombuffer(text.astype("S10").tobytes(), dtype=np.uint8).reshape(-1, 10)
    return raw[:, [2, 3, 5, 6, 8, 9]]


def _codes(codes: np.ndarray, width: int) -> np.ndarray:
    return np.frombuffer(codes.astype(f"S{width}").tobytes(), dtype=np.uint8).reshape(-1, width)


def td3_line2(
    letter: np.ndarray,
    number: np.ndarray,
    nationality: np.ndarray,
    birth: np.ndarray,
    female: np.ndarray,
    expiry: np.ndarray,
    corrupt: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Line 2 of TD3 MRZs as strings; rows with ``corrupt`` get one wrong check digit.

    ``letter`` is the one-letter prefix of the document number, ``number`` its 8 digits,
    ``birth`` and ``expiry`` are ``datetime64[D]``.
    """
    n = number.size
    m = np.full((n, 44), ord("<"), dtype=np.uint8)
    m[:, 0:1] = _codes(letter, 1)
    m[:, 1:9] = _digits(number, 8)
    m[:, 9] = _check(m[:, 0:9])
    m[:, 10:13] = _codes(nationality, 3)
    m[:, 13:19] = _yymmdd(birth)
    m[:, 19] = _check(m[:, 13:19])
    m[:, 20] = np.where(female, ord("F"), ord("M"))
    m[:, 21:27] = _yymmdd(expiry)
    m[:, 27] = _check(m[:, 21:27])
    m[:, 42] = _DIGIT0  # optional data is empty
    composite = np.concatenate([m[:, 0:10], m[:, 13:20], m[:, 21:43]], axis=1)
    m[:, 43] = _check(composite)
    rows = np.flatnonzero(corrupt)
    if rows.size:
        position = np.array([9, 19, 27, 43])[rng.integers(0, 4, rows.size)]
        shift = rng.integers(1, 10, rows.size)
        m[rows, position] = ((m[rows, position] - _DIGIT0 + shift) % 10 + _DIGIT0).astype(np.uint8)
    return np.frombuffer(m.tobytes(), dtype="S44").astype("U44")


def td3_line1(issuing_state: str, name_field: str) -> str:
    """Line 1 of a TD3 MRZ: document type, issuing state, names padded or cut to 39."""
    return f"P<{issuing_state}{name_field}".ljust(44, "<")[:44]
