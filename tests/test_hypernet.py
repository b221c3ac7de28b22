"""Hypernetworks (notebook 12): shapes, gradients against finite differences, the hypergradient three ways,
the algorithms on a small ridge problem, bad arguments."""

import numpy as np
import pytest
from autograd import grad

from hpo_teach.hypergrad import hypernet as H
from hpo_teach.problems.ridge import RidgeProblem
from hpo_teach.testing import central_difference


@pytest.fixture(scope="module")
def problem():
    return RidgeProblem(n_train=60, side=14)


def random_phi(net, seed=0):
    return 0.01 * np.random.default_rng(seed).standard_normal(net.n_params) + net.init(seed)


def test_parameter_counts_match_the_paper():
    assert H.LinearHypernet(1, 7850).n_params == 15_700  # the paper's local hypernet
    assert H.MLPHypernet(1, 50, 7850).n_params == 400_450  # the paper's global hypernet
    assert "15700 parameters" in repr(H.LinearHypernet(1, 7850))


@pytest.mark.parametrize("net", [H.LinearHypernet(2, 7, center=1.0, scale=2.0), H.MLPHypernet(2, 5, 7, center=-1.0)])
def test_weights_many_equals_weights_row_by_row(net):
    phi, lams = random_phi(net), np.array([[0.3, -1.0], [2.0, 0.5], [-1.5, -0.2]])
    many = net.weights_many(phi, lams)
    assert many.shape == (3, 7)
    for lam, row in zip(lams, many):
        assert np.allclose(net.weights(phi, lam), row, rtol=0, atol=1e-14)


def test_linear_hypernet_is_a_line():
    net = H.LinearHypernet(1, 4, center=-1.0, scale=0.5)
    phi = np.arange(8.0)
    assert np.allclose(net.weights(phi, np.array([-1.0])), phi[:4])  # z = 0 at the centre
    assert np.allclose(net.weights(phi, np.array([-0.5])), phi[:4] + phi[4:])  # z = 1 one scale away


@pytest.mark.parametrize("net_kind", ["linear", "mlp"])
def test_gradients_match_finite_differences(problem, net_kind):
    net = H.LinearHypernet(1, problem.n_weights) if net_kind == "linear" else H.MLPHypernet(1, 6, problem.n_weights)
    phi = random_phi(net, 3)
    lams = np.array([[-2.0], [0.5]])
    u = np.random.default_rng(4).standard_normal(net.n_params)
    for batched, loss in ((False, problem.train_loss), (True, problem.train_loss_many)):
        objective = lambda p: H.sampled_train_loss(net, loss, p, lams, batched)  # noqa: E731
        fd = central_difference(lambda h: objective(phi + h * u), 1e-6)
        assert abs(grad(objective)(phi) @ u - fd) < 1e-6 * abs(fd)
    # and in λ, through the hypernet
    f = lambda lam: problem.valid_loss(net.weights(phi, lam))  # noqa: E731
    lam = np.array([-1.2])
    assert abs(grad(f)(lam)[0] - central_difference(lambda h: f(lam + h), 1e-5)) < 1e-6


def test_hypergradient_three_ways_for_the_tangent_hypernet(problem):
    """A linear hypernet equal to the tangent of w*(λ) at λ₀ gives the exact hypergradient there."""
    m0 = -1.5
    net = H.LinearHypernet(1, problem.n_weights, center=m0)
    phi = np.concatenate([problem.best_response(m0), problem.best_response_slope(m0)])
    f = lambda lam: problem.valid_loss(net.weights(phi, lam))  # noqa: E731
    through_hypernet = grad(f)(np.array([m0]))[0]
    closed_form = grad(problem.valid_loss)(problem.best_response(m0)) @ problem.best_response_slope(m0)
    finite_difference = central_difference(lambda h: problem.valid_curve([m0 + h])[0], 1e-4)
    assert abs(through_hypernet - closed_form) < 1e-12 * max(1.0, abs(closed_form))
    assert abs(through_hypernet - finite_difference) < 1e-6 * abs(finite_difference)


def test_hypertrain_then_descend_finds_the_exact_argmin_roughly(problem):
    grid = np.linspace(-4, 1, 51)
    exact = problem.valid_curve(grid)
    net = H.MLPHypernet(1, 8, problem.n_weights, center=-1.5, scale=1.5)
    result = H.hypertrain(net, problem.train_loss_many, net.init(0), H.stratified_sampler(-4.5, 1.5), 400,
                          lr=1e-2, n_samples=4, batched=True, progress=False)
    assert result.n_grad_evals == 1600 and result.losses[-50:].mean() < result.losses[:50].mean()
    curve = np.array([problem.valid_loss(net.weights(result.phi, np.array([m]))) for m in grid])
    assert np.max(np.abs(curve - exact)) < 0.1
    path = H.descend(net, problem.valid_loss, result.phi, -4.0, 100, lr=0.1)
    assert path.lambdas.shape == (101, 1) and path.valid_losses[-1] < path.valid_losses[0]
    assert abs(path.lambdas[-1, 0] - grid[np.argmin(exact)]) < 0.6


def test_joint_with_sigma_zero_ignores_the_seed_and_counts_its_cost(problem):
    net = H.LinearHypernet(1, problem.n_weights)
    runs = [H.joint(net, problem.train_loss, problem.valid_loss, net.init(), 0.0, 0.0, 20, n_samples=1, seed=s,
                    progress=False) for s in (0, 1)]
    assert np.array_equal(runs[0].lambdas, runs[1].lambdas)
    assert runs[0].n_grad_evals == 20 and runs[0].n_valid_grads == 21 and len(runs[0].valid_losses) == 21
    noisy = [H.joint(net, problem.train_loss_many, problem.valid_loss, net.init(), 0.0, 0.3, 20, n_samples=2,
                     seed=s, batched=True, progress=False) for s in (0, 1)]
    assert not np.array_equal(noisy[0].lambdas, noisy[1].lambdas) and noisy[0].n_grad_evals == 40


def test_samplers():
    rng = np.random.default_rng(0)
    lams = H.stratified_sampler(-5, 1)(rng, 6)
    assert lams.shape == (6, 1) and np.all((lams[:, 0] >= np.arange(-5, 1)) & (lams[:, 0] < np.arange(-4, 2)))
    assert H.normal_sampler([0.0, 1.0], 2.0)(rng, 3).shape == (3, 2)


def test_bad_arguments_name_themselves(problem):
    net = H.LinearHypernet(1, problem.n_weights)
    phi = net.init()
    with pytest.raises(ValueError, match="n_hidden"):
        H.MLPHypernet(1, 0, 5)
    with pytest.raises(ValueError, match="scale"):
        H.LinearHypernet(1, 5, scale=0.0)
    with pytest.raises(ValueError, match="phi"):
        H.descend(net, problem.valid_loss, phi[:-1], 0.0, 5)
    with pytest.raises(ValueError, match="lam"):
        H.descend(net, problem.valid_loss, phi, [0.0, 1.0], 5)
    with pytest.raises(ValueError, match="n_steps"):
        H.descend(net, problem.valid_loss, phi, 0.0, 0)
    with pytest.raises(ValueError, match="lr"):
        H.descend(net, problem.valid_loss, phi, 0.0, 5, lr=-1.0)
    with pytest.raises(ValueError, match="sigma"):
        H.joint(net, problem.train_loss, problem.valid_loss, phi, 0.0, -0.1, 5)
    with pytest.raises(ValueError, match="sampler"):
        H.hypertrain(net, problem.train_loss, phi, lambda rng, n: np.zeros(n), 5, progress=False)
    with pytest.raises(ValueError, match="low"):
        H.stratified_sampler(1.0, 1.0)
    with pytest.raises(TypeError, match="hypernet"):
        H.descend("net", problem.valid_loss, phi, 0.0, 5)
    with pytest.raises(TypeError, match="valid_loss"):
        H.descend(net, None, phi, 0.0, 5)
