"""The slider views of notebooks 00-02 and 14 (hpo_teach.viz.capacity_views): built on small data, every slider moved.

``SliderView.exercise()`` sets every slider to both ends and to points between (every option of a
toggle or selection slider): any callback that would raise in a learner's hands raises here.
"""

import numpy as np
import pytest
from numpy.polynomial import Polynomial

from hpo_teach.models.width import ContinuousWidthMLP, descend
from hpo_teach.viz.capacity_views import (class1_probability_grid, frozen_width_view, network_capacity_view,
                                          penalty_path_view, polynomial_degree_view, weight_templates_view,
                                          width_descent_view)
from hpo_teach.testing import assert_view_responds
from hpo_teach.viz.widgets import SliderView


def exercised(view):
    assert isinstance(view, SliderView)
    assert_view_responds(view, max_median_ms=500)
    return view


def test_polynomial_degree_view():
    rng = np.random.default_rng(0)
    x, y = rng.uniform(0, 1, 12), rng.normal(size=12)
    fits = [Polynomial.fit(x, y, d) for d in range(6)]
    mse = np.array([np.mean((f(x) - y) ** 2) for f in fits])
    view = exercised(polynomial_degree_view(x, y, fits, mse, mse + 1.0, degree=2, true_fn=np.sin))
    assert view.set(degree=5) == (mse[5], mse[5] + 1.0)


def test_network_capacity_view():
    gx, gy = np.linspace(-1, 1, 8), np.linspace(-1, 2, 6)
    widths, depths = (1, 2, 4), (1, 2)
    boundary = np.array([[0.0, 0.0], [np.nan, np.nan], [0.5, 1.0]])
    nets = {(w, d): dict(train=0.1 / w, valid=0.2, prob=np.full(48, w / 5), boundary=boundary, n_params=w * 10)
            for w in widths for d in depths}
    X, y = np.random.default_rng(1).normal(size=(10, 2)), np.arange(10) % 2
    view = exercised(network_capacity_view(nets, widths, depths, X, y, gx, gy, width=2, depth=1))
    assert view.set(width=1, depth=2) == (10, 20)


def test_penalty_path_view():
    A, w_star = np.array([[2.0, 0.5], [0.5, 1.0]]), np.array([1.0, 0.5])
    log_lams = np.linspace(-1, 0.5, 7)
    l2 = np.array([np.linalg.solve(A + 2 * 10**g * np.eye(2), A @ w_star) for g in log_lams])
    l1 = np.where(np.arange(7)[:, None] > 4, 0.0, l2)
    view = exercised(penalty_path_view(A, w_star, log_lams, {"L1": l1, "L2": l2}, log_lam=-0.5))
    assert view.set(penalty="L1", log_lam=0.5) == (0.0, 0.0)


@pytest.mark.parametrize("n_classes", [10, 3])
def test_weight_templates_view(n_classes):
    rng = np.random.default_rng(2)
    log_lams = np.array([-4.0, -3.0, -2.0])
    runs = {(p, 10.0**g): dict(w=rng.normal(size=4 * 4 * n_classes + n_classes), zeros=int(-g), valid_loss=0.5)
            for p in ("L1", "L2") for g in log_lams}
    view = exercised(weight_templates_view(runs, log_lams, slice(0, 16 * n_classes), image_shape=(4, 4),
                                           n_classes=n_classes))
    assert view.set(penalty="L2", log_lam=-2.0) == (2, 0.5)


def _width_problem(n=40, units=6):
    rng = np.random.default_rng(3)
    X = rng.uniform(-2, 2, size=(n, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(int)
    return ContinuousWidthMLP(2, units, 2), X, y


def test_class1_probability_grid():
    net, _, _ = _width_problem()
    p = class1_probability_grid(net, net.init(0), 3.5, extent=2.0, resolution=7)
    assert p.shape == (7, 7) and np.all((p >= 0) & (p <= 1))
    logits = net.logits(net.init(0), 3.5, np.array([[-2.0, -2.0], [2.0, 2.0]]))  # the grid's corners
    assert np.allclose(p[[0, -1], [0, -1]], 1 / (1 + np.exp(logits[:, 0] - logits[:, 1])))


def test_frozen_width_view():
    net, X, y = _width_problem()
    w = descend(net, net.init(0), 3.5, X, y, 60, lr_gamma=0.0).w
    gamma_grid = np.linspace(0.5, net.n_units, 23)
    curve = [net.loss(w, g, X, y) for g in gamma_grid]
    view = exercised(frozen_width_view(net, w, X, y, gamma_grid, curve, gamma=3.5, trained_at=3.5, resolution=12))
    assert view.values() == {"gamma": 3.5}  # exercise() restores the start
    for gamma in (0.5, 3.5, float(net.n_units)):  # both ends and between: the readings are the model's
        reading = view.set(gamma=gamma)
        assert reading["gamma"] == gamma
        assert reading["loss"] == pytest.approx(net.loss(w, gamma, X, y), rel=1e-12)
        assert reading["error"] == net.error(w, gamma, X, y) and 0 <= reading["error"] <= 1


def test_width_descent_view():
    net, X, y = _width_problem()
    run = descend(net, net.init(1), 1.5, X, y, 100, lr_gamma=3.0, valid=(X[::2], y[::2]), keep_every=20)
    view = exercised(width_descent_view(net, run, X[::2], y[::2], resolution=12))
    assert view.sliders["step"].max == 100 and view.sliders["step"].step == 20
    first, last = view.set(step=0), view.set(step=100)
    assert (first["step"], first["gamma"]) == (0, 1.5)
    assert (last["step"], last["gamma"]) == (100, run.gamma)
    assert last["valid_error"] == net.error(run.w, run.gamma, X[::2], y[::2])
    assert view.set(step=30)["step"] in (20, 40)  # a step between kept ones shows the nearest kept one
    with pytest.raises(ValueError, match="keep_every"):
        width_descent_view(net, descend(net, net.init(1), 1.5, X, y, 5), X, y)
