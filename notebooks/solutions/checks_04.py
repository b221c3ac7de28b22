"""Check functions for the exercises of notebook 04 (learning rate and batch size).

Each prints "correct: ..." or "not yet: ..." with a hint, and returns True or False.
"""

import math

from hpo_teach.testing import verdict


def _steps_to_shrink(kappa, target=1e-6, max_steps=100_000):
    """Gradient-descent steps at lr = 2/(1 + kappa) on quadratic((1, kappa), rotation=1) until f <= target * f(start)."""
    import numpy as np

    from hpo_teach.training.surfaces import quadratic

    bowl = quadratic((1.0, float(kappa)), rotation=1.0)
    H, w = bowl.hessian, np.array(bowl.start, dtype=float)
    lr, f0 = 2.0 / (1.0 + kappa), bowl(np.array(bowl.start, dtype=float))
    for step in range(1, max_steps + 1):
        w = w - lr * (H @ w)
        if bowl(w) <= target * f0:
            return step
    return max_steps


def check_steps_needed(fn):
    """Exercise 1: ``fn(kappa)`` = steps of GD at the best constant rate until the loss falls to 1e-6 of its start."""
    for kappa in (10, 50, 300):
        want = _steps_to_shrink(kappa)
        try:
            got = fn(kappa)
        except Exception as error:  # a learner's function may raise: say so instead of a traceback
            return verdict(False, "", f"steps_needed({kappa}) raised {type(error).__name__}: {error}")
        if not isinstance(got, (int, np_integer())) or abs(got - want) > max(1, 0.02 * want):
            return verdict(False, "", f"for kappa = {kappa} your count differs from a run of gradient descent at "
                                      "the best constant rate; count the steps until the loss first falls to 1e-6 "
                                      "of its initial value (the start counts as step 0)")
    return verdict(True, "step counts match on kappa = 10, 50, 300; they grow in proportion to kappa, as "
                         "log(1e-6) / (2 log((kappa - 1)/(kappa + 1))) ~ 3.5 kappa predicts", "")


def np_integer():
    import numpy as np

    return np.integer


def check_critical_batch(answer, trace, full_grad_sq, n):
    """Exercise 2: the batch size where trace/B * (n-B)/(n-1) equals ||g||^2 (within 5%)."""
    exact = trace * n / (full_grad_sq * (n - 1) + trace)
    return verdict(abs(answer - exact) <= 0.05 * exact,
                   "noise equals signal at this batch size (a little below trace / ||g||^2, the answer without "
                   "the finite-population correction)",
                   f"{answer:.3g} is more than 5 % away; find the B at which predicted_noise(trace, n, B) equals ||g||^2")


def check_linear_decay(schedule, lr, n):
    """Exercise 4: schedule(t) = lr * (1 - t/n) for t < n, and 0 from step n on."""
    points = [0, n // 4, n // 2, n - 1]
    expected = [lr * (1 - t / n) for t in points]
    ok = all(math.isclose(schedule(t), e, rel_tol=1e-9, abs_tol=1e-12) for t, e in zip(points, expected))
    ok = ok and schedule(n) == 0 and schedule(2 * n) == 0
    return verdict(ok, f"linear decay from {lr:g} to 0 over {n} steps",
                   "at some of the steps 0, n/4, n/2, n - 1, n and 2n your rate is not on the straight line from "
                   "lr at step 0 to 0 at step n (and 0 from step n on)")
