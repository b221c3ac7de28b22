"""Training losses that hypergradient methods differentiate through (they know the model; hypergrad does not).

- :mod:`.mlp_l2`: minibatch cross-entropy of an MLP with per-layer (or per-weight) L2.
- :mod:`.distill`: training on a few learned images (dataset distillation).
- :mod:`.weight_sharing`: several tasks' networks with learned mixing of latent weights.
"""

from .distill import DistilledDataLoss, class_means, correlation_table
from .mlp_l2 import L2_MODES, MLPTrainLoss
from .weight_sharing import SharedTrainLoss

__all__ = ["MLPTrainLoss", "L2_MODES", "DistilledDataLoss", "class_means", "correlation_table", "SharedTrainLoss"]
