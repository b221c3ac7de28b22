"""Soft-thresholding against its definition and as an argmin; ISTA reaches the L1 optimum with exact zeros."""

import numpy as np
import pytest

from hpo_teach.training import optim
from hpo_teach.backend import strict_asarray, to_numpy
from hpo_teach.data.mnist_subset import mnist_small
from hpo_teach.models.mlp import MLP
from hpo_teach.training.proximal import ProximalSGD, l1_optimality_gap, soft_threshold
from hpo_teach.training.loop import fit

RNG = np.random.default_rng(0)
V = RNG.normal(size=200) * 2.0


def definition(v, t):
    """The piecewise definition: v - t above t, v + t below -t, 0 in between."""
    return np.where(v > t, v - t, np.where(v < -t, v + t, 0.0))


@pytest.mark.parametrize("t", [0.0, 0.3, 1.0, 10.0])
def test_soft_threshold_matches_its_definition(t):
    out = soft_threshold(V, t)
    np.testing.assert_array_equal(out, definition(V, t))
    assert np.count_nonzero(out == 0) == np.count_nonzero(np.abs(V) <= t)


def test_per_weight_thresholds():
    t = np.abs(RNG.normal(size=V.shape))
    np.testing.assert_array_equal(soft_threshold(V, t), definition(V, t))


def test_soft_threshold_is_the_argmin_of_the_prox_objective():
    t = 0.7
    u = soft_threshold(V, t)
    grid = np.linspace(-8.0, 8.0, 160001)  # spacing 1e-4; the objective is separable
    for v_i, u_i in zip(V[:40], u[:40]):
        objective = 0.5 * (grid - v_i) ** 2 + t * np.abs(grid)
        assert abs(grid[np.argmin(objective)] - u_i) <= 1e-4
    # and no random perturbation of the whole vector does better
    def prox_objective(x):
        return 0.5 * np.sum((x - V) ** 2) + t * np.sum(np.abs(x))

    best = prox_objective(u)
    for _ in range(200):
        assert prox_objective(u + 1e-3 * RNG.normal(size=V.shape)) > best


@pytest.mark.parametrize("bad", [-0.1, np.array([0.1, -0.2])])
def test_negative_threshold_raises_naming_the_argument(bad):
    with pytest.raises(ValueError, match="t must be >= 0"):
        soft_threshold(np.ones(2), bad)
    with pytest.raises(ValueError, match="l1 must be >= 0"):
        ProximalSGD(0.1, l1=bad)


def test_soft_threshold_runs_on_a_non_default_device():
    out = soft_threshold(strict_asarray(V), 0.5)
    np.testing.assert_array_equal(to_numpy(out), definition(V, 0.5))


def test_proximal_sgd_step_is_gradient_step_then_threshold():
    w, g = RNG.normal(size=50), RNG.normal(size=50)
    w_copy = w.copy()
    opt = ProximalSGD(0.1, l1=2.0)
    w_new = opt.step(w, g)
    np.testing.assert_array_equal(w_new, definition(w - 0.1 * g, 0.2))
    np.testing.assert_array_equal(w, w_copy)
    assert opt.t == 1
    scheduled = ProximalSGD(optim.step_decay(0.1, 0.5, every=1), l1=2.0)
    scheduled.step(w, g)
    np.testing.assert_array_equal(scheduled.step(w, g), definition(w - 0.05 * g, 0.1))


# A small lasso: f(w) = |X w - y|^2 / (2 n) with a sparse truth.
X = RNG.normal(size=(60, 12))
Y = X @ np.r_[3.0, -2.0, np.zeros(10)] + 0.1 * RNG.normal(size=60)


def lasso_grad(w):
    return X.T @ (X @ w - Y) / len(Y)


def test_ista_reaches_the_lasso_optimum_with_exact_zeros():
    L = np.linalg.eigvalsh(X.T @ X / len(Y)).max()
    opt, w = ProximalSGD(1.0 / L, l1=0.3), np.ones(12)
    for _ in range(3000):
        w = opt.step(w, lasso_grad(w))
    assert l1_optimality_gap(w, lasso_grad(w), 0.3) < 1e-10
    assert np.count_nonzero(w == 0) >= 8
    assert np.all(w[:2] != 0)


def test_subgradient_descent_never_lands_on_zero():
    L = np.linalg.eigvalsh(X.T @ X / len(Y)).max()
    opt, w = optim.SGD(0.5 / L), np.ones(12)
    for _ in range(3000):
        w = opt.step(w, lasso_grad(w) + 0.3 * np.sign(w))
    assert np.count_nonzero(w == 0) == 0
    assert l1_optimality_gap(w, lasso_grad(w), 0.3) > 0.1  # tiny weights still feel the full +-l1 push


def test_optimality_gap_on_a_one_dimensional_problem():
    # f(w) = (w - 3)^2 / 2: the L1 minimizer is soft_threshold(3, l1)
    for l1 in (1.0, 4.0):
        w = soft_threshold(np.array([3.0]), l1)
        assert l1_optimality_gap(w, w - 3.0, l1) == 0.0
    assert l1_optimality_gap(np.array([1e-9]), np.array([-3.0]), 4.0) == pytest.approx(1.0)


def test_proximal_sgd_trains_a_logistic_regression_through_fit():
    X_tr, y_tr = mnist_small("train", side=7)
    mlp = MLP([49, 10])
    history = fit(mlp, mlp.init(0), X_tr[:300], y_tr[:300], ProximalSGD(0.5, l1=0.01), epochs=20,
                  batch_size=300, progress=False)
    assert np.count_nonzero(history.w == 0) > mlp.n_params // 4
    assert history.train_loss[-1] < history.train_loss[0]
