"""Check functions for the exercises of notebook 03 (dropout).

Each prints "correct: ..." or "not yet: ..." with a hint, and returns True or False.
"""

import numpy as np


def _report(ok, message):
    print(("correct: " if ok else "not yet: ") + message)
    return ok


def check_classic_dropout(fn):
    """Exercise 1: ``fn(h, p, keep, train)``: ``h * keep`` when training, ``h * (1 - p)`` at test time."""
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
                                  "training outputs over masks; what is the mean of keep?")
    masks = (rng.random((2000, 7)) >= 0.5).astype(float)
    mean_train = np.mean([fn(h[0], 0.5, m, True) for m in masks], axis=0)
    ok = np.allclose(mean_train, fn(h[0], 0.5, np.ones(7), False), rtol=0.1)
    return _report(ok, "plain-mask training output averages to the test output h * (1 - p)" if ok else
                   "the average training output over masks should equal the test output")
