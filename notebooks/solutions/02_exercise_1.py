# Exercise 1 of notebook 02: soft-thresholding written out with NumPy.
import numpy as np

try:
    from solutions.checks_02 import check_soft_threshold
except ImportError:  # run as a script: python solutions/02_exercise_1.py
    from checks_02 import check_soft_threshold


def my_soft_threshold(w, t):
    """sign(w) * max(|w| - t, 0): shrink every entry by t towards 0, and stop at exactly 0."""
    return np.sign(w) * np.maximum(np.abs(w) - t, 0.0)


check_soft_threshold(my_soft_threshold)
# np.maximum(..., 0.0) returns exactly 0.0 where |w| <= t, so the zeros are exact, not just small.
