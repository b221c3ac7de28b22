"""Why reversal needs exact arithmetic: undo float64 SGD with momentum and watch it drift.

The reverse step ``v_t = (v_{t+1} + (1 - beta) g_t) / beta`` divides by beta < 1 every
step, so each rounding error is multiplied by about 1/beta per step: after T steps the
recovered w_0 is off by roughly eps * beta**-T (eps = 2.2e-16). With beta = 0.9 that is
harmless at T = 10, visible at T = 200 and astronomically wrong (or NaN) at T = 1000.
"""

from dataclasses import dataclass

import numpy as np
from autograd import grad

from .derivatives import check_arguments
from .unrolled import check_problem, quiet_autograd, require_callable, train


@dataclass
class NaiveReversal:
    """Result of a float64 forward-then-backward run.

    ``error`` is max |w0_recovered - w0|, or ``inf`` if the reversal overflowed to inf/NaN.
    """

    w_final: np.ndarray
    w0_recovered: np.ndarray
    error: float


def naive_reverse(train_loss, w0, meta, alphas, betas):
    """Train in float64 (the course's momentum update), then run the steps backwards in float64.

    Arguments as for :func:`hpo_teach.hypergrad.unrolled.hypergrad` (without ``valid_loss``).
    Returns a :class:`NaiveReversal`; compare ``error`` for growing T with the exact reversal
    of :mod:`.reversible`, which returns w0 bit for bit.
    """
    grad_w = grad(require_callable("train_loss", train_loss))
    w0, meta, alphas, betas = check_problem(w0, meta, alphas, betas)
    check_arguments(train_loss, w0, meta)
    with quiet_autograd(), np.errstate(all="ignore"):
        w_final, v = train(train_loss, w0, meta, alphas, betas)
        w = w_final
        for t in reversed(range(len(alphas))):
            w = w - alphas[t] * v
            v = (v + (1.0 - betas[t]) * grad_w(w, meta, t)) / betas[t]
        error = float(np.max(np.abs(w - w0)))
    return NaiveReversal(w_final, w, error if np.isfinite(error) else np.inf)
