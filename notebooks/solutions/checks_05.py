"""Check functions for the exercises of notebook 05 (activations and vanishing gradients).

Each prints "correct: ..." or "not yet: ..." with a hint, and returns True or False.
"""

import numpy as np

from hpo_teach.data.mnist_subset import mnist_small
from hpo_teach.training.diagnostics import layer_activation_stats, layer_gradient_norms
from hpo_teach.models.mlp import MLP
from hpo_teach.testing import verdict
from hpo_teach.training.diverged import TrainingDiverged
from hpo_teach.training.loop import fit
from hpo_teach.training.optim import Momentum, warmup


def _sigmoid_decay_factor(gain, X, y):
    """The factor by which ||dL/dW_l|| shrinks per layer going back (fitted over layers 2..19) in the
    20-layer, 64-unit sigmoid net with Glorot init times ``gain`` (seed 0)."""
    net = MLP([196] + [64] * 19 + [10], "sigmoid")
    norms = layer_gradient_norms(net, gain * net.init(0, "glorot"), X, y)
    return float(np.exp(-np.polyfit(np.arange(2, 20), np.log(norms[1:19]), 1)[0]))


def check_sigmoid_gain(gain):
    """Exercise 1: the gain of Glorot init at which the 20-layer sigmoid net's gradient shrinks by 1/2 per layer."""
    X, y = mnist_small("train")
    X, y = X[:256], y[:256]
    low, high = 1.0, 8.0
    for _ in range(40):  # the factor grows with the gain on [1, 8]
        mid = 0.5 * (low + high)
        low, high = (mid, high) if _sigmoid_decay_factor(mid, X, y) < 0.5 else (low, mid)
    exact = 0.5 * (low + high)
    ok = isinstance(gain, (int, float, np.floating)) and abs(gain - exact) <= 0.03 * exact
    return verdict(ok, "within 3 % of the gain at which the fitted factor per layer is 1/2",
                   f"{gain!r} is more than 3 % away from the gain at which the fitted factor per layer is 1/2; "
                   "fit the factor as in section 2 for several gains and bisect")


def check_relu_std(std):
    """Exercise 2: the naive-scheme std at which a width-64 ReLU net's hidden layer 19 has the output std of
    hidden layer 2 (seed 0, the first 256 training images), found by the checker's own bisection."""
    net = MLP([196] + [64] * 19 + [10], "relu")
    X = mnist_small("train")[0][:256]

    def log_ratio(s):
        stds = layer_activation_stats(net, net.init(0, "naive", scale=s), X).std
        return np.log(stds[18] / stds[1])

    low, high = 0.05, 0.5
    for _ in range(40):
        mid = np.sqrt(low * high)
        low, high = (mid, high) if log_ratio(mid) < 0 else (low, mid)
    exact = float(np.sqrt(low * high))
    ok = isinstance(std, (int, float, np.floating)) and abs(std - exact) <= 0.02 * exact
    return verdict(ok, "within 2 % of the std at which hidden layer 19's output std equals hidden layer 2's",
                   f"{std!r} is more than 2 % away from the std that keeps the scale; bisect on the ratio of the "
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
                   "the logits differ (relative gap above 1e-9); compare the two nets one layer at a time, "
                   "starting with hidden layer 1")


def check_warmup_dead(fraction):
    """Exercise 4: the fraction of dead units (validation set) of the 7-layer ReLU net of section 4 trained at
    peak lr 2 with a linear warm-up over the first 28 steps."""
    X, y = mnist_small("train")
    Xv, yv = mnist_small("valid")
    net = MLP([196] + [32] * 6 + [10], "relu")
    try:
        hist = fit(net, net.init(0, "he"), X, y, Momentum(warmup(2.0, 28), 0.9), epochs=6, batch_size=64,
                   X_valid=Xv, y_valid=yv, progress=False)
        exact = float(layer_activation_stats(net, hist.w, Xv).dead.mean())
    except TrainingDiverged:
        return verdict(False, "", "on this machine the warmed-up run diverges; there are no dead units to count")
    ok = isinstance(fraction, (int, float, np.floating)) and abs(fraction - exact) <= 0.03
    return verdict(ok, "within 0.03 of the fraction of dead units after the warmed-up run",
                   f"{fraction!r} is more than 0.03 away from the fraction of dead units (a number between 0 and 1, "
                   "averaged over the six hidden layers, on the validation set) after training with the warm-up")
