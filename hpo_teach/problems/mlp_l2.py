"""Fast derivatives of an MLP training loss for :func:`hpo_teach.hypergrad.reversible.hypergrad`.

The reverse pass of reversible learning needs, at every step t, the training gradient g_t
(bit-identical to the forward pass's), the Hessian-vector product H u and the mixed term
(d2L / dmeta dw) u. Autograd gets them by reverse-over-reverse differentiation
(:class:`~hpo_teach.hypergrad.derivatives.AutogradDerivatives`); for the course's own MLP
this module gets them from the hand-written backprop and R-operator of
:mod:`hpo_teach.models.mlp_fast` (``MLP.loss_and_grad`` and ``MLP.hvp``) plus the closed-form mixed
term of the L2 penalty. It is array-API generic, so it also runs on CuPy.

The training loss at step t is

    L(w, meta, t) = mean cross-entropy on minibatch t + sum_i exp(meta[group(i)]) * w_i**2

Minibatch t is batch ``t % steps_per_epoch`` of epoch ``t // steps_per_epoch`` of
:func:`hpo_teach.data.batches.minibatches` (the order :func:`hpo_teach.training.loop.fit` uses), so the
reverse pass redraws the same examples. ``meta`` holds log L2 strengths, one of:

- ``l2="none"``: no penalty, ``meta`` is empty (e.g. to tune only learning rates and momenta);
- ``l2="scalar"``: one log strength for all parameters;
- ``l2="layer"``: one per layer (weights and biases of layer k share ``meta[k]``);
- ``l2="param"``: one per parameter (``meta`` as long as ``w``).

The L2 part of the gradient is ``2 exp(meta) w``, so its mixed term is simply
``d/dmeta_j (g . u) = sum over i in group j of 2 exp(meta_j) w_i u_i``.
"""


import autograd.numpy as anp
from array_api_compat import device as device_of
from autograd.tracer import getval

from ..backend import asarray, namespace_of
from .._validate import require_choice, require_int
from ..data.batches import MinibatchSchedule

L2_MODES = ("none", "scalar", "layer", "param")


class MLPTrainLoss:
    """Minibatch cross-entropy + exp(meta)-weighted L2 of an :class:`hpo_teach.models.mlp.MLP`.

    Use it twice in one call::

        loss = MLPTrainLoss(mlp, X, y, batch_size=100, l2="layer")
        reversible.hypergrad(loss, valid_loss, w0, meta, alphas, betas)

    Calling it, ``loss(w, meta, t)``, is the autograd reference (``MLP.loss``, NumPy only);
    ``grad`` and ``grad_and_hvps`` are the fast path the reversible pass calls; ``at(t)`` with
    ``grad`` and ``mixed_vjp`` is the fast path of :func:`hpo_teach.hypergrad.t1t2.tune`.
    """

    def __init__(self, mlp, X, y, batch_size, seed=0, l2="scalar"):
        self.mlp = mlp
        self.X, self.y = X, y
        self.batch = MinibatchSchedule(X, y, batch_size, seed)
        self.n, self.batch_size, self.seed = self.batch.n, self.batch.batch_size, self.batch.seed
        self.l2 = require_choice("l2", l2, L2_MODES)
        self.steps_per_epoch = self.batch.steps_per_epoch
        self.n_meta = {"none": 0, "scalar": 1, "layer": mlp.n_layers, "param": mlp.n_params}[self.l2]
        self._layer_of_param = asarray(mlp.layer_of_param, like=X)

    def at(self, t):
        """The loss bound to step ``t``: ``(w, meta) -> value``, with fast ``grad`` and ``mixed_vjp``."""
        return AtStep(self, require_int("t", t, low=0))

    # ---- minibatches
    def batch_indices(self, t):
        """Host (NumPy) row indices of minibatch ``t`` (``self.batch(t)`` gives the rows themselves)."""
        return self.batch.indices(t)

    # ---- the penalty strength per parameter
    def l2_strength(self, meta):
        """exp(meta) spread over the parameters: 0, a 0-d array or one value per parameter."""
        if self.l2 == "none":
            return 0.0
        xp = namespace_of(meta)
        strength = xp.exp(meta)
        if self.l2 == "scalar":
            return strength[0]
        if self.l2 == "layer":
            return xp.take(strength, self._layer_of_param, axis=0)
        return strength

    def check(self, w, meta):
        """Validate weights and hyperparameters once (the hypergradient methods call this first)."""
        self.mlp.check_params(w, "w0")
        self.check_meta(meta)

    def check_meta(self, meta):
        """Raise unless ``meta`` holds ``n_meta`` log strengths."""
        if tuple(meta.shape) != (self.n_meta,):
            raise ValueError(f"meta must have length {self.n_meta} for l2={self.l2!r} "
                             f"(log L2 strengths), got shape {tuple(meta.shape)}")

    # ---- autograd reference
    def __call__(self, w, meta, t):
        """The training loss at step ``t`` with autograd.numpy (differentiable in w and meta)."""
        self.check_meta(getval(meta))
        Xb, yb = self.batch(t)
        strength = 0.0 if self.l2 == "none" else anp.exp(meta)
        if self.l2 == "scalar":
            strength = strength[0]
        elif self.l2 == "layer":
            strength = strength[self.mlp.layer_of_param]
        return self.mlp.loss(w, Xb, yb, l2=strength)

    # ---- fast path: the provider protocol of reversible.hypergrad
    def grad(self, w, meta, t):
        """dL/dw at step ``t`` by hand-written backprop."""
        Xb, yb = self.batch(t)
        return self.mlp.loss_and_grad(w, Xb, yb, l2=self.l2_strength(meta), check_input=False)[1]

    def grad_and_hvps(self, w, meta, t, u):
        """``(g, H u, (d2L/dmeta dw) u)``; g is bit-identical to :meth:`grad` (same call)."""
        Xb, yb = self.batch(t)
        strength = self.l2_strength(meta)
        g = self.mlp.loss_and_grad(w, Xb, yb, l2=strength, check_input=False)[1]
        hv = self.mlp.hvp(w, u, Xb, yb, l2=strength, check_input=False)
        return g, hv, self._mixed(w, u, strength, namespace_of(w, u))

    def mixed_vjp(self, w, meta, t, u):
        """``(d2L/dmeta dw) u`` alone (the same closed form for every step ``t``)."""
        return self._mixed(w, u, self.l2_strength(meta), namespace_of(w, u))

    def _mixed(self, w, u, strength, xp):
        """d/dmeta of g . u: only the penalty's gradient 2 exp(meta) w depends on meta."""
        if self.l2 == "none":
            return xp.zeros((0,), dtype=w.dtype, device=device_of(w))
        terms = 2.0 * strength * w * u
        if self.l2 == "scalar":
            return xp.reshape(xp.sum(terms), (1,))
        if self.l2 == "layer":
            return xp.stack([xp.sum(terms[s]) for s in self.mlp.layer_slices])
        return terms


class AtStep:
    """A training loss with the fast methods ``check``, ``grad(w, meta, t)`` and ``mixed_vjp(w, meta, t, u)``,
    bound to one step ``t``: the form :func:`hpo_teach.hypergrad.t1t2.hypergradient` takes."""

    def __init__(self, loss, t):
        self.loss, self.t = loss, t

    def __call__(self, w, meta):
        return self.loss(w, meta, self.t)

    def check(self, w, meta):
        self.loss.check(w, meta)

    def grad(self, w, meta):
        return self.loss.grad(w, meta, self.t)

    def mixed_vjp(self, w, meta, u):
        return self.loss.mixed_vjp(w, meta, self.t, u)
