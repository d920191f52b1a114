"""Stable randomness for the demo: every number is a pure function of what it is seeded with."""

from __future__ import annotations

import hashlib

import numpy as np


def digest(*parts: object) -> int:
    """A stable 64-bit integer from ``parts`` (unlike ``hash``, the same in every process)."""
    text = "\x1f".join(str(part) for part in parts).encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "big")


def unit(*parts: object) -> float:
    """A stable number in [0, 1) from ``parts``."""
    return digest(*parts) / 2.0**64


def seeded_rng(*parts: object) -> np.random.Generator:
    """A numpy generator seeded from ``parts``."""
    return np.random.default_rng(digest(*parts))


def fold_into(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """Reflect ``values`` into [low, high] (a walk bounces off the edges, never leaves)."""
    width = high - low
    folded = np.mod(values - low, 2.0 * width)
    return low + np.where(folded <= width, folded, 2.0 * width - folded)
