"""Check functions for the exercises of notebook 03b (noise as a regularizer).

Each prints "correct: ..." or "not yet: ..." with a hint, and returns True or False.
"""

import numpy as np


def _report(ok, message):
    print(("correct: " if ok else "not yet: ") + message)
    return ok


def _regression(seed=0, n=40, d=5):
    """A small regression problem with features of different sizes (so per-feature answers differ)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) * np.linspace(0.5, 2.0, d)
    return X, X @ rng.normal(size=d) + 0.3 * rng.normal(size=n)


def noise_ridge_reference(X, y, sigmas):
    """Minimizer of mean((w . (x + eps) - y)^2) with eps_j ~ N(0, sigma_j^2): penalty sum_j sigma_j^2 w_j^2."""
    n = len(y)
    return np.linalg.solve(X.T @ X + n * np.diag(np.asarray(sigmas, dtype=float) ** 2), X.T @ y)


def check_noise_ridge(fn):
    """Exercise 1: ``fn(X, y, sigmas)`` = argmin of the expected noisy squared loss with per-feature noise."""
    X, y = _regression()
    for sigmas in (np.zeros(5), np.full(5, 0.5), np.array([0.0, 0.2, 0.5, 1.0, 2.0])):
        got = np.asarray(fn(X, y, sigmas), dtype=float)
        want = noise_ridge_reference(X, y, sigmas)
        if got.shape != want.shape or not np.allclose(got, want, rtol=1e-6, atol=1e-9):
            kind = "equal" if np.ptp(sigmas) == 0 else "different"
            return _report(False, f"with {kind} noise scales on the features your weights are not the minimizer of "
                                  "the mean expected noisy loss; expand E[(w . (x + eps) - y)^2] feature by feature, "
                                  "then set the gradient of its mean over the examples to zero")
    return _report(True, "per-feature noise sigma_j is an L2 penalty with lambda_j = sigma_j^2 on weight j")


def dropout_ridge_reference(X, y, p):
    """Minimizer of the mean expected loss with inverted dropout on the inputs of a linear model."""
    G = X.T @ X
    return np.linalg.solve(G + p / (1 - p) * np.diag(np.diag(G)), X.T @ y)


def check_dropout_ridge(fn):
    """Exercise 2: ``fn(X, y, p)`` = argmin of mean E[(w . (m x / (1-p)) - y)^2]."""
    X, y = _regression(seed=1)
    for p in (0.0, 0.2, 0.5):
        got = np.asarray(fn(X, y, p), dtype=float)
        want = dropout_ridge_reference(X, y, p)
        if got.shape != want.shape or not np.allclose(got, want, rtol=1e-6, atol=1e-9):
            return _report(False, f"for p = {p} your weights are not the minimizer of the mean expected loss; "
                                  "average the exercise's per-example penalty over the examples, then set the "
                                  "gradient to zero (check p = 0 first: plain least squares)")
    return _report(True, "input dropout on a linear model is an L2 penalty scaled by each feature's mean square")
