"""The T1-T2 problem: an MLP whose per-layer L2 and input-noise scale are tuned online (notebook 11).

Training loss at step t (minibatch t of the T1 split, noise draw eps_t seeded by step)::

    L(w, meta, t) = CE(f(X_t + sigma * eps_t; w), y_t) + sum_l 10**rho_l * ||w_l||**2,
    meta = [rho_1, ..., rho_L, sigma]          (log10 L2 strength per layer, input-noise std)

(``w_l``: layer l's weights and bias; the course's L2 has no factor 1/2.) The validation loss
is the plain cross-entropy on minibatch s of the T2 split, so it does not depend on meta.

The T1-T2 hypergradient needs one mixed product, ``(d2L / dmeta dw) u`` for the T2 gradient u
(:func:`hpo_teach.hypergrad.t1t2.hypergradient`). Here it has two closed-form pieces, derived in
notebook 11 §2:

- L2: only the penalty's gradient ``2 * 10**rho_l * w_l`` depends on rho_l, so
  ``d/d rho_l (g . u) = 2 ln(10) 10**rho_l  w_l . u_l`` (no second-order pass at all);
- noise: ``d/d sigma (g . u) = u . dg/dsigma``, the R-operator of the gradient along the input
  direction eps_t (``mlp_fast.hvp(..., v=0, dX=eps_t)``): one reparameterised second-order pass.

Calling a loss (``loss(w, meta, t)`` or ``loss.at(t)(w, meta)``) is the autograd reference;
``grad``, ``mixed_vjp``, ``grad_and_hvps`` and ``value_and_grads`` are the fast path, tested
against it. ``grad``/``grad_and_hvps`` also make :class:`T1T2TrainLoss` a loss of the
derivatives protocol, so :func:`hpo_teach.hypergrad.reversible.hypergrad` runs on it.

The fast path is array-API generic, like :mod:`hpo_teach.models.mlp_fast`: built on CuPy data
(``X`` and ``y`` on the GPU), it takes ``w`` and ``meta`` on that device and returns its results
there; the noise draws are made on the host from ``(noise_seed, t)`` and moved, so they are the
same on every backend. Only ``T2ValidLoss.value_and_grads``'s value is a host float. The autograd
reference is NumPy only.
"""

import math

from autograd.tracer import getval

from .. import backend
from .._validate import require_int, require_range
from ..data.batches import MinibatchSchedule
from ..models import mlp_fast
from .mlp_l2 import AtStep

LN10 = math.log(10.0)


class T1T2TrainLoss:
    """Cross-entropy on T1 minibatches with input noise sigma * eps_t, plus per-layer L2 10**rho_l.

    ``meta`` has ``mlp.n_layers + 1`` entries: the log10 L2 strengths, then sigma (>= 0).
    ``noise_seed`` seeds the draws: eps_t comes from ``(noise_seed, t)``, so any step can be replayed.
    """

    def __init__(self, mlp, X, y, batch_size, seed=0, noise_seed=None):
        self.mlp = mlp
        self.batch = MinibatchSchedule(X, y, batch_size, seed)
        self.steps_per_epoch = self.batch.steps_per_epoch
        self.noise_seed = require_int("noise_seed", seed if noise_seed is None else noise_seed, low=0)
        self.n_meta = mlp.n_layers + 1
        self._eps_cache = {}
        self._layer_of_param = backend.asarray(mlp.layer_of_param, like=X)

    # ---- the pieces of one step
    def eps(self, t):
        """Standard normal input-noise draw of step ``t`` (shaped like minibatch t)."""
        if t not in self._eps_cache:
            if len(self._eps_cache) > 4 * self.steps_per_epoch:
                self._eps_cache.clear()
            Xb, _ = self.batch(t)
            self._eps_cache[t] = backend.normal((self.noise_seed, t), Xb.shape, like=Xb, dtype=Xb.dtype)
        return self._eps_cache[t]

    def strength(self, meta):
        """10**rho spread over the parameters (one value per parameter, on meta's device)."""
        return backend.namespace_of(meta).take(10.0 ** meta[:-1], self._layer_of_param, axis=0)

    def check(self, w, meta):
        """Validate ``w`` and ``meta`` once (hypergradient methods call this before the first step)."""
        self.mlp.check_params(w, "w")
        meta = getval(meta)
        if tuple(meta.shape) != (self.n_meta,):
            raise ValueError(f"meta must have length {self.n_meta} ({self.n_meta - 1} log10 L2 strengths, then "
                             f"the input-noise sigma), got shape {tuple(meta.shape)}")
        require_range("meta[-1] (input-noise sigma)", float(meta[-1]), low=0.0)

    def at(self, t):
        """The loss bound to step ``t``: ``(w, meta) -> value``, with fast ``grad`` and ``mixed_vjp``."""
        return AtStep(self, require_int("t", t, low=0))

    # ---- autograd reference
    def __call__(self, w, meta, t):
        Xb, yb = self.batch(t)
        return self.mlp.loss(w, Xb + meta[-1] * self.eps(t), yb, l2=(10.0 ** meta[:-1])[self.mlp.layer_of_param])

    # ---- fast path
    def grad(self, w, meta, t):
        """dL/dw by hand-written backprop."""
        Xb, yb = self.batch(t)
        return mlp_fast.loss_and_grad(self.mlp, w, Xb, yb, l2=self.strength(meta), noise=meta[-1] * self.eps(t))[1]

    def mixed_vjp(self, w, meta, t, u):
        """``(d2L / dmeta dw) u``: the closed-form L2 part and the noise part by one R-op pass."""
        Xb, yb = self.batch(t)
        eps = self.eps(t)
        xp = backend.namespace_of(w, u)
        dg_dsigma = mlp_fast.hvp(self.mlp, w, xp.zeros_like(w), Xb, yb, noise=meta[-1] * eps, dX=eps)
        l2_part = [2.0 * LN10 * 10.0 ** meta[k] * (w[s] @ u[s]) for k, s in enumerate(self.mlp.layer_slices)]
        return xp.stack(l2_part + [dg_dsigma @ u])

    def grad_and_hvps(self, w, meta, t, u):
        """The derivatives protocol: ``(g, H u, (d2L/dmeta dw) u)``, g bit-identical to :meth:`grad`."""
        Xb, yb = self.batch(t)
        noise = meta[-1] * self.eps(t)
        strength = self.strength(meta)
        g = mlp_fast.loss_and_grad(self.mlp, w, Xb, yb, l2=strength, noise=noise)[1]
        hv = mlp_fast.hvp(self.mlp, w, u, Xb, yb, l2=strength, noise=noise)
        return g, hv, self.mixed_vjp(w, meta, t, u)


class T2ValidLoss:
    """Mean cross-entropy on minibatch s of the T2 split (``batch_size=None``: the whole split); no meta."""

    def __init__(self, mlp, X, y, batch_size=None, seed=0):
        self.mlp = mlp
        self.X, self.y = X, y
        self.batch = MinibatchSchedule(X, y, X.shape[0] if batch_size is None else batch_size, seed)

    def at(self, s):
        """The loss on minibatch ``s``: ``(w, meta) -> value``, with fast ``value_and_grads``."""
        return _ValidAt(self, require_int("s", s, low=0))

    def __call__(self, w, meta, s=0):
        Xb, yb = self.batch(s)
        return self.mlp.loss(w, Xb, yb)

    def value_and_grads(self, w, meta, s=0):
        """``(value, dL/dw, dL/dmeta = 0)`` by hand-written backprop; the value as a host float."""
        Xb, yb = self.batch(s)
        value, g = mlp_fast.loss_and_grad(self.mlp, w, Xb, yb)
        return float(value), g, backend.namespace_of(meta).zeros_like(meta)


class _ValidAt:
    def __init__(self, loss, s):
        self.loss, self.s = loss, s

    def __call__(self, w, meta):
        return self.loss(w, meta, self.s)

    def value_and_grads(self, w, meta):
        return self.loss.value_and_grads(w, meta, self.s)
