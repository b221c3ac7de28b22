"""The slider views of notebooks 06-08, 07b and 15 build on small data and survive every slider at both ends and between.

``SliderView.exercise()`` sets every slider to both ends and to points between (every option of a dropdown): any
callback that would raise in a learner's hands raises here. The latency bound is a UX limit that a loaded 2-core
machine still meets, not a benchmark.
"""

import numpy as np

from hpo_teach.search.bayesopt import GaussianProcess
from hpo_teach.search.methods import grid_search, random_search, successive_halving
from hpo_teach.search.spaces import LogUniform
from hpo_teach.testing import assert_view_responds
from hpo_teach.training.surfaces import BEALE, ROSENBROCK, quadratic
from hpo_teach.viz.tuning_views import (bo_slice_view, ledger_view, optimizer_view, ranking_view,
                                        tangent_view)


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
    assert_view_responds(view, min_moves=11, points=3)


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
    assert shown["random"] == round(100 * float(methods["random"][0].budget.best_at(108)), 1)
    assert_view_responds(view, min_moves=6)


def test_tangent_view_snaps_to_the_grid():
    log_lambdas = np.arange(-8.5, -0.99, 0.5)
    f_values = (log_lambdas + 4.5) ** 2 / 20 + 1.6
    slopes = (log_lambdas + 4.5) / 10
    view = tangent_view(log_lambdas, f_values, slopes)
    f, s = view.set(log_lambda=-4.5)
    assert abs(f - 1.6) < 1e-12 and abs(s) < 1e-12
    assert_view_responds(view, min_moves=3)


def _slice_gps(u, y, n_initial):
    """The GPs a BO run keeps: one per prefix of the scores, fitted to them standardized."""
    gps = []
    for n in range(n_initial, len(u)):
        z = (y[:n] - y[:n].mean()) / y[:n].std()
        gps.append(GaussianProcess(0.2, 1.0, 1e-4, kernel="matern52").fit(u[:n, None], z))
    return gps


def test_bo_slice_view_proposals_follow_the_exploration_knobs():
    u = np.array([0.1, 0.9, 0.55, 0.5, 0.6, 0.45, 0.52])  # three starts, then refinements near u = 0.5
    y = 0.12 + 2 * (u - 0.5) ** 2
    gps = _slice_gps(u, y, 3)
    curve_u = np.linspace(0, 1, 9)
    view = bo_slice_view(gps, u, y, -3 + 4 * curve_u, 0.12 + 2 * (curve_u - 0.5) ** 2, n=4)
    assert view.sliders["n"].min == 3 and view.sliders["n"].max == len(u) - 1
    proposals = view.set(n=6, xi=0.0, kappa=0.0)
    assert set(proposals) == {"EI", "PI", "UCB"} and all(-3 <= x <= 1 for x in proposals.values())
    assert abs(proposals["UCB"] - (-3 + 4 * 0.5)) < 0.5, "with κ = 0 UCB exploits: it sits near the best score"
    far = view.set(n=6, xi=1.0, kappa=4.0)
    assert abs(far["UCB"] - 0.0) > abs(proposals["UCB"] - 0.0), "a large κ moves UCB away from the valley"
    assert_view_responds(view, min_moves=10)


def test_bo_slice_view_caps_the_slider_at_the_gps_it_has():
    u, y = np.array([0.2, 0.8, 0.5, 0.4]), np.array([0.5, 0.6, 0.2, 0.3])
    view = bo_slice_view(_slice_gps(u, y, 3), u, y, [-3.0, 1.0], [0.5, 0.5], n=10)
    assert view.sliders["n"].value == view.sliders["n"].max == 3
    assert_view_responds(view, min_moves=2)


def test_ranking_view_orders_by_mean_and_lists_methods_without_scores():
    grid = np.arange(1, 19) * 300 / 9  # every ninth of a training, 2 trainings
    nan = np.full((2, 18), np.nan)
    late = nan.copy()
    late[:, 9:] = 0.16  # first score after one training
    curves = {"grid": np.full((2, 18), 0.20), "random": np.array([np.full(18, 0.17), np.full(18, 0.19)]),
              "reversible": late, "never": nan}
    view = ranking_view(curves, grid, 300, methods=("grid", "random", "reversible", "never"))
    assert view.set(budget=1 / 9) == ["random", "grid"]
    assert view.set(budget=2.0) == ["reversible", "random", "grid"]
    assert view.set(budget=1.1) == ["reversible", "random", "grid"], "snaps to the nearest position, 10/9"
    assert view.set(budget=1.04) == ["random", "grid"], "snaps to the nearest position, 1: no first score yet"
    assert_view_responds(view, min_moves=4)
