"""Tests for hpo_teach.search.objectives: the MNIST MLP objective that black-box search calls."""

import pytest

from hpo_teach.search.objectives import HYPERPARAMETERS, lr_l2_box, mlp_objective
from hpo_teach.budget import Budget
from hpo_teach.search.methods import random_search
from hpo_teach.search.spaces import LogUniform

STEPS = 60  # under 0.1 s per evaluation


@pytest.fixture(scope="module")
def objective():
    return mlp_objective()


def test_same_arguments_same_score_and_seed_changes_it(objective):
    a = objective({"lr": 0.3, "l2": 1e-4}, STEPS, 0)
    assert a == objective({"lr": 0.3, "l2": 1e-4}, STEPS, 0)
    assert isinstance(a, float) and 0.0 <= a <= 1.0
    scores = {objective({"lr": 0.3, "l2": 1e-4}, STEPS, seed) for seed in (1, 2, 3)}
    assert len(scores | {a}) > 1, "the seed must change the init and the minibatch order"


def test_learning_rate_matters_and_more_steps_help(objective):
    good = objective({"lr": 0.5}, STEPS, 0)
    tiny = objective({"lr": 1e-3}, STEPS, 0)
    assert good < 0.35 < 0.7 < tiny, (good, tiny)
    assert objective({"lr": 0.5}, 3 * STEPS, 0) < good


def test_penalty_and_momentum_reach_the_training(objective):
    base = objective({"lr": 0.3}, STEPS, 0)
    assert objective({"lr": 0.3, "l2": 0.05}, STEPS, 0) != base
    assert objective({"lr": 0.3, "momentum": 0.9}, STEPS, 0) != base
    assert objective({"lr": 0.3, "dropout": 0.3}, STEPS, 0) != base


def test_diverged_run_scores_a_constant_guess(objective):
    assert objective.diverged_error == pytest.approx(0.9)
    assert objective({"lr": 100.0}, STEPS, 0) == pytest.approx(0.9)


def test_counters_match_a_search_ledger():
    objective = mlp_objective(hidden=8)
    budget = Budget()
    random_search(objective, {"lr": LogUniform(0.01, 1.0)}, n_trials=3, n_steps=20, budget=budget)
    assert objective.n_evaluations == 3 and objective.steps == budget.total_steps == 60


def test_other_splits_and_sizes():
    objective = mlp_objective("t1", "t2", hidden=(16, 8), small=False, batch_size=50)
    assert objective.mlp.sizes[0] == 784 and list(objective.mlp.sizes) == [784, 16, 8, 10]
    assert len(objective.X) == 2000 and len(objective.X_valid) == 1000
    assert objective.steps_per_epoch == 40
    assert "t1" in repr(objective)


@pytest.mark.parametrize("config, match", [
    ({"l2": 1e-3}, "'lr'"),
    ({"lr": 0.1, "width": 3}, "unknown keys.*allowed keys"),
    ({"lr": -0.1}, "lr"),
    ({"lr": 0.1, "l2": -1.0}, "l2"),
    ({"lr": 0.1, "momentum": 1.0}, "momentum"),
    ({"lr": 0.1, "dropout": 1.0}, "dropout"),
])
def test_bad_configs_name_the_hyperparameter(objective, config, match):
    with pytest.raises(ValueError, match=match):
        objective(config, STEPS, 0)


def test_bad_arguments(objective):
    with pytest.raises(ValueError, match="n_steps"):
        objective({"lr": 0.1}, 0, 0)
    with pytest.raises(ValueError, match="shares"):
        mlp_objective("train", "t2")
    with pytest.raises(ValueError, match="split"):
        mlp_objective("everything")
    with pytest.raises(ValueError, match="hidden"):
        mlp_objective(hidden=(0,))
    with pytest.raises(ValueError, match="batch_size"):
        mlp_objective(batch_size=10**6)
    assert set(HYPERPARAMETERS) == {"lr", "l2", "momentum", "dropout"}


def test_cache_trains_each_key_once_but_the_ledger_charges_every_call():
    objective = mlp_objective(hidden=8, cache=True)
    space = {"lr": LogUniform(0.01, 1.0)}
    budget = Budget()
    first = random_search(objective, space, n_trials=3, n_steps=20, budget=budget, seed=5)
    again = random_search(objective, space, n_trials=3, n_steps=20, budget=budget, seed=5)
    assert [t.score for t in first.trials] == [t.score for t in again.trials]
    assert objective.n_evaluations == 3 and objective.n_cache_hits == 3
    assert objective.steps == 60 and budget.total_steps == 120 == objective.steps + objective.steps_saved
    uncached = mlp_objective(hidden=8)
    assert uncached(first.trials[0].config, 20, 5) == first.trials[0].score


def test_lr_l2_box_shifts_the_learning_rate_range_only():
    box, shifted = lr_l2_box(), lr_l2_box(0.5)
    assert (box["lr"].low, box["lr"].high) == (1e-3, 10.0) and (box["l2"].low, box["l2"].high) == (1e-6, 1e-2)
    assert shifted["lr"].low == pytest.approx(10 ** -2.5) and shifted["lr"].high == pytest.approx(10 ** 1.5)
    assert (shifted["l2"].low, shifted["l2"].high) == (1e-6, 1e-2)
    with pytest.raises(ValueError, match=r"shift must be in \[-1, 1\]"):
        lr_l2_box(2)
