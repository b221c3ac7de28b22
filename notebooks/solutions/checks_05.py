"""Check functions for the exercises of notebook 05 (activations and vanishing gradients).

Each prints "correct: ..." or "not yet: ..." with a hint, and returns True or False.
"""

import numpy as np

from hpo_teach.data.mnist_subset import mnist_small
from hpo_teach.training.diagnostics import layer_gradient_norms
from hpo_teach.models.mlp import MLP
from hpo_teach.testing import verdict


def check_sigmoid_decay(factor):
    """Exercise 1: the factor by which ||dL/dW_l|| shrinks per layer going back (layers 19 -> 2) in the
    20-layer, 64-unit sigmoid net with He init."""
    X, y = mnist_small("train")
    net = MLP([196] + [64] * 19 + [10], "sigmoid")
    norms = layer_gradient_norms(net, net.init(0, "he"), X[:256], y[:256])
    exact = float(np.exp(-np.polyfit(np.arange(2, 20), np.log(norms[1:19]), 1)[0]))
    ok = isinstance(factor, (int, float, np.floating)) and abs(factor - exact) <= 0.03 * exact
    return verdict(ok, f"within 3 % of the fitted factor per layer; sqrt(2)/4 = {np.sqrt(2) / 4:.3f} is the upper "
                       "estimate: rms sigmoid'(z) is a little below its maximum 1/4",
                   f"{factor!r} is more than 3 % away from the factor fitted on the measured norms; fit a straight "
                   "line to log ||dL/dW_l|| against l over the hidden layers 2..19 and turn its slope into a factor "
                   "per layer going back")


def check_relu_std(std):
    """Exercise 2: the naive-scheme std that keeps a width-64 ReLU net's output std from layer 2 to 19."""
    target = np.sqrt(2 / 64)
    ok = isinstance(std, (int, float, np.floating)) and abs(std - target) <= 0.1 * target
    return verdict(ok, f"std = {std:.3f}, close to He's sqrt(2 / fan_in) = {target:.3f}: each ReLU layer passes "
                       "half of its input's second moment, and fan_in * std^2 = 2 makes up for it",
                   f"{std!r} is more than 10 % away from the std that keeps the scale; bisect on the ratio of the "
                   "output stds of hidden layers 19 and 2 (too small a std: the ratio is below 1)")


def check_sigmoid_as_tanh(mlp_sigmoid, w_sigmoid, w_tanh):
    """Exercise 3: w_tanh makes MLP(mlp_sigmoid.sizes, "tanh") compute the sigmoid net's logits exactly."""
    tanh_net = MLP(mlp_sigmoid.sizes, "tanh")
    if w_tanh is None or np.shape(w_tanh) != (tanh_net.n_params,):
        return verdict(False, "", f"w_tanh must be a vector of {tanh_net.n_params} numbers (like w_sigmoid)")
    X = mnist_small("valid")[0][:100]
    want = mlp_sigmoid.logits(w_sigmoid, X)
    got = tanh_net.logits(np.asarray(w_tanh, dtype=float), X)
    gap = float(np.max(np.abs(got - want)) / np.max(np.abs(want)))
    return verdict(gap < 1e-9, "the tanh net computes the same logits (relative gap below 1e-9)",
                   "the logits differ (relative gap above 1e-9); write each sigmoid layer's output as "
                   "(1 + tanh(z/2)) / 2 and follow the factor 1/2 inside tanh and the offset 1/2 into the next "
                   "layer, one layer at a time (check hidden layer 1 first)")
