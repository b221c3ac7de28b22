"""The step ledger: every tuning method charges its training steps to one `Budget`.

The course counts cost in one currency, minibatch gradient evaluations; plotting a ledger's
`incumbent_curve()` gives "error reached vs steps spent", the axis on which methods are compared.
"""

import math
from dataclasses import dataclass

import numpy as np

from ._validate import require_int


class BudgetExhausted(RuntimeError):
    """An evaluation would have taken a Budget past its max_steps; it was not run."""


@dataclass(frozen=True)
class Trial:
    """One evaluation: ``config`` trained for ``n_steps`` scored ``score`` (lower is better).

    ``total_steps`` is the ledger's running total including this trial.
    """

    config: dict
    n_steps: int
    score: float
    method: str
    total_steps: int


def _as_score(score):
    """Scores are floats to minimise; NaN (training diverged) becomes +inf so it ranks last."""
    try:
        score = float(score)
    except (TypeError, ValueError):
        raise TypeError(f"objective must return a number (the validation error), got {score!r}") from None
    return math.inf if math.isnan(score) else score


class Budget:
    """The ledger every method charges: each evaluation, its cost in training steps, the total.

    ``max_steps`` (optional) is a hard limit: an evaluation that would pass it raises
    `BudgetExhausted` before it runs, so the ledger never shows more than ``max_steps``.
    The search functions catch it and return what they found so far (``exhausted=True``).
    One Budget may be shared by several searches; each trial records its ``method``.
    """

    def __init__(self, max_steps=None):
        self.max_steps = None if max_steps is None else require_int("max_steps", max_steps, low=1)
        self.trials = []
        self.total_steps = 0

    @property
    def remaining(self):
        return math.inf if self.max_steps is None else self.max_steps - self.total_steps

    def check(self, n_steps):
        """Raise BudgetExhausted if charging ``n_steps`` more would pass ``max_steps``."""
        if n_steps > self.remaining:
            raise BudgetExhausted(
                f"budget exhausted: {n_steps} more steps would pass max_steps={self.max_steps} "
                f"({self.total_steps} spent, {self.remaining} left)")

    def record(self, config, n_steps, score, method):
        """Charge ``n_steps`` for an evaluation run elsewhere (e.g. a gradient-based tuner) and return its Trial."""
        n_steps = require_int("n_steps", n_steps, low=1)
        self.check(n_steps)
        score = _as_score(score)
        self.total_steps += n_steps
        trial = Trial(dict(config), n_steps, score, method, self.total_steps)
        self.trials.append(trial)
        return trial

    def evaluate(self, objective, config, n_steps, seed, method):
        """Run ``objective(config, n_steps, seed)`` if the budget allows it; record and return the Trial."""
        self.check(n_steps)
        return self.record(config, n_steps, objective(dict(config), n_steps, seed), method)

    def best(self):
        """The trial with the lowest score (the earliest on ties), or None if nothing was run."""
        return min(self.trials, key=lambda t: t.score, default=None)

    def incumbent_curve(self):
        """(steps spent after each trial, best score so far) as arrays, for plt.step(..., where="post")."""
        steps = np.array([t.total_steps for t in self.trials], dtype=np.int64)
        best = np.minimum.accumulate(np.array([t.score for t in self.trials], dtype=float))
        return steps, best

    def best_at(self, steps):
        """The best score once ``steps`` steps are spent (a number or an array of them); NaN before the
        first trial ends. The value of :meth:`incumbent_curve` read at a budget, to compare methods there."""
        spent, best = self.incumbent_curve()
        k = np.searchsorted(spent, steps, side="right")
        if spent.size == 0:
            return np.full(np.shape(steps), np.nan)[()]
        return np.where(k > 0, best[np.maximum(k - 1, 0)], np.nan)[()]

    def __len__(self):
        return len(self.trials)

    def __repr__(self):
        limit = "" if self.max_steps is None else f", max_steps={self.max_steps}"
        return f"Budget({len(self.trials)} trials, total_steps={self.total_steps}{limit})"
