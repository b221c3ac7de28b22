"""Hidden width as a real number γ: the continuous-width MLP of seed 000 (Guss 2017).

One hidden layer with a pool of K units; unit k = 1…K is multiplied by the mask
``m_k(γ) = clip(γ − k + 1, 0, 1)``, so units 1…⌊γ⌋ are on, unit ⌈γ⌉ is on by the fraction
γ − ⌊γ⌋, and the masks sum to γ. The seed's derivative (derived in notebook 14 §1) is

    ∂L/∂γ = mean_i ⟨∂ℓ_i/∂logits_i, h_ic W2_c⟩,   c = ⌈γ⌉ (counting units from 1),

the gradient of a scale on the last unit. At an integer γ = k the loss has a kink: the left
derivative is unit k's term, the right one unit k + 1's. The masks are written with
``minimum``/``maximum`` rather than ``clip``, so autograd returns the *mean* of the two sides
there (its ``clip`` returns exactly 0, and a γ started on an integer would never move: §2).

Only the units up to min(⌊γ⌋ + 1, K) are computed (⌈γ⌉ when γ is not an integer; the extra
unit at an integer carries the right derivative), so the cost of a step follows γ, and the
results equal the full pool's. Layout of the flat ``w``: W1 (n_in, K), b1 (K,), W2 (K, n_out),
b2 (n_out,), as in :class:`hpo_teach.models.mlp.MLP`; the seed's W¹_k is row k − 1 of W2.
"""

import math
from dataclasses import dataclass, field

import autograd.numpy as anp
import numpy as np
from autograd.tracer import getval

from .. import backend
from .._validate import require_choice, require_finite_array, require_int, require_positive, require_range
from ..training.optim import adam_direction
from .activations import ACTIVATIONS
from .mlp import check_labels, softmax_cross_entropy

SIDES = ("mean", "left", "right")


def unit_mask(gamma, n_units):
    """The K masks ``clip(γ − k + 1, 0, 1)`` for k = 1…K; they sum to γ for 0 ≤ γ ≤ K.

    Differentiable in γ by autograd; at an integer the derivative is the mean of the two sides.
    """
    n_units = require_int("n_units", n_units, low=1)
    _check_gamma(gamma, n_units)
    return _mask(gamma, n_units)


def _mask(gamma, n):
    k = np.arange(1, n + 1, dtype=float)
    return anp.minimum(anp.maximum(gamma - k + 1.0, 0.0), 1.0)


def _check_gamma(gamma, n_units):
    return require_range("gamma", getval(gamma), 0.0, float(n_units))


def n_computed(gamma, n_units):
    """How many units a forward pass at γ computes: min(⌊γ⌋ + 1, K)."""
    n_units = require_int("n_units", n_units, low=1)
    return _n_computed(_check_gamma(gamma, n_units), n_units)


def _n_computed(gamma, n_units):
    return min(int(math.floor(getval(gamma))) + 1, n_units)


class ContinuousWidthMLP:
    """A one-hidden-layer MLP whose width γ ∈ [0, K] is a real number (seed 000).

    ``loss`` is the autograd reference (differentiable in ``w`` and ``gamma``); ``gamma_grad``
    is the seed's closed form; ``loss_and_grad`` is the hand-written fast path used in loops.
    """

    def __init__(self, n_in, n_units, n_out, activation="tanh"):
        self.n_in = require_int("n_in", n_in, low=1)
        self.n_units = require_int("n_units", n_units, low=1)
        self.n_out = require_int("n_out", n_out, low=2)
        self.activation = require_choice("activation", activation, tuple(ACTIVATIONS))
        self._f = ACTIVATIONS[self.activation]
        K = self.n_units
        shapes = [("W1", (n_in, K)), ("b1", (K,)), ("W2", (K, n_out)), ("b2", (n_out,))]
        self.shapes = dict(shapes)
        self.slices, start = {}, 0
        for name, shape in shapes:
            size = int(np.prod(shape))
            self.slices[name] = slice(start, start + size)
            start += size
        self.n_params = start

    def __repr__(self):
        return (f"ContinuousWidthMLP(n_in={self.n_in}, n_units={self.n_units}, n_out={self.n_out}, "
                f"activation={self.activation!r})  # {self.n_params} parameters")

    # ---- parameters
    def init(self, seed, in_scale=1.0, bias_std=1.0, out_std=0.2):
        """Flat weights: W1 ~ N(0, in_scale² / n_in), b1 ~ N(0, bias_std²), W2 ~ N(0, out_std²), b2 = 0.

        Random biases spread the units' hyperplanes over the input (on 2-D toy sets they would
        all pass through the origin otherwise). Units beyond γ keep their draws until enabled.
        """
        seed = require_int("seed", seed, low=0)
        in_scale = require_positive("in_scale", in_scale, allow_zero=True)
        bias_std = require_positive("bias_std", bias_std, allow_zero=True)
        out_std = require_positive("out_std", out_std, allow_zero=True)
        w = np.zeros(self.n_params)
        w[self.slices["W1"]] = in_scale / math.sqrt(self.n_in) * backend.normal((seed, 1), self.n_in * self.n_units)
        w[self.slices["b1"]] = bias_std * backend.normal((seed, 2), self.n_units)
        w[self.slices["W2"]] = out_std * backend.normal((seed, 3), self.n_units * self.n_out)
        return w

    def unflatten(self, w):
        """``(W1, b1, W2, b2)`` as views of ``w`` (autograd boxes too)."""
        return tuple(anp.reshape(w[self.slices[n]], self.shapes[n]) for n in ("W1", "b1", "W2", "b2"))

    def unit_param_indices(self, k):
        """Indices in ``w`` of unit k's parameters (k = 1…K): its column of W1, its bias, its row of W2."""
        k = require_int("k", k, low=1, high=self.n_units)
        K = self.n_units
        w1 = self.slices["W1"].start + np.arange(self.n_in) * K + (k - 1)
        b1 = np.array([self.slices["b1"].start + k - 1])
        w2 = self.slices["W2"].start + (k - 1) * self.n_out + np.arange(self.n_out)
        return np.concatenate([w1, b1, w2])

    # ---- checks (public entry points only)
    def check(self, w, gamma, X, y=None):
        wv = getval(w)
        if not isinstance(wv, np.ndarray):
            raise TypeError(f"w must be a NumPy array, got {type(wv).__name__}")
        require_finite_array("w", wv, shape=(self.n_params,))
        _check_gamma(gamma, self.n_units)
        if not isinstance(X, np.ndarray):
            raise TypeError(f"X must be a NumPy array, got {type(X).__name__}")
        require_finite_array("X", X, shape=(None, self.n_in))
        if y is not None:
            check_labels(y, self.n_out, X)

    # ---- autograd reference
    def logits(self, w, gamma, X, active_only=True):
        """Class scores: h = f(X W1 + b1), logits = (m(γ) * h) W2 + b2. ``active_only=False``
        computes the whole pool (the same numbers, at K units' cost)."""
        self.check(w, gamma, X)
        return self._logits(w, gamma, X, _n_computed(gamma, self.n_units) if active_only else self.n_units)

    def _logits(self, w, gamma, X, n):
        W1, b1, W2, b2 = self.unflatten(w)
        h = self._f(X @ W1[:, :n] + b1[:n])
        return (h * _mask(gamma, n)) @ W2[:n] + b2

    def loss(self, w, gamma, X, y, active_only=True):
        """Mean softmax cross-entropy at width γ; autograd-differentiable in ``w`` and ``gamma``."""
        self.check(w, gamma, X, y)
        n = _n_computed(gamma, self.n_units) if active_only else self.n_units
        return softmax_cross_entropy(self._logits(w, gamma, X, n), y)

    # ---- the seed's closed form
    def gamma_grad(self, w, gamma, X, y, side="mean"):
        """∂L/∂γ by the seed's formula: mean_i ⟨p_i − onehot(y_i), h_ic W2_c⟩ with c = ⌈γ⌉.

        At an integer γ = k: ``side="left"`` uses unit k, ``"right"`` unit k + 1, ``"mean"`` their
        average (autograd's answer on :meth:`loss`); a side outside 1…K contributes 0 (L is flat there).
        """
        self.check(w, gamma, X, y)
        side = require_choice("side", side, SIDES)
        gamma = float(getval(gamma))
        K = self.n_units
        W1, b1, W2, b2 = self.unflatten(w)
        n = _n_computed(gamma, K)
        h = self._f(X @ W1[:, :n] + b1[:n])
        logits = (h * _mask(gamma, n)) @ W2[:n] + b2
        delta = _softmax(logits)
        delta[np.arange(len(y)), y] -= 1.0
        delta /= len(y)

        def term(c):  # the seed's dF/dy² · y¹_c W¹_c, units counted from 1
            return float(np.sum((delta @ W2[c - 1]) * h[:, c - 1])) if 1 <= c <= min(n, K) else 0.0

        k = math.floor(gamma)
        if gamma != k:
            return term(k + 1)
        left, right = term(k), term(k + 1)
        return {"left": left, "right": right, "mean": 0.5 * (left + right)}[side]

    # ---- fast path
    def loss_and_grad(self, w, gamma, X, y, check_input=True):
        """``(loss, ∂L/∂w, ∂L/∂γ)`` by hand-written backprop over the computed units only.

        Equal to autograd on :meth:`loss` (mean convention at integers). Units beyond the
        computed ones get a zero gradient. ``check_input=False`` skips validation in loops.
        """
        if check_input:
            self.check(w, gamma, X, y)
        K, n_out = self.n_units, self.n_out
        n = _n_computed(gamma, K)
        W1 = w[self.slices["W1"]].reshape(self.n_in, K)
        b1 = w[self.slices["b1"]]
        W2 = w[self.slices["W2"]].reshape(K, n_out)
        b2 = w[self.slices["b2"]]
        mask = np.minimum(np.maximum(gamma - np.arange(n) , 0.0), 1.0)   # _mask without autograd's wrapper
        z = X @ W1[:, :n] + b1[:n]
        h = self._f(z, xp=np)
        hm = h * mask
        logits = hm @ W2[:n] + b2
        top = logits.max(axis=1, keepdims=True)
        e = np.exp(logits - top)
        s = e.sum(axis=1, keepdims=True)
        rows = np.arange(len(y))
        loss = float(np.sum(np.log(s[:, 0]) + top[:, 0] - logits[rows, y])) / len(y)
        delta = e / s
        delta[rows, y] -= 1.0
        delta /= len(y)
        back = delta @ W2[:n].T                         # ∂L/∂(m h), one column per unit
        g = np.zeros_like(w)
        gW2 = g[self.slices["W2"]].reshape(K, n_out)
        gW2[:n] = hm.T @ delta
        g[self.slices["b2"]] = delta.sum(axis=0)
        dz = back * mask * self._f.d1(z, h, xp=np)
        g[self.slices["W1"]].reshape(self.n_in, K)[:, :n] = X.T @ dz
        g[self.slices["b1"]][:n] = dz.sum(axis=0)
        per_unit = np.sum(back * h, axis=0)             # the seed's term for each computed unit
        k = math.floor(gamma)
        if gamma != k:
            dgamma = per_unit[k]
        else:
            dgamma = 0.5 * ((per_unit[k - 1] if k >= 1 else 0.0) + (per_unit[k] if k < n else 0.0))
        return loss, g, float(dgamma)

    def error(self, w, gamma, X, y):
        """Fraction of rows of ``X`` misclassified at width γ."""
        self.check(w, gamma, X, y)
        logits = self._logits(w, float(gamma), X, _n_computed(gamma, self.n_units))
        return float(np.mean(np.argmax(logits, axis=1) != y))

    # ---- smooth representation (seed 000, footnote 1)
    def smooth_basis(self, n_bumps, width=None):
        """A matrix B with w = B θ: every per-unit weight is a sum of ``n_bumps`` Gaussian bumps
        in the unit's position k (centres spread over 1…K, std ``width``, default the spacing);
        b2 stays free. Neighbouring units then have similar weights (notebook 14 §5)."""
        K = self.n_units
        n_bumps = require_int("n_bumps", n_bumps, low=1, high=K)
        centres = np.linspace(1.0, K, n_bumps)
        spacing = (K - 1.0) / max(n_bumps - 1, 1)
        width = spacing if width is None else require_positive("width", width)
        k = np.arange(1, K + 1, dtype=float)
        phi = np.exp(-0.5 * ((k[:, None] - centres[None, :]) / width) ** 2)   # (K, n_bumps)
        blocks = []  # (row indices in w, column-block) for each per-unit vector
        for r in range(self.n_in):
            blocks.append(self.slices["W1"].start + r * K + np.arange(K))
        blocks.append(self.slices["b1"].start + np.arange(K))
        for c in range(self.n_out):
            blocks.append(self.slices["W2"].start + np.arange(K) * self.n_out + c)
        B = np.zeros((self.n_params, len(blocks) * n_bumps + self.n_out))
        for j, rows in enumerate(blocks):
            B[rows, j * n_bumps:(j + 1) * n_bumps] = phi
        B[self.slices["b2"], len(blocks) * n_bumps:] = np.eye(self.n_out)
        return B



def _softmax(logits):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@dataclass
class DescentRun:
    """What :func:`descend` recorded: one entry per step (γ after the step, its gradient, losses)."""

    w: np.ndarray
    gamma: float
    gammas: np.ndarray
    gamma_grads: np.ndarray
    train_losses: np.ndarray
    valid_losses: np.ndarray = field(default=None)
    n_gradients: int = 0
    snapshots: dict = field(default_factory=dict)


def descend(model, w, gamma, X, y, steps, lr_w=0.01, lr_gamma=1.0, valid=None, width_cost=0.0,
            weight_decay=0.0, gamma_min=0.5, basis=None, keep_every=None):
    """Train weights (Adam, lr ``lr_w``) and γ (plain gradient descent, lr ``lr_gamma``) together.

    Each step: one gradient of the training loss at (w, γ); an Adam step on w with
    ``weight_decay * ||w||²`` added; a γ step on ∂L_train/∂γ + ``width_cost`` — or, with
    ``valid=(X_v, y_v)``, on ∂L_valid/∂γ + ``width_cost`` at the weights just updated (T1–T2
    order, direct term only; one more gradient per step). γ is kept in [``gamma_min``, K]. With ``basis`` B
    the trained parameters are θ, w = B θ (pass θ as ``w``). ``keep_every=n`` keeps (w, γ) after
    every n-th step (and before the first) in ``snapshots``. Derived in notebook 14 §3.
    """
    if not isinstance(model, ContinuousWidthMLP):
        raise TypeError(f"model must be a ContinuousWidthMLP, got {type(model).__name__}")
    if basis is not None:
        basis = require_finite_array("basis", np.asarray(basis, dtype=float), shape=(model.n_params, None))
        model.check(basis @ w, gamma, X, y)
    else:
        model.check(w, gamma, X, y)
    steps = require_int("steps", steps, low=1)
    lr_w = require_positive("lr_w", lr_w, allow_zero=True)
    lr_gamma = require_positive("lr_gamma", lr_gamma, allow_zero=True)
    width_cost = require_positive("width_cost", width_cost, allow_zero=True)
    weight_decay = require_positive("weight_decay", weight_decay, allow_zero=True)
    gamma_min = require_range("gamma_min", gamma_min, 0.0, float(model.n_units))
    gamma = require_range("gamma", gamma, gamma_min, float(model.n_units))
    if valid is not None:
        model.check(basis @ w if basis is not None else w, gamma, *valid)
    theta = np.array(w, dtype=float)
    m, v = np.zeros_like(theta), np.zeros_like(theta)
    rec = np.zeros((steps, 4))
    keep_every = None if keep_every is None else require_int("keep_every", keep_every, low=1)
    snapshots = {} if keep_every is None else {0: (theta.copy(), gamma)}
    for t in range(steps):
        w_full = theta if basis is None else basis @ theta
        loss, g, dgamma = model.loss_and_grad(w_full, gamma, X, y, check_input=False)
        g = g + 2.0 * weight_decay * w_full
        if basis is not None:
            g = basis.T @ g
        direction, m, v = adam_direction(m, v, g, t + 1, 0.9, 0.999, 1e-8)
        theta = theta - lr_w * direction
        valid_loss = np.nan
        if valid is not None:  # T1-T2 order: the weight step first, then γ on the validation loss
            w_full = theta if basis is None else basis @ theta
            valid_loss, _, dgamma = model.loss_and_grad(w_full, gamma, *valid, check_input=False)
        gamma = min(max(gamma - lr_gamma * (dgamma + width_cost), gamma_min), float(model.n_units))
        rec[t] = gamma, dgamma, loss, valid_loss
        if keep_every is not None and (t + 1) % keep_every == 0:
            snapshots[t + 1] = (theta.copy(), gamma)
    return DescentRun(w=theta, gamma=gamma, gammas=rec[:, 0], gamma_grads=rec[:, 1], train_losses=rec[:, 2],
                      valid_losses=None if valid is None else rec[:, 3],
                      n_gradients=steps * (1 if valid is None else 2), snapshots=snapshots)
