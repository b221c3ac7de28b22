"""Check functions for the exercises of notebook 15 (the capstone).

Each prints "correct: ..." or "not yet: <hint>" and returns True or False; none prints the answer.
"""

import math

import numpy as np

from hpo_teach.testing import verdict


def check_break_even(n_steps, d, T=300, c=1.5, V=20, budget_trainings=40):
    """Exercise 1: whole reversible hypergradient steps in a budget of 40 trainings, and the smallest number of
    hyperparameters for which a grid with 3 points per axis costs more than those steps."""
    step = T * (2 + c) + V
    want_steps = int(budget_trainings * T // step)
    want_d = 1
    while 3**want_d * T <= want_steps * step:
        want_d += 1
    hints = []
    if n_steps != want_steps:
        hints.append("n_steps: price one step with the table of section 2 (T, c and V all count), divide the budget "
                     "of 40 trainings of T steps by it, and keep whole steps only")
    if d != want_d:
        hints.append("d: a grid with 3 points per axis trains 3**d networks of T steps each; find the first d for "
                     "which that costs more than your n_steps steps")
    return verdict(not hints, "both right: the hypergradient's price does not depend on d, the grid's triples with "
                              "every hyperparameter", "; ".join(hints))


def check_paired_t(t, a, b):
    """Exercise 2: the paired t statistic of the per-seed differences a - b (either sign accepted)."""
    d = np.asarray(a, float) - np.asarray(b, float)
    sd = d.std(ddof=1)
    if sd == 0:
        return verdict(False, "", "these differences have zero spread: t is undefined; try other methods")
    want = d.mean() / (sd / math.sqrt(d.size))
    ok = math.isclose(abs(float(t)), abs(want), rel_tol=1e-6)
    return verdict(ok, f"t is right; |t| {'>' if abs(want) > 4.30 else '<='} 4.30, so the difference is "
                       f"{'' if abs(want) > 4.30 else 'not '}significant at 5% with {d.size - 1} degrees of freedom",
                   "pair the seeds (one difference per seed) and compare the mean difference with its standard error "
                   "(sample standard deviation, n - 1 in the denominator)")
