"""Check functions for the exercises of notebook 02 (L1 and L2). Each prints "correct" or raises
AssertionError with a hint."""

import numpy as np


def _reference_soft_threshold(v, t):
    return np.where(v > t, v - t, np.where(v < -t, v + t, 0.0))


def check_soft_threshold(fn):
    """Exercise 1: ``fn(w, t)`` must equal sign(w) * max(|w| - t, 0), with exact zeros."""
    rng = np.random.default_rng(1)
    v = rng.normal(size=500) * 2.0
    for t in (0.0, 0.5, 3.0):
        got = np.asarray(fn(v.copy(), t), dtype=float)
        assert got.shape == v.shape, f"fn must return an array of shape {v.shape}, got {got.shape}"
        want = _reference_soft_threshold(v, t)
        assert np.allclose(got, want, rtol=0, atol=1e-12), f"wrong values for t = {t}: compare with sign(w) * max(|w| - t, 0)"
        assert np.all(got[np.abs(v) <= t] == 0.0), f"entries with |w| <= t = {t} must be exactly 0.0"
    print("correct: soft_threshold")


def check_axis_lambdas(lam_w2, lam_origin):
    """Exercise 2: A = diag(1, 4), w* = (2, 0.25)."""
    a, w_star = np.array([1.0, 4.0]), np.array([2.0, 0.25])
    expected = a * np.abs(w_star)  # w_i = 0 exactly when lambda >= a_i |w*_i|
    assert np.isclose(lam_w2, expected[1], rtol=1e-6), (
        "w2 = soft_threshold(w2*, λ / a2) is 0 when λ / a2 >= |w2*|; "
        f"got {lam_w2}")
    assert np.isclose(lam_origin, expected.max(), rtol=1e-6), (
        f"the origin needs both coordinates at 0: the larger of a_i |w*_i|; got {lam_origin}")
    print(f"correct: w2 hits 0 at λ = {expected[1]:g}, the optimum is the origin from λ = {expected.max():g}")


def check_prior_lambdas(lam_l2, lam_l1, n=500, sigma=0.1, b=0.1):
    """Exercise 3: λ = 1/(2 n σ²) for a Gaussian prior and λ = 1/(n b) for a Laplace prior."""
    assert np.isclose(lam_l2, 1 / (2 * n * sigma**2), rtol=1e-6), (
        f"divide -log N(w; 0, σ²) = w²/(2σ²) + const by n; got {lam_l2}")
    assert np.isclose(lam_l1, 1 / (n * b), rtol=1e-6), f"divide -log Laplace(w; 0, b) = |w|/b + const by n; got {lam_l1}"
    print(f"correct: Gaussian σ = {sigma:g} -> λ = {1 / (2 * n * sigma**2):g}; Laplace b = {b:g} -> λ = {1 / (n * b):g}")


def check_elastic_net_prox(fn):
    """Exercise 4: fn(v, t1, t2) = argmin_u (u - v)²/2 + t1 |u| + t2 u², checked against a fine grid."""
    rng = np.random.default_rng(2)
    v = rng.normal(size=25) * 2.0
    grid = np.linspace(-8.0, 8.0, 160_001)
    for t1, t2 in ((0.5, 0.0), (0.5, 1.0), (0.0, 0.3), (2.0, 0.5)):
        got = np.asarray(fn(v.copy(), t1, t2), dtype=float)
        assert got.shape == v.shape, f"fn must return an array of shape {v.shape}, got {got.shape}"
        for v_i, u_i in zip(v, got):
            objective = 0.5 * (grid - v_i) ** 2 + t1 * np.abs(grid) + t2 * grid**2
            u_best = grid[np.argmin(objective)]
            assert abs(u_i - u_best) <= 2e-4, f"t1={t1}, t2={t2}, v={v_i:.3f}: argmin is about {u_best:.4f}, got {u_i:.4f}"
        assert np.all(got[np.abs(v) <= t1] == 0.0), "entries with |v| <= t1 must be exactly 0.0"
    print("correct: elastic-net proximal operator")
