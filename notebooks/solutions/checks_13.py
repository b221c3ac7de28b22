"""Check functions for the exercises of notebook 13 (implicit differentiation).

Each prints "correct: ..." or "not yet: <hint>" and returns True or False; none prints the answer.
The ridge problem is rebuilt here exactly as in the notebook (200 training digits, 500 validation
digits, 14x14 pixels, one-hot targets), so the checks need nothing from the notebook's state.
"""

from functools import lru_cache

import numpy as np

from hpo_teach import data
from hpo_teach.testing import verdict


@lru_cache(maxsize=1)
def _ridge():
    X, y = data.mnist_small("train")
    Xv, yv = data.mnist_small("valid")
    X, y, Xv, yv = X[:200], y[:200], Xv[:500], yv[:500]
    A = X.T @ X / len(y)
    return X, np.eye(10)[y], Xv, np.eye(10)[yv], A


def _largest_eigenvalue(hvp, size, iterations=300, seed=0):
    u = np.random.default_rng(seed).normal(size=size)
    for _ in range(iterations):
        u = hvp(u)
        u = u / np.linalg.norm(u)
    return float(u @ hvp(u))


def check_alpha_limit(alpha_max, hvp, size):
    """Exercise 1: the supremum 2 / lambda_max(H) of the step sizes alpha for which the Neumann series converges."""
    limit = 2.0 / _largest_eigenvalue(hvp, size)
    ok = abs(alpha_max - limit) <= 0.01 * limit
    return verdict(ok, f"the series converges for 0 < alpha < {alpha_max:.4g}: |1 - alpha mu| < 1 for every "
                       "eigenvalue mu of H, and the largest eigenvalue decides",
                   "that is not 2 / lambda_max(H) to within 1%: check your estimate of the largest eigenvalue "
                   "(does it still change when you use more Hessian-vector products?)")


def _hvp_counts(kappa=3000.0, target=0.01):
    """Smallest Neumann n_terms and CG iteration count for a relative hypergradient error <= target."""
    X, Y, Xv, Yv, A = _ridge()
    s, Q = np.linalg.eigh(A)
    s = np.clip(s, 0.0, None)
    lam = s[-1] / (kappa - 1)  # the smallest eigenvalue of A is 0 (dead pixels): cond(H) = kappa
    mu = s + lam
    W = Q @ ((Q.T @ (X.T @ Y / len(Y))) / mu[:, None])
    G = Xv.T @ (Xv @ W - Yv) / len(Yv)
    # hypergradient d = -lam <W, H^-1 G>; in the eigenbasis, the Neumann error of term i decays as (1 - mu_i/L)^K
    c = -lam * np.sum((Q.T @ W) * (Q.T @ G), axis=1) / mu
    exact = c.sum()
    rate = 1.0 - mu / mu[-1]
    k_neumann = None
    for start in range(1, 200001, 5000):  # K in chunks: 196 eigen-directions x 5000 terms at a time
        K = np.arange(start, start + 5000)
        errors = np.abs(c @ rate[:, None] ** K[None, :]) / abs(exact)
        below = np.flatnonzero(errors <= target)
        if below.size:
            k_neumann = int(K[below[0]])
            break

    def hvp(U):
        return A @ U + lam * U

    x, r = np.zeros_like(G), G.copy()
    p, rr = r.copy(), np.sum(r * r)
    k_cg = None
    for k in range(1, 2000):
        Hp = hvp(p)
        step = rr / np.sum(p * Hp)
        x, r = x + step * p, r - step * Hp
        if abs(-lam * np.sum(W * x) - exact) <= target * abs(exact):
            k_cg = k
            break
        rr_next = np.sum(r * r)
        p, rr = r + (rr_next / rr) * p, rr_next
    return k_neumann, k_cg


def check_hvp_counts(n_terms, cg_iterations):
    """Exercise 2: at cond(H) = 3000 (alpha = 1 / lambda_max), the fewest Neumann terms and CG iterations that
    bring the hypergradient within 1% of the exact one."""
    k_neumann, k_cg = _hvp_counts()
    ok_n = abs(n_terms - k_neumann) <= max(2, 0.05 * k_neumann)
    ok_cg = abs(cg_iterations - k_cg) <= 1
    good = (f"Neumann needs {k_neumann} terms and CG {k_cg} iterations (each one Hessian-vector product): "
            f"{k_neumann / k_cg:.0f}x fewer for CG")
    if not ok_n:
        return verdict(False, good, "your Neumann count is off: increase n_terms until the relative error of d_meta "
                                    "first drops to 1% or below (it need not fall monotonically at first)")
    return verdict(ok_cg, good, "your CG count is off: the smallest number of iterations (n_terms for "
                                "method='cg', with tol tiny) whose d_meta is within 1% of the exact one")


def ridge_validation_loss(log_lambda):
    """The notebook's ridge: validation loss at the exact minimizer for L2 strength exp(log_lambda)."""
    X, Y, Xv, Yv, A = _ridge()
    W = np.linalg.solve(A + np.exp(log_lambda) * np.eye(A.shape[0]), X.T @ Y / len(Y))
    return 0.5 * np.sum((Xv @ W - Yv) ** 2) / len(Yv)


def check_hoag(log_lambda):
    """Exercise 3: HOAG's final log lambda should minimize the ridge validation loss (to 0.05 in log lambda)."""
    grid = np.linspace(-8.0, 4.0, 121)
    values = np.array([ridge_validation_loss(m) for m in grid])
    i = int(np.argmin(values))
    fine = np.linspace(grid[max(i - 1, 0)], grid[min(i + 1, len(grid) - 1)], 201)
    best = fine[int(np.argmin([ridge_validation_loss(m) for m in fine]))]
    ok = abs(log_lambda - best) <= 0.05
    return verdict(ok, "HOAG's log lambda is within 0.05 of the validation loss's minimizer",
                   "your log lambda does not minimize the validation loss yet; run more outer steps, and check the "
                   "sign of the step (log lambda <- log lambda - hypergradient / L)")
