"""Check functions for notebook 08's exercises.

Each prints "correct: ..." or "not yet: <hint>" (via ``hpo_teach.testing.verdict``) and returns a bool; a hint
says where to look, never the answer.
"""

import autograd.numpy as anp
import numpy as np
from autograd import grad

from hpo_teach.hypergrad import unrolled
from hpo_teach.testing import verdict


def check_beta_hypergradient(answer, train_loss, valid_loss, w0, meta, alphas, betas, h=1e-5):
    """Exercise 1: compare a claimed d(valid loss)/d(shared beta) with a central finite difference."""
    def f(beta):
        w_final, _ = unrolled.train(train_loss, w0, meta, alphas, np.full(len(betas), beta))
        return valid_loss(w_final, meta)

    beta = float(betas[0])
    fd = (f(beta + h) - f(beta - h)) / (2 * h)
    ok = abs(float(answer) - fd) <= 1e-4 * max(1.0, abs(fd))
    return verdict(ok, "your d/dβ agrees with a central finite difference (to 1e-4)",
                   "your number disagrees with a central finite difference in the shared β. "
                   "Compute one yourself (train twice, at β + h and β − h) and compare it with your number.")


def _truncated_reference(train_loss, valid_loss, w0, meta, betas, log_alpha, K):
    alpha, T = float(np.exp(log_alpha[0])), len(betas)
    w, v = np.array(w0, dtype=float), np.zeros(len(w0))
    g = grad(train_loss)
    for t in range(T - K):
        v = betas[t] * v - (1 - betas[t]) * g(w, meta, t)
        w = w + alpha * v

    def tail(la):
        ww, vv = w, v
        for t in range(T - K, T):
            vv = betas[t] * vv - (1 - betas[t]) * g(ww, meta, t)
            ww = ww + anp.exp(la[0]) * vv
        return valid_loss(ww, meta)

    return float(grad(tail)(np.array(log_alpha, dtype=float))[0])


def check_truncated_hypergradient(truncated, train_loss, valid_loss, w0, meta, betas):
    """Exercise 3: ``truncated(log_alpha, K)`` -> d(valid loss)/d(shared log α), backpropagated through the last K steps."""
    T = len(betas)
    for alpha, K in ((0.3, T), (0.3, 10), (1.16, 1)):
        log_alpha = np.array([np.log(alpha)])
        want = _truncated_reference(train_loss, valid_loss, w0, meta, betas, log_alpha, K)
        got = float(np.ravel(truncated(log_alpha, K))[0])
        if not abs(got - want) <= 1e-6 * max(1e-3, abs(want)):
            hint = ("with K = T your function should equal the full hypergradient of the shared log α"
                    if K == T else "run the first T - K steps on plain NumPy arrays (no tape) and differentiate "
                                   "only the last K; both w and v carry over from step T - K")
            return verdict(False, "", f"at α = {alpha:g}, K = {K}: {hint}")
    return verdict(True, "your truncated hypergradients match (K = T, 10 and 1)", "")
