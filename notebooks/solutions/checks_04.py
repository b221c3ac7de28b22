"""Check functions for the exercises of notebook 04 (learning rate and batch size).

Each prints "correct: ..." or "not yet: ..." with a hint, and returns True or False.
"""

import math

from hpo_teach.testing import verdict


def check_best_lr(lr, curvatures=(1.0, 100.0)):
    """Exercise 1: the rate minimizing max_i |1 - lr * lambda_i| on a quadratic with these curvatures."""
    low, high = min(curvatures), max(curvatures)
    best = 2.0 / (low + high)
    factor = (high - low) / (high + low)
    return verdict(abs(lr - best) <= 0.02 * best,
                   f"lr = 2/(lambda_min + lambda_max) = {best:.4g}; both directions then shrink by {factor:.4f}",
                   f"{lr:.4g} is off; make the two factors |1 - lr*lambda_min| and |1 - lr*lambda_max| equal")


def check_critical_batch(answer, trace, full_grad_sq, n):
    """Exercise 2: the batch size where trace/B * (n-B)/(n-1) equals ||g||^2 (within 5%)."""
    exact = trace * n / (full_grad_sq * (n - 1) + trace)
    return verdict(abs(answer - exact) <= 0.05 * exact,
                   "noise equals signal at this batch size (a little below trace / ||g||^2, the answer without "
                   "the finite-population correction)",
                   f"{answer:.3g} is off; solve trace/B * (n - B)/(n - 1) = ||g||^2 for B")


def check_linear_decay(schedule, lr, n):
    """Exercise 4: schedule(t) = lr * (1 - t/n) for t < n, and 0 from step n on."""
    points = [0, n // 4, n // 2, n - 1]
    expected = [lr * (1 - t / n) for t in points]
    ok = all(math.isclose(schedule(t), e, rel_tol=1e-9, abs_tol=1e-12) for t, e in zip(points, expected))
    ok = ok and schedule(n) == 0 and schedule(2 * n) == 0
    return verdict(ok, f"linear decay from {lr:g} to 0 over {n} steps",
                   f"expected {[round(e, 6) for e in expected]} at steps {points} and 0 from step {n} on")
