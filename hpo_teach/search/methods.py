"""Black-box hyperparameter search, every method paid for in one currency: training steps.

HPO is a nested optimization (seed 001, Algorithm 1): an outer loop proposes hyperparameters
λ, an inner loop trains the weights, and the validation error of the trained weights scores λ.
Grid search, random search, successive halving and Hyperband differ only in which λ they try
and how long they train each one, so all four charge the same `Budget` ledger, counted in
training steps (minibatch gradient evaluations). Plotting the ledger's `incumbent_curve()`
gives "error reached vs steps spent", the axis on which the course compares every method.

An objective is ``objective(config, n_steps, seed) -> float``: train from scratch with the
hyperparameters in the dict ``config`` for ``n_steps`` steps and return the validation error
(lower is better). Nothing is resumed: each evaluation is charged its full ``n_steps``, so
successive halving and Hyperband pay again to retrain a survivor at the next rung. This is
Li et al.'s (2017) accounting "without reuse". Resuming would save the earlier rungs' steps,
a factor of at most eta / (eta - 1) (1.5 for eta = 3); not resuming keeps objectives plain functions.

All evaluations of one search get the same training ``seed`` (common random numbers): configs
are compared under the same initialization and minibatch order, not under different luck.
Configs are drawn with ``numpy.random.default_rng(seed)``, so a search is deterministic given
its seed.
"""

import math
from dataclasses import dataclass

import numpy as np
from tqdm.auto import tqdm

from .._validate import require_int
from ..budget import Budget, BudgetExhausted
from .spaces import check_space, grid_configs, sample_config



@dataclass
class SearchResult:
    """What a search returns: its best evaluation, its own trials, and the ledger they were charged to.

    ``best_config`` is None (and ``best_score`` inf) if the budget ran out before the first
    evaluation. ``exhausted`` is True when the budget's max_steps stopped the search early.
    """

    method: str
    best_config: dict
    best_score: float
    budget: Budget
    trials: list
    exhausted: bool

    @property
    def steps(self):
        """Training steps this search charged."""
        return sum(t.n_steps for t in self.trials)


def run_search(method, objective, budget, seed, n_planned, progress, body):
    """Run ``body(evaluate)``, stop cleanly on BudgetExhausted, and gather the result."""
    if not callable(objective):
        raise TypeError(f"objective must be callable as objective(config, n_steps, seed), got {objective!r}")
    if budget is None:
        budget = Budget()
    elif not isinstance(budget, Budget):
        raise TypeError(f"budget must be a Budget or None, got {budget!r}")
    trials = []

    def evaluate(config, n_steps):
        trial = budget.evaluate(objective, config, n_steps, seed, method)
        trials.append(trial)
        bar.update(1)
        return trial.score

    with tqdm(total=n_planned, desc=method, disable=not progress) as bar:
        try:
            body(evaluate)
            exhausted = False
        except BudgetExhausted:
            exhausted = True
    best = min(trials, key=lambda t: t.score, default=None)
    return SearchResult(method, None if best is None else best.config,
                        math.inf if best is None else best.score, budget, trials, exhausted)


# --- the methods --------------------------------------------------------------------------

def _grid_side(total, n_dims):
    """The largest k with k**n_dims <= total."""
    k = max(1, int(round(total ** (1 / n_dims))))
    while k ** n_dims > total:
        k -= 1
    while (k + 1) ** n_dims <= total:
        k += 1
    return k


def grid_search(objective, space, n_per_dim=None, n_steps=None, *, total=None, budget=None,
                seed=0, progress=False):
    """Evaluate every point of a grid, each trained for ``n_steps``.

    Give ``n_per_dim`` (an int, or a dict name -> int) or ``total``, the most evaluations
    wanted: then every dimension gets the same k points with k**d <= total, so a grid
    usually spends less than ``total`` (10 points in 2-D buys a 3 x 3 grid).
    """
    check_space(space)
    n_steps = require_int("n_steps", n_steps, low=1)
    seed = require_int("seed", seed, low=0)
    if (n_per_dim is None) == (total is None):
        raise ValueError("give exactly one of n_per_dim or total")
    if total is not None:
        n_per_dim = _grid_side(require_int("total", total, low=1), len(space))
    configs = grid_configs(space, n_per_dim)

    def body(evaluate):
        for config in configs:
            evaluate(config, n_steps)

    return run_search("grid", objective, budget, seed, len(configs), progress, body)


def random_search(objective, space, n_trials, n_steps, budget=None, seed=0, progress=False):
    """Evaluate ``n_trials`` configs drawn at random from ``space``, each trained for ``n_steps``.

    When only a few hyperparameters matter, random search tries ``n_trials`` distinct
    values of each, where a grid of the same size tries only n_trials**(1/d) (Bergstra &
    Bengio 2012).
    """
    check_space(space)
    n_trials = require_int("n_trials", n_trials, low=1)
    n_steps = require_int("n_steps", n_steps, low=1)
    seed = require_int("seed", seed, low=0)
    rng = np.random.default_rng(seed)
    configs = [sample_config(space, rng) for _ in range(n_trials)]

    def body(evaluate):
        for config in configs:
            evaluate(config, n_steps)

    return run_search("random", objective, budget, seed, n_trials, progress, body)


def _halving(evaluate, configs, rung_steps, eta):
    """Train all configs for rung_steps[0], keep the best 1/eta, train those for rung_steps[1], ..."""
    for i, n_steps in enumerate(rung_steps):
        scores = [evaluate(config, n_steps) for config in configs]
        if i + 1 < len(rung_steps):
            order = np.argsort(scores, kind="stable")  # ties keep the earlier config
            configs = [configs[j] for j in order[:max(1, len(configs) // eta)]]


def successive_halving(objective, space, n_configs, min_steps, eta=3, max_steps=None, budget=None,
                       seed=0, progress=False):
    """Successive halving: start many random configs cheaply and give the survivors more steps.

    Rung i trains the surviving configs for ``min_steps * eta**i`` steps (capped at
    ``max_steps``), then keeps the best ``len // eta`` of them (at least 1). It stops when
    one config is left, or after the rung trained for ``max_steps``. Each rung retrains from
    scratch and is charged in full (see the module docstring). With 9 configs, min_steps=1,
    eta=3 it charges 9*1 + 3*3 + 1*9 = 27 steps, where training all 9 for 9 steps costs 81.
    The best score over all rungs is returned, as in Li et al. (2017). Notebook 07 §5 writes the
    loop out in a few lines and checks it against this function, trial by trial.
    """
    check_space(space)
    n_configs = require_int("n_configs", n_configs, low=1)
    min_steps = require_int("min_steps", min_steps, low=1)
    eta = require_int("eta", eta, low=2)
    if max_steps is not None:
        max_steps = require_int("max_steps", max_steps, low=min_steps)
    seed = require_int("seed", seed, low=0)

    sizes, rung_steps = [n_configs], [min_steps]
    while sizes[-1] > 1 and (max_steps is None or rung_steps[-1] < max_steps):
        sizes.append(max(1, sizes[-1] // eta))
        next_steps = rung_steps[-1] * eta
        rung_steps.append(next_steps if max_steps is None else min(next_steps, max_steps))
    rng = np.random.default_rng(seed)
    configs = [sample_config(space, rng) for _ in range(n_configs)]

    def body(evaluate):
        _halving(evaluate, configs, rung_steps, eta)

    return run_search("successive_halving", objective, budget, seed, sum(sizes), progress, body)


@dataclass(frozen=True)
class Bracket:
    """One successive-halving run inside Hyperband: rung i trains sizes[i] configs for steps[i] steps."""

    s: int
    sizes: tuple
    steps: tuple

    @property
    def n(self):
        """Configs the bracket starts with (Li et al.'s n)."""
        return self.sizes[0]

    @property
    def r(self):
        """Steps each starting config gets (Li et al.'s r)."""
        return self.steps[0]

    @property
    def cost(self):
        """Training steps the bracket charges."""
        return sum(n * r for n, r in zip(self.sizes, self.steps))


def hyperband_brackets(max_steps, eta=3, min_steps=1):
    """The brackets of Hyperband (Li et al. 2017, Algorithm 1), from most to least exploratory.

    With R = max_steps / min_steps, s_max = floor(log_eta R) and B = (s_max + 1) R, bracket
    s starts n = ceil(B/R * eta**s / (s + 1)) configs at r = R * eta**-s steps; rung i keeps
    floor(n * eta**-i) of them for r * eta**i steps (rounded to whole steps), so every
    bracket's last rung trains for max_steps. For R = 81, eta = 3 this gives n = 81, 34, 15,
    8, 5 and r = 1, 3, 9, 27, 81. The paper's Table 1 lists n = 81, 27, 9, 6, 5 instead:
    those equal floor((s_max + 1) / (s + 1)) * eta**s, which the authors' published Python
    code computes under Python 2's integer division, not the ceiling of Algorithm 1, which we follow.
    """
    min_steps = require_int("min_steps", min_steps, low=1)
    max_steps = require_int("max_steps", max_steps, low=min_steps)
    eta = require_int("eta", eta, low=2)
    s_max = 0
    while min_steps * eta ** (s_max + 1) <= max_steps:  # integer floor(log_eta R), no float error
        s_max += 1
    brackets = []
    for s in range(s_max, -1, -1):
        n = -(-(s_max + 1) * eta ** s // (s + 1))  # ceiling division in integers
        sizes = tuple(n // eta ** i for i in range(s + 1))
        steps = tuple((2 * max_steps + eta ** (s - i)) // (2 * eta ** (s - i)) for i in range(s + 1))
        brackets.append(Bracket(s, sizes, steps))
    return brackets


def hyperband(objective, space, max_steps, eta=3, min_steps=1, budget=None, seed=0, progress=False):
    """Hyperband: successive halving run in every bracket of `hyperband_brackets`.

    Successive halving must guess how many configs to start (many short runs, or few long
    ones); Hyperband hedges by running each trade-off once, each bracket costing about
    (s_max + 1) * max_steps. Configs are drawn afresh for each bracket from one seeded stream.
    """
    check_space(space)
    brackets = hyperband_brackets(max_steps, eta, min_steps)
    seed = require_int("seed", seed, low=0)
    rng = np.random.default_rng(seed)

    def body(evaluate):
        for bracket in brackets:
            configs = [sample_config(space, rng) for _ in range(bracket.n)]
            _halving(evaluate, configs, bracket.steps, eta)

    n_planned = sum(sum(b.sizes) for b in brackets)
    return run_search("hyperband", objective, budget, seed, n_planned, progress, body)
