"""The one minibatch schedule: which examples each training step sees.

Shuffled per epoch by ``(seed, epoch)``, so any step can be replayed exactly (exact reversal
recomputes every gradient on the same minibatch) and every method sees the same order.
"""

import math

import numpy as np
from array_api_compat import array_namespace

from .._validate import require_int
from ..backend import asarray


def minibatches(n, batch_size, seed, epoch):
    """Index arrays that split ``range(n)`` into batches, shuffled by ``(seed, epoch)``.

    Deterministic: the same (seed, epoch) gives the same batches. Every index appears once
    per epoch; the last batch is smaller when ``batch_size`` does not divide ``n``.
    """
    n = require_int("n", n, low=1)
    batch_size = require_int("batch_size", batch_size, low=1)
    seed = require_int("seed", seed, low=0)
    epoch = require_int("epoch", epoch, low=0)
    order = np.random.default_rng([seed, epoch]).permutation(n)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]


class MinibatchSchedule:
    """Minibatch ``t`` of ``(X, y)`` under :func:`minibatches`, with one epoch of indices cached on X's device.

    ``schedule(t)`` returns ``(X_t, y_t)``; ``schedule.indices(t)`` the host (NumPy) row indices.
    ``fit`` and the problems of :mod:`hpo_teach.problems` use this one schedule, so a training
    run and its hypergradient see the same examples at every step.
    """

    def __init__(self, X, y, batch_size, seed=0):
        self.n = require_int("number of rows of X", X.shape[0], low=1)
        if tuple(y.shape) != (self.n,):
            raise ValueError(f"y must have shape ({self.n},) to match X, got {tuple(y.shape)}")
        self.X, self.y = X, y
        self.batch_size = require_int("batch_size", batch_size, low=1, high=self.n)
        self.seed = require_int("seed", seed, low=0)
        self.steps_per_epoch = math.ceil(self.n / self.batch_size)
        self._xp = array_namespace(X)
        self._epoch, self._batches = None, None

    def indices(self, t):
        """Host (NumPy) row indices of minibatch ``t``."""
        epoch, i = divmod(require_int("t", t, low=0), self.steps_per_epoch)
        return minibatches(self.n, self.batch_size, self.seed, epoch)[i]

    def __call__(self, t):
        epoch, i = divmod(t, self.steps_per_epoch)
        if epoch != self._epoch:
            indices = minibatches(self.n, self.batch_size, self.seed, epoch)
            self._epoch, self._batches = epoch, [asarray(idx, like=self.X) for idx in indices]
        idx = self._batches[i]
        return self._xp.take(self.X, idx, axis=0), self._xp.take(self.y, idx, axis=0)
