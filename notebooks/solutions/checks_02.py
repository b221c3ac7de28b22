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


def check_first_zero(lam, i):
    """Exercise 2: A = [[1, -1], [-1, 3]], w* = (1.5, 1): the smallest λ at which the L1 optimum has an exact
    zero, and the index of the weight that is zero there."""
    a, w_star = np.array([[1.0, -1.0], [-1.0, 3.0]]), np.array([1.5, 1.0])
    det = np.linalg.det(a)
    lam_j = [det * abs(w_star[j]) / (a[1 - j, 1 - j] - np.sign(w_star[1 - j]) * np.sign(w_star[j]) * a[j, 1 - j])
             for j in (0, 1)]
    want_i = int(np.argmin(lam_j))
    if i not in (0, 1):
        return verdict(False, "", "give i as 0 (the zero is in w1) or 1 (the zero is in w2)")
    if not np.isclose(lam, lam_j[want_i], rtol=1e-3):
        return verdict(False, "", f"λ = {lam} is not where the first exact zero appears. For each weight, write the "
                                  "conditions for the optimum to sit on the other weight's axis (the weight that stays "
                                  "nonzero has zero derivative; the one at 0 needs |df/dw| <= λ), with this A and the "
                                  "signs of this w*; or bisect on λ with ProximalSGD, looking for w == 0.0")
    if i != want_i:
        return verdict(False, "", "λ is right but the weight is not: run ProximalSGD just above your λ and see which "
                                  "weight is exactly 0.0")
    return verdict(True, "the first exact zero: right λ, right weight", "")


def check_fitted_prior_lambda(lam_fit, w, n=500):
    """Exercise 3: λ of the maximum-likelihood zero-mean Gaussian fitted to all parameters w, through λ = 1/(2nσ²)."""
    w = np.asarray(w, dtype=float)
    if w.shape != (1970,):
        return verdict(False, "", f"pass all 1,970 parameters of the L2 run as w (got shape {w.shape})")
    if not np.isclose(lam_fit, 1.0 / (2 * n * np.mean(w**2)), rtol=1e-6):
        return verdict(False, "", "that is not the λ of the maximum-likelihood zero-mean Gaussian fitted to w: "
                                  "estimate σ² from w with the mean fixed at 0, then use section 4's formula with n = 500")
    return verdict(True, "the λ of the Gaussian prior fitted to the weights", "")


def check_elastic_net_prox(fn):
    """Exercise 4: fn(v, t1, t2) = argmin_u (u - v)²/2 + t1 |u| + t2 u², checked against a fine grid."""
    rng = np.random.default_rng(2)
    v = rng.normal(size=25) * 2.0
    grid = np.linspace(-8.0, 8.0, 160_001)
    for t1, t2 in ((0.5, 0.0), (0.5, 1.0), (0.0, 0.3), (2.0, 0.5)):
        got = np.asarray(fn(v.copy(), t1, t2), dtype=float)
        if got.shape != v.shape:
            return verdict(False, "", f"return an array of the same shape as v ({v.shape}), not {got.shape}")
        # entries whose reference value is 0 are compared exactly, the others against the grid
        exact = np.abs(v) <= t1
        for v_i, u_i, must_be_exact in zip(v, got, exact):
            u_best = 0.0 if must_be_exact else grid[np.argmin(0.5 * (grid - v_i) ** 2 + t1 * np.abs(grid) + t2 * grid**2)]
            if (u_i != u_best) if must_be_exact else abs(u_i - u_best) > 2e-4:
                return verdict(False, "", f"with t1 = {t1}, t2 = {t2} some of your values are not the minimizers: set "
                                          "the derivative of the objective to 0 for u > 0 and for u < 0 separately, "
                                          "and see which cases are possible")
    return verdict(True, "elastic-net proximal operator", "")
