"""Objectives for black-box search: "train with these hyperparameters, return the validation error".

A search method (see :mod:`hpo_teach.search`) sees an objective only as a function
``objective(config, n_steps, seed) -> float``. This is the inner loop of HPO as nested
optimization (seed 001, Algorithm 1): train an MLP from scratch for ``n_steps`` minibatch
gradient steps with the hyperparameters in ``config``, then score the trained weights on
held-out data. Lower is better. ``n_steps`` is the course's one budget currency, so the
objective's cost is exactly what the search charges to its ledger.

Two evaluations with the same ``(config, n_steps, seed)`` give the same number: ``seed``
fixes the initial weights and the minibatch order (and dropout draws), so searches can
compare configs under common random numbers.
"""

import math

import numpy as np

from .._validate import require_int, require_positive, require_range
from ..data.mnist_subset import mnist, mnist_small, split_indices
from ..models.mlp import MLP
from ..training.diverged import TrainingDiverged
from ..training.loop import fit
from ..training.optim import SGD, Momentum
from .spaces import LogUniform

__all__ = ["HYPERPARAMETERS", "MLPObjective", "mlp_objective", "lr_l2_box"]

HYPERPARAMETERS = {
    "lr": "learning rate (required), > 0",
    "l2": "L2 penalty strength l2 * sum(w**2), >= 0 (default 0)",
    "momentum": "heavy-ball momentum beta in [0, 1) (default 0: plain SGD)",
    "dropout": "dropout rate on hidden units in [0, 1) (default 0)",
}


class MLPObjective:
    """Validation error of an MLP trained by minibatch SGD on the course's MNIST splits.

    Call it as ``objective(config, n_steps, seed)``; ``config`` is a dict with the keys of
    :data:`HYPERPARAMETERS` (only ``lr`` is required). A run that diverges (see
    :class:`hpo_teach.training.diverged.TrainingDiverged`) scores :attr:`diverged_error`, the error of a
    constant guess (0.9 for ten balanced classes), so it ranks with the worst configs
    instead of breaking a plot with NaN or infinity. ``n_evaluations`` and ``steps`` count
    the training runs and the steps they were given (a diverged run counts in full, as a
    ledger charges it), independently of any search's ledger.

    ``cache=True`` remembers every score by ``(config, n_steps, seed)``, so a config that
    two experiments both draw is trained once (``n_cache_hits`` counts the repeats and
    ``steps_saved`` the training steps they did not need). This saves the notebook's time,
    not the search's budget: a ledger still charges each evaluation in full, because a real
    search would have had to train it.
    """

    def __init__(self, split_train="train", split_valid="valid", hidden=(32,), small=True, batch_size=32,
                 activation="tanh", cache=False):
        load = mnist_small if small else mnist
        self.X, self.y = load(split_train)
        shared = np.intersect1d(split_indices(split_train), split_indices(split_valid)).size
        if shared:
            raise ValueError(f"split_valid={split_valid!r} shares {shared} digits with split_train={split_train!r}; "
                             "score on data the weights never trained on (e.g. 'train' and 'valid', or 't1' and 't2')")
        self.X_valid, self.y_valid = load(split_valid)
        hidden = (hidden,) if isinstance(hidden, int) else tuple(hidden)
        hidden = tuple(require_int(f"hidden[{i}]", h, low=1) for i, h in enumerate(hidden))
        self.mlp = MLP((self.X.shape[1], *hidden, 10), activation=activation)
        self.batch_size = require_int("batch_size", batch_size, low=1, high=len(self.X))
        self.steps_per_epoch = math.ceil(len(self.X) / self.batch_size)
        self.diverged_error = 1.0 - 1.0 / 10
        self.n_evaluations = 0
        self.steps = 0
        self.n_cache_hits = 0
        self.steps_saved = 0
        self._cache = {} if cache else None
        self.description = (f"MLP {list(self.mlp.sizes)} ({activation}) on MNIST {split_train} "
                            f"({len(self.X)} digits, {'14x14' if small else '28x28'}), batch {self.batch_size}, "
                            f"scored by error on {split_valid} ({len(self.X_valid)} digits)")

    def __repr__(self):
        return f"MLPObjective({self.description})"

    def _optimizer(self, config):
        unknown = sorted(set(config) - set(HYPERPARAMETERS))
        if unknown:
            raise ValueError(f"config has unknown keys {unknown}; allowed keys are {sorted(HYPERPARAMETERS)}")
        if "lr" not in config:
            raise ValueError("config must give 'lr' (the learning rate), e.g. {'lr': 0.1}")
        lr = require_positive("config['lr']", config["lr"])
        beta = require_range("config['momentum']", config.get("momentum", 0.0), 0.0, 1.0, high_open=True)
        return SGD(lr) if beta == 0 else Momentum(lr, beta)

    def train(self, config, n_steps, seed):
        """Train with ``config`` for ``n_steps`` steps from the init drawn by ``seed``; return the History.

        Raises :class:`~hpo_teach.training.diverged.TrainingDiverged` if the run blows up.
        """
        optimizer = self._optimizer(config)
        l2 = require_positive("config['l2']", config.get("l2", 0.0), allow_zero=True)
        dropout = require_range("config['dropout']", config.get("dropout", 0.0), 0.0, 1.0, high_open=True)
        n_steps = require_int("n_steps", n_steps, low=1)
        seed = require_int("seed", seed, low=0)
        self.n_evaluations += 1
        self.steps += n_steps  # charged even if the run diverges: the steps were spent
        return fit(self.mlp, self.mlp.init(seed), self.X, self.y, optimizer, n_steps=n_steps,
                   batch_size=self.batch_size, l2=l2, dropout=dropout, seed=seed, progress=False)

    def __call__(self, config, n_steps, seed):
        """Validation error (a float in [0, 1]) after training ``config`` for ``n_steps`` steps."""
        key = (tuple(sorted(config.items())), n_steps, seed)
        if self._cache is not None and key in self._cache:
            self.n_cache_hits += 1
            self.steps_saved += n_steps
            return self._cache[key]
        try:
            history = self.train(config, n_steps, seed)
            score = self.mlp.error(history.w, self.X_valid, self.y_valid)
        except TrainingDiverged:
            score = self.diverged_error
        if self._cache is not None:
            self._cache[key] = score
        return score


def mlp_objective(split_train="train", split_valid="valid", hidden=(32,), small=True, batch_size=32,
                  activation="tanh", cache=False):
    """An :class:`MLPObjective`: ``objective(config, n_steps, seed) -> validation error``.

    Defaults are sized for notebooks: a 196-32-10 tanh MLP on 14x14 MNIST (3000 training
    digits, 94 steps per epoch at batch 32) costs under a millisecond of CPU per step.
    Score on ``split_valid="test"`` only once, for the config a search finally picks.
    """
    return MLPObjective(split_train, split_valid, hidden, small, batch_size, activation, cache)


def lr_l2_box(shift=0.0):
    """The box notebooks 07 and 07b search for :func:`mlp_objective`: learning rate log-uniform over four
    decades, 10**(-3 + shift) to 10**(1 + shift), and L2 log-uniform over 1e-6 to 1e-2. Each repeat of a
    comparison shifts the lr range by its own ``shift`` (in decades), so no method profits from where the
    optimum happens to sit in one fixed box."""
    shift = require_range("shift", shift, -1.0, 1.0)
    return {"lr": LogUniform(10 ** (-3 + shift), 10 ** (1 + shift)), "l2": LogUniform(1e-6, 1e-2)}
