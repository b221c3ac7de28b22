"""Hypergradients by exactly reversing SGD with momentum (Maclaurin, Duvenaud & Adams 2015).

Forward: T steps of ``v <- beta*v - (1-beta)*g(w)``, ``w <- w + alpha*v`` from ``v0 = 0``,
held exactly in fixed point (:mod:`.exact`); the bits that multiplying by beta would destroy
go to an information buffer. Reverse: undo the steps one by one, recovering every w_t and
v_t bit for bit, while back-propagating the validation gradient (their Algorithm 2, with its
two index slips corrected; the adjoint equations are derived, and written in float64, in
notebook 09 §6; the exact arithmetic in §3; per-step costs measured in §7)::

    d_alpha_t = dw . v_{t+1}                             (dw * v_{t+1} for per-parameter alphas)
    w_t       = w_{t+1} - alpha_t v_{t+1}               (exact)
    g_t       = grad L(w_t, meta, t)                     (recomputed, bit-identical)
    v_t       = (v_{t+1} + (1 - beta_t) g_t) / beta_t    (exact, pops the buffer)
    dv       += alpha_t dw
    d_beta_t  = dv . (v_t + g_t)
    dw       -= (1 - beta_t) H(w_t) dv
    dmeta    -= (1 - beta_t) (d2L / dmeta dw) dv
    dv       *= beta_t

Memory is O(d) plus about log2(1/beta) bits per weight per step, instead of the O(T*d)
trajectory that autograd through the unrolled loop keeps (:mod:`.unrolled`, the reference).

Exactness needs the reverse pass to recompute bit-identical gradients: ``train_loss`` must
use the same minibatch, dropout and noise draws for the same ``t`` (seed them by step), and
BLAS must run with a fixed thread count (``OMP_NUM_THREADS=1``, also the fastest here).

``alphas`` may also have shape (T, d): a step size per step *and parameter* (e.g. per-layer
learning-rate schedules spread over the parameters); ``d_alphas`` then has that shape too, and
the per-layer hypergradient is the sum of its columns over the layer (chain rule). Momenta stay
one per step: a per-parameter beta would need a different base per weight in the buffer
(notebook 10a, exercise 2, prices it).

Momenta are applied as multiples of 2**-16: 0.875 or 0.5 exactly, 0.9 as 0.899993896...
(see :func:`.exact.representable_beta`). The whole computation, d_betas included, is for the
momenta actually applied (``betas_applied``); for a beta that was rounded, ``d_betas`` is the
derivative of the smooth loss at the applied value (the rounding itself is piecewise constant).
"""

import math
import time
import weakref
from dataclasses import dataclass

import numpy as np
from array_api_compat import array_namespace
from autograd import value_and_grad
from autograd.differential_operators import grad_and_aux
from autograd.extend import defvjp_argnums, primitive

from ..backend import asarray, to_numpy
from .derivatives import check_arguments, derivatives_of
from .exact import ExactArray, ExactRangeError, beta_fraction, to_fixed
from .unrolled import HypergradResult, check_problem, quiet_autograd, require_callable


@dataclass
class ReversibleResult(HypergradResult):
    """The hypergradients plus what the reversal cost and whether it was exact.

    ``w0_recovered_exactly``: the reversed fixed-point w equals the forward start bit for bit,
    v is back to exactly 0 and the information buffer is empty.
    ``bits_stored``: information held by the buffer after the forward pass (sum over weights of
    each stored integer's bit length); ``bits_per_weight_per_step`` = bits_stored / (d*T),
    to compare with ``bits_expected_per_weight_per_step`` = mean over t of log2(1/beta_t).
    ``buffer_bytes``: memory the buffer allocated (32-bit digits in 64-bit words).
    ``forward_seconds`` / ``reverse_seconds``: CPU time of the two passes (robust on a shared machine).
    """

    w0_recovered_exactly: bool
    betas_applied: np.ndarray
    bits_stored: int
    bits_per_weight_per_step: float
    bits_expected_per_weight_per_step: float
    buffer_bytes: int
    forward_seconds: float
    reverse_seconds: float


class ExactTraining:
    """Exact SGD with momentum as an autograd primitive: ``w_T = train(w0, meta, alphas, betas)``.

    Its vector-Jacobian product is the exact reverse pass (the recursion above), as in
    HIPS/hypergrad's ``sgd4``. So autograd differentiates any function of w_T through training
    without a tape, and any parameterization of the hyperparameters too (per-layer schedules
    built from a few numbers, sigmoid-mapped momenta, scaled initial weights)::

        train = ExactTraining(train_loss)
        def hyper_loss(theta):
            alphas, betas = schedule(theta)           # any autograd.numpy code
            return valid_loss(train(w0, meta, alphas, betas), meta)
        d_theta = autograd.grad(hyper_loss)(theta)

    The reverse pass consumes the forward's information buffer, so each forward supports one
    VJP. After it, :attr:`last_run` says whether w0 was recovered bit for bit and what it cost.
    Arguments as for :func:`hypergrad`.
    """

    def __init__(self, train_loss, derivatives=None):
        self.train_loss = train_loss
        self.derivatives = derivatives_of(train_loss, derivatives)
        self.last_run = None
        self._pending = {}  # id(w_T) -> the forward's state, until its VJP runs
        self._train = primitive(self._forward_pass)
        defvjp_argnums(self._train, self._vjp_maker)

    def __call__(self, w0, meta, alphas, betas):
        return self._train(w0, meta, alphas, betas)

    def _forward_pass(self, w0, meta, alphas, betas):
        w0, meta, alphas, betas = check_problem(w0, meta, alphas, betas)
        if not isinstance(w0, np.ndarray):
            raise TypeError("ExactTraining is an autograd primitive, and autograd traces NumPy arrays only; "
                            f"for w0 of type {type(w0).__name__} call reversible.hypergrad, which runs on its device")
        check_arguments(self.train_loss, w0, meta)
        ratios = _ratios(betas)
        start = time.process_time()
        with quiet_autograd():
            w, v = _forward(self.derivatives, w0, meta, alphas, ratios)
        run = ExactRun(w, v, w0, meta, alphas, ratios, forward_seconds=time.process_time() - start,
                       bits_stored=v.buffer.bits(), buffer_bytes=v.buffer.nbytes)
        w_final = w.value
        key = id(w_final)
        self._pending[key] = run
        weakref.finalize(w_final, self._pending.pop, key, None)
        return w_final

    def _vjp_maker(self, argnums, w_final, args, kwargs):
        run = self._pending.pop(id(w_final))

        def vjp(d_w):
            if run.recovered is not None:
                raise RuntimeError("this exact training run was already reversed: each forward pass supports one "
                                   "vector-Jacobian product (the reverse pass consumes the information buffer)")
            start = time.process_time()
            with quiet_autograd():
                grads = _reverse(self.derivatives, run.w, run.v, np.asarray(d_w, dtype=float),
                                 np.zeros_like(run.meta), run.meta, run.alphas, run.ratios)
            run.reverse_seconds = time.process_time() - start
            run.recovered = _recovered(run.w, run.v, run.w0)
            self.last_run = run
            return tuple(grads[i] for i in argnums)

        return vjp


@dataclass
class ExactRun:
    """One exact training run: its final state (reversed in place by the VJP) and what it cost."""

    w: ExactArray
    v: ExactArray
    w0: np.ndarray
    meta: np.ndarray
    alphas: np.ndarray
    ratios: list
    forward_seconds: float
    bits_stored: int
    buffer_bytes: int
    reverse_seconds: float = None
    recovered: bool = None


def hypergrad(train_loss, valid_loss, w0, meta, alphas, betas, derivatives=None):
    """Validation loss after exact SGD with momentum, and its exact-reversal hypergradients.

    Arguments as in the course contract: ``train_loss(w, meta, t)`` and ``valid_loss(w, meta)``
    are autograd-differentiable scalars, ``w0`` and ``meta`` flat float arrays, ``alphas >= 0``
    of shape (T,) or (T, d) (per-parameter step sizes) and ``betas`` in (0, 1) of length T.
    The gradients and HVPs come from ``train_loss`` itself when it implements the derivatives
    protocol (:mod:`.derivatives`), else from autograd; ``derivatives`` overrides both.
    Autograd differentiates ``valid_loss(train(w0, meta, alphas, betas), meta)`` with
    :class:`ExactTraining` as ``train``. Returns a :class:`ReversibleResult`.
    """
    train = ExactTraining(train_loss, derivatives)
    require_callable("valid_loss", valid_loss)
    w0, meta, alphas, betas = check_problem(w0, meta, alphas, betas)
    if not isinstance(w0, np.ndarray):
        return _hypergrad_on_device(train.derivatives, train_loss, valid_loss, w0, meta, alphas, betas)

    def loss_after_training(w0, meta, alphas, betas):
        w_final = train(w0, meta, alphas, betas)
        return valid_loss(w_final, meta), w_final  # w_final comes back as autograd's "aux"

    with quiet_autograd():
        (d_w0, d_meta, d_alphas, d_betas), w_final = grad_and_aux(loss_after_training, argnum=(0, 1, 2, 3))(
            w0, meta, alphas, betas)
        valid = float(valid_loss(w_final, meta))
    run = train.last_run
    n_steps, size = len(run.ratios), w0.shape[0]
    return ReversibleResult(
        valid_loss=valid, d_w0=d_w0, d_meta=d_meta, d_alphas=d_alphas, d_betas=d_betas,
        w_final=w_final, w0_recovered_exactly=run.recovered,
        betas_applied=np.array([float(r) for r in run.ratios]),
        bits_stored=run.bits_stored, bits_per_weight_per_step=run.bits_stored / (size * n_steps),
        bits_expected_per_weight_per_step=float(np.mean([math.log2(1 / r) for r in run.ratios])),
        buffer_bytes=run.buffer_bytes, forward_seconds=run.forward_seconds, reverse_seconds=run.reverse_seconds,
    )


def _hypergrad_on_device(derivatives, train_loss, valid_loss, w0, meta, alphas, betas):
    """:func:`hypergrad` for arrays of another library (CuPy): the same forward and reverse pass, with w, v and
    the information buffer on the device. Autograd cannot trace such arrays, so the validation loss's value and
    gradient come from ``valid_loss.value_and_grad(w, meta)`` if it has that method (a fast path on the device),
    else from autograd on a host copy of w_T (one round-trip)."""
    check_arguments(train_loss, w0, meta)
    ratios = _ratios(betas)
    start = time.process_time()
    w, v = _forward(derivatives, w0, meta, alphas, ratios)
    forward_seconds = time.process_time() - start
    bits_stored, buffer_bytes = v.buffer.bits(), v.buffer.nbytes
    w_final = w.value
    valid, d_w, d_meta = _valid_value_and_grads(valid_loss, w_final, meta)
    start = time.process_time()
    d_w0, d_meta, d_alphas, d_betas = _reverse(derivatives, w, v, d_w, d_meta, meta, alphas, ratios)
    reverse_seconds = time.process_time() - start
    return ReversibleResult(
        valid_loss=valid, d_w0=d_w0, d_meta=d_meta, d_alphas=d_alphas, d_betas=d_betas,
        w_final=w_final, w0_recovered_exactly=_recovered(w, v, w0),
        betas_applied=np.array([float(r) for r in ratios]),
        bits_stored=bits_stored, bits_per_weight_per_step=bits_stored / (w0.shape[0] * len(ratios)),
        bits_expected_per_weight_per_step=float(np.mean([math.log2(1 / r) for r in ratios])),
        buffer_bytes=buffer_bytes, forward_seconds=forward_seconds, reverse_seconds=reverse_seconds,
    )


def _valid_value_and_grads(valid_loss, w, meta):
    """(value, d/dw, d/dmeta) of the validation loss at device arrays w, meta."""
    fast = getattr(valid_loss, "value_and_grad", None)
    if callable(fast):
        return fast(w, meta)
    with quiet_autograd():
        value, (d_w, d_meta) = value_and_grad(valid_loss, argnum=(0, 1))(to_numpy(w), to_numpy(meta))
    return float(value), asarray(np.asarray(d_w, dtype=float), like=w), asarray(np.asarray(d_meta, dtype=float), like=w)


def _recovered(w, v, w0):
    """True if the reversed fixed-point w equals w0's bit for bit, v is exactly 0 and the buffer is empty."""
    xp = array_namespace(w.fixed)
    return bool(xp.all(w.fixed == to_fixed(w0))) and not bool(xp.any(v.fixed != 0)) and v.buffer.is_empty()


def train_exact(train_loss, w0, meta, alphas, betas, derivatives=None):
    """The exact forward pass alone: the float value of w_T (e.g. for finite differences).

    Finite differences in a beta should use steps that are multiples of 2**-16, or the
    rounding of beta hides in them.
    """
    derivatives = derivatives_of(train_loss, derivatives)
    w0, meta, alphas, betas = check_problem(w0, meta, alphas, betas)
    check_arguments(train_loss, w0, meta)
    with quiet_autograd():
        w, _ = _forward(derivatives, w0, meta, alphas, _ratios(betas))
    return w.value


def _ratios(betas):
    return [beta_fraction(b, f"betas[{t}]") for t, b in enumerate(betas)]


def _forward(derivatives, w0, meta, alphas, ratios):
    """T exact steps; returns the ExactArrays w_T and v_T (v's buffer holds the lost bits).

    Each step is :func:`hpo_teach.training.optim.momentum_update` in fixed point: the same
    two lines, with the multiplication by beta made reversible by the buffer (tested against
    the float rule in ``tests/test_hypergrad.py``).
    """
    xp = array_namespace(w0)
    w = ExactArray(w0, "w0")
    v = ExactArray(xp.zeros_like(w0))
    for t, (alpha, ratio) in enumerate(zip(_on_device(alphas, w0), ratios)):
        try:
            g = derivatives.grad(w.value, meta, t)
            v.mul(ratio).sub((1.0 - float(ratio)) * g, "(1 - beta) * gradient")
            w.add(alpha * v.value, "alpha * velocity")
        except ExactRangeError as error:
            raise ExactRangeError(
                f"exact SGD left the fixed-point range at step {t}: {error}. Training is "
                f"probably diverging; lower alphas (max of alphas[{t}] = {np.max(alphas[t]):g})."
            ) from None
    return w, v


def _reverse(derivatives, w, v, d_w, d_meta, meta, alphas, ratios):
    """Undo the T steps in place on ``w``, ``v``, back-propagating (d_w, d_meta) from w_T.

    Returns (d_w0, d_meta, d_alphas, d_betas); the order of the lines is the recursion in the
    module docstring.
    """
    xp = array_namespace(d_w)
    d_v = xp.zeros_like(d_w)
    d_alphas, d_betas = [None] * len(ratios), [None] * len(ratios)
    per_parameter = alphas.ndim == 2
    device_alphas = _on_device(alphas, d_w)
    for t in reversed(range(len(ratios))):
        alpha, ratio = device_alphas[t], ratios[t]
        beta = float(ratio)
        v_next = v.value
        d_alphas[t] = d_w * v_next if per_parameter else d_w @ v_next
        w.sub(alpha * v_next)  # exact: the same float that the forward step added
        d_v = d_v + alpha * d_w
        g, hvp_w, hvp_meta = derivatives.grad_and_hvps(w.value, meta, t, (1.0 - beta) * d_v)
        v.add((1.0 - beta) * g).div(ratio)  # exact: g is bit-identical to the forward's
        d_betas[t] = d_v @ (v.value + g)
        d_w = d_w - hvp_w  # hvp_w = (1 - beta) H(w_t) dv
        d_meta = d_meta - hvp_meta
        d_v = beta * d_v
    return d_w, d_meta, xp.stack(d_alphas), xp.stack(d_betas)


def _on_device(alphas, like):
    """Per-step learning rates as host floats, or (T, d) per-parameter rates moved to ``like``'s device."""
    if alphas.ndim == 1:
        return [float(a) for a in alphas]
    rows = asarray(alphas, like=like)
    return [rows[t, :] for t in range(alphas.shape[0])]
