"""Black-box search: spaces, grid / random / successive halving / Hyperband, and the MLP objective.

- :mod:`.spaces`: search-space dimensions and configs.
- :mod:`.methods`: the four methods, each charging :class:`hpo_teach.budget.Budget`.
- :mod:`.objectives`: train-and-score objectives on the course's MNIST split.
- :mod:`.bayesopt`: a Gaussian process, acquisition functions and Bayesian optimization on the same ledger.
"""

from ..budget import Budget, BudgetExhausted, Trial
from .bayesopt import GaussianProcess, bayesian_optimization, expected_improvement
from .methods import (Bracket, SearchResult, grid_search, hyperband, hyperband_brackets, random_search,
                      successive_halving)
from .objectives import HYPERPARAMETERS, MLPObjective, mlp_objective
from .spaces import Choice, IntUniform, LogUniform, Uniform, grid_configs, sample_config

__all__ = ["Uniform", "LogUniform", "IntUniform", "Choice", "sample_config", "grid_configs",
           "Budget", "BudgetExhausted", "Trial", "SearchResult", "Bracket", "hyperband_brackets",
           "grid_search", "random_search", "successive_halving", "hyperband",
           "HYPERPARAMETERS", "MLPObjective", "mlp_objective",
           "GaussianProcess", "expected_improvement", "bayesian_optimization"]
