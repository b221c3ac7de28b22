"""Check functions for the exercises of notebook 02 (L1 and L2).

Each prints "correct: ..." or "not yet: <hint>" (``hpo_teach.testing.verdict``) and returns True or False.
A hint says what to look at, never the answer.
"""

import numpy as np

from hpo_teach.testing import verdict


def _reference_soft_threshold(v, t):
    return np.where(v > t, v - t, np.where(v < -t, v + t, 0.0))


def check_soft_threshold(fn):
    """Exercise 1: ``fn(w, t)`` must equal sign(w) * max(|w| - t, 0), with exact zeros."""
    rng = np.random.default_rng(1)
    v = rng.normal(size=500) * 2.0
    for t in (0.0, 0.5, 3.0):
        got = np.asarray(fn(v.copy(), t), dtype=float)
        if got.shape != v.shape:
            return verdict(False, "", f"return an array of the same shape as w ({v.shape}), not {got.shape}")
        want = _reference_soft_threshold(v, t)
        small = np.abs(v) <= t
        if not np.all(got[small] == 0.0):
            return verdict(False, "", f"with t = {t}, entries with |w| <= t must come out exactly 0.0")
        if not np.allclose(got[~small], want[~small], rtol=0, atol=1e-12):
            return verdict(False, "", f"with t = {t}, the entries with |w| > t are wrong: each should move by t "
                                      "towards 0, keeping its sign")
    return verdict(True, "soft_threshold, with exact zeros", "")


def check_axis_lambdas(lam_w2, lam_origin):
    """Exercise 2: A = diag(1, 4), w* = (2, 0.25)."""
    a, w_star = np.array([1.0, 4.0]), np.array([2.0, 0.25])
    expected = a * np.abs(w_star)  # w_i = 0 exactly when lambda >= a_i |w*_i|
    ok_w2 = np.isclose(lam_w2, expected[1], rtol=1e-6)
    ok_origin = np.isclose(lam_origin, expected.max(), rtol=1e-6)
    if not ok_w2:
        return verdict(False, "", "λ for w2: w2 = soft_threshold(w2*, λ / a2) is 0 once the threshold λ / a2 reaches "
                                  "|w2*|; solve that for λ")
    if not ok_origin:
        return verdict(False, "", "λ for the origin: both coordinates must be 0, so λ must pass the larger of the "
                                  "two thresholds, one per coordinate")
    return verdict(True, "both λ where L1 switches weights off", "")


def check_prior_lambdas(lam_l2, lam_l1, n=500, sigma=0.1, b=0.1):
    """Exercise 3: λ = 1/(2 n σ²) for a Gaussian prior and λ = 1/(n b) for a Laplace prior."""
    if not np.isclose(lam_l2, 1 / (2 * n * sigma**2), rtol=1e-6):
        return verdict(False, "", "Gaussian: write -log N(w; 0, σ²) without its constant, and divide by n, since "
                                  "the loss is a mean over n examples")
    if not np.isclose(lam_l1, 1 / (n * b), rtol=1e-6):
        return verdict(False, "", "Laplace: write -log Laplace(w; 0, b) without its constant, and divide by n")
    return verdict(True, "both priors turned into λ", "")


def check_elastic_net_prox(fn):
    """Exercise 4: fn(v, t1, t2) = argmin_u (u - v)²/2 + t1 |u| + t2 u², checked against a fine grid."""
    rng = np.random.default_rng(2)
    v = rng.normal(size=25) * 2.0
    grid = np.linspace(-8.0, 8.0, 160_001)
    for t1, t2 in ((0.5, 0.0), (0.5, 1.0), (0.0, 0.3), (2.0, 0.5)):
        got = np.asarray(fn(v.copy(), t1, t2), dtype=float)
        if got.shape != v.shape:
            return verdict(False, "", f"return an array of the same shape as v ({v.shape}), not {got.shape}")
        if not np.all(got[np.abs(v) <= t1] == 0.0):
            return verdict(False, "", f"with t1 = {t1}, entries with |v| <= t1 must be exactly 0.0")
        for v_i, u_i in zip(v, got):
            u_best = grid[np.argmin(0.5 * (grid - v_i) ** 2 + t1 * np.abs(grid) + t2 * grid**2)]
            if abs(u_i - u_best) > 2e-4:
                hint = ("the L2 part is missing: with t2 > 0 the result should be smaller than plain soft-thresholding"
                        if t2 > 0 and np.isclose(u_i, _reference_soft_threshold(v_i, t1)) else
                        "set the derivative of the objective to 0 for u > 0 and for u < 0 separately")
                return verdict(False, "", f"with t1 = {t1}, t2 = {t2} your values are not the minimizers; {hint}")
    return verdict(True, "elastic-net proximal operator", "")
