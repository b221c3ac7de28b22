"""Training losses that hypergradient methods differentiate through (they know the model; hypergrad does not).

- :mod:`.mlp_l2`: minibatch cross-entropy of an MLP with per-layer (or per-weight) L2.
- :mod:`.distill`: training on a few learned images (dataset distillation).
- :mod:`.weight_sharing`: several tasks' networks with learned mixing of latent weights.
- :mod:`.mlp_t1t2`: an MLP whose per-layer L2 and input-noise scale are tuned online (T1-T2, notebook 11).
- :mod:`.ridge`: ridge regression on MNIST, whose best response is known exactly (notebooks 12-13).
"""

from .distill import DistilledDataLoss, class_means, correlation_table
from .mlp_l2 import L2_MODES, MLPTrainLoss
from .mlp_t1t2 import T1T2TrainLoss, T2ValidLoss
from .ridge import RidgeProblem
from .weight_sharing import SharedTrainLoss

__all__ = ["MLPTrainLoss", "L2_MODES", "DistilledDataLoss", "class_means", "correlation_table", "SharedTrainLoss",
           "T1T2TrainLoss", "T2ValidLoss", "RidgeProblem"]
