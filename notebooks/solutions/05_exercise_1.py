# Exercise 1 of notebook 05: the sigmoid's per-layer decay factor under He initialization.
import numpy as np

from hpo_teach.data.mnist_subset import mnist_small
from hpo_teach.training.diagnostics import activation_derivative, hidden_layers, layer_gradient_norms
from hpo_teach.models.mlp import MLP

X, y = mnist_small("train")
Xb, yb = X[:256], y[:256]
net = MLP([196] + [64] * 19 + [10], "sigmoid")
w = net.init(0, "he")
norms = layer_gradient_norms(net, w, Xb, yb)
layers = np.arange(2, 20)
factor = float(np.exp(-np.polyfit(layers, np.log(norms[1:19]), 1)[0]))  # one layer back: exp(-slope)

# The estimate: W^T stretches a random vector by sqrt(64) * std = sqrt(2); sigma' multiplies by its rms value.
zs = [Z for Z, _ in hidden_layers(net, w, Xb)]
rms = np.sqrt(np.mean([np.mean(activation_derivative("sigmoid", Z) ** 2) for Z in zs[1:]]))
print(f"measured factor per layer: {factor:.3f}; sqrt(2)/4 = {np.sqrt(2) / 4:.3f}; sqrt(2) * rms sigma' = "
      f"{np.sqrt(2) * rms:.3f} (rms sigma' = {rms:.3f})")
# He's larger weights spread z wider, so more units sit away from z = 0 where sigma' < 1/4: the factor
# is below the upper estimate sqrt(2)/4. Over 18 layers it still costs a factor of about 1e9.

try:  # check the answer (works when run from notebooks/ or after %load in the notebook)
    from solutions.checks_05 import check_sigmoid_decay
except ImportError:
    from checks_05 import check_sigmoid_decay
check_sigmoid_decay(factor)
