"""Tests for hpo_teach.search.bayesopt: the GP against brute-force formulas, gradients against finite
differences, acquisitions against closed forms and Monte Carlo, and the loop on the ledger."""

import math

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad
from scipy.stats import norm

from hpo_teach.budget import Budget
from hpo_teach.search.bayesopt import (GaussianProcess, bayesian_optimization, expected_improvement,
                                       fit_gaussian_process, from_unit, log_marginal_likelihood,
                                       matern52_kernel, maximize_acquisition, probability_of_improvement,
                                       rbf_kernel, to_unit, upper_confidence_bound)
from hpo_teach.search.methods import random_search
from hpo_teach.search.spaces import Choice, IntUniform, LogUniform, Uniform
from hpo_teach.testing import central_difference


def data(n=12, d=2, seed=0, noise=0.05):
    rng = np.random.default_rng(seed)
    X = rng.uniform(size=(n, d))
    y = np.sin(5 * X[:, 0]) + 0.5 * X[:, -1] ** 2 + noise * rng.normal(size=n)
    return X, (y - y.mean()) / y.std()


def brute_kernel(A, B, ls, sv, kind):
    """Element by element, no vectorization tricks."""
    K = np.empty((len(A), len(B)))
    for i, a in enumerate(A):
        for j, b in enumerate(B):
            r = math.sqrt(sum(((ai - bi) / l) ** 2 for ai, bi, l in zip(a, b, np.broadcast_to(ls, len(a)))))
            K[i, j] = sv * (math.exp(-r * r / 2) if kind == "rbf"
                            else (1 + math.sqrt(5) * r + 5 * r * r / 3) * math.exp(-math.sqrt(5) * r))
    return K


# --- the GP against a brute-force posterior (matrix inverse, no Cholesky) ---------------------

@pytest.mark.parametrize("kernel", ["rbf", "matern52"])
@pytest.mark.parametrize("ls", [0.3, np.array([0.2, 0.7])])
def test_gp_posterior_matches_brute_force_formula(kernel, ls):
    X, y = data()
    Xs = np.random.default_rng(1).uniform(size=(7, 2))
    gp = GaussianProcess(ls, 1.7, 0.01, kernel=kernel, jitter=0.0).fit(X, y)
    mean, std = gp.predict(Xs)
    K = brute_kernel(X, X, ls, 1.7, kernel) + 0.01 * np.eye(len(X))
    Ks = brute_kernel(Xs, X, ls, 1.7, kernel)
    Kinv = np.linalg.inv(K)
    mean_ref = Ks @ Kinv @ y
    var_ref = np.diag(brute_kernel(Xs, Xs, ls, 1.7, kernel) - Ks @ Kinv @ Ks.T)
    assert np.max(np.abs(mean - mean_ref)) < 1e-8
    assert np.max(np.abs(std - np.sqrt(var_ref))) < 1e-8
    kfun = rbf_kernel if kernel == "rbf" else matern52_kernel
    assert np.max(np.abs(kfun(Xs, X, ls, 1.7) - Ks)) < 1e-12


def test_gp_interpolates_without_noise_and_reverts_to_prior_far_away():
    X, y = data(n=6)
    gp = GaussianProcess(0.3, 2.0, 0.0).fit(X, y)
    mean, std = gp.predict(X)
    assert np.max(np.abs(mean - y)) < 1e-5 and np.max(std) < 1e-3
    mean, std = gp.predict(np.array([[30.0, 30.0]]))
    assert abs(mean[0]) < 1e-12 and abs(std[0] - math.sqrt(2.0)) < 1e-12
    assert np.all(gp.predict(np.random.default_rng(3).uniform(size=(50, 2)))[1] >= 0)


def test_non_positive_definite_kernel_fails_clearly_and_jitter_fixes_it():
    X = np.array([[0.1, 0.2], [0.1, 0.2], [0.5, 0.5]])  # a repeated point: K is singular without noise
    y = np.array([0.0, 0.0, 1.0])
    with pytest.raises(ValueError, match="not positive definite.*noise_var or jitter"):
        GaussianProcess(10.0, 1.0, 0.0, jitter=0.0).fit(X, y)
    mean, _ = GaussianProcess(10.0, 1.0, 0.0, jitter=1e-8).fit(X, y).predict(X)
    assert np.all(np.isfinite(mean))


def test_predict_is_differentiable_in_the_inputs():
    X, y = data()
    gp = GaussianProcess(np.array([0.3, 0.5]), 1.0, 1e-3, kernel="matern52").fit(X, y)
    x0, direction = np.array([[0.37, 0.61]]), np.array([[0.6, -0.8]])
    for k in (0, 1):
        g = grad(lambda x: gp.predict_traced(x)[k][0])(x0)
        fd = central_difference(lambda h: gp.predict_traced(x0 + h * direction)[k][0], 1e-5)
        assert abs(np.sum(g * direction) - fd) < 1e-7 * max(1.0, abs(fd))


# --- the marginal likelihood ---------------------------------------------------------------

@pytest.mark.parametrize("kernel", ["rbf", "matern52"])
def test_log_marginal_likelihood_matches_brute_force_and_finite_differences(kernel):
    X, y = data()
    p = np.log(np.array([0.25, 0.6, 1.3, 0.02]))
    K = brute_kernel(X, X, np.exp(p[:2]), np.exp(p[2]), kernel) + (np.exp(p[3]) + 1e-10) * np.eye(len(X))
    ref = -0.5 * y @ np.linalg.solve(K, y) - 0.5 * np.linalg.slogdet(K)[1] - 0.5 * len(y) * math.log(2 * math.pi)
    assert abs(log_marginal_likelihood(p, X, y, kernel) - ref) < 1e-9
    g = grad(log_marginal_likelihood)(p, X, y, kernel)
    for i in range(len(p)):
        e = np.eye(len(p))[i]
        fd = central_difference(lambda h: log_marginal_likelihood(p + h * e, X, y, kernel), 1e-5)
        assert abs(g[i] - fd) < 1e-6 * max(1.0, abs(fd)), (i, g[i], fd)


def test_noise_gradient_matches_the_trace_formula():
    """∂ log p / ∂ log σ_n² = ½ σ_n² tr((ααᵀ − K⁻¹)), Rasmussen & Williams eq. 5.9."""
    X, y = data()
    p = np.log(np.array([0.3, 0.3, 1.0, 0.05]))
    K = rbf_kernel(X, X, np.exp(p[:2]), 1.0) + (0.05 + 1e-10) * np.eye(len(X))
    a = np.linalg.solve(K, y)
    closed = 0.5 * 0.05 * np.trace(np.outer(a, a) - np.linalg.inv(K))
    assert abs(grad(log_marginal_likelihood)(p, X, y)[-1] - closed) < 1e-9


def test_fit_raises_the_marginal_likelihood_and_finds_the_noise():
    rng = np.random.default_rng(5)
    X = rng.uniform(size=(40, 1))
    y = np.sin(6 * X[:, 0]) + 0.3 * rng.normal(size=40)
    gp = fit_gaussian_process(X, y, kernel="rbf", n_restarts=2)
    start = np.log([0.3, 1.0, 1e-2])
    assert gp.log_marginal_likelihood > log_marginal_likelihood(start, X, y) + 1.0
    assert abs(gp.log_marginal_likelihood - log_marginal_likelihood(gp.log_params, X, y)) < 1e-9
    assert 0.3**2 / 3 < gp.noise_var < 0.3**2 * 3  # the true noise variance, within a factor 3


# --- acquisitions ---------------------------------------------------------------------------

def test_expected_improvement_closed_form_zero_std_and_broadcasting():
    mean, std = np.array([0.0, 0.5, -1.0, 2.0]), np.array([1.0, 0.3, 0.0, 0.0])
    ei = expected_improvement(mean, std, best=0.2, xi=0.1)
    z = (0.2 - 0.1 - mean[:2]) / std[:2]
    assert np.allclose(ei[:2], (0.1 - mean[:2]) * norm.cdf(z) + std[:2] * norm.pdf(z), rtol=1e-14, atol=0)
    assert ei[2] == 0.0 and ei[3] == 0.0
    assert expected_improvement(np.zeros((3, 1)), np.ones((1, 4)), 0.0).shape == (3, 4)
    assert abs(float(expected_improvement(0.0, 1.0, 0.0)) - 1 / math.sqrt(2 * math.pi)) < 1e-15
    assert np.all(grad(lambda m: anp.sum(expected_improvement(m, std, 0.2)))(mean) <= 0)  # finite, non-positive


@pytest.mark.parametrize("mean, std, best, xi", [(0.0, 1.0, 0.0, 0.0), (0.3, 0.5, -0.2, 0.05), (-1.0, 0.2, 0.0, 0.1)])
def test_ei_and_pi_agree_with_monte_carlo(mean, std, best, xi):
    f = mean + std * np.random.default_rng(0).normal(size=400_000)
    gain = np.maximum(best - xi - f, 0.0)
    ei_mc, se = gain.mean(), gain.std() / math.sqrt(f.size)
    assert abs(float(expected_improvement(mean, std, best, xi)) - ei_mc) < 4 * se + 1e-12
    pi_mc = np.mean(f < best - xi)
    assert abs(float(probability_of_improvement(mean, std, best, xi)) - pi_mc) < 4 * math.sqrt(pi_mc * (1 - pi_mc) / f.size) + 1e-12
    assert float(probability_of_improvement(mean, 0.0, best, xi)) == 0.0


def test_upper_confidence_bound():
    assert np.allclose(upper_confidence_bound(np.array([1.0, -2.0]), np.array([0.5, 0.1]), kappa=2.0), [0.0, 2.2])
    assert float(upper_confidence_bound(3.0, 9.0, kappa=0.0)) == -3.0


@pytest.mark.parametrize("acquisition", ["ei", "pi", "ucb"])
def test_maximize_acquisition_beats_a_dense_grid(acquisition):
    X, y = data(n=8, d=1)
    gp = GaussianProcess(0.15, 1.0, 1e-4).fit(X, y)
    grid_u = np.linspace(0, 1, 4001)[:, None]
    from hpo_teach.search.bayesopt import _acquisition
    on_grid = np.max(_acquisition(acquisition, *gp.predict(grid_u), y.min(), 0.01, 2.0))
    u, value = maximize_acquisition(gp, y.min(), acquisition, xi=0.01, kappa=2.0, rng=np.random.default_rng(0))
    assert 0 <= u[0] <= 1 and value >= on_grid - 1e-6 * max(1.0, abs(on_grid))


# --- spaces and the loop ---------------------------------------------------------------------

SPACE = {"lr": LogUniform(1e-4, 1.0), "momentum": Uniform(0.0, 0.9), "width": IntUniform(8, 64)}


def quadratic(config, n_steps, seed):
    return ((math.log10(config["lr"]) + 2.0) / 2) ** 2 + ((config["momentum"] - 0.5) / 0.45) ** 2 + 1.0 / n_steps


def test_unit_cube_round_trip():
    config = {"lr": 1e-2, "momentum": 0.45, "width": 36}
    u = to_unit(SPACE, config)
    assert np.allclose(u, [0.5, 0.5, 0.5])
    back = from_unit(SPACE, u)
    assert back["width"] == 36 and abs(back["lr"] - 1e-2) < 1e-15 and abs(back["momentum"] - 0.45) < 1e-15
    assert from_unit(SPACE, [-1, 2, 0])["lr"] == 1e-4 and from_unit(SPACE, [2, 0, 0])["lr"] == 1.0


def test_bayesian_optimization_charges_the_ledger_and_shares_its_start_with_random_search():
    budget = Budget()
    result = bayesian_optimization(quadratic, SPACE, n_trials=12, n_steps=5, n_initial=4, budget=budget, seed=3)
    assert budget.total_steps == 60 and len(result.trials) == 12 and result.steps == 60
    assert all(t.method == "bayesopt" for t in budget.trials)
    start = random_search(quadratic, SPACE, n_trials=4, n_steps=5, seed=3)
    assert [t.config for t in result.trials[:4]] == [t.config for t in start.trials]
    assert len(result.fit_seconds) == len(result.acquisition_seconds) == 8 and result.overhead_seconds > 0
    limited = bayesian_optimization(quadratic, SPACE, n_trials=12, n_steps=5, budget=Budget(max_steps=32), seed=3)
    assert limited.exhausted and len(limited.trials) == 6


def test_bayesian_optimization_beats_random_search_on_a_smooth_objective():
    bo = np.array([bayesian_optimization(quadratic, SPACE, 14, 1, seed=s).best_score for s in range(3)])
    rs = np.array([random_search(quadratic, SPACE, 14, 1, seed=s).best_score for s in range(3)])
    assert np.all(bo <= rs) and np.all(bo - 1.0 < 0.25 * (rs - 1.0)), (bo, rs)  # optimum 1.0 (the 1/n_steps term)


def test_bad_arguments_name_themselves():
    with pytest.raises(ValueError, match="length_scale"):
        GaussianProcess(-1.0, 1.0, 0.1)
    with pytest.raises(ValueError, match="signal_var"):
        GaussianProcess(1.0, 0.0, 0.1)
    with pytest.raises(ValueError, match="noise_var"):
        GaussianProcess(1.0, 1.0, -0.1)
    with pytest.raises(ValueError, match="kernel"):
        GaussianProcess(1.0, 1.0, 0.1, kernel="linear")
    with pytest.raises(ValueError, match="X"):
        GaussianProcess(1.0, 1.0, 0.1).fit(np.ones(3), np.ones(3))
    with pytest.raises(ValueError, match="y"):
        GaussianProcess(1.0, 1.0, 0.1).fit(np.ones((3, 2)), np.ones(4))
    with pytest.raises(ValueError, match="length_scale has 3 entries"):
        GaussianProcess([1.0, 1.0, 1.0], 1.0, 0.1).fit(np.ones((3, 2)), np.ones(3))
    with pytest.raises(RuntimeError, match="fit"):
        GaussianProcess(1.0, 1.0, 0.1).predict(np.ones((1, 2)))
    with pytest.raises(ValueError, match="acquisition"):
        bayesian_optimization(quadratic, SPACE, 5, 1, acquisition="ts")
    with pytest.raises(ValueError, match="xi"):
        bayesian_optimization(quadratic, SPACE, 5, 1, xi=-0.1)
    with pytest.raises(ValueError, match="n_trials"):
        bayesian_optimization(quadratic, SPACE, 0, 1)
    with pytest.raises(TypeError, match="Choice"):
        bayesian_optimization(quadratic, {"act": Choice(["relu", "tanh"])}, 5, 1)
