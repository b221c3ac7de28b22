"""Counting a network's parameters, and matching two shapes to the same budget.

To test a design rule such as "narrow each layer" fairly, the two networks being compared
must have (almost) the same number of parameters, otherwise the comparison measures size,
not shape. :func:`constant_width_for_budget` finds the constant hidden width whose network
is closest to a given parameter count. Notebook 01 §1 derives the count and §4 uses the
budget match to test the rule.
"""

import math

from .._validate import require_int


def count_params(sizes):
    """Number of weights and biases of a fully connected net with layer ``sizes``.

    ``sizes`` = (inputs, hidden..., outputs); each layer has fan_in * fan_out weights and
    fan_out biases. Equals ``hpo_teach.models.mlp.MLP(sizes).n_params``.
    """
    sizes = [require_int(f"sizes[{k}]", s, low=1) for k, s in enumerate(sizes)]
    if len(sizes) < 2:
        raise ValueError(f"sizes must list at least an input and an output size, got {sizes}")
    return sum(fan_in * fan_out + fan_out for fan_in, fan_out in zip(sizes[:-1], sizes[1:]))


def constant_width_for_budget(n_in, n_out, depth, n_params):
    """The hidden width h whose net (n_in, h, ..., h, n_out) with ``depth`` hidden layers has
    a parameter count closest to ``n_params`` (ties go to the smaller width).

    The count is (depth - 1) h^2 + (n_in + depth + n_out) h + n_out; we solve for the real
    root and compare the two integers around it.
    """
    n_in = require_int("n_in", n_in, low=1)
    n_out = require_int("n_out", n_out, low=1)
    depth = require_int("depth", depth, low=1)
    smallest = count_params([n_in] + [1] * depth + [n_out])
    n_params = require_int("n_params", n_params, low=smallest)
    a, b, c = depth - 1, n_in + depth + n_out, n_out - n_params
    root = -c / b if a == 0 else (-b + math.sqrt(b * b - 4 * a * c)) / (2 * a)
    candidates = {max(1, math.floor(root)), max(1, math.ceil(root))}
    return min(sorted(candidates),
               key=lambda h: abs(count_params([n_in] + [h] * depth + [n_out]) - n_params))
