# Exercise 1 of notebook 03: the original (plain-mask) dropout, which rescales at test time.
import numpy as np


def classic_dropout(h, p, keep, train):
    """Training: drop units with the 0/1 mask `keep`, no rescaling. Test: scale by 1 - p, the mean of keep."""
    return h * keep if train else h * (1.0 - p)


# The average training output over many masks equals the test output: E[keep] = 1 - p.
rng = np.random.default_rng(0)
h, p = np.array([0.5, 1.0, 2.0]), 0.3
masks = (rng.random((50_000, 3)) >= p).astype(float)
print("mean training output:", np.round(classic_dropout(h, p, masks, True).mean(axis=0), 3))
print("test output:         ", classic_dropout(h, p, None, False))

try:  # check the answer (works when run from notebooks/solutions, from notebooks/, or after %load)
    from solutions.checks_03 import check_classic_dropout
except ImportError:
    from checks_03 import check_classic_dropout
check_classic_dropout(classic_dropout)
