"""Models: the MLP (autograd reference) and its hand-written fast path, parameter counting, weight sharing.

- :mod:`.activations`: each activation with its first and second derivative.
- :mod:`.mlp`: the MLP on one flat weight vector, written with autograd.numpy (the reference).
- :mod:`.mlp_fast`: hand-written gradient and R-op Hessian-vector product, array-API generic (CPU or GPU).
- :mod:`.architecture`: parameter counts and equal-budget architectures.
- :mod:`.shared`: networks for several tasks that mix latent weights (learned weight sharing).
- :mod:`.width`: hidden width as a real number, the continuous-width MLP (notebook 14).
"""

from .architecture import constant_width_for_budget, count_params
from .activations import ACTIVATIONS, Activation, activation
from .mlp import INIT_SCHEMES, MLP, init_weights, softmax_cross_entropy
from .shared import SharedMLP, correlations, mixing_matrices
from .width import ContinuousWidthMLP, unit_mask

__all__ = ["MLP", "ACTIVATIONS", "Activation", "INIT_SCHEMES", "activation", "init_weights", "softmax_cross_entropy",
           "count_params", "constant_width_for_budget", "SharedMLP", "mixing_matrices", "correlations",
           "ContinuousWidthMLP", "unit_mask"]
