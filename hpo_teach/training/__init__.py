"""Training: optimizers, proximal steps, the training loop, 2-D test surfaces and diagnostics.

- :mod:`.optim`: SGD, momentum, Nesterov, RMSProp, Adam, AdamW and learning-rate schedules.
- :mod:`.proximal`: the soft-threshold (proximal) step that gives L1 its exact zeros.
- :mod:`.loop`: ``train`` and ``fit`` (progress, history, early stopping).
- :mod:`.diverged`: the divergence rule and the error that says what to change.
- :mod:`.surfaces`: quadratic, Rosenbrock and Beale surfaces with hand-written gradients.
- :mod:`.diagnostics`: per-layer gradient norms and activation statistics.
- :mod:`.gradnoise`: minibatch gradient noise against batch size.
"""

from .diverged import DIVERGENCE_FACTOR, TrainingDiverged
from .loop import History, fit, fit_and_score, train
from .optim import (OPTIMIZERS, SGD, Adam, AdamW, Momentum, Nesterov, Optimizer, RMSProp, Schedule, constant, cosine,
                    make_optimizer, minimize, step_decay, warmup)
from .proximal import ProximalSGD, l1_optimality_gap, soft_threshold

__all__ = ["DIVERGENCE_FACTOR", "TrainingDiverged", "History", "fit", "fit_and_score", "train", "OPTIMIZERS", "Optimizer", "SGD",
           "Momentum", "Nesterov", "RMSProp", "Adam", "AdamW", "Schedule", "constant", "step_decay", "cosine",
           "warmup", "make_optimizer", "minimize", "ProximalSGD", "soft_threshold", "l1_optimality_gap"]
