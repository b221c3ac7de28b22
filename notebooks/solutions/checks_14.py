"""Check functions for the exercises of notebook 14 (continuous width).

Each prints "correct: ..." or "not yet: <hint>" (``hpo_teach.testing.verdict``) and returns True or False.
A hint says what to look at, never the answer: no reference value is printed.
"""

import math

import numpy as np

from hpo_teach.testing import verdict

INTERVALS = (4, 5, 6, 10, 14)


def _reference_minimum(net, w, k, X, y):
    """Where the frozen L is lowest on [k, k + 1]: L is convex there, so bisect its derivative."""
    if net.gamma_grad(w, float(k), X, y, side="right") >= 0:
        return float(k)
    if net.gamma_grad(w, k + 1.0, X, y, side="left") <= 0:
        return k + 1.0
    lo, hi = float(k), k + 1.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if net.gamma_grad(w, mid, X, y) < 0 else (lo, mid)
    return 0.5 * (lo + hi)


def check_interval_minimum(interval_minimum, net, w, X, y):
    """Exercise 1: ``interval_minimum(w, k)`` is where the frozen training loss is lowest on [k, k + 1]."""
    for k in INTERVALS:
        try:
            mine = float(interval_minimum(w.copy(), k))
        except Exception as error:  # a learner's function may fail in many ways; say how
            return verdict(False, "", f"your function raised {type(error).__name__} at k = {k}: {error}")
        if not k <= mine <= k + 1:
            return verdict(False, "", f"at k = {k} your gamma is outside the interval [k, k + 1]")
        reference = _reference_minimum(net, w, k, X, y)
        close = abs(mine - reference) <= 1e-5
        as_low = net.loss(w, mine, X, y) <= net.loss(w, reference, X, y) + 1e-12
        if not (close or as_low):
            return verdict(False, "", f"at k = {k} your gamma is not the minimum (to 1e-5); L is convex on the "
                                      "interval, so its gamma-gradient only rises there: what does its sign tell you?")
    return verdict(True, f"the minimum of the frozen L found on {len(INTERVALS)} unit intervals", "")


def _cheat(net, w, gamma, factor):
    """Shrink the fractional mask by ``factor`` and grow the last unit's outgoing weights by it: same logits."""
    c = math.ceil(gamma)
    w = w.copy()
    w[net.unit_param_indices(c)[-net.n_out:]] *= factor
    return w, c - 1 + (gamma - c + 1) / factor


def check_scale_cost(cost, net, seed=4):
    """Exercise 2: ``cost(w, gamma)`` must not fall under the cheat, be 0 without outgoing weights, grow with gamma."""
    w = net.init(seed, out_std=1.0)
    try:
        for gamma in (3.6, 7.3, 11.8):
            before = float(cost(w.copy(), gamma))
            for factor in (2.0, 4.0):
                after = float(cost(*_cheat(net, w, gamma, factor)))
                if not abs(after - before) <= 1e-10 * max(1.0, abs(before)):
                    return verdict(False, "", f"at gamma = {gamma} the cheat (a smaller fractional mask, larger "
                                              "outgoing weights, the same function) changed your cost; price "
                                              "something the cheat leaves unchanged")
        silent = w.copy()
        silent[net.slices["W2"]] = 0.0
        if not abs(float(cost(silent, 7.3))) <= 1e-12:
            return verdict(False, "", "with every outgoing weight zero the units do nothing, yet your cost is not 0")
        for gamma in (2.3, 5.5, 9.1):
            if not float(cost(w.copy(), gamma + 0.4)) > float(cost(w.copy(), gamma)):
                return verdict(False, "", f"from gamma = {gamma} to {gamma + 0.4} more of a working unit is switched "
                                          "on, yet your cost did not grow")
    except Exception as error:  # a learner's function may fail in many ways; say how
        return verdict(False, "", f"your function raised {type(error).__name__}: {error}")
    return verdict(True, "the cheat cannot lower this cost; it is 0 for silent units and grows with gamma", "")


def check_split(split, wide, X, y, seed=5):
    """Exercise 3: ``split(w, k)`` must preserve the loss from gamma = k to k + 1 with a non-zero new unit."""
    w = wide.init(seed, out_std=1.0)
    for k in (2, 5):
        try:
            w2 = np.asarray(split(w.copy(), k), dtype=float)
        except Exception as error:  # a learner's function may fail in many ways; say how
            return verdict(False, "", f"your function raised {type(error).__name__} at k = {k}: {error}")
        jump = abs(wide.loss(w2, k + 1.0, X, y) - wide.loss(w, float(k), X, y))
        if not jump < 1e-12:
            return verdict(False, "", f"at k = {k}: L(k + 1) with your weights differs from L(k) with the old ones "
                                      f"by {jump:.1e}; switching on unit k + 1 must leave the function unchanged")
        new_out = w2[wide.unit_param_indices(k + 1)[-wide.n_out:]]
        if not np.any(new_out != 0):
            return verdict(False, "", f"at k = {k} unit {k + 1}'s outgoing weights are all zero: that is the "
                                      "zero-init unit of section 5, which the exercise rules out; the new unit "
                                      "must take part in the output")
    return verdict(True, "function preserved at k = 2 and 5 with a non-zero new unit (a Net2Net split)", "")
