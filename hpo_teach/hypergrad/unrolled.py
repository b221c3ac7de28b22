"""Hypergradients by autograd through the unrolled training loop: the reference.

The training procedure (Maclaurin et al. 2015, Algorithm 1) is T steps of SGD with momentum
from ``w0`` with ``v0 = 0``::

    g_t     = grad_w train_loss(w_t, meta, t)
    v_{t+1} = beta_t * v_t - (1 - beta_t) * g_t
    w_{t+1} = w_t + alpha_t * v_{t+1}

and the hyper-loss is ``valid_loss(w_T, meta)``. Here autograd differentiates straight
through all T steps (notebook 08, "Training, unrolled, and its grad call", writes this loop and
its ``grad`` call out in eight lines and checks them against :func:`hypergrad`; it also introduces the
Hessian-vector products the backward pass runs on). That is simple and needs nothing exact, but the tape keeps every
intermediate value of every step: memory grows as O(T * d), which :func:`measure_peak_bytes`
lets a notebook see. :mod:`.reversible` gets the same numbers in O(d) memory plus a few bits
per weight per step.
"""

import tracemalloc
import warnings
from contextlib import contextmanager
from dataclasses import dataclass

import autograd.numpy as anp
import numpy as np
from array_api_compat import array_namespace
from autograd import grad
from autograd.differential_operators import grad_and_aux

from .._validate import require_finite_array, require_range
from ..backend import to_numpy
from ..training.optim import momentum_update
from .derivatives import check_arguments


@dataclass
class HypergradResult:
    """Validation loss at w_T and its derivatives with respect to every input of training."""

    valid_loss: float
    d_w0: np.ndarray
    d_meta: np.ndarray
    d_alphas: np.ndarray
    d_betas: np.ndarray
    w_final: np.ndarray


def train(train_loss, w0, meta, alphas, betas):
    """Run the T momentum steps in plain float64 and return ``(w_T, v_T)``.

    ``alphas`` of shape (T, d) gives every parameter its own step size, ``w_{t+1} = w_t +
    alphas[t] * v_{t+1}`` elementwise (e.g. per-layer learning-rate schedules, spread over the
    parameters with ``MLP.layer_of_param``); ``d_alphas`` then has that shape too.

    Written with ``autograd.numpy`` and no in-place operations, so autograd can trace it; for
    the same reason it does not check its arguments (:func:`hypergrad` does).
    """
    grad_w = grad(train_loss)
    w, v = w0, anp.zeros(w0.shape[0])
    for t in range(len(alphas)):
        w, v = momentum_update(w, v, grad_w(w, meta, t), alphas[t], betas[t])
    return w, v


def hypergrad(train_loss, valid_loss, w0, meta, alphas, betas):
    """Validation loss after training, and its gradient w.r.t. w0, meta, alphas and betas.

    Same arguments and result fields as :func:`hpo_teach.hypergrad.reversible.hypergrad`
    (``alphas`` of shape (T,) or (T, d), ``d_alphas`` of the same shape); computed by
    reverse-mode autograd through the whole unrolled loop (memory O(T * d)).
    ``betas`` may include 0 here (plain SGD); no rounding is applied to them.
    """
    require_callable("train_loss", train_loss)
    require_callable("valid_loss", valid_loss)
    w0, meta, alphas, betas = check_problem(w0, meta, alphas, betas, beta_may_be_zero=True)
    check_arguments(train_loss, w0, meta)

    def loss_after_training(w0, meta, alphas, betas):
        w_final, _ = train(train_loss, w0, meta, alphas, betas)
        return valid_loss(w_final, meta), w_final  # w_final comes back as autograd's "aux"

    with quiet_autograd():
        grads, w_final = grad_and_aux(loss_after_training, argnum=(0, 1, 2, 3))(w0, meta, alphas, betas)
        loss = valid_loss(w_final, meta)
    return HypergradResult(float(loss), *grads, w_final=w_final)


def measure_peak_bytes(fn, *args, **kwargs):
    """Run ``fn(*args, **kwargs)`` and return ``(result, peak bytes allocated meanwhile)``.

    Uses :mod:`tracemalloc`, which also sees NumPy's buffers, so it shows the O(T * d) tape of
    the unrolled method against the O(d) memory of the reversible one.
    """
    already_tracing = tracemalloc.is_tracing()
    if not already_tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    start, _ = tracemalloc.get_traced_memory()
    try:
        result = fn(*args, **kwargs)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        if not already_tracing:
            tracemalloc.stop()
    return result, peak - start


@contextmanager
def quiet_autograd():
    """Silence autograd's "Output seems independent of input" (e.g. a loss not using meta)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Output seems independent of input")
        yield


def require_callable(name, fn):
    """Return ``fn`` after checking it can be called."""
    if not callable(fn):
        raise TypeError(f"{name} must be a callable, got {type(fn).__name__}")
    return fn


def check_problem(w0, meta, alphas, betas, beta_may_be_zero=False):
    """Validate the array arguments of the hypergradient functions; return float64 arrays.

    ``w0`` 1-D finite and non-empty; ``meta`` 1-D finite (may be empty); both may live on a GPU (CuPy),
    alphas and betas are brought to the host (one number per step); ``betas`` 1-D of
    length T >= 1 in (0, 1) (or [0, 1) with ``beta_may_be_zero``); ``alphas >= 0`` of shape
    (T,) (one learning rate per step) or (T, d) (one per step and parameter, see :func:`train`).
    """
    w0 = require_finite_array("w0", _as_float_array("w0", w0), ndim=1)
    meta = _as_float_array("meta", meta)
    if meta.ndim != 1:
        raise ValueError(f"meta must be a 1-D array, got shape {meta.shape}")
    if meta.size:
        require_finite_array("meta", meta, ndim=1)
    alphas = _as_float_array("alphas", to_numpy(alphas))
    if not (alphas.ndim == 1 or (alphas.ndim == 2 and alphas.shape[1] == w0.shape[0])):
        raise ValueError(f"alphas must be a 1-D array (T,) or a 2-D array (T, d) with d = len(w0) = "
                         f"{w0.shape[0]}, got shape {alphas.shape}")
    alphas = require_finite_array("alphas", alphas)
    betas = require_finite_array("betas", _as_float_array("betas", to_numpy(betas)), ndim=1)
    if alphas.shape[0] != betas.shape[0]:
        raise ValueError(
            f"alphas and betas must have the same length T (one per step), got {alphas.shape[0]} and {betas.size}"
        )
    for index in np.argwhere(alphas < 0)[:1]:
        where = ", ".join(str(i) for i in index)
        require_range(f"alphas[{where}]", alphas[tuple(index)], low=0.0)
    for t in np.flatnonzero((betas < 0) | (betas >= 1) | ((betas == 0) & (not beta_may_be_zero)))[:1]:
        require_range(f"betas[{t}]", betas[t], 0.0, 1.0, low_open=not beta_may_be_zero, high_open=True)
    return w0, meta, alphas, betas


def _as_float_array(name, x):
    """NumPy float64 for host data; an array of another array library (CuPy, ...) stays on its device."""
    if hasattr(x, "__array_namespace__") and not isinstance(x, np.ndarray):
        if not array_namespace(x).isdtype(x.dtype, "real floating"):
            raise TypeError(f"{name} must be an array of real numbers, got dtype {x.dtype}")
        return x
    try:
        return np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an array of real numbers, got {type(x).__name__}") from None
