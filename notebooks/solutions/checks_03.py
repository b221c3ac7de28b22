"""Check functions for the exercises of notebook 03 (dropout).

Each prints "correct: ..." or "not yet: ..." with a hint, and returns True or False.
"""

import numpy as np


def _report(ok, message):
    print(("correct: " if ok else "not yet: ") + message)
    return ok


def check_classic_dropout(fn):
    """Exercise 1: ``fn(h, p, keep, train)``: the plain mask in training, the matching test-time output."""
    rng = np.random.default_rng(3)
    h = np.abs(rng.normal(size=(3, 7)))
    for p in (0.2, 0.5, 0.8):
        keep = (rng.random(h.shape) >= p).astype(float)
        got_train = np.asarray(fn(h, p, keep, True), dtype=float)
        if got_train.shape != h.shape or not np.allclose(got_train, h * keep, rtol=1e-12, atol=0):
            return _report(False, f"the training branch (train=True) for p = {p} is not the plain mask the exercise "
                                  "describes; look at whether anything is rescaled during training")
        got_test = np.asarray(fn(h, p, np.ones_like(h), False), dtype=float)
        if got_test.shape != h.shape or not np.allclose(got_test, (1 - p) * h, rtol=1e-12, atol=0):
            return _report(False, f"the test branch (train=False) for p = {p} does not give the average of the "
                                  "training outputs over masks; work out the mean of one unit's training output")
    masks = (rng.random((2000, 7)) >= 0.5).astype(float)
    mean_train = np.mean([fn(h[0], 0.5, m, True) for m in masks], axis=0)
    ok = np.allclose(mean_train, fn(h[0], 0.5, np.ones(7), False), rtol=0.1)
    return _report(ok, "plain-mask training output averages to the test output" if ok else
                   "the average training output over masks should equal the test output")


def check_mask_prediction(var_r, predicted_order):
    """Exercise 2: ``var_r(p)``, the variance of a unit's training factor r = m / (1 - p), and
    ``predicted_order``, the rates 0.1, 0.2 and 0.5 from the one expected to need the fewest masks to the most."""
    rates = (0.1, 0.2, 0.5)
    for p in (0.1, 0.2, 0.5, 0.8):
        try:
            got = float(var_r(p))
        except Exception:  # noqa: BLE001 - any failure is a wrong answer here
            return _report(False, f"var_r({p}) should return a number")
        if not np.isclose(got, p / (1 - p), rtol=1e-9, atol=1e-12):
            return _report(False, f"var_r({p}) is not the variance of r = m / (1 - p); r takes two values: write "
                                  "them down with their probabilities, then compute E[r^2] - E[r]^2")
    try:
        order = [float(v) for v in predicted_order]
    except Exception:  # noqa: BLE001
        return _report(False, "predicted_order should be a list of the three rates")
    if len(order) != 3 or not np.allclose(sorted(order), rates):
        return _report(False, "predicted_order should list each of the rates 0.1, 0.2 and 0.5 exactly once")
    if not np.allclose(order, sorted(rates, key=lambda p: p / (1 - p))):
        return _report(False, "your order does not follow from the variances; compare how widely one mask's "
                              "output scatters at each rate, and what that means for an average of K masks")
    return _report(True, "variance and predicted order agree; now measure the mask count for each rate")
