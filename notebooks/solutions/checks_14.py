"""Check functions for the exercises of notebook 14 (continuous width).

Each prints "correct: ..." or "not yet: ..." with a hint, and returns True or False.
"""

import math

import numpy as np
from autograd import grad

from hpo_teach.testing import verdict

GAMMAS = (0.7, 2.4, 3.6, 5.3, 7.9)


def check_gamma_grad(my_gamma_grad, net, X, y, seed=3):
    """Exercise 1: ``my_gamma_grad(w, gamma)`` must equal autograd's dL/dgamma at non-integer gammas."""
    w = net.init(seed, out_std=1.0)
    for gamma in GAMMAS:
        try:
            mine = float(my_gamma_grad(w.copy(), gamma))
        except Exception as error:  # a learner's function may fail in many ways; say how
            return verdict(False, "", f"your function raised {type(error).__name__} at gamma = {gamma}: {error}")
        reference = grad(net.loss, 1)(w, gamma, X, y)
        if not abs(mine - reference) <= 1e-9 * max(1.0, abs(reference)):
            return verdict(False, "", f"at gamma = {gamma} your value differs from autograd's; which unit's mask "
                                      "moves with gamma when units are counted from 1?")
    return verdict(True, f"your closed form equals autograd at gamma = {', '.join(map(str, GAMMAS))}", "")


def check_shrink(shrink, net, X, seed=4):
    """Exercise 2: ``shrink(w, gamma) -> (w2, gamma2)``: same logits, gamma2 <= gamma - fraction / 4."""
    w = net.init(seed, out_std=1.0)
    for gamma in (3.6, 7.3, 11.8):
        w2, gamma2 = shrink(w.copy(), gamma)
        fraction = gamma - math.ceil(gamma) + 1
        gap = np.max(np.abs(net.logits(np.asarray(w2), float(gamma2), X) - net.logits(w, gamma, X)))
        if not gap < 1e-10:
            return verdict(False, "", f"at gamma = {gamma} the logits changed (by {gap:.1e}); only the product of "
                                      "the last unit's mask and its outgoing weights may stay the same")
        if not gamma2 <= gamma - fraction / 4:
            return verdict(False, "", f"at gamma = {gamma} the width did not shrink by a quarter of the fraction "
                                      "or more; make the fractional mask smaller and compensate elsewhere")
    return verdict(True, "same function, smaller gamma at 3 widths: the width cost can be cheated", "")


def check_split(split, wide, X, y, seed=5):
    """Exercise 3: ``split(w, k)`` must preserve the loss from gamma = k to k + 1 with a non-zero new unit."""
    w = wide.init(seed, out_std=1.0)
    for k in (2, 5):
        w2 = np.asarray(split(w.copy(), k))
        jump = abs(wide.loss(w2, k + 1.0, X, y) - wide.loss(w, float(k), X, y))
        if not jump < 1e-12:
            return verdict(False, "", f"at k = {k}: L(k + 1) with your weights differs from L(k) with the old ones "
                                      f"by {jump:.1e}; the two halves together must do what unit k did")
        new_out = w2[wide.unit_param_indices(k + 1)[-wide.n_out:]]
        if not np.any(new_out != 0):
            return verdict(False, "", f"at k = {k} unit {k + 1}'s outgoing weights are all zero: that is the "
                                      "zero-init unit, not a split; give the new unit part of unit k's job")
    return verdict(True, "function preserved at k = 2 and 5 with a non-zero new unit (a Net2Net split)", "")
