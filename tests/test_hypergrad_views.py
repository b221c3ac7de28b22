"""The slider views of notebooks 11-13 (hpo_teach.viz.hypergrad_views): built on small data, every slider moved.

``SliderView.exercise()`` sets every slider to both ends and to points between (every option of a
selection slider): any callback that would raise in a learner's hands raises here.
"""

import numpy as np

from hpo_teach.viz.hypergrad_views import best_response_view, neumann_terms_view, t1t2_epochs_view
from hpo_teach.testing import assert_view_responds
from hpo_teach.viz.widgets import SliderView


def exercised(view):
    assert isinstance(view, SliderView)
    assert_view_responds(view)
    return view


def test_t1t2_epochs_view():
    n_epochs = 6
    starts = np.array([0.0, 0.8, 0.0, 0.8])
    shrink = np.linspace(1.0, 0.1, n_epochs + 1)
    epoch_sigma = 0.2 + (starts[:, None] - 0.2) * shrink            # every run's σ moves towards 0.2
    epoch_rho = np.array([-5.5, -5.5, -2.5, -2.5])[:, None] - 0.1 * np.arange(n_epochs + 1)
    epoch_err = 0.1 + 0.05 * shrink * (starts[:, None] > 0.5)
    view = exercised(t1t2_epochs_view(epoch_rho, epoch_sigma, epoch_err))
    first, last = view.set(epoch=0), view.set(epoch=n_epochs)
    assert first["epoch"] == 0 and np.isclose(first["sigma spread"], 0.8)
    assert last["sigma spread"] < first["sigma spread"]
    assert np.isclose(first["mean test error"], 0.125) and last["mean test error"] < first["mean test error"]


def test_best_response_view():
    grid = np.round(np.linspace(-5.0, 1.0, 13), 10)                 # steps of 0.5
    exact = 0.5 + 0.02 * (grid + 1.5) ** 2
    net = exact + 0.01 * (grid < -4)
    image_grid = grid[::2]                                          # steps of 1
    images = np.stack([np.full((4, 4), m) for m in image_grid])
    view = exercised(best_response_view(grid, exact, net, image_grid, images, 0.9 * images, digit=3,
                                        log_lambda=-1.0))
    reading = view.set(log_lambda=-5.0)
    assert reading["log λ"] == -5.0 and np.isclose(reading["gap"], 0.01)
    assert view.set(log_lambda=1.0) == {"log λ": 1.0, "gap": 0.0}


def test_neumann_terms_view():
    exact, n_terms = -2.0, 50
    K_axis = np.arange(1, n_terms + 1)
    curve = exact * (1 - 0.9**K_axis)                               # a series converging to the exact value
    K_grid = (1, 2, 5, 10, 50)
    images = {K: np.full((3, 3), 1 - 0.9**K) for K in K_grid}
    unrolled = {K: curve[K - 1] for K in K_grid if K <= 10}
    view = exercised(neumann_terms_view(curve, exact, images, np.ones((3, 3)), unrolled=unrolled, K=1))
    readings = [view.set(K=K) for K in (1, 10, 50)]
    errors = [r["relative error"] for r in readings]
    assert errors[0] > errors[1] > errors[2] and np.isclose(errors[0], 0.9)
    assert readings[1]["unrolled"] == readings[1]["hypergradient"] and readings[2]["unrolled"] is None
