"""Tests for hpo_teach.search on synthetic objectives (no training: each call costs microseconds)."""

import math

import numpy as np
import pytest

from hpo_teach.budget import Budget, BudgetExhausted
from hpo_teach.search.methods import grid_search, hyperband, hyperband_brackets, random_search, successive_halving
from hpo_teach.search.spaces import Choice, IntUniform, LogUniform, Uniform, grid_configs

SPACE = {"lr": LogUniform(1e-4, 1.0), "momentum": Uniform(0.0, 0.99)}


def stable_objective(config, n_steps, seed):
    """Only lr matters (best at 1e-2); more steps lower every score equally, so rankings never change."""
    return (math.log10(config["lr"]) + 2.0) ** 2 + 1.0 / n_steps


# --- search spaces --------------------------------------------------------------------------

def test_loguniform_samples_are_in_range_and_uniform_in_log():
    dim = LogUniform(1e-4, 1.0)
    rng = np.random.default_rng(0)
    logs = np.log10([dim.sample(rng) for _ in range(4000)])
    assert logs.min() >= -4.0 and logs.max() <= 0.0
    assert abs(logs.mean() - (-2.0)) < 0.1  # standard error 0.018
    per_decade = np.histogram(logs, bins=[-4, -3, -2, -1, 0])[0] / logs.size
    assert np.all(np.abs(per_decade - 0.25) < 0.04), per_decade  # Uniform(1e-4, 1) would give ~0, 0, 0.01, 0.99


def test_grids():
    assert np.allclose(LogUniform(1e-4, 1.0).grid(5), [1e-4, 1e-3, 1e-2, 1e-1, 1.0], rtol=1e-12)
    assert LogUniform(1e-4, 1.0).grid(1) == pytest.approx([1e-2])
    assert Uniform(0.0, 1.0).grid(3) == [0.0, 0.5, 1.0]
    assert Uniform(0.0, 1.0).grid(1) == [0.5]
    assert IntUniform(0, 10).grid(3) == [0, 5, 10]
    assert IntUniform(1, 4).grid(10) == [1, 2, 3, 4]
    assert Choice(list("abcde")).grid(3) == ["a", "c", "e"]
    assert Choice(["relu", "tanh"]).grid(5) == ["relu", "tanh"]


def test_samples_of_each_dimension_stay_in_range_and_reach_the_ends():
    rng = np.random.default_rng(1)
    ints = {IntUniform(2, 5).sample(rng) for _ in range(200)}
    assert ints == {2, 3, 4, 5}
    reals = [Uniform(-1.0, 2.0).sample(rng) for _ in range(200)]
    assert -1.0 <= min(reals) and max(reals) <= 2.0
    assert {Choice(["a", "b", "c"]).sample(rng) for _ in range(100)} == {"a", "b", "c"}


def test_grid_configs_counts():
    assert len(grid_configs(SPACE, 3)) == 9
    configs = grid_configs(SPACE, {"lr": 2, "momentum": 3})
    assert len(configs) == 6 and set(configs[0]) == {"lr", "momentum"}
    assert len(grid_search(stable_objective, SPACE, total=10, n_steps=1).trials) == 9  # 3 x 3 <= 10 < 4 x 4


@pytest.mark.parametrize("make, error, message", [
    (lambda: Uniform(1.0, 0.5), ValueError, r"high must be > 1, got 0\.5"),
    (lambda: LogUniform(0.0, 1.0), ValueError, r"low must be > 0, got 0"),
    (lambda: LogUniform(1e-3, 1e-3), ValueError, r"high must be > 0\.001"),
    (lambda: IntUniform(3, 3), ValueError, r"high must be an integer in \[4, inf\], got 3"),
    (lambda: IntUniform(1.5, 3), TypeError, r"low must be an integer"),
    (lambda: Choice([]), ValueError, r"values must hold at least 1 option"),
    (lambda: Choice("relu"), TypeError, r"values must be a list"),
    (lambda: Uniform(0, 1).grid(0), ValueError, r"n must be an integer in \[1, inf\], got 0"),
    (lambda: LogUniform(1e-3, 1).grid(0), ValueError, r"n must be an integer in \[1, inf\], got 0"),
    (lambda: grid_configs({"a": (0, 1)}, 3), TypeError, r"space\['a'\] must be a dimension"),
    (lambda: grid_configs({}, 3), TypeError, r"space must be a non-empty dict"),
    (lambda: grid_configs(SPACE, {"lr": 2}), ValueError, r"n_per_dim .* missing \['momentum'\]"),
    (lambda: grid_search(stable_objective, SPACE, 3, n_steps=0), ValueError, r"n_steps must be an integer in \[1, inf\], got 0"),
    (lambda: grid_search(stable_objective, SPACE, 3, n_steps=5, total=9), ValueError, r"exactly one of n_per_dim or total"),
    (lambda: random_search(stable_objective, SPACE, 0, 5), ValueError, r"n_trials must be an integer in \[1, inf\], got 0"),
    (lambda: random_search(stable_objective, SPACE, 3, 5, seed=-1), ValueError, r"seed must be an integer in \[0, inf\]"),
    (lambda: random_search("f", SPACE, 3, 5), TypeError, r"objective must be callable"),
    (lambda: random_search(stable_objective, SPACE, 3, 5, budget=100), TypeError, r"budget must be a Budget"),
    (lambda: successive_halving(stable_objective, SPACE, 9, 1, eta=1), ValueError, r"eta must be an integer in \[2, inf\], got 1"),
    (lambda: successive_halving(stable_objective, SPACE, 9, 10, max_steps=5), ValueError, r"max_steps must be an integer in \[10, inf\], got 5"),
    (lambda: hyperband(stable_objective, SPACE, 81, min_steps=0), ValueError, r"min_steps must be an integer in \[1, inf\], got 0"),
    (lambda: hyperband_brackets(5, min_steps=10), ValueError, r"max_steps must be an integer in \[10, inf\], got 5"),
    (lambda: Budget(max_steps=0), ValueError, r"max_steps must be an integer in \[1, inf\], got 0"),
])
def test_bad_arguments_name_the_argument_and_range(make, error, message):
    with pytest.raises(error, match=message):
        make()


# --- the ledger -----------------------------------------------------------------------------

def test_budget_totals_and_incumbent_curve():
    budget = Budget()
    for n_steps, score in [(10, 0.5), (20, 0.7), (5, 0.2), (10, float("nan"))]:
        budget.record({"lr": 0.1}, n_steps, score, "manual")
    assert budget.total_steps == 45 and len(budget) == 4
    steps, best = budget.incumbent_curve()
    assert steps.tolist() == [10, 30, 35, 45]
    assert best.tolist() == [0.5, 0.5, 0.2, 0.2]
    assert budget.trials[3].score == math.inf  # a diverged run (NaN) ranks last
    assert budget.best().n_steps == 5


def test_best_at_reads_the_incumbent_at_a_budget_and_is_nan_before_the_first_trial():
    budget = Budget()
    assert np.isnan(budget.best_at(5)) and np.isnan(budget.best_at([5, 10])).all()
    budget.record({"lr": 0.1, "l2": 1e-4}, 10, 0.5, "test")
    budget.record({"lr": 0.2, "l2": 1e-4}, 10, 0.3, "test")
    assert np.isnan(budget.best_at(5)) and budget.best_at(10) == 0.5 and budget.best_at(25) == 0.3
    np.testing.assert_array_equal(budget.best_at([5, 10, 19, 20]), [np.nan, 0.5, 0.5, 0.3])


def test_budget_limit_stops_a_search_cleanly_without_overspending():
    calls = []

    def objective(config, n_steps, seed):
        calls.append(n_steps)
        return stable_objective(config, n_steps, seed)

    budget = Budget(max_steps=25)
    result = random_search(objective, SPACE, n_trials=5, n_steps=10, budget=budget)
    assert result.exhausted and len(calls) == 2  # the third trial (30 > 25) never ran
    assert budget.total_steps == 20 and budget.remaining == 5
    assert result.best_config is not None
    with pytest.raises(BudgetExhausted, match="max_steps=25"):
        budget.record({}, 6, 0.0, "manual")
    empty = random_search(objective, SPACE, 1, 6, budget=budget)
    assert empty.exhausted and empty.best_config is None and empty.best_score == math.inf


def test_one_budget_shared_by_two_searches_keeps_both_in_one_ledger():
    budget = Budget()
    grid = grid_search(stable_objective, SPACE, 2, n_steps=7, budget=budget)
    rand = random_search(stable_objective, SPACE, 3, 11, budget=budget)
    assert (grid.steps, rand.steps, budget.total_steps) == (28, 33, 61)
    assert [t.method for t in budget.trials] == ["grid"] * 4 + ["random"] * 3
    assert budget.incumbent_curve()[0][-1] == 61


def test_objective_must_return_a_number():
    with pytest.raises(TypeError, match="objective must return a number"):
        random_search(lambda c, n, s: "bad", SPACE, 1, 1)


# --- the methods ----------------------------------------------------------------------------

def test_random_beats_grid_when_only_one_hyperparameter_matters():
    """Bergstra & Bengio (2012): 9 random trials try 9 learning rates, a 3 x 3 grid only 3."""
    wins = []
    for seed in range(30):
        best_log_lr = np.random.default_rng(1000 + seed).uniform(-4.0, 0.0)  # task `seed`: where lr is best

        def objective(config, n_steps, seed, best_log_lr=best_log_lr):
            return (math.log10(config["lr"]) - best_log_lr) ** 2 + 1e-3 * config["momentum"]

        grid = grid_search(objective, SPACE, 3, n_steps=10)
        rand = random_search(objective, SPACE, 9, n_steps=10, seed=seed)
        assert grid.steps == rand.steps == 90  # same cost on the ledger
        wins.append(rand.best_score < grid.best_score)
    fraction = float(np.mean(wins))
    print(f"random search (9 trials) beat a 3x3 grid on {fraction:.2f} of 30 seeds")
    assert fraction > 0.5


def test_successive_halving_charges_the_hand_counted_steps_and_finds_the_best():
    result = successive_halving(stable_objective, SPACE, n_configs=9, min_steps=1, eta=3, seed=4)
    assert [t.n_steps for t in result.trials] == [1] * 9 + [3] * 3 + [9]
    assert result.steps == result.budget.total_steps == 9 * 1 + 3 * 3 + 1 * 9 == 27
    # Random search draws the same 9 configs from the same seed; training all of them to 9 steps costs 81.
    full = random_search(stable_objective, SPACE, n_trials=9, n_steps=9, seed=4)
    assert full.steps == 81
    assert result.best_config == full.best_config
    assert result.best_score == full.best_score


def test_successive_halving_max_steps_caps_the_last_rung():
    result = successive_halving(stable_objective, SPACE, n_configs=27, min_steps=2, eta=3, max_steps=10)
    assert [t.n_steps for t in result.trials] == [2] * 27 + [6] * 9 + [10] * 3
    assert result.steps == 27 * 2 + 9 * 6 + 3 * 10 == 138
    ten = successive_halving(stable_objective, SPACE, n_configs=10, min_steps=1, eta=3)
    assert ten.steps == 10 * 1 + 3 * 3 + 1 * 9  # 10 // 3 = 3 survive, then 1


def test_hyperband_brackets_follow_li_et_al_algorithm_1():
    brackets = hyperband_brackets(81, eta=3)
    assert [b.s for b in brackets] == [4, 3, 2, 1, 0]
    assert [b.r for b in brackets] == [1, 3, 9, 27, 81]
    # n = ceil(5 * 3**s / (s + 1)); the paper's Table 1 prints 81, 27, 9, 6, 5 (floor; see docstring)
    assert [b.n for b in brackets] == [81, 34, 15, 8, 5]
    assert brackets[0].sizes == (81, 27, 9, 3, 1) and brackets[0].steps == (1, 3, 9, 27, 81)
    assert brackets[1].sizes == (34, 11, 3, 1) and brackets[1].steps == (3, 9, 27, 81)
    assert [b.cost for b in brackets] == [405, 363, 351, 378, 405]
    small = hyperband_brackets(9, eta=3)  # s_max = 2, B = 27
    assert [(b.n, b.sizes, b.steps) for b in small] == [
        (9, (9, 3, 1), (1, 3, 9)), (5, (5, 1), (3, 9)), (3, (3,), (9,))]
    odd = hyperband_brackets(100, eta=3, min_steps=2)  # R = 50 is no power of 3: s_max = 3
    assert odd[0].steps == (4, 11, 33, 100) and all(b.steps[-1] == 100 for b in odd)


def test_hyperband_run_charges_the_sum_of_its_brackets():
    result = hyperband(stable_objective, SPACE, max_steps=81, eta=3, seed=2)
    assert result.steps == 405 + 363 + 351 + 378 + 405 == 1902
    assert len(result.trials) == 121 + 49 + 21 + 10 + 5
    assert math.log10(result.best_config["lr"]) == pytest.approx(-2.0, abs=0.1)
    assert result.best_score == min(t.score for t in result.trials)
    assert result.trials[np.argmin([t.score for t in result.trials])].n_steps == 81


def test_searches_are_deterministic_given_the_seed():
    def run(method, seed):
        if method is hyperband:
            return hyperband(stable_objective, SPACE, 9, seed=seed).trials
        if method is successive_halving:
            return successive_halving(stable_objective, SPACE, 9, 1, seed=seed).trials
        return random_search(stable_objective, SPACE, 5, 3, seed=seed).trials

    for method in (random_search, successive_halving, hyperband):
        assert run(method, 7) == run(method, 7)
        assert run(method, 7) != run(method, 8)


def test_objective_receives_the_search_seed_and_a_copy_of_the_config():
    seen = []

    def objective(config, n_steps, seed):
        seen.append(seed)
        config["lr"] = -1.0  # must not corrupt the search's own configs
        return 0.0

    result = random_search(objective, SPACE, 3, 2, seed=5, progress=True)
    assert seen == [5, 5, 5]
    assert all(0 < t.config["lr"] <= 1 for t in result.trials)
