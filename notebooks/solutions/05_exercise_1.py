# Exercise 1 of notebook 05: how large must the init be for the sigmoid's gradient to halve per layer?
import numpy as np

from hpo_teach.data.mnist_subset import mnist_small
from hpo_teach.training.diagnostics import activation_derivative, hidden_layers, layer_gradient_norms
from hpo_teach.models.mlp import MLP

X, y = mnist_small("train")
Xb, yb = X[:256], y[:256]
net = MLP([196] + [64] * 19 + [10], "sigmoid")
w_glorot = net.init(0, "glorot")


def factor(gain):
    """Fitted factor per layer going back (layers 2..19) with Glorot init times `gain`."""
    norms = layer_gradient_norms(net, gain * w_glorot, Xb, yb)
    return float(np.exp(-np.polyfit(np.arange(2, 20), np.log(norms[1:19]), 1)[0]))


def predicted(gain):
    """gain * rms sigma'(z) over hidden layers 2..19 (W^T stretches a random vector by about `gain`)."""
    zs = [Z for Z, _ in hidden_layers(net, gain * w_glorot, Xb)]
    return gain * np.sqrt(np.mean([np.mean(activation_derivative("sigmoid", Z) ** 2) for Z in zs[1:]]))


for g in (1, 2, 4, 8):
    print(f"gain {g}: factor {factor(g):.3f}, predicted {predicted(g):.3f}")
low, high = 1.0, 8.0  # factor(1) < 1/2 < factor(8); the factor grows with the gain
for _ in range(40):
    mid = 0.5 * (low + high)
    low, high = (mid, high) if factor(mid) < 0.5 else (low, mid)
gain = 0.5 * (low + high)
print(f"factor 1/2 at gain {gain:.2f}; predicted factor there {predicted(gain):.3f}; "
      f"over 18 layers still 2^-18 = {0.5 ** 18:.1e}")
# "gain / 4 = 1/2, so gain 2" is wrong: larger weights spread z wider, more units saturate, and rms sigma'
# falls below 1/4, so the factor grows much more slowly than the gain. The prediction gain * rms sigma' keeps
# tracking the measurement, but the gradient still shrinks by 2^18 over 18 layers at that gain.

try:  # check the answer (works when run from notebooks/ or after %load in the notebook)
    from solutions.checks_05 import check_sigmoid_gain
except ImportError:
    from checks_05 import check_sigmoid_gain
check_sigmoid_gain(gain)
