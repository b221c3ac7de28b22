"""Check functions for the exercises of notebook 03 (dropout and noise).

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


def check_classic_dropout(fn):
    """Exercise 1: ``fn(h, p, keep, train)``: ``h * keep`` when training, ``h * (1 - p)`` at test time."""
    rng = np.random.default_rng(3)
    h = np.abs(rng.normal(size=(3, 7)))
    for p in (0.2, 0.5, 0.8):
        keep = (rng.random(h.shape) >= p).astype(float)
        got_train = np.asarray(fn(h, p, keep, True), dtype=float)
        if got_train.shape != h.shape or not np.allclose(got_train, h * keep, rtol=1e-12, atol=0):
            return _report(False, f"training output for p = {p} should be h * keep (plain mask, no 1/(1-p))")
        got_test = np.asarray(fn(h, p, np.ones_like(h), False), dtype=float)
        if got_test.shape != h.shape or not np.allclose(got_test, (1 - p) * h, rtol=1e-12, atol=0):
            return _report(False, f"test output for p = {p} should be h * (1 - p): the expected training output")
    masks = (rng.random((2000, 7)) >= 0.5).astype(float)
    mean_train = np.mean([fn(h[0], 0.5, m, True) for m in masks], axis=0)
    ok = np.allclose(mean_train, fn(h[0], 0.5, np.ones(7), False), rtol=0.1)
    return _report(ok, "plain-mask training output averages to the test output h * (1 - p)" if ok else
                   "the average training output over masks should equal the test output")


def noise_ridge_reference(X, y, sigmas):
    """Minimizer of mean((w . (x + eps) - y)^2) with eps_j ~ N(0, sigma_j^2): penalty sum_j sigma_j^2 w_j^2."""
    n = len(y)
    return np.linalg.solve(X.T @ X + n * np.diag(np.asarray(sigmas, dtype=float) ** 2), X.T @ y)


def check_noise_ridge(fn):
    """Exercise 2: ``fn(X, y, sigmas)`` = argmin of the expected noisy squared loss with per-feature noise."""
    X, y = _regression()
    for sigmas in (np.zeros(5), np.full(5, 0.5), np.array([0.0, 0.2, 0.5, 1.0, 2.0])):
        got = np.asarray(fn(X, y, sigmas), dtype=float)
        want = noise_ridge_reference(X, y, sigmas)
        if got.shape != want.shape or not np.allclose(got, want, rtol=1e-6, atol=1e-9):
            return _report(False, f"for sigmas = {np.round(sigmas, 2).tolist()} the weights differ; the expected "
                                  "loss has the penalty sum_j sigma_j^2 w_j^2 (mean loss: add n * diag(sigma^2) "
                                  "to X^T X)")
    return _report(True, "per-feature noise sigma_j is an L2 penalty with lambda_j = sigma_j^2 on weight j")


def dropout_ridge_reference(X, y, p):
    """Minimizer of the mean expected loss with inverted dropout on the inputs of a linear model."""
    G = X.T @ X
    return np.linalg.solve(G + p / (1 - p) * np.diag(np.diag(G)), X.T @ y)


def check_dropout_ridge(fn):
    """Exercise 3: ``fn(X, y, p)`` = argmin of mean E[(w . (m x / (1-p)) - y)^2]."""
    X, y = _regression(seed=1)
    for p in (0.0, 0.2, 0.5):
        got = np.asarray(fn(X, y, p), dtype=float)
        want = dropout_ridge_reference(X, y, p)
        if got.shape != want.shape or not np.allclose(got, want, rtol=1e-6, atol=1e-9):
            return _report(False, f"for p = {p} the weights differ; the penalty is p/(1-p) * sum_j w_j^2 "
                                  "mean_i(x_ij^2), i.e. add p/(1-p) * diag(X^T X) to X^T X")
    return _report(True, "input dropout on a linear model is an L2 penalty scaled by each feature's mean square")
