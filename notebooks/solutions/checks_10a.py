"""Check functions for the exercises of notebook 10a (reversible-learning experiments).

Each prints "correct: ..." or "not yet: ..." with a hint, and returns True or False.
"""

import numpy as np

from hpo_teach.testing import verdict


def _call(fn, *args):
    """fn(*args) as a float array, or the exception it raised."""
    try:
        return np.asarray(fn(*args), dtype=float), None
    except Exception as error:  # a learner's function may raise anything: report it
        return None, f"your function raised {type(error).__name__}: {error}"


def check_group_sums(group_sums, seed=0):
    """Exercise 1: ``group_sums(d_alphas, groups, n_groups)`` -> (T, n_groups) column sums by group.

    Tested on random (T, d) arrays, with groups in any order and one group left empty.
    """
    rng = np.random.default_rng(seed)
    d_alphas = rng.normal(size=(7, 23))
    groups = rng.integers(0, 4, 23)  # group 4 of 5 has no members: its column must be 0
    expected = np.stack([d_alphas[:, groups == j].sum(axis=1) for j in range(5)], axis=1)
    got, error = _call(group_sums, d_alphas, groups, 5)
    if error:
        return verdict(False, "", error)
    if got.shape != expected.shape:
        return verdict(False, "", f"expected shape (T, n_groups) = {expected.shape}, got {got.shape}")
    if np.allclose(got[:, :4].sum(axis=1), d_alphas.sum(axis=1)) and not np.allclose(got, expected):
        return verdict(False, "", "the totals are right but the columns are mixed up: column j must sum the "
                                  "parameters whose group index is j")
    return verdict(np.allclose(got, expected, rtol=1e-12, atol=1e-12),
                   "each column sums its group's parameters (an empty group gives zeros)",
                   "column j should be d_alphas[:, groups == j].sum(axis=1)")


def check_d_log_scales(d_log_scales, seed=1):
    """Exercise 2: ``d_log_scales(d_w0, w0, layer_of_param, n_layers)`` -> sum over layer k of w0 * d_w0."""
    rng = np.random.default_rng(seed)
    sizes = [(6, 5), (5,), (5, 4), (4,), (4, 3), (3,)]  # an MLP 6-5-4-3: W1, b1, W2, b2, W3, b3
    counts = [int(np.prod(s)) for s in sizes]
    layer_of_param = np.repeat([0, 0, 1, 1, 2, 2], counts)
    is_bias = np.repeat([False, True] * 3, counts)
    w0 = np.where(is_bias, 0.0, rng.normal(size=layer_of_param.size) * 0.3)  # biases start at 0
    d_w0 = rng.normal(size=layer_of_param.size)
    expected = np.array([np.sum((w0 * d_w0)[layer_of_param == k]) for k in range(3)])
    got, error = _call(d_log_scales, d_w0, w0, layer_of_param, 3)
    if error:
        return verdict(False, "", error)
    if got.shape != (3,):
        return verdict(False, "", f"expected one value per layer, shape (3,), got {got.shape}")
    if np.allclose(got, [np.sum(d_w0[layer_of_param == k]) for k in range(3)]):
        return verdict(False, "", "you summed d_w0 alone; w0_i = s_k * eps_i, so d w0_i / d log s_k = w0_i: "
                                  "weight each term by w0_i")
    return verdict(np.allclose(got, expected, rtol=1e-12, atol=1e-12),
                   "d f / d log s_k = sum over layer k of w0_i * d f / d w0_i",
                   "sum w0 * d_w0 over the parameters of each layer")


def _toy_gradient(bottom, calls):
    """Gradient of (x - bottom)**2 plus, above x = 2, a 'chaotic' term of size 10 * exp(30 (x - 2))."""

    def grad(x):
        calls.append(float(x))
        smooth = 2.0 * (x - bottom)
        if x <= 2.0:
            return smooth
        return smooth + np.sign(np.sin(5000.0 * x) + 0.5) * 10.0 * np.exp(min(30.0 * (x - 2.0), 600.0))

    return grad


def check_stop_rule(descend_until_growth):
    """Exercise 3: ``descend_until_growth(grad, x0, step, growth, max_steps)`` -> the last point before
    |grad| first grew by more than ``growth`` from one step to the next (or the final point).

    Case 1: a bowl with its bottom at 1.8, in the smooth part: descent must converge near 1.8.
    Case 2: the bowl's bottom at 2.5 lies in the chaotic part: from 0 with step 0.3 the path is
    0 -> 1.5 -> 2.1, where |grad| explodes; the rule must return 1.5.
    """
    calls = []
    x, error = _call(descend_until_growth, _toy_gradient(1.8, calls), 0.0, 0.3, 2.0, 40)
    if error:
        return verdict(False, "", error)
    if not abs(float(x) - 1.8) < 0.01:
        return verdict(False, "", f"on a smooth bowl with bottom 1.8 you returned {float(x):.4g}: the rule "
                                  f"should not fire while |grad| shrinks (compare each |grad| with the previous one)")
    calls = []
    x, error = _call(descend_until_growth, _toy_gradient(2.5, calls), 0.0, 0.3, 2.0, 40)
    if error:
        return verdict(False, "", error)
    x = float(x)
    if abs(x - 2.1) < 1e-9:
        return verdict(False, "", "you returned 2.1, the point whose gradient exploded: keep the one before it")
    if any(c > 2.2 for c in calls):
        return verdict(False, "", "you kept descending into the chaotic region: stop as soon as |grad| grows")
    return verdict(abs(x - 1.5) < 1e-9,
                   "converges on a smooth bowl; stops at 1.5, the last point before the meta-gradient exploded",
                   f"expected 1.5 (path 0 -> 1.5 -> 2.1, |grad| grows at 2.1), got {x:.4g}")
