"""The one minibatch schedule: which examples each training step sees.

Shuffled per epoch by ``(seed, epoch)``, so any step can be replayed exactly (exact reversal
recomputes every gradient on the same minibatch) and every method sees the same order.
"""

import numpy as np

from .._validate import require_int


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
