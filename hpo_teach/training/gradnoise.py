"""Minibatch gradient noise: how far a batch gradient strays from the full gradient, by batch size.

For a loss that is a mean over N examples, the gradient g_B on a batch of B examples drawn
without replacement is an unbiased estimate of the full gradient g, and

    E ||g_B - g||^2 = (tr Σ / B) * (N - B) / (N - 1),

where tr Σ = (1/N) sum_i ||g_i - g||^2 is the total variance of the per-example gradients
g_i. The noise falls as 1/B; the finite-population correction (N - B) / (N - 1) makes it
exactly 0 at B = N (the batch is then the whole data set). Notebook 04 measures this on
MNIST; the functions below work for any ``grad_fn(idx)`` that returns the mean gradient over
the examples ``idx`` (a NumPy integer array), on any array library.
"""

from dataclasses import dataclass

import numpy as np

from ..backend import namespace_of, to_numpy
from .._validate import require_int, require_positive


def _squared_norm(a):
    """||a||^2 as a Python float (the sum runs on the array's device)."""
    xp = namespace_of(a)
    return float(to_numpy(xp.sum(a * a)))


def _check_sizes(n, batch_sizes):
    n = require_int("n", n, low=2)
    sizes = [require_int(f"batch_sizes[{i}]", b, low=1, high=n) for i, b in enumerate(batch_sizes)]
    if not sizes:
        raise ValueError("batch_sizes must hold at least one batch size")
    return n, sizes


def gradient_variance_trace(grad_fn, n, full_grad=None):
    """tr Σ = (1/N) sum_i ||g_i - g||^2 from the N per-example gradients ``grad_fn([i])``.

    Streams over the examples (never stores N gradients). ``full_grad`` is g if already known.
    Cost: N single-example gradient evaluations.
    """
    n = require_int("n", n, low=2)
    g = grad_fn(np.arange(n)) if full_grad is None else full_grad
    return sum(_squared_norm(grad_fn(np.array([i])) - g) for i in range(n)) / n


def predicted_noise(trace, n, batch_size):
    """E ||g_B - g||^2 = trace / B * (N - B) / (N - 1) for batches drawn without replacement.

    ``batch_size`` may be a number or an array of them; the result has its shape.
    """
    trace = require_positive("trace", trace, allow_zero=True)
    n = require_int("n", n, low=2)
    b = np.asarray(batch_size, dtype=float)
    if np.any(b < 1) or np.any(b > n):
        raise ValueError(f"batch_size must be in [1, n={n}], got {batch_size!r}")
    return trace / b * (n - b) / (n - 1)


def finite_population_correction(n, batch_size):
    """(N - B) / (N - 1): the factor by which sampling without replacement lowers the noise."""
    return predicted_noise(1.0, n, batch_size) * np.asarray(batch_size, dtype=float)


@dataclass
class NoiseMeasurement:
    """Measured E ||g_B - g||^2 for each batch size, with its standard error.

    ``mean_sq[k]`` averages ``n_draws`` random batches of size ``batch_sizes[k]``;
    ``sem[k]`` is the standard error of that average; ``full_grad_sq`` is ||g||^2.
    """

    n: int
    batch_sizes: np.ndarray
    mean_sq: np.ndarray
    sem: np.ndarray
    full_grad_sq: float
    n_draws: int

    def corrected(self):
        """``mean_sq`` divided by (N - B)/(N - 1): an estimate of tr Σ / B, exactly ∝ 1/B."""
        return self.mean_sq / finite_population_correction(self.n, self.batch_sizes)

    def signal_to_noise(self):
        """||g||^2 / E||g_B - g||^2 for each batch size: above 1, a batch step mostly points downhill."""
        return self.full_grad_sq / self.mean_sq


def measure_noise(grad_fn, n, batch_sizes, n_draws=32, seed=0, full_grad=None):
    """Measure E ||g_B - g||^2 by drawing ``n_draws`` batches (without replacement) per size.

    ``grad_fn(idx)`` returns the mean gradient over examples ``idx``; the full gradient g is
    ``grad_fn(arange(n))`` unless given. Batches for size B come from the seed ``(seed, B)``,
    so adding a batch size does not change the others. Returns a :class:`NoiseMeasurement`.
    """
    n, sizes = _check_sizes(n, batch_sizes)
    n_draws = require_int("n_draws", n_draws, low=2)
    seed = require_int("seed", seed, low=0)
    g = grad_fn(np.arange(n)) if full_grad is None else full_grad
    means, sems = [], []
    for b in sizes:
        rng = np.random.default_rng([seed, b])
        draws = np.array([_squared_norm(grad_fn(rng.choice(n, size=b, replace=False)) - g)
                          for _ in range(n_draws)])
        means.append(draws.mean())
        sems.append(draws.std(ddof=1) / np.sqrt(n_draws))
    return NoiseMeasurement(n, np.array(sizes), np.array(means), np.array(sems), _squared_norm(g),
                            n_draws)


def fit_loglog_slope(x, y):
    """Least-squares line through (log x, log y): returns ``(slope, intercept)``.

    A power law y = c x^k has slope k; gradient noise against batch size should give k ≈ -1.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if x.shape != y.shape or x.ndim != 1 or x.size < 2:
        raise ValueError(f"x and y must be 1-D arrays of the same length >= 2, got shapes {x.shape} and {y.shape}")
    if np.any(x <= 0) or np.any(y <= 0):
        raise ValueError("x and y must be > 0 to take logarithms")
    slope, intercept = np.polyfit(np.log(x), np.log(y), 1)
    return float(slope), float(intercept)
