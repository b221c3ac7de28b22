"""Greedy one-step hypergradients: T1-T2 online tuning and hypergradient descent (notebook 11).

T1-T2 (Luketina, Berglund, Greff & Raiko 2016; seed 004): the elementary parameters w take a
step on a T1 minibatch, and the hyperparameters a step on the validation loss of a T2 minibatch
*just after* that step::

    d/dmeta  valid(w - lr grad_w train(w, meta), meta)
        = d_meta valid(w1) - lr (d2 train / dmeta dw) grad_w valid(w1),     w1 = w - lr grad_w train(w, meta)

One gradient, one validation gradient and one mixed second-derivative product (a VJP of
grad_w train w.r.t. meta): no training run is differentiated, so the cost per hyper-step is a
few gradients whatever the horizon; the price is the short-horizon (greedy) bias (notebook 11 §6).

The mixed product comes from the training loss itself when the bound loss has
``grad(w, meta)`` and ``mixed_vjp(w, meta, u)`` (the course MLP: :mod:`hpo_teach.problems.mlp_t1t2`,
closed-form L2 term and an R-op pass for input noise), else from autograd; a validation loss may
give ``value_and_grads(w, meta) -> (value, d_w, d_meta)``. This module knows no model.

On a GPU: with ``w`` and ``meta`` on a device (CuPy; the tests use array-api-strict's device) and
losses that have those fast methods (the course MLP built on device data), every step runs on that
device; host data for ``meta``, ``lower`` and ``upper`` is moved there. The autograd route is NumPy
only (autograd cannot trace device arrays) and refuses device arrays at the call.

- :func:`hypergradient`: the contract above, losses bound to their minibatches;
- :func:`tune`: the online algorithm, Adam steps on w (T1) and on meta (T2) every ``every`` steps;
- :func:`hypergradient_descent`: the learning-rate case (Baydin et al. 2018, SGD-HD).
"""

import time
from dataclasses import dataclass, field

import numpy as np
from array_api_compat import is_array_api_obj
from autograd import grad, value_and_grad

from .._validate import require_finite_array, require_int, require_number, require_positive, require_range
from ..backend import asarray, namespace_of, to_numpy
from ..training.optim import adam_update, sgd_update
from .derivatives import check_arguments
from .unrolled import quiet_autograd, require_callable

MIXED_PROTOCOL = ("grad", "mixed_vjp")


def _provides(obj, names):
    return all(callable(getattr(obj, name, None)) for name in names)


class _AutogradMixed:
    """``grad`` and ``mixed_vjp`` of a bound ``train_loss(w, meta)`` by autograd (the general path)."""

    def __init__(self, train_loss):
        self.grad = grad(train_loss, 0)
        self._mixed = grad(lambda w, meta, u: self.grad(w, meta) @ u, 1)

    def mixed_vjp(self, w, meta, u):
        return self._mixed(w, meta, u)


def _train_derivatives(train_loss):
    return train_loss if _provides(train_loss, MIXED_PROTOCOL) else _AutogradMixed(train_loss)


def _valid_value_and_grads(valid_loss, w, meta):
    if _provides(valid_loss, ("value_and_grads",)):
        return valid_loss.value_and_grads(w, meta)
    value, (d_w, d_meta) = value_and_grad(valid_loss, (0, 1))(w, meta)
    return float(value), d_w, d_meta


def _as_vector(name, x, like=None):
    """A finite 1-D float array: a device array stays where it is; host data becomes float64 on ``like``'s
    device (NumPy without ``like``)."""
    if is_array_api_obj(x) and not isinstance(x, np.ndarray):
        if not namespace_of(x).isdtype(x.dtype, "real floating"):
            raise TypeError(f"{name} must be a 1-D array of real numbers, got dtype {x.dtype}")
    else:
        try:
            x = np.asarray(x, dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"{name} must be a 1-D array of real numbers, got {type(x).__name__}") from None
        if like is not None:
            x = asarray(x, like=like)
    if x.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array, got shape {tuple(x.shape)}")
    return require_finite_array(name, x, ndim=1)


def _require_fast_on_device(w, train_loss, valid_loss=None):
    """Device arrays need the fast methods (of ``valid_loss`` too unless None): autograd traces NumPy only."""
    if isinstance(w, np.ndarray) or (_provides(train_loss, MIXED_PROTOCOL)
                                     and (valid_loss is None or _provides(valid_loss, ("value_and_grads",)))):
        return
    raise TypeError(f"w is a {type(w).__module__}.{type(w).__name__}, but autograd traces NumPy arrays only: on a "
                    "device, train_loss needs methods grad and mixed_vjp and valid_loss value_and_grads (as the "
                    "course MLP's T1T2TrainLoss.at(t) and T2ValidLoss.at(s) have)")


def _greedy(derivs, valid_loss, w, meta, lr, g=None):
    """The kernel (no checks): ``(hypergradient, validation loss at w1)``; reuses ``g`` if given."""
    if g is None:
        g = derivs.grad(w, meta)
    value, u, d_meta = _valid_value_and_grads(valid_loss, w - lr * g, meta)
    return d_meta - lr * derivs.mixed_vjp(w, meta, u), value


def hypergradient(train_loss, valid_loss, w, meta, lr):
    """d/dmeta of ``valid_loss(w - lr * grad_w train_loss(w, meta), meta)``, shaped like ``meta``.

    ``train_loss(w, meta)`` and ``valid_loss(w, meta)`` are scalars already bound to their
    minibatches (autograd-differentiable, or providing the fast methods named in the module
    docstring); ``w``, ``meta`` flat float arrays; ``lr > 0`` the step size of the SGD step.
    Computed with one mixed second-derivative product (derived in notebook 11 §2). With ``w`` on a
    device (fast-path losses only), ``meta`` goes there too and the result is on that device.
    """
    require_callable("train_loss", train_loss)
    require_callable("valid_loss", valid_loss)
    w = _as_vector("w", w)
    meta = _as_vector("meta", meta, like=w)
    lr = require_positive("lr", lr)
    _require_fast_on_device(w, train_loss, valid_loss)
    check_arguments(train_loss, w, meta)
    with quiet_autograd():
        return _greedy(_train_derivatives(train_loss), valid_loss, w, meta, lr)[0]


def _bind(loss, t):
    """``loss`` at step ``t`` as a ``(w, meta)`` function: its own ``at(t)`` if it has one."""
    at = getattr(loss, "at", None)
    return at(t) if callable(at) else (lambda w, meta: loss(w, meta, t))


@dataclass
class TuneResult:
    """What :func:`tune` returns. ``meta_path[k]`` is meta after k hyper-steps (row 0: the start);
    ``hypergradients[k]`` the k-th hypergradient; ``valid_losses[k]`` the T2 loss it saw;
    ``recorded`` holds ``(step, callback value)`` pairs; ``seconds`` the wall time of the loop.
    ``w`` and ``meta`` are on the device the loop ran on; the paths and losses are NumPy, on the host."""

    w: np.ndarray
    meta: np.ndarray
    meta_path: np.ndarray
    hypergradients: np.ndarray
    valid_losses: np.ndarray
    seconds: float
    recorded: list = field(default_factory=list)


def tune(train_loss, valid_loss, w0, meta0, n_steps, lr=1e-3, hyper_lr=0.02, every=10, hyper_eps=1e-8,
         lower=None, upper=None, callback=None, callback_every=None, progress=None):
    """T1-T2 online tuning: ``n_steps`` Adam steps on w, and every ``every`` steps one Adam step on meta.

    ``train_loss(w, meta, t)`` is the T1 loss at step t; ``valid_loss(w, meta, s)`` the T2 loss on
    minibatch s (s counts hyper-steps). Either may have ``at(t)`` returning the bound loss (the
    fast path). At step t: g = grad_w train at (w_t, meta); if t is a multiple of ``every``, meta
    takes an Adam step (rate ``hyper_lr``, epsilon ``hyper_eps``) along :func:`hypergradient`
    with step size ``lr`` (the paper's eta; Adam's per-weight scaling of the T1 step is ignored
    there, as in the official code), then is clipped to [``lower``, ``upper``]; w takes its Adam
    step with g. ``every=None``: plain training at fixed meta (the baseline, same loop).
    ``callback(step, w, meta)`` is called at step 0, every ``callback_every`` steps and at the end;
    ``progress`` an optional tqdm-like bar to ``update(1)`` at each callback.

    On a device: with ``w0`` a device array (CuPy) and fast-path losses, w, meta and both Adam
    states stay on that device (host ``meta0``, ``lower``, ``upper`` are moved there), and so do
    the result's ``w`` and ``meta``; ``meta_path`` and ``hypergradients`` come back to the host
    once, at the end, and each validation loss is a host float (one scalar copy per hyper-step).
    """
    require_callable("train_loss", train_loss)
    require_callable("valid_loss", valid_loss)
    w = _as_vector("w0", w0)
    meta = _as_vector("meta0", meta0, like=w)
    n_steps = require_int("n_steps", n_steps, low=1)
    lr = require_positive("lr", lr)
    hyper_lr = require_positive("hyper_lr", hyper_lr)
    hyper_eps = require_positive("hyper_eps", hyper_eps)
    if every is not None:
        every = require_int("every", every, low=1)
    if callback is not None:
        require_callable("callback", callback)
        callback_every = require_int("callback_every", n_steps if callback_every is None else callback_every, low=1)
    xp = namespace_of(w, meta)
    lower = asarray(np.full(meta.shape, -np.inf), like=w) if lower is None else _as_vector("lower", lower, like=w)
    upper = asarray(np.full(meta.shape, np.inf), like=w) if upper is None else _as_vector("upper", upper, like=w)
    if lower.shape != meta.shape or upper.shape != meta.shape or bool(xp.any(lower > upper)):
        raise ValueError(f"lower and upper must have meta0's shape {tuple(meta.shape)} with lower <= upper")
    meta = xp.clip(meta, lower, upper)
    _require_fast_on_device(w, _bind(train_loss, 0), None if every is None else _bind(valid_loss, 0))
    check_arguments(train_loss, w, meta)

    m_w, v_w = xp.zeros_like(w), xp.zeros_like(w)
    m_h, v_h = xp.zeros_like(meta), xp.zeros_like(meta)
    path, hypergrads, losses, recorded = [xp.asarray(meta, copy=True)], [], [], []  # a callback may edit meta
    if callback is not None:
        recorded.append((0, callback(0, w, meta)))
    start = time.perf_counter()
    with quiet_autograd():
        for t in range(n_steps):
            step_loss = _bind(train_loss, t)
            derivs = _train_derivatives(step_loss)
            g = derivs.grad(w, meta)
            if every is not None and t % every == 0:
                s = len(hypergrads)
                h, value = _greedy(derivs, _bind(valid_loss, s), w, meta, lr, g)
                meta, m_h, v_h = adam_update(meta, m_h, v_h, h, s + 1, hyper_lr, 0.9, 0.999, hyper_eps)
                meta = xp.clip(meta, lower, upper)
                path.append(xp.asarray(meta, copy=True))
                hypergrads.append(h)
                losses.append(value)
            w, m_w, v_w = adam_update(w, m_w, v_w, g, t + 1, lr, 0.9, 0.999, 1e-8)
            if callback is not None and ((t + 1) % callback_every == 0 or t + 1 == n_steps):
                seconds = time.perf_counter() - start
                recorded.append((t + 1, callback(t + 1, w, meta)))
                start = time.perf_counter() - seconds  # the callback's time does not count
                if progress is not None:
                    progress.update(1)
    seconds = time.perf_counter() - start
    return TuneResult(w=w, meta=meta, meta_path=to_numpy(xp.stack(path)),
                      hypergradients=to_numpy(xp.stack(hypergrads)) if hypergrads else np.zeros((0, meta.size)),
                      valid_losses=np.array(losses), seconds=seconds, recorded=recorded)


@dataclass
class HDResult:
    """What :func:`hypergradient_descent` returns: final ``w``, the rate used at each step
    (``alphas``) and the training loss each step's gradient came with (``losses``)."""

    w: np.ndarray
    alphas: np.ndarray
    losses: np.ndarray


def hypergradient_descent(loss_and_grad, w0, alpha0, beta, n_steps, multiplicative=False):
    """SGD whose learning rate descends its own greedy hypergradient (Baydin et al. 2018, SGD-HD).

    ``loss_and_grad(w, t) -> (loss, gradient)`` on minibatch t. Each step::

        g_t = grad f(w_{t-1});   alpha_t = alpha_{t-1} + beta g_t . g_{t-1};   w_t = w_{t-1} - alpha_t g_t

    (g_0 . g_{-1} := 0). d f(w_{t-1}) / d alpha_{t-1} = -g_t . g_{t-1} is the one-step hypergradient;
    nothing keeps alpha > 0. ``multiplicative=True`` uses the normalised rule
    ``alpha_t = alpha_{t-1} (1 + beta cos(g_t, g_{t-1}))``, which stays positive for beta < 1.
    ``beta = 0`` is plain SGD. Derived in notebook 11 §8.

    ``w0`` may be a device array (CuPy), with ``loss_and_grad`` computing there: w stays on the
    device (``w`` of the result too); ``alphas`` and ``losses`` come back to the host at the end.
    """
    require_callable("loss_and_grad", loss_and_grad)
    w = _as_vector("w0", w0)
    xp = namespace_of(w)
    alpha = require_number("alpha0", alpha0)
    beta = require_range("beta", beta, low=0.0, high=1.0, high_open=True) if multiplicative \
        else require_positive("beta", beta, allow_zero=True)
    n_steps = require_int("n_steps", n_steps, low=1)
    g_prev = xp.zeros_like(w)
    alphas, losses = [], []
    for t in range(n_steps):
        loss, g = loss_and_grad(w, t)
        if multiplicative:
            norms = xp.sqrt(g @ g) * xp.sqrt(g_prev @ g_prev)  # np.linalg.norm: sqrt(g . g)
            alpha = alpha * (1.0 + beta * (g @ g_prev) / norms) if norms > 0 else alpha
        else:
            alpha = alpha + beta * (g @ g_prev)
        w = sgd_update(w, g, alpha)
        g_prev = g
        alphas.append(alpha)
        losses.append(loss)
    return HDResult(w=w, alphas=np.array([float(a) for a in alphas]), losses=np.array([float(v) for v in losses]))
