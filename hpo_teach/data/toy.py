"""Small 2-D toy sets for decision-boundary pictures: moons, spirals, circles, xor.

Each returns (X float64 (n, 2), y int64 in {0, 1}), generated in code and deterministic by
``seed``; draw a validation set by calling again with another seed.
"""

import numpy as np

from .._validate import require_int, require_positive, require_range


def _toy_rng(n, noise, seed):
    require_int("n", n, low=2)
    require_positive("noise", noise, allow_zero=True)
    require_int("seed", seed, low=0)
    return np.random.default_rng(seed)


def _finish(rng, X0, X1, noise):
    X = np.concatenate([X0, X1]) + noise * rng.standard_normal((len(X0) + len(X1), 2))
    y = np.concatenate([np.zeros(len(X0), np.int64), np.ones(len(X1), np.int64)])
    order = rng.permutation(len(y))
    return X[order], y[order]


def moons(n=200, noise=0.2, seed=0):
    """Two interleaving half circles, centred near the origin; ``noise`` is Gaussian std."""
    rng = _toy_rng(n, noise, seed)
    t0 = np.linspace(0.0, np.pi, n // 2)
    t1 = np.linspace(0.0, np.pi, n - n // 2)
    X0 = np.column_stack([np.cos(t0) - 0.5, np.sin(t0) - 0.25])
    X1 = np.column_stack([0.5 - np.cos(t1), 0.25 - np.sin(t1)])
    return _finish(rng, X0, X1, noise)


def spirals(n=200, noise=0.05, seed=0, turns=1.5):
    """Two interleaved spirals of radius 1 winding ``turns`` times; class 1 is class 0 rotated 180 degrees.

    Neighbouring arms of opposite classes are 1 / (2 turns) apart in radius (1/3 by default);
    noise of a third of that gap already mixes them.
    """
    rng = _toy_rng(n, noise, seed)
    turns = require_range("turns", turns, low=0.0, high=10.0, low_open=True)

    def arm(m, sign):
        r = np.sqrt(np.linspace(0.01, 1.0, m))  # even spacing along the arm, radius 0.1 to 1
        angle = 2.0 * np.pi * turns * r
        return sign * np.column_stack([r * np.cos(angle), r * np.sin(angle)])

    return _finish(rng, arm(n // 2, 1.0), arm(n - n // 2, -1.0), noise)


def circles(n=200, noise=0.1, seed=0, factor=0.5):
    """An outer circle of radius 1 (class 0) around an inner one of radius ``factor`` (class 1)."""
    rng = _toy_rng(n, noise, seed)
    factor = require_range("factor", factor, low=0.0, high=1.0, low_open=True, high_open=True)
    t0 = np.linspace(0.0, 2.0 * np.pi, n // 2, endpoint=False)
    t1 = np.linspace(0.0, 2.0 * np.pi, n - n // 2, endpoint=False)
    X0 = np.column_stack([np.cos(t0), np.sin(t0)])
    X1 = factor * np.column_stack([np.cos(t1), np.sin(t1)])
    return _finish(rng, X0, X1, noise)


def xor(n=200, noise=0.1, seed=0):
    """Points in the four quadrants of [-1, 1]^2; class 1 where the coordinates' signs differ.

    Points are drawn at least 0.1 from the axes, so ``noise=0`` gives a clean margin.
    """
    rng = _toy_rng(n, noise, seed)

    def quadrants(m, same_sign):
        mag = rng.uniform(0.1, 1.0, size=(m, 2))
        sx = rng.choice([-1.0, 1.0], size=m)
        sy = sx if same_sign else -sx
        return mag * np.column_stack([sx, sy])

    return _finish(rng, quadrants(n // 2, True), quadrants(n - n // 2, False), noise)
