# Exercise 2 of notebook 05: find He's std for ReLU by measurement (bisection).
import numpy as np

from hpo_teach.data.mnist_subset import mnist_small
from hpo_teach.training.diagnostics import layer_activation_stats
from hpo_teach.models.mlp import MLP

Xb = mnist_small("train")[0][:256]
net = MLP([196] + [64] * 19 + [10], "relu")


def log_ratio(std):
    """log of std(hidden layer 19) / std(hidden layer 2) for the naive scheme with this weight std."""
    stds = layer_activation_stats(net, net.init(0, "naive", scale=std), Xb).std
    return np.log(stds[18] / stds[1])


low, high = 0.05, 0.5  # too small (signal vanishes) and too large (explodes)
assert log_ratio(low) < 0 < log_ratio(high)
for _ in range(30):
    mid = np.sqrt(low * high)  # bisect on a log scale
    low, high = (mid, high) if log_ratio(mid) < 0 else (low, mid)
std = float(np.sqrt(low * high))
print(f"std that keeps the scale: {std:.4f}; He: sqrt(2/64) = {np.sqrt(2 / 64):.4f}")
# Each ReLU layer keeps half of E[z^2] (the positive half), so Var(z_next) = fan_in * std^2 * Var(z) / 2:
# constant when std = sqrt(2 / fan_in). The small excess measured comes from finite width (64 units).

try:
    from solutions.checks_05 import check_relu_std
except ImportError:
    from checks_05 import check_relu_std
check_relu_std(std)
