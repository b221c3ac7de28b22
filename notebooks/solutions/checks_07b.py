"""Check functions for the exercises of notebook 07b (Bayesian optimization).

Each prints "correct: ..." or "not yet: ..." with a hint, and returns True or False.
"""

import math

import numpy as np
from autograd import grad

from hpo_teach.search.bayesopt import expected_improvement, log_marginal_likelihood, probability_of_improvement
from hpo_teach.testing import verdict


def check_ei(value):
    """Exercise 1: EI for mean 0.120, std 0.020, best 0.130, xi = 0."""
    reference = float(expected_improvement(0.120, 0.020, 0.130))
    try:
        value = float(value)
    except (TypeError, ValueError):
        return verdict(False, "", f"give EI as a number, got {value!r}")
    if abs(value - reference) <= 2e-5:
        return verdict(True, "EI = (best - mean) Phi(z) + std phi(z) with z = 0.5", "")
    if abs(value - 0.010) < 2e-5:
        hint = ("that is best - mean alone, the improvement at the mean; EI weights it by the probability Phi(z) "
                "and adds the exploration term std * phi(z)")
    elif abs(value - 0.010 * 0.6915) < 2e-5:
        hint = "that is only the exploitation term (best - mean) Phi(z); add the exploration term std * phi(z)"
    elif abs(value - 0.020 * 0.3521) < 2e-5:
        hint = "that is only the exploration term; add (best - mean) * Phi(z)"
    else:
        hint = "compute z = (best - mean) / std first, then (best - mean) Phi(z) + std phi(z)"
    return verdict(False, "", hint)


def check_preferences(pi_choice, ei_choice):
    """Exercise 2: which candidate PI and EI prefer (A: mean 0.128, std 0.001; B: mean 0.140, std 0.030)."""
    cands = {"A": (0.128, 0.001), "B": (0.140, 0.030)}
    pi = {k: float(probability_of_improvement(m, s, 0.130)) for k, (m, s) in cands.items()}
    ei = {k: float(expected_improvement(m, s, 0.130)) for k, (m, s) in cands.items()}
    pi_ref, ei_ref = max(pi, key=pi.get), max(ei, key=ei.get)
    if str(pi_choice).upper() != pi_ref:
        return verdict(False, "", "PI only asks how likely an improvement is: compare Phi(z) of the two candidates")
    return verdict(str(ei_choice).upper() == ei_ref,
                   "PI takes the near-certain tiny gain; EI weighs how large the gain could be",
                   "EI also counts how much better a candidate could be: compute both terms for A and for B")


def check_noise_gradient(noise_gradient, seed=0):
    """Exercise 3: d log p(y | X) / d log(noise_var) for the RBF kernel, against autograd."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(size=(9, 1))
    y = np.sin(6 * X[:, 0]) + 0.1 * rng.normal(size=9)
    for ell, signal_var, noise_var in ((0.2, 1.0, 0.05), (0.5, 2.0, 0.3)):
        log_params = np.log([ell, signal_var, noise_var])
        reference = grad(log_marginal_likelihood)(log_params, X, y, "rbf", 0.0)[-1]
        try:
            value = float(noise_gradient(X, y, ell, signal_var, noise_var))
        except Exception as error:  # report, do not crash the learner's notebook
            return verdict(False, "", f"noise_gradient raised {type(error).__name__}: {error}")
        if not math.isfinite(value) or abs(value - reference) > 1e-6 * max(1.0, abs(reference)):
            return verdict(False, "", "differentiate K with respect to log(noise_var), not noise_var (chain rule), "
                                      "and build K and alpha with the noise on the diagonal")
    return verdict(True, "your trace formula matches autograd's gradient", "")
