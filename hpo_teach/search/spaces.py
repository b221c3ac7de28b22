"""Search spaces: a space is a dict name -> dimension (Uniform, LogUniform, IntUniform, Choice).

A dimension samples a value from a NumPy generator and lays out a grid; `sample_config` and
`grid_configs` turn a whole space into configs (dicts) for the search methods.
"""

import itertools
import math

import numpy as np

from .._validate import require_int, require_number, require_positive, require_range


# --- search spaces: a space is a dict name -> dimension -------------------------------------

class Uniform:
    """A real hyperparameter, uniform on [low, high] (e.g. momentum, dropout rate)."""

    def __init__(self, low, high):
        self.low = require_number("low", low)
        self.high = require_range("high", high, low=self.low, low_open=True)

    def sample(self, rng):
        return float(rng.uniform(self.low, self.high))

    def grid(self, n):
        """n evenly spaced points, ends included (the midpoint when n == 1)."""
        n = require_int("n", n, low=1)
        if n == 1:
            return [(self.low + self.high) / 2]
        return [float(v) for v in np.linspace(self.low, self.high, n)]

    def __repr__(self):
        return f"Uniform({self.low:g}, {self.high:g})"


class LogUniform:
    """A positive real hyperparameter whose logarithm is uniform on [log low, log high].

    For scales such as learning rates and L2 strengths, where 1e-4 -> 1e-3 matters as
    much as 0.1 -> 1: a plain Uniform(1e-4, 1) would put 90% of its draws above 0.1.
    """

    def __init__(self, low, high):
        self.low = require_positive("low", low)
        self.high = require_range("high", high, low=self.low, low_open=True)

    def sample(self, rng):
        value = math.exp(rng.uniform(math.log(self.low), math.log(self.high)))
        return min(max(value, self.low), self.high)  # exp(log(x)) may miss x by one rounding

    def grid(self, n):
        """n log-spaced points, ends included (the geometric mean when n == 1)."""
        n = require_int("n", n, low=1)
        if n == 1:
            return [math.sqrt(self.low * self.high)]
        return [float(v) for v in np.geomspace(self.low, self.high, n)]

    def __repr__(self):
        return f"LogUniform({self.low:g}, {self.high:g})"


class IntUniform:
    """An integer hyperparameter, uniform on low..high inclusive (e.g. width, depth)."""

    def __init__(self, low, high):
        self.low = require_int("low", low)
        self.high = require_int("high", high, low=self.low + 1)

    def sample(self, rng):
        return int(rng.integers(self.low, self.high + 1))

    def grid(self, n):
        """Up to n evenly spaced integers, ends included (fewer if the range holds fewer)."""
        points = Uniform(self.low, self.high).grid(n)
        return sorted({int(round(v)) for v in points})

    def __repr__(self):
        return f"IntUniform({self.low}, {self.high})"


class Choice:
    """A categorical hyperparameter: one of a fixed list (e.g. activation or optimizer names)."""

    def __init__(self, values):
        if isinstance(values, str) or not hasattr(values, "__iter__"):
            raise TypeError(f"values must be a list of options, got {type(values).__name__} {values!r}")
        self.values = list(values)
        if not self.values:
            raise ValueError("values must hold at least 1 option, got an empty list")

    def sample(self, rng):
        return self.values[int(rng.integers(len(self.values)))]

    def grid(self, n):
        """n options spread evenly over the list (all of them when n >= len(values))."""
        n = require_int("n", n, low=1)
        picks = np.linspace(0, len(self.values) - 1, min(n, len(self.values)))
        return [self.values[int(round(i))] for i in picks]

    def __repr__(self):
        return f"Choice({self.values!r})"


def check_space(space):
    if not isinstance(space, dict) or not space:
        raise TypeError(f"space must be a non-empty dict name -> dimension, got {space!r}")
    for name, dim in space.items():
        if not (callable(getattr(dim, "sample", None)) and callable(getattr(dim, "grid", None))):
            raise TypeError(
                f"space[{name!r}] must be a dimension (Uniform, LogUniform, IntUniform or Choice), got {dim!r}")
    return space


def sample_config(space, rng):
    """One random config: a dict with a value drawn from each dimension of ``space``."""
    return {name: dim.sample(rng) for name, dim in check_space(space).items()}


def grid_configs(space, n_per_dim):
    """Every point of the grid with ``n_per_dim`` points per dimension (an int, or a dict name -> int)."""
    check_space(space)
    if isinstance(n_per_dim, dict):
        missing = [name for name in space if name not in n_per_dim]
        if missing:
            raise ValueError(f"n_per_dim must give a count for every dimension; missing {missing}")
        counts = {name: require_int(f"n_per_dim[{name!r}]", n_per_dim[name], low=1) for name in space}
    else:
        n = require_int("n_per_dim", n_per_dim, low=1)
        counts = {name: n for name in space}
    axes = [dim.grid(counts[name]) for name, dim in space.items()]
    return [dict(zip(space, values)) for values in itertools.product(*axes)]
