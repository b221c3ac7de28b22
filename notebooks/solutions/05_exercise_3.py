# Exercise 3 of notebook 05: a sigmoid net is a tanh net with other weights.
import numpy as np

from hpo_teach.models.mlp import MLP

small = MLP([196, 32, 32, 32, 10], "sigmoid")
w_small = small.init(seed=0)  # the net of section 1


def sigmoid_to_tanh(mlp, w):
    """Weights of a tanh net with the same logits. sigmoid(z) = (1 + tanh(z/2)) / 2, so with t = tanh(z/2):
    z_next = h W + b = t (W/2) + (b + colsum(W)/2); the tanh net works with u = z/2 in hidden layers."""
    params = mlp.unflatten(w)
    new = []
    for k, (W, b) in enumerate(params):
        if k == 0:                      # u_1 = z_1 / 2 = X (W/2) + b/2
            new.append((W / 2, b / 2))
        elif k < len(params) - 1:       # u_k = z_k / 2 = t (W/4) + (b + colsum(W)/2) / 2
            new.append((W / 4, (b + W.sum(axis=0) / 2) / 2))
        else:                           # logits = z_L = t (W/2) + b + colsum(W)/2
            new.append((W / 2, b + W.sum(axis=0) / 2))
    return mlp.flatten(new)


w_tanh = sigmoid_to_tanh(small, w_small)
# The two nets compute the same functions (any sigmoid net is a tanh net and vice versa), so the
# difference in training is only the parametrization: the same step of SGD moves them differently
# (the sigmoid net's weights feed a slope-1/4 curve and a non-zero-centred output).

try:
    from solutions.checks_05 import check_sigmoid_as_tanh
except ImportError:
    from checks_05 import check_sigmoid_as_tanh
check_sigmoid_as_tanh(small, w_small, w_tanh)
