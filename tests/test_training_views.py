"""The slider views of notebooks 03-05 (hpo_teach.viz.training_views): every slider, at both ends and
between, runs without error on small data, and the views show the numbers the notebooks teach."""

from types import SimpleNamespace

import numpy as np

from hpo_teach.models.mlp import MLP
from hpo_teach.testing import assert_view_responds
from hpo_teach.training.surfaces import quadratic
from hpo_teach.viz.training_views import (init_scale_view, print_regularizer_table, quadratic_lr_view,
                                          regularizer_grid_view)


def fake_runs(values):
    runs = {}
    for i, v in enumerate(values):
        hist = SimpleNamespace(steps=[0, 10, 20], train_error=[0.5, 0.2 * (1 - v), 0.1 * v],
                               valid_error=[0.5, 0.3, 0.2 + 0.1 * v])
        runs[v] = dict(hist=hist, train_err=0.1 * v, valid_err=0.2 + 0.1 * v, train_loss=0.1 + v,
                       valid_loss=0.5 + 0.5 * v)
    return runs


def test_regularizer_table_prints_one_row_per_value_with_its_gap(capsys):
    print_regularizer_table(fake_runs([0.0, 0.5]), "p")
    header, *rows = capsys.readouterr().out.splitlines()
    assert header.split()[0] == "p" and len(rows) == 2
    assert [r.split()[0] for r in rows] == ["0.0", "0.5"] and rows[1].split()[-1] == "0.150"  # 0.75 - 0.6


def test_regularizer_grid_view_visits_every_value():
    view = regularizer_grid_view(fake_runs([0.0, 0.3, 0.8]), "dropout rate", "p")
    assert assert_view_responds(view) == 2
    train, valid, gap = view.set(value=0.8)
    assert (train, valid) == (8.0, 28.0) and abs(gap - (0.9 - 0.9)) < 1e-12


def test_quadratic_lr_view_matches_the_closed_form_and_stops_divergent_runs():
    bowl = quadratic(curvatures=(1.0, 10.0), rotation=0.5)
    view = quadratic_lr_view(bowl, n_steps=50)
    assert_view_responds(view, min_moves=4)
    curvatures, eigvecs = np.linalg.eigh(bowl.hessian)
    u0 = np.array(bowl.start) @ eigvecs
    for lr in (0.01, 0.1, 0.19):
        steps, loss, worst = view.set(lr=lr)
        exact = 0.5 * np.sum(curvatures * (1 - lr * curvatures) ** 100 * u0**2)
        assert steps == 50 and np.isclose(loss, exact, rtol=1e-6)
        assert np.isclose(worst, np.abs(1 - lr * curvatures).max())
    steps, _, worst = view.set(lr=10**-0.5)  # far past 2/L = 0.2: the weights leave the box early
    assert steps < 50 and worst > 1


def test_init_scale_view_runs_every_setting_and_separates_per_unit_spread():
    rng = np.random.default_rng(0)
    X, y = rng.random((16, 6)), rng.integers(0, 3, 16)
    acts = ("sigmoid", "tanh", "relu")
    nets = {a: MLP([6, 8, 8, 8, 8, 3], a) for a in acts}
    base_w = {s: nets["tanh"].init(0, s) for s in ("naive", "glorot", "he")}
    view = init_scale_view(nets, base_w, X, y, gain_exponents=np.arange(-2, 2.01, 1.0))
    assert_view_responds(view, min_moves=3 + 1 + 4)
    for a in acts:
        for s in base_w:
            for g in (0.25, 1.0, 4.0):
                used, ratio, grad_ratio, g1 = view.set(activation_name=a, scheme=s, gain=g)
                assert used == g and np.isfinite(ratio) and np.isfinite(grad_ratio) and g1 >= 0
