"""Tests for hpo_teach.models.width: the mask, the γ-gradient three ways, the fast path, the contract."""

import math

import numpy as np
import pytest
from autograd import grad

from hpo_teach.models.width import ContinuousWidthMLP, descend, n_computed, unit_mask
from hpo_teach.testing import central_difference, relative_error

GAMMAS = (0.3, 1.5, 2.0, 3.7, 5.0, 6.25, 8.0)


def problem(n_in=3, K=8, n_out=3, n=40, seed=0, activation="tanh"):
    rng = np.random.default_rng(seed)
    net = ContinuousWidthMLP(n_in, K, n_out, activation=activation)
    return net, net.init(seed, out_std=1.0), rng.standard_normal((n, n_in)), rng.integers(0, n_out, n)


# ----------------------------------------------------------------------------- the mask

@pytest.mark.parametrize("gamma", [0.0, 0.4, 1.0, 3.3, 7.99, 8.0])
def test_unit_mask_values_and_sum(gamma):
    m = unit_mask(gamma, 8)
    np.testing.assert_array_equal(m, np.clip(gamma - np.arange(1, 9) + 1, 0, 1))
    assert abs(np.sum(m) - gamma) < 1e-12


def test_unit_mask_derivative_is_the_mean_of_the_sides_at_integers():
    d = grad(lambda g: np.sum(unit_mask(g, 8) * np.arange(1.0, 9.0)))
    assert d(3.5) == 4.0            # only unit 4 moves
    assert d(3.0) == 0.5 * (3 + 4)  # unit 3 (left) and unit 4 (right), averaged
    assert d(0.0) == 0.5 * 1        # left of 0 the loss is flat


# ----------------------------------------------------------------------------- the γ-gradient three ways

@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
def test_gamma_grad_closed_form_autograd_and_finite_differences(activation):
    net, w, X, y = problem(activation=activation)
    for gamma in GAMMAS:
        ag = grad(net.loss, 1)(w, gamma, X, y)
        closed = net.gamma_grad(w, gamma, X, y)
        assert abs(closed - ag) <= 1e-12 * max(1.0, abs(ag)), (gamma, closed, ag)
        if gamma != math.floor(gamma):
            fd = central_difference(lambda h: net.loss(w, gamma + h, X, y), 1e-5)
            assert abs(fd - closed) <= 1e-7 * max(1.0, abs(closed)), (gamma, fd, closed)


def test_one_sided_derivatives_at_an_integer_match_one_sided_differences():
    net, w, X, y = problem()
    for k in (1, 3, 7):
        h = 1e-6
        left = (net.loss(w, k, X, y) - net.loss(w, k - h, X, y)) / h
        right = (net.loss(w, k + h, X, y) - net.loss(w, k, X, y)) / h
        assert abs(net.gamma_grad(w, float(k), X, y, side="left") - left) < 1e-5
        assert abs(net.gamma_grad(w, float(k), X, y, side="right") - right) < 1e-5
        assert abs(left - right) > 1e-3  # a real kink
    assert net.gamma_grad(w, 8.0, X, y, side="right") == 0.0  # beyond K the loss is flat


def test_gamma_grad_is_the_gradient_of_a_scale_on_the_last_unit():
    net, w, X, y = problem()
    for gamma in (1.5, 3.7, 6.25):
        c = math.ceil(gamma)
        idx = net.unit_param_indices(c)[-net.n_out:]  # unit c's outgoing weights
        gw = grad(net.loss, 0)(w, gamma, X, y)
        scale = np.dot(w[idx], gw[idx]) / (gamma - c + 1)
        assert relative_error(scale, net.gamma_grad(w, gamma, X, y)) < 1e-10


def test_second_derivative_in_gamma_matches_finite_differences():
    net, w, X, y = problem()
    d2 = grad(grad(net.loss, 1), 1)(w, 3.4, X, y)
    fd = central_difference(lambda h: grad(net.loss, 1)(w, 3.4 + h, X, y), 1e-5)
    assert abs(d2 - fd) < 1e-6 * max(1.0, abs(d2))
    assert d2 > 0  # the loss is convex in γ inside a unit interval (logits are affine in the mask)


# ----------------------------------------------------------------------------- fast path and truncation

@pytest.mark.parametrize("gamma", GAMMAS + (0.0,))
def test_fast_path_equals_autograd(gamma):
    net, w, X, y = problem()
    loss, gw, dg = net.loss_and_grad(w, gamma, X, y)
    assert abs(loss - net.loss(w, gamma, X, y)) < 1e-14
    assert relative_error(gw, grad(net.loss, 0)(w, gamma, X, y)) < 1e-12
    assert abs(dg - grad(net.loss, 1)(w, gamma, X, y)) < 1e-14


def test_weight_gradient_matches_finite_differences():
    net, w, X, y = problem()
    v = np.random.default_rng(5).standard_normal(net.n_params)
    fd = central_difference(lambda h: net.loss(w + h * v, 3.7, X, y), 1e-6)
    assert abs(fd - np.dot(net.loss_and_grad(w, 3.7, X, y)[1], v)) < 1e-7


@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0, 3.7, 8.0])
def test_only_the_needed_units_are_computed_and_results_equal_the_full_pool(gamma):
    net, w, X, y = problem()
    assert n_computed(gamma, 8) == min(math.floor(gamma) + 1, 8)
    a = net.loss(w, gamma, X, y)
    b = net.loss(w, gamma, X, y, active_only=False)
    assert abs(a - b) <= 1e-15
    ga, gb = grad(net.loss, 1)(w, gamma, X, y), grad(lambda g: net.loss(w, g, X, y, active_only=False))(gamma)
    assert abs(ga - gb) <= 1e-15
    # changing a unit beyond the computed ones changes nothing
    w2 = w.copy()
    if n_computed(gamma, 8) < 8:
        w2[net.unit_param_indices(8)] += 1.0
        assert net.loss(w2, gamma, X, y) == a


def test_zero_outgoing_weights_preserve_the_function_and_zero_the_gamma_gradient():
    net, w, X, y = problem()
    w[net.unit_param_indices(5)[-net.n_out:]] = 0.0
    assert net.loss(w, 4.0, X, y) == net.loss(w, 5.0, X, y)
    assert net.gamma_grad(w, 5.0, X, y, side="left") == 0.0
    assert np.linalg.norm(net.loss_and_grad(w, 5.0, X, y)[1][net.unit_param_indices(5)]) > 1e-4


def test_smooth_basis_makes_neighbours_similar():
    net = ContinuousWidthMLP(2, 24, 2)
    B = net.smooth_basis(8)
    w = B @ np.random.default_rng(0).standard_normal(B.shape[1])
    W1 = net.unflatten(w)[0]
    assert np.max(np.abs(np.diff(W1, axis=1))) < 0.5 * np.max(np.abs(W1))


def test_descend_matches_a_hand_written_loop_and_keeps_gamma_in_range():
    net, w, X, y = problem()
    run = descend(net, w, 2.5, X, y, 30, lr_w=0.01, lr_gamma=1.0, width_cost=0.01, weight_decay=1e-3, keep_every=10)
    theta, gamma, m, v = w.copy(), 2.5, np.zeros_like(w), np.zeros_like(w)
    for t in range(1, 31):
        loss, g, dg = net.loss_and_grad(theta, gamma, X, y)
        g = g + 2e-3 * theta
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g**2
        theta = theta - 0.01 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
        gamma = min(max(gamma - (dg + 0.01), 0.5), 8.0)
    assert np.max(np.abs(run.w - theta)) < 1e-13 and abs(run.gamma - gamma) < 1e-13
    assert sorted(run.snapshots) == [0, 10, 20, 30] and run.n_gradients == 30
    big = descend(net, w, 1.0, X, y, 20, lr_gamma=1e4, valid=(X, y))
    assert np.all((big.gammas >= 0.5) & (big.gammas <= 8.0)) and big.n_gradients == 40


# ----------------------------------------------------------------------------- bad arguments

def test_bad_arguments_name_themselves():
    net, w, X, y = problem()
    with pytest.raises(ValueError, match="gamma"):
        unit_mask(9.0, 8)
    with pytest.raises(ValueError, match="gamma"):
        net.loss(w, -0.1, X, y)
    with pytest.raises(ValueError, match="n_units"):
        unit_mask(1.0, 0)
    with pytest.raises(TypeError, match="n_units"):
        ContinuousWidthMLP(2, 3.5, 2)
    with pytest.raises(ValueError, match="n_out"):
        ContinuousWidthMLP(2, 4, 1)
    with pytest.raises(ValueError, match="activation"):
        ContinuousWidthMLP(2, 4, 2, activation="swish")
    with pytest.raises(ValueError, match="w must have shape"):
        net.loss(w[:-1], 1.0, X, y)
    with pytest.raises(ValueError, match="X must have shape"):
        net.loss(w, 1.0, X[:, :2], y)
    with pytest.raises(ValueError, match="class labels"):
        net.loss(w, 1.0, X, y + 5)
    with pytest.raises(ValueError, match="side"):
        net.gamma_grad(w, 2.0, X, y, side="up")
    with pytest.raises(ValueError, match="lr_gamma"):
        descend(net, w, 2.0, X, y, 5, lr_gamma=-1.0)
    with pytest.raises(ValueError, match="gamma"):
        descend(net, w, 0.2, X, y, 5)  # below gamma_min = 0.5
    with pytest.raises(TypeError, match="model"):
        descend("net", w, 2.0, X, y, 5)
