"""Diagnostics of a network's signal flow: per-layer gradient norms and activation statistics.

Why: a deep network trains badly when the gradient reaching its first layers is orders of
magnitude smaller (vanishing) or larger (exploding) than at its last layer, or when its
hidden units saturate or die. These functions measure exactly that, on one batch, for an
:class:`hpo_teach.models.mlp.MLP` and a flat weight vector ``w``.

* :func:`layer_gradient_norms` uses the fast hand-written gradient (any array library).
* :func:`hidden_layers` is a forward pass that keeps each hidden layer's pre-activation ``z``
  and output ``h = f(z)``; it is written with autograd.numpy (NumPy arrays), so it can also
  be differentiated.
* :func:`layer_activation_stats` summarizes it per hidden layer: mean and standard deviation
  of the outputs, the fraction of outputs whose unit passes (almost) no gradient, and the
  fraction of *dead* units, which pass no gradient for any row of the batch.
"""

from dataclasses import dataclass

import numpy as np

from ..backend import namespace_of, to_numpy
from ..models.activations import ACTIVATIONS, activation

#: An output counts as *inactive* when f'(z) is below this fraction of f's largest slope.
INACTIVE_SLOPE = 0.01

#: The largest value of f'(z) over all z, per activation (sigmoid's is 1/4, at z = 0).
MAX_SLOPE = {name: act.max_slope for name, act in ACTIVATIONS.items()}


def activation_derivative(name, z):
    """f'(z) for the activation called ``name``, elementwise (for ReLU, 0 at z = 0).

    sigmoid' = s(1 - s) <= 1/4, tanh' = 1 - tanh^2 <= 1, relu' = 1 if z > 0 else 0.
    """
    f = activation(name)
    return f.d1(z, f(z))


def layer_gradient_norms(mlp, w, X, y, l2=0.0):
    """``[||dL/dW_1||, ..., ||dL/dW_L||]``: the Frobenius norm of each weight matrix's gradient.

    L is the mean cross-entropy on (X, y) plus ``l2 * sum(w**2)``; biases are left out. The
    ratio of the first entry to the last says how much the gradient shrank (or grew) on its
    way back through the network. Returns a NumPy float array of length ``mlp.n_layers``.
    """
    _, g = mlp.loss_and_grad(w, X, y, l2=l2)
    xp = namespace_of(g)
    norms = [xp.sqrt(xp.sum(g[mlp.slice(f"W{k}")] ** 2)) for k in range(1, mlp.n_layers + 1)]
    return to_numpy(xp.stack(norms)).astype(float)


def hidden_layers(mlp, w, X):
    """``[(z_1, h_1), ..., (z_{L-1}, h_{L-1})]``: each hidden layer's pre-activation and output.

    ``z_k = h_{k-1} @ W_k + b_k`` with ``h_0 = X``, and ``h_k = f(z_k)``; the logits
    ``h_{L-1} @ W_L + b_L`` are not included. NumPy arrays (autograd-differentiable).
    """
    mlp.check(w, X)
    f = activation(mlp.activation)
    h, layers = X, []
    for W, b in mlp.unflatten(w)[:-1]:
        z = h @ W + b
        h = f(z)
        layers.append((z, h))
    return layers


@dataclass
class ActivationStats:
    """Per-hidden-layer statistics of one batch (arrays of length ``n_layers - 1``).

    ``mean``, ``std``: of all outputs h of the layer (rows and units together). That ``std`` also
    counts fixed differences between units, so it can stay large while every example gives the
    same output; for the signal that tells examples apart use ``h.std(axis=0).mean()`` (the
    per-unit spread across examples, notebook 05 §3);
    ``inactive``: fraction of outputs with f'(z) < INACTIVE_SLOPE * max f' (a saturated
    sigmoid or tanh, a ReLU at z <= 0); ``dead``: fraction of units with f'(z) = 0 on every
    row, which therefore pass no gradient at all for this batch.
    """

    mean: np.ndarray
    std: np.ndarray
    inactive: np.ndarray
    dead: np.ndarray


def layer_activation_stats(mlp, w, X):
    """:class:`ActivationStats` of each hidden layer of ``mlp`` at weights ``w`` on the rows of X."""
    if mlp.n_layers < 2:
        raise ValueError(f"mlp must have at least one hidden layer, got sizes {list(mlp.sizes)}")
    means, stds, inactive, dead = [], [], [], []
    threshold = INACTIVE_SLOPE * MAX_SLOPE[mlp.activation]
    for z, h in hidden_layers(mlp, np.asarray(w), np.asarray(X)):
        slope = activation_derivative(mlp.activation, z)
        means.append(np.mean(h))
        stds.append(np.std(h))
        inactive.append(np.mean(slope < threshold))
        dead.append(np.mean(np.all(slope == 0, axis=0)))
    return ActivationStats(*(np.array(v, dtype=float) for v in (means, stds, inactive, dead)))
