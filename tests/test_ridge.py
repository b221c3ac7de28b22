"""The ridge problem of notebook 12: exact best response, its slope, the losses' gradients, bad arguments."""

import numpy as np
import pytest
from autograd import grad

from hpo_teach.problems.ridge import RidgeProblem
from hpo_teach.testing import central_difference, relative_error


@pytest.fixture(scope="module")
def problem():
    return RidgeProblem(n_train=60, side=14)


def test_sizes_and_layout(problem):
    assert problem.n_weights == 196 * 10 + 10
    w = np.arange(problem.n_weights, dtype=float)
    W, b = problem.unpack(w)
    assert W.shape == (196, 10) and np.array_equal(b, w[-10:])
    assert problem.class_image(w, 3).shape == (14, 14)
    assert "1970 weights" in repr(problem)


def test_best_response_is_stationary_and_a_minimum(problem):
    for m in (-4.0, -1.0, 1.0):
        w = problem.best_response(m)
        g = grad(problem.train_loss)(w, np.array([m]))
        assert np.max(np.abs(g)) < 1e-10
        nudged = w + 1e-3 * np.random.default_rng(0).standard_normal(w.size)
        assert problem.train_loss(nudged, m) > problem.train_loss(w, m)


def test_losses_match_finite_differences(problem):
    rng = np.random.default_rng(1)
    w, u = 0.01 * rng.standard_normal(problem.n_weights), rng.standard_normal(problem.n_weights)
    m = np.array([-1.3])
    g = grad(problem.train_loss)(w, m)
    fd = central_difference(lambda h: problem.train_loss(w + h * u, m), 1e-5)
    assert abs(g @ u - fd) / abs(fd) < 1e-7
    g_m = grad(problem.train_loss, 1)(w, m)[0]
    assert abs(g_m - central_difference(lambda h: problem.train_loss(w, m + h), 1e-5)) / abs(g_m) < 1e-7
    gv = grad(problem.valid_loss)(w)
    assert abs(gv @ u - central_difference(lambda h: problem.valid_loss(w + h * u), 1e-5)) < 1e-7 * abs(gv @ u) + 1e-9


def test_slope_of_the_best_response_three_ways(problem):
    m = -1.5
    slope = problem.best_response_slope(m)
    fd = central_difference(lambda h: problem.best_response(m + h), 1e-5)
    assert relative_error(slope, fd) < 1e-7
    # implicit function theorem: dw*/dλ = −H⁻¹ ∂²L/∂w∂λ
    H = 2 * (problem.X_train_1.T @ problem.X_train_1) / len(problem.X_train_1)
    k = problem.n_classes
    H_full = np.kron(H, np.eye(k)) + 2 * np.exp(m) * np.diag(problem._penalized)
    mixed = 2 * np.exp(m) * problem.best_response(m) * problem._penalized
    assert relative_error(slope, -np.linalg.solve(H_full, mixed)) < 1e-6


def test_valid_curve_and_batched_loss(problem):
    grid = np.array([-3.0, 0.0])
    assert np.allclose(problem.valid_curve(grid), [problem.valid_loss(problem.best_response(m)) for m in grid])
    ws = 0.01 * np.random.default_rng(2).standard_normal((3, problem.n_weights))
    lams = np.array([[-2.0], [0.0], [1.0]])
    mean = np.mean([problem.train_loss(w, lam) for w, lam in zip(ws, lams)])
    assert abs(problem.train_loss_many(ws, lams) - mean) < 1e-12 * abs(mean)


def test_bad_arguments_name_themselves(problem):
    with pytest.raises(ValueError, match="n_train"):
        RidgeProblem(n_train=1)
    with pytest.raises(ValueError, match="side"):
        RidgeProblem(side=7)
    with pytest.raises(ValueError, match="digit"):
        problem.class_image(np.zeros(problem.n_weights), 10)
    with pytest.raises(ValueError, match="log_lambda"):
        problem.best_response(np.nan)
    with pytest.raises(ValueError, match="log_lambdas"):
        problem.valid_curve([0.0, np.inf])
