"""Stable randomness for the demo: every number is a pure function of what it is seeded with.

Standard library only (``random``, ``math``): the running demo loads no numpy, which alone
costs more memory than the rest of the simulator (issue 12).
"""

from __future__ import annotations

import hashlib
import math
import random
from bisect import bisect_right
from functools import lru_cache


def digest(*parts: object) -> int:
    """A stable 64-bit integer from ``parts`` (unlike ``hash``, the same in every process)."""
    text = "\x1f".join(str(part) for part in parts).encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "big")


def unit(*parts: object) -> float:
    """A stable number in [0, 1) from ``parts``."""
    return digest(*parts) / 2.0**64


def seeded_rng(*parts: object) -> random.Random:
    """A Mersenne Twister seeded from ``parts`` (the same stream on every platform)."""
    return random.Random(digest(*parts))


def normals(rng: random.Random, count: int) -> list[float]:
    """``count`` standard normal draws (Box–Muller in pairs: about twice as fast as
    ``Random.gauss`` one at a time)."""
    draw = rng.random
    pairs = (count + 1) // 2
    radii = [math.sqrt(-2.0 * math.log(1.0 - draw())) for _ in range(pairs)]
    angles = [math.tau * draw() for _ in range(pairs)]
    values = [radius * math.cos(angle) for radius, angle in zip(radii, angles, strict=True)]
    values += [radius * math.sin(angle) for radius, angle in zip(radii, angles, strict=True)]
    del values[count:]
    return values


@lru_cache(maxsize=32)
def _poisson_cdf(mean: float) -> tuple[int, tuple[float, ...]]:
    """The Poisson(``mean``) distribution function over mean ± 12 standard deviations (what
    lies outside has probability below 1e-30), as (first count, cumulative probabilities)."""
    spread = 12.0 * math.sqrt(mean) + 12.0
    first, last = max(0, math.floor(mean - spread)), math.ceil(mean + spread)
    log_mean = math.log(mean)
    masses = [math.exp(k * log_mean - mean - math.lgamma(k + 1.0))
              for k in range(first, last + 1)]
    total = math.fsum(masses)
    cumulative, running = [], 0.0
    for mass in masses:
        running += mass
        cumulative.append(running / total)
    cumulative[-1] = 1.0
    return first, tuple(cumulative)


def poissons(rng: random.Random, mean: float, count: int) -> list[int]:
    """``count`` Poisson(``mean``) draws by inverting the distribution function."""
    if mean <= 0.0:
        return [0] * count
    first, cumulative = _poisson_cdf(mean)
    draw = rng.random
    return [first + bisect_right(cumulative, draw()) for _ in range(count)]


def fold(value: float, low: float, high: float) -> float:
    """Reflect ``value`` into [low, high] (a walk bounces off the edges, never leaves)."""
    width = high - low
    folded = (value - low) % (2.0 * width)
    return low + (folded if folded <= width else 2.0 * width - folded)
