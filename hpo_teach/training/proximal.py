"""The proximal step behind L1's exact zeros: soft-thresholding and proximal gradient descent.

Why subgradient descent never lands on 0 and how the proximal step (ISTA) does is derived
and measured in notebook 02 §2. In short: each step is a gradient step on the smooth part of
the loss, then the proximal operator of the L1 term,

    prox_{t |.|}(v) = argmin_u  (u - v)**2 / 2 + t |u|  =  sign(v) * max(|v| - t, 0),

which sets every weight with ``|v| <= t`` to exactly 0 and shrinks the others by ``t``
(Daubechies, Defrise & De Mol 2004; Beck & Teboulle 2009).

The code is array-API generic, so it runs on NumPy or CuPy weights.
"""

import numbers

from array_api_compat import array_namespace

from .._validate import require_positive
from .optim import Optimizer


def _check_threshold(name, t):
    """A threshold is a number >= 0 or an array of numbers >= 0 (one per weight)."""
    if isinstance(t, numbers.Number):
        return require_positive(name, t, allow_zero=True)
    xp = array_namespace(t)
    if not bool(xp.all(t >= 0)):
        raise ValueError(f"{name} must be >= 0 everywhere (found a negative or NaN entry)")
    return t


def soft_threshold(w, t):
    """``sign(w) * max(|w| - t, 0)`` elementwise: the proximal operator of ``t * |w|``.

    Entries with ``|w| <= t`` become exactly 0; the others move ``t`` towards 0.
    ``t`` is a number >= 0 or an array of thresholds broadcastable to ``w``.
    """
    t = _check_threshold("t", t)
    xp = array_namespace(w)
    return xp.sign(w) * xp.clip(xp.abs(w) - t, min=0.0)


def l1_optimality_gap(w, g, l1):
    """How far ``w`` is from minimizing ``f(w) + l1 * sum(|w|)``, given ``g`` = grad f(w).

    The optimality condition is ``0 in g + l1 * d|w|``: ``g_i = -l1 sign(w_i)`` where
    ``w_i != 0`` and ``|g_i| <= l1`` where ``w_i == 0``. Returns the largest violation
    (a float; 0 at a minimizer of a convex f). Note that a weight must be *exactly* 0 for
    the second condition to apply: a tiny nonzero weight must satisfy the first.
    """
    l1 = _check_threshold("l1", l1)
    xp = array_namespace(w, g)
    on = xp.abs(g + l1 * xp.sign(w))
    off = xp.clip(xp.abs(g) - l1, min=0.0)
    return float(xp.max(xp.where(w == 0, off, on)))


class ProximalSGD(Optimizer):
    """Proximal gradient descent (ISTA) for ``loss + l1 * sum(|w|)``.

    ``w <- soft_threshold(w - lr g, lr l1)``, where ``g`` is the gradient of the smooth
    part only (the data loss, plus any L2 term): do **not** add the L1 subgradient to
    ``g``, the threshold is the L1 step. With the full-batch gradient this is ISTA; with
    ``lr <= 1 / L`` (L the gradient's Lipschitz constant) it decreases the objective at
    every step. ``l1`` is a number >= 0 or an array of per-weight strengths. Plugs into
    :func:`hpo_teach.training.loop.fit` and :func:`hpo_teach.training.loop.train` like any optimizer.
    """

    def __init__(self, lr, l1):
        self.l1 = _check_threshold("l1", l1)
        super().__init__(lr)

    def _update(self, xp, w, g, lr):
        return soft_threshold(w - lr * g, lr * self.l1)
