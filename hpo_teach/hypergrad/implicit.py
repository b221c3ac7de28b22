"""Hypergradients by implicit differentiation: only the trained weights, not the training path.

At a stationary point, ∇_w L_T(w*(λ), λ) = 0 for every λ, so differentiating that identity gives
H dw*/dλ = −B with H = ∂²L_T/∂w² and B = ∂²L_T/∂w∂λ (the implicit function theorem). The total
hypergradient (Pedregosa 2016; Lorraine, Vicol & Duvenaud 2020) is therefore

    dL_V/dλ = ∂L_V/∂λ − Bᵀ v,   where H v = ∇_w L_V   (derived in notebook 13 §1)

and only the linear solve for v depends on the method:

- ``"exact"``: the full Hessian (autograd's Jacobian of the gradient) and a dense solve; small d only.
- ``"cg"``: conjugate gradients on Hessian-vector products (H must be positive definite there).
- ``"neumann"``: v ≈ α Σ_{j=0}^{K−1} (I − αH)^j ∇_w L_V with K = ``n_terms`` terms. Differentiating
  K gradient-descent steps w ← w − α ∇_w L_T(w, λ) started at a stationary w gives
  dw_K/dλ = −α Σ_{j<K} (I − αH)^j B, so K terms equal K unrolled steps **exactly**, and K = 1 is the
  one-step greedy (T1–T2) hypergradient (notebook 13 §3). Lorraine et al. index the sum j = 0…i and
  state "i terms = i + 1 steps"; ``n_terms`` counts the terms, so n_terms = i + 1 = the steps.
  The series converges only if ‖I − αH‖ < 1, i.e. 0 < α λ(H) < 2 for every eigenvalue of H.

``train_loss(w, meta)`` and ``valid_loss(w, meta)`` are autograd-differentiable scalars; every
Hessian-vector product is reverse-over-reverse autograd (one gradient of ⟨∇_w L_T, u⟩).

On a GPU: :func:`hypergrad` is this autograd route and so NumPy only (it refuses device arrays).
The two solvers, :func:`neumann` and :func:`conjugate_gradient`, are array-API generic: given
``b`` on a device (CuPy) and an ``hvp`` from a fast path there, they run on that device. For the
course MLP, :meth:`hpo_teach.problems.mlp_l2.MLPTrainLoss.grad_and_hvps` gives both H u and Bᵀ u::

    _, d_w = mlp.loss_and_grad(w, X_valid, y_valid)                 # ∇_w L_V (no direct term)
    v = neumann(lambda u: loss.grad_and_hvps(w, meta, 0, u)[1], d_w, 100, alpha)
    d_meta = -loss.grad_and_hvps(w, meta, 0, v)[2]                  # −Bᵀ v
"""

from dataclasses import dataclass

import autograd.numpy as anp
import numpy as np
from array_api_compat import is_array_api_obj
from autograd import grad, jacobian

from .._validate import require_choice, require_finite_array, require_int, require_positive
from ..backend import namespace_of
from ..training.diverged import TrainingDiverged
from .unrolled import _as_float_array, quiet_autograd, require_callable

METHODS = ("exact", "cg", "neumann")
MAX_EXACT_SIZE = 4000  # a 4000 x 4000 float64 Hessian is 128 MB
NEUMANN_BLOWUP = 1e8  # a Neumann term this many times ‖∇_w L_V‖ means ‖I − αH‖ > 1


@dataclass
class ImplicitResult:
    """The implicit hypergradient and its parts.

    ``d_meta = direct + implicit``: ``direct`` = ∂L_V/∂λ at fixed w, ``implicit`` = −Bᵀ v.
    ``v``: the (approximate) solution of H v = ``d_w`` = ∇_w L_V. ``n_hvps``: Hessian-vector products
    used (``"exact"``: d, the columns of H). ``residual``: ‖H v − ∇_w L_V‖ / ‖∇_w L_V‖ for ``"exact"``
    and ``"cg"`` (None for ``"neumann"``, which does not compute it). ``residuals``: CG's relative
    residual after each iteration. ``converged``: CG reached ``tol``. ``grad_norm``: ‖∇_w L_T(w, λ)‖,
    how far ``w`` is from the stationary point the formula assumes.
    """

    valid_loss: float
    d_meta: np.ndarray
    direct: np.ndarray
    implicit: np.ndarray
    v: np.ndarray
    d_w: np.ndarray
    method: str
    n_hvps: int
    grad_norm: float
    residual: float = None
    residuals: np.ndarray = None
    converged: bool = True


def hypergrad(train_loss, valid_loss, w, meta, method="exact", n_terms=None, alpha=None, tol=1e-10):
    """d valid_loss(w*(meta), meta) / d meta by the implicit function theorem, at a stationary ``w``.

    ``method``: ``"exact"`` (dense Hessian, d ≤ 4000), ``"cg"`` (conjugate gradients, relative residual
    ``tol``, at most ``n_terms`` iterations, default 10 d) or ``"neumann"`` (``n_terms`` ≥ 1 terms of step
    ``alpha`` > 0; equals ``n_terms`` unrolled gradient steps of size ``alpha``). ``w`` and ``meta``:
    1-D float arrays. ``alpha`` is used by ``"neumann"`` only and ``tol`` by ``"cg"`` only (both are still
    validated when given). Returns an :class:`ImplicitResult`; see the module docstring for the maths.
    Autograd computes every derivative, so ``w`` and ``meta`` are NumPy (host) arrays; on a device,
    call :func:`neumann` or :func:`conjugate_gradient` with a fast-path ``hvp`` (module docstring).
    """
    require_callable("train_loss", train_loss)
    require_callable("valid_loss", valid_loss)
    method = require_choice("method", method, METHODS)
    if is_array_api_obj(w) and not isinstance(w, np.ndarray):
        raise TypeError(f"w is a {type(w).__module__}.{type(w).__name__}, but implicit.hypergrad differentiates with "
                        "autograd, which traces NumPy arrays only: on a device, call implicit.neumann or "
                        "implicit.conjugate_gradient with a fast-path hvp")
    w = require_finite_array("w", _as_float_array("w", w), ndim=1)
    meta = require_finite_array("meta", _as_float_array("meta", meta), ndim=1)
    if n_terms is not None:
        n_terms = require_int("n_terms", n_terms, low=1)
    if alpha is not None:
        alpha = require_positive("alpha", alpha)
    if method == "neumann" and (n_terms is None or alpha is None):
        missing = " and ".join(name for name, value in (("n_terms", n_terms), ("alpha", alpha)) if value is None)
        raise ValueError(f"method='neumann' needs {missing}: H⁻¹ ≈ alpha Σ_(j<n_terms) (I − alpha H)^j, "
                         "with n_terms >= 1 and 0 < alpha < 2 / λ_max(H)")
    if method == "exact" and w.size > MAX_EXACT_SIZE:
        raise ValueError(f"method='exact' builds the full d x d Hessian; d = len(w) = {w.size} > {MAX_EXACT_SIZE}: "
                         "use method='cg' or 'neumann'")
    tol = require_positive("tol", tol)

    grad_w_train = grad(train_loss, 0)
    with quiet_autograd():
        valid, (d_w, direct) = _value_and_grads(valid_loss, w, meta)
        grad_norm = float(np.linalg.norm(grad_w_train(w, meta)))

        def hvp(u):
            return grad(lambda w_: anp.dot(grad_w_train(w_, meta), u))(w)

        residuals, converged, residual = None, True, None
        if method == "exact":
            H = jacobian(grad_w_train, 0)(w, meta)
            H = 0.5 * (H + H.T)
            v = np.linalg.solve(H, d_w)
            n_hvps = w.size
            residual = _relative(H @ v - d_w, d_w)
        elif method == "cg":
            v, residuals = conjugate_gradient(hvp, d_w, tol=tol, max_iter=n_terms or 10 * w.size)
            n_hvps = len(residuals)
            residual = float(residuals[-1]) if n_hvps else 0.0
            converged = residual <= tol
        else:
            v = neumann(hvp, d_w, n_terms, alpha)
            n_hvps = n_terms - 1
        # B^T v: one more reverse pass, through d/dmeta of <grad_w L_T(w, meta), v>
        implicit = -grad(lambda m: anp.dot(grad_w_train(w, m), v))(meta)
    return ImplicitResult(valid_loss=float(valid), d_meta=direct + implicit, direct=direct, implicit=implicit, v=v,
                          d_w=d_w, method=method, n_hvps=n_hvps, grad_norm=grad_norm, residual=residual,
                          residuals=residuals, converged=converged)


def neumann(hvp, b, n_terms, alpha):
    """α Σ_{j<n_terms} (I − αH)^j b with n_terms − 1 products ``hvp(u)`` = H u (notebook 13 §3).

    Raises :class:`~hpo_teach.training.diverged.TrainingDiverged` when a term grows past 1e8 ‖b‖:
    then ‖I − αH‖ > 1 (α too large, or H not positive definite). Array-API generic: the result is
    on ``b``'s device (the divergence test reads one norm per term back to the host).
    """
    term, total = b, b
    limit = NEUMANN_BLOWUP * _norm(b)
    for j in range(1, n_terms):
        term = term - alpha * hvp(term)
        total = total + term
        norm = _norm(term)
        if not np.isfinite(norm) or norm > limit:
            raise TrainingDiverged(f"the Neumann series diverged (term {j} is {norm:.1e} times larger than "
                                   "its first; it needs 0 < alpha * λ(H) < 2 for every eigenvalue of H)", j, alpha)
    return alpha * total


def conjugate_gradient(hvp, b, tol=1e-10, max_iter=None):
    """Solve H x = b for symmetric positive definite H, given ``hvp(u)`` = H u; x0 = 0.

    Returns ``(x, residuals)``: the relative residual ‖b − H x_k‖ / ‖b‖ after each iteration k
    (one Hessian-vector product each). Stops at ``tol`` or after ``max_iter`` iterations (default
    10 len(b): in floating point, CG can need more than the len(b) steps of exact arithmetic).
    Array-API generic: ``x`` is on ``b``'s device, ``residuals`` a NumPy array (each iteration
    reads its curvature and residual back to the host, to decide whether to go on).
    """
    xp = namespace_of(b)
    max_iter = 10 * b.size if max_iter is None else max_iter
    x, r = xp.zeros_like(b), b
    p, rr, b_norm = r, r @ r, _norm(b)
    residuals = []
    if b_norm == 0:
        return x, np.zeros(0)
    for _ in range(max_iter):
        Hp = hvp(p)
        curvature = float(p @ Hp)
        if curvature <= 0:
            raise ValueError("conjugate gradients met non-positive curvature p·Hp = "
                             f"{curvature:.3g}: the Hessian is not positive definite at w (not a minimum?)")
        step = rr / curvature
        x, r = x + step * p, r - step * Hp
        rr_next = r @ r
        residuals.append(float(xp.sqrt(rr_next)) / b_norm)
        if residuals[-1] <= tol:
            break
        p, rr = r + (rr_next / rr) * p, rr_next
    return x, np.array(residuals)


def _value_and_grads(valid_loss, w, meta):
    value = valid_loss(w, meta)
    d_w = grad(valid_loss, 0)(w, meta)
    d_meta = grad(valid_loss, 1)(w, meta)
    return value, (np.asarray(d_w, dtype=float), np.asarray(d_meta, dtype=float))


def _norm(x):
    """‖x‖ of a 1-D array of any namespace as a host float: sqrt(x · x), as ``np.linalg.norm`` computes it
    (bit for bit on a contiguous NumPy vector)."""
    return float(namespace_of(x).sqrt(x @ x))


def _relative(a, b):
    norm = np.linalg.norm(b)
    return float(np.linalg.norm(a) / norm) if norm else float(np.linalg.norm(a))
