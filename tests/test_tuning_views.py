"""The slider views of notebooks 06-08 build on small data and survive every slider at both ends and between."""

import numpy as np

from hpo_teach.budget import Budget
from hpo_teach.search.methods import grid_search, random_search, successive_halving
from hpo_teach.search.spaces import LogUniform
from hpo_teach.training.surfaces import BEALE, ROSENBROCK, quadratic
from hpo_teach.viz.tuning_views import incumbent_at, ledger_view, optimizer_view, tangent_view


def test_optimizer_view_runs_every_optimizer_and_reports_divergence():
    quad = quadratic(curvatures=(1.0, 100.0))
    surfaces = {"quadratic": (quad, quad.grad, quad.start), "Rosenbrock": (ROSENBROCK, ROSENBROCK.grad, ROSENBROCK.start),
                "Beale": (BEALE, BEALE.grad, (1.0, 1.5))}
    view = optimizer_view(surfaces, n_steps=50)
    n_done, loss = view.set(surface="quadratic", optimizer="sgd", lr=0.019)
    assert n_done == 50 and loss < 1.0
    n_done, _ = view.set(surface="quadratic", optimizer="sgd", lr=1.0)
    assert n_done < 50, "SGD far past 2/L must stop early"
    view.set(surface="quadratic", optimizer="momentum", lr=0.1)
    assert view.exercise(points=3) > 10
    assert view.median_latency_ms() > 0


def _free_objective(config, n_steps, seed):
    """No training: a score that prefers lr near 0.3 and longer runs."""
    return min(0.9, abs(np.log10(config["lr"] / 0.3)) / 4 + 1.0 / n_steps)


def test_ledger_view_moves_along_every_repeat():
    space = {"lr": LogUniform(1e-3, 10), "l2": LogUniform(1e-6, 1e-2)}
    methods = {name: [] for name in ("grid", "random", "halving")}
    for seed in range(2):
        methods["grid"].append(grid_search(_free_objective, space, total=9, n_steps=9, seed=seed))
        methods["random"].append(random_search(_free_objective, space, n_trials=12, n_steps=9, seed=seed))
        methods["halving"].append(successive_halving(_free_objective, space, n_configs=9, min_steps=1, eta=3,
                                                     max_steps=9, seed=seed))
    colors = {"grid": "k", "random": "C3", "halving": "C0"}
    error_map = np.linspace(0.1, 0.9, 15).reshape(5, 3)
    view = ledger_view(methods, colors, error_map, (-3.5, 1.5, -6.5, -1.5), full_steps=9)
    shown = view.set(steps=0, repeat=1)
    assert all(value is None for value in shown.values())
    shown = view.set(steps=108, repeat=0)
    assert shown["random"] == round(100 * float(incumbent_at(methods["random"][0], 108)), 1)
    assert view.exercise() > 5


def test_incumbent_at_is_nan_before_the_first_trial():
    budget = Budget()
    budget.record({"lr": 0.1, "l2": 1e-4}, 10, 0.5, "test")
    budget.record({"lr": 0.2, "l2": 1e-4}, 10, 0.3, "test")

    class Run:
        pass

    run = Run()
    run.budget = budget
    assert np.isnan(incumbent_at(run, 5)) and incumbent_at(run, 10) == 0.5 and incumbent_at(run, 25) == 0.3


def test_tangent_view_snaps_to_the_grid():
    log_lambdas = np.arange(-8.5, -0.99, 0.5)
    f_values = (log_lambdas + 4.5) ** 2 / 20 + 1.6
    slopes = (log_lambdas + 4.5) / 10
    view = tangent_view(log_lambdas, f_values, slopes)
    f, s = view.set(log_lambda=-4.5)
    assert abs(f - 1.6) < 1e-12 and abs(s) < 1e-12
    assert view.exercise() >= 3
