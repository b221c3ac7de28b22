"""Bayesian optimization: a Gaussian-process surrogate, acquisition functions, and a loop on the ledger.

Derived in notebook 07b. A Gaussian process (GP) models the validation error as a function of
the hyperparameters, mapped to the unit cube (log scale for `LogUniform` dimensions); its
posterior comes from one Cholesky factorization (Rasmussen & Williams 2006, Algorithm 2.1).
The GP's own hyperparameters (length scales, signal and noise variance) are fitted by
maximizing the log marginal likelihood with autograd's gradient: the hyperparameters of the
hyperparameter optimizer are themselves tuned by gradient. An acquisition function (expected
improvement, probability of improvement, a confidence bound) turns the posterior into the
next config to try; it is maximized by L-BFGS-B from several starts at once.

`bayesian_optimization` charges every evaluation to the same `hpo_teach.budget.Budget` as the
methods of notebook 07, in training steps; its own cost (GP fits and acquisition searches, in
CPU seconds) is recorded beside the ledger, not on it. Everything here minimizes.
"""

import math
import time
from dataclasses import dataclass, field

import autograd.numpy as anp
import numpy as np
from autograd import value_and_grad
from autograd.scipy.linalg import solve_triangular
from autograd.scipy.stats import norm
from scipy.optimize import minimize

from .._validate import require_choice, require_finite_array, require_int, require_positive
from .methods import SearchResult, run_search
from .spaces import IntUniform, LogUniform, Uniform, check_space, sample_config

__all__ = ["KERNELS", "rbf_kernel", "matern52_kernel", "GaussianProcess", "log_marginal_likelihood",
           "fit_gaussian_process", "expected_improvement", "probability_of_improvement",
           "upper_confidence_bound", "ACQUISITIONS", "maximize_acquisition", "to_unit", "from_unit",
           "BayesOptResult", "bayesian_optimization"]

DEFAULT_JITTER = 1e-10


# --- kernels (autograd-traceable) ---------------------------------------------------------

def _scaled_sq_dist(A, B, length_scale):
    A, B = A / length_scale, B / length_scale
    d2 = anp.sum(A**2, axis=1)[:, None] + anp.sum(B**2, axis=1)[None, :] - 2.0 * anp.dot(A, B.T)
    return anp.maximum(d2, 0.0)


def rbf_kernel(A, B, length_scale, signal_var):
    """Squared-exponential kernel σ_f² exp(−‖(a − b)/ℓ‖² / 2); ℓ a scalar or one per dimension."""
    return signal_var * anp.exp(-0.5 * _scaled_sq_dist(A, B, length_scale))


def matern52_kernel(A, B, length_scale, signal_var):
    """Matérn-5/2 kernel σ_f² (1 + √5 r + 5r²/3) exp(−√5 r), r = ‖(a − b)/ℓ‖: rougher samples than RBF."""
    d2 = _scaled_sq_dist(A, B, length_scale)
    r = anp.sqrt(d2 + 1e-300)  # the offset keeps the gradient finite at r = 0 (where it is 0)
    return signal_var * (1.0 + math.sqrt(5.0) * r + 5.0 / 3.0 * d2) * anp.exp(-math.sqrt(5.0) * r)


KERNELS = {"rbf": rbf_kernel, "matern52": matern52_kernel}


def _cholesky(K, name="kernel matrix"):
    """Cholesky factor of K, or a ValueError that says what to change (NumPy's message does not)."""
    try:
        return anp.linalg.cholesky(K)
    except np.linalg.LinAlgError:
        raise ValueError(
            f"{name} is not positive definite (numerically): two inputs are (nearly) equal and noise_var plus "
            f"jitter is too small to separate them; raise noise_var or jitter (e.g. jitter=1e-8 * signal_var)"
        ) from None


def _check_inputs(name, X, d=None):
    X = np.asarray(X, dtype=float)
    if X.ndim == 1 and d == 1:
        X = X[:, None]
    require_finite_array(name, X, ndim=2, shape=(None, d))
    return X


# --- the Gaussian process -----------------------------------------------------------------

class GaussianProcess:
    """A zero-mean GP regression model with fixed hyperparameters (derived in notebook 07b §2).

    ``length_scale`` is a number or one per input dimension (ARD), ``signal_var`` = σ_f² the
    prior variance of the latent function, ``noise_var`` = σ_n² the observation noise, ``kernel``
    "rbf" or "matern52". ``jitter`` is added to the diagonal only to keep the factorization
    from failing on rounding; it is not part of the model. ``fit(X, y)`` factorizes
    K + σ_n² I = L Lᵀ once; ``predict(Xs)`` returns the latent function's posterior mean and
    standard deviation (without the noise). Standardize ``y`` first: the prior mean is 0.
    """

    def __init__(self, length_scale, signal_var, noise_var, kernel="rbf", jitter=DEFAULT_JITTER):
        scales = np.atleast_1d(np.asarray(length_scale, dtype=float))
        if scales.ndim != 1 or scales.size == 0 or not np.all(np.isfinite(scales)) or np.any(scales <= 0):
            raise ValueError(f"length_scale must be a positive number or a 1-D array of them, got {length_scale!r}")
        self.length_scale = scales if np.ndim(length_scale) else float(scales[0])
        self.signal_var = require_positive("signal_var", signal_var)
        self.noise_var = require_positive("noise_var", noise_var, allow_zero=True)
        self.kernel = require_choice("kernel", kernel, tuple(KERNELS))
        self.jitter = require_positive("jitter", jitter, allow_zero=True)
        self.X = None

    def __repr__(self):
        ls = np.array2string(np.asarray(self.length_scale), precision=3)
        return (f"GaussianProcess(length_scale={ls}, signal_var={self.signal_var:.3g}, "
                f"noise_var={self.noise_var:.3g}, kernel={self.kernel!r})")

    def k(self, A, B):
        """The kernel matrix k(A, B)."""
        return KERNELS[self.kernel](A, B, self.length_scale, self.signal_var)

    def fit(self, X, y):
        """Condition on observations ``X`` (n, d) and ``y`` (n,); returns self."""
        X = _check_inputs("X", X)
        if np.ndim(self.length_scale) and len(self.length_scale) != X.shape[1]:
            raise ValueError(f"length_scale has {len(self.length_scale)} entries but X has {X.shape[1]} columns")
        y = require_finite_array("y", np.asarray(y, dtype=float), ndim=1, shape=(X.shape[0],))
        K = self.k(X, X) + (self.noise_var + self.jitter) * np.eye(len(X))
        self.X, self.y = X, y
        self.L = _cholesky(K)
        self.alpha = solve_triangular(self.L.T, solve_triangular(self.L, y, lower=True), lower=False)
        return self

    def predict(self, Xs):
        """Posterior mean and standard deviation of the latent function at ``Xs`` (m, d).

        Plain NumPy in, NumPy out; `predict_traced` is the same computation for autograd.
        """
        if self.X is None:
            raise RuntimeError("call fit(X, y) before predict")
        Xs = _check_inputs("Xs", Xs, self.X.shape[1])
        return self.predict_traced(Xs)

    def predict_traced(self, Xs):
        """`predict` without checks, differentiable by autograd in ``Xs`` (used to maximize acquisitions)."""
        Ks = self.k(Xs, self.X)
        mean = anp.dot(Ks, self.alpha)
        v = solve_triangular(self.L, Ks.T, lower=True)
        var = anp.maximum(self.signal_var - anp.sum(v**2, axis=0), 0.0)
        return mean, anp.sqrt(var + 1e-300) * (var > 0)


# --- the marginal likelihood and its fit ----------------------------------------------------

def log_marginal_likelihood(log_params, X, y, kernel="rbf", jitter=DEFAULT_JITTER):
    """log p(y | X, θ) for θ = exp(log_params) = (ℓ_1..ℓ_d or ℓ, σ_f², σ_n²); autograd-differentiable.

    = −½ yᵀ(K + σ_n² I)⁻¹y − Σ log L_ii − (n/2) log 2π, with L the Cholesky factor (notebook 07b §3).
    """
    n = X.shape[0]
    length_scale = anp.exp(log_params[:-2])
    signal_var, noise_var = anp.exp(log_params[-2]), anp.exp(log_params[-1])
    K = KERNELS[kernel](X, X, length_scale, signal_var) + (noise_var + jitter) * anp.eye(n)
    L = _cholesky(K)
    a = solve_triangular(L, y, lower=True)
    return -0.5 * anp.dot(a, a) - anp.sum(anp.log(anp.diag(L))) - 0.5 * n * math.log(2 * math.pi)


# bounds of the fit, for standardized y and inputs in the unit cube
LOG_BOUNDS = {"length_scale": (math.log(0.03), math.log(10.0)), "signal_var": (math.log(0.05), math.log(20.0)),
              "noise_var": (math.log(1e-6), math.log(1.0))}


def fit_gaussian_process(X, y, kernel="rbf", ard=True, n_restarts=2, seed=0, init=None, maxiter=100):
    """The GaussianProcess whose hyperparameters maximize the log marginal likelihood, fitted to (X, y).

    L-BFGS-B on the log hyperparameters (bounded by ``LOG_BOUNDS``, sized for standardized ``y``
    and inputs in the unit cube) with autograd's gradient, from ``init`` (log parameters, e.g.
    the previous fit's; default ℓ = 0.3, σ_f² = 1, σ_n² = 0.01) and ``n_restarts`` random starts; the best run wins. The returned GP
    has ``log_params`` and ``log_marginal_likelihood`` attributes.
    """
    X = _check_inputs("X", X)
    y = require_finite_array("y", np.asarray(y, dtype=float), ndim=1, shape=(X.shape[0],))
    require_choice("kernel", kernel, tuple(KERNELS))
    n_restarts = require_int("n_restarts", n_restarts, low=0)
    n_scales = X.shape[1] if ard else 1
    bounds = [LOG_BOUNDS["length_scale"]] * n_scales + [LOG_BOUNDS["signal_var"], LOG_BOUNDS["noise_var"]]
    lows, highs = np.array(bounds).T
    rng = np.random.default_rng(seed)
    if init is None:
        starts = [np.r_[np.full(n_scales, math.log(0.3)), 0.0, math.log(1e-2)]]
    else:
        starts = [np.clip(np.asarray(init, dtype=float), lows, highs)]
    starts += [rng.uniform(lows, highs) for _ in range(n_restarts)]
    objective = value_and_grad(lambda p: -log_marginal_likelihood(p, X, y, kernel))

    def f(p):
        try:
            value, grad = objective(p)
        except ValueError:  # not positive definite at this θ: steer away
            return 1e10, np.zeros_like(p)
        return float(value), np.asarray(grad, dtype=float)

    best = None
    for p0 in starts:
        run = minimize(f, p0, jac=True, method="L-BFGS-B", bounds=bounds, options={"maxiter": maxiter})
        if best is None or run.fun < best.fun:
            best = run
    p = best.x
    gp = GaussianProcess(np.exp(p[:-2]) if ard else float(np.exp(p[0])), float(np.exp(p[-2])),
                         float(np.exp(p[-1])), kernel).fit(X, y)
    gp.log_params, gp.log_marginal_likelihood = p, -float(best.fun)
    return gp


# --- acquisition functions (larger is better; autograd-traceable) ---------------------------

def expected_improvement(mean, std, best, xi=0.0):
    """E[max(best − ξ − f, 0)] for f ~ N(mean, std²): (best − mean − ξ) Φ(z) + std φ(z), z = (best − mean − ξ)/std.

    For minimization (Jones et al. 1998); exactly 0 where std = 0; arrays broadcast. ``xi`` ≥ 0
    asks for an improvement of at least ξ, which pushes the search towards uncertain regions.
    """
    improvement = best - mean - xi
    positive = std > 0
    safe_std = anp.where(positive, std, 1.0)
    z = improvement / safe_std
    return anp.where(positive, improvement * norm.cdf(z) + safe_std * norm.pdf(z), 0.0)


def probability_of_improvement(mean, std, best, xi=0.0):
    """P(f < best − ξ) = Φ((best − mean − ξ)/std) (Kushner 1964); 0 where std = 0."""
    positive = std > 0
    safe_std = anp.where(positive, std, 1.0)
    return anp.where(positive, norm.cdf((best - mean - xi) / safe_std), 0.0)


def upper_confidence_bound(mean, std, kappa=2.0):
    """κ·std − mean: the upper confidence bound of −f (GP-UCB, Srinivas et al. 2010) for minimizing f.

    Maximizing it minimizes the lower confidence bound mean − κ·std; κ = 0 is pure exploitation.
    """
    return kappa * std - mean


ACQUISITIONS = ("ei", "pi", "ucb")


def _acquisition(name, mean, std, best, xi, kappa):
    if name == "ei":
        return expected_improvement(mean, std, best, xi)
    if name == "pi":
        return probability_of_improvement(mean, std, best, xi)
    return upper_confidence_bound(mean, std, kappa)


def maximize_acquisition(gp, best, acquisition="ei", xi=0.0, kappa=2.0, n_candidates=256, n_starts=3, rng=None):
    """The point of the unit cube where the acquisition is largest, and its value.

    Scores ``n_candidates`` uniform random points, then polishes the ``n_starts`` best with
    L-BFGS-B and autograd's gradient. The starts are independent, so they are optimized as one
    problem of n_starts·d variables whose objective is the sum of theirs (one call, not n_starts).
    """
    require_choice("acquisition", acquisition, ACQUISITIONS)
    n_candidates = require_int("n_candidates", n_candidates, low=1)
    n_starts = require_int("n_starts", n_starts, low=1, high=n_candidates)
    rng = np.random.default_rng(0) if rng is None else rng
    d = gp.X.shape[1]
    U = rng.uniform(size=(n_candidates, d))
    values = np.asarray(_acquisition(acquisition, *gp.predict_traced(U), best, xi, kappa))
    starts = U[np.argsort(-values, kind="stable")[:n_starts]]

    def negative_sum(flat):
        return -anp.sum(_acquisition(acquisition, *gp.predict_traced(anp.reshape(flat, (n_starts, d))), best, xi, kappa))

    objective = value_and_grad(negative_sum)

    def f(flat):
        value, grad = objective(flat)
        grad = np.nan_to_num(np.asarray(grad, dtype=float))
        return float(value), grad

    run = minimize(f, starts.ravel(), jac=True, method="L-BFGS-B", bounds=[(0.0, 1.0)] * (n_starts * d),
                   options={"maxiter": 30})
    polished = np.clip(run.x.reshape(n_starts, d), 0.0, 1.0)
    pool = np.vstack([polished, starts])
    scores = np.asarray(_acquisition(acquisition, *gp.predict_traced(pool), best, xi, kappa))
    k = int(np.argmax(scores))
    return pool[k], float(scores[k])


# --- configs <-> the unit cube -------------------------------------------------------------

def _check_bo_space(space):
    check_space(space)
    for name, dim in space.items():
        if not isinstance(dim, (Uniform, LogUniform, IntUniform)):
            raise TypeError(f"space[{name!r}] is {dim!r}; this GP works on numeric dimensions only "
                            "(Uniform, LogUniform, IntUniform); tree-based surrogates (SMAC, TPE) handle Choice")
    return space


def to_unit(space, config):
    """A config's coordinates in the unit cube: log scale for LogUniform, linear otherwise."""
    out = []
    for name, dim in space.items():
        v = config[name]
        if isinstance(dim, LogUniform):
            out.append((math.log(v) - math.log(dim.low)) / (math.log(dim.high) - math.log(dim.low)))
        else:
            out.append((v - dim.low) / (dim.high - dim.low))
    return np.array(out)


def from_unit(space, u):
    """The config at unit-cube coordinates ``u`` (integers rounded, values clipped into the box)."""
    config = {}
    for (name, dim), x in zip(space.items(), np.clip(np.asarray(u, dtype=float), 0.0, 1.0)):
        if isinstance(dim, LogUniform):
            value = math.exp(math.log(dim.low) + x * (math.log(dim.high) - math.log(dim.low)))
            config[name] = dim.low if x == 0 else dim.high if x == 1 else min(max(value, dim.low), dim.high)
        elif isinstance(dim, IntUniform):
            config[name] = int(round(dim.low + x * (dim.high - dim.low)))
        else:
            config[name] = float(dim.low + x * (dim.high - dim.low))
    return config


# --- the loop ---------------------------------------------------------------------------

@dataclass
class BayesOptResult(SearchResult):
    """A SearchResult plus BO's own cost: CPU seconds per proposal for the GP fit and the acquisition."""

    fit_seconds: list = field(default_factory=list)
    acquisition_seconds: list = field(default_factory=list)
    gps: list = field(default_factory=list)

    @property
    def overhead_seconds(self):
        return sum(self.fit_seconds) + sum(self.acquisition_seconds)


def bayesian_optimization(objective, space, n_trials, n_steps, n_initial=None, acquisition="ei", xi=0.01,
                          kappa=2.0, kernel="matern52", budget=None, seed=0, progress=False, keep_gps=False):
    """GP-based Bayesian optimization: ``n_initial`` random configs, then one GP proposal per trial.

    The first ``n_initial`` configs are the first draws of `random_search` with the same seed
    (common random numbers). Each proposal standardizes the scores seen so far, refits the GP's
    hyperparameters by marginal likelihood (warm-started from the previous fit) and maximizes
    the acquisition (``xi`` in standardized units for "ei"/"pi", ``kappa`` for "ucb"). Every
    evaluation trains ``n_steps`` steps and is charged to ``budget``; BO's own CPU time is in
    ``fit_seconds`` and ``acquisition_seconds``, not on the ledger. A config seen before is
    evaluated again (same score), as any search would pay for it.
    """
    _check_bo_space(space)
    n_trials = require_int("n_trials", n_trials, low=1)
    n_steps = require_int("n_steps", n_steps, low=1)
    n_initial = min(n_trials, len(space) + 3) if n_initial is None else require_int("n_initial", n_initial, low=2)
    require_choice("acquisition", acquisition, ACQUISITIONS)
    xi = require_positive("xi", xi, allow_zero=True)
    kappa = require_positive("kappa", kappa, allow_zero=True)
    require_choice("kernel", kernel, tuple(KERNELS))
    seed = require_int("seed", seed, low=0)
    rng = np.random.default_rng(seed)
    initial = [sample_config(space, rng) for _ in range(min(n_initial, n_trials))]
    acq_rng = np.random.default_rng([seed, 1])
    fit_seconds, acquisition_seconds, gps = [], [], []

    def body(evaluate):
        X, y = [], []
        for config in initial:
            y.append(evaluate(config, n_steps))
            X.append(to_unit(space, config))
        log_params = None
        for _ in range(n_trials - len(initial)):
            start = time.process_time()
            scores = np.array(y)
            spread = scores.std()
            z = (scores - scores.mean()) / (spread if spread > 0 else 1.0)
            gp = fit_gaussian_process(np.array(X), z, kernel=kernel, n_restarts=0, init=log_params, maxiter=50)
            log_params = gp.log_params
            middle = time.process_time()
            u, _ = maximize_acquisition(gp, z.min(), acquisition, xi, kappa, rng=acq_rng)
            fit_seconds.append(middle - start)
            acquisition_seconds.append(time.process_time() - middle)
            if keep_gps:
                gps.append(gp)
            config = from_unit(space, u)
            y.append(evaluate(config, n_steps))
            X.append(to_unit(space, config))

    result = run_search("bayesopt", objective, budget, seed, n_trials, progress, body)
    return BayesOptResult(**vars(result), fit_seconds=fit_seconds, acquisition_seconds=acquisition_seconds, gps=gps)
