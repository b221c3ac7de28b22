# Exercise 2 of notebook 06: the gradient size at which Adam's step is half of lr, for ε = 1e-3.
import numpy as np

from hpo_teach.training.optim import Adam

try:
    from solutions.checks_06 import check_half_step_gradient
except ImportError:  # run as a script: python solutions/06_exercise_2.py
    from checks_06 import check_half_step_gradient

lr, eps = 1e-3, 1e-3


def first_step(c):
    """Length of Adam's first step on f(w) = c w²/2 from w = 1 (gradient c)."""
    w = np.array([1.0])
    return abs(Adam(lr, eps=eps).step(w, c * w)[0] - 1.0)


low, high = 1e-8, 1.0  # bisection on log c: the step grows with c
for _ in range(60):
    mid = np.sqrt(low * high)
    low, high = (mid, high) if first_step(mid) < lr / 2 else (low, mid)
g_half = np.sqrt(low * high)
print(f"measured: step = lr/2 at |g| = {g_half:.4g}; formula lr·|g|/(|g| + ε) = lr/2 gives |g| = ε = {eps:g}")
check_half_step_gradient(g_half, eps)
