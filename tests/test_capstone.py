"""The capstone (notebook 15): its new derivatives against references, its ledger, its arguments, its tool."""

import csv
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from autograd import grad

from hpo_teach import capstone
from hpo_teach.hypergrad import implicit
from hpo_teach.problems.mlp_l2 import MLPTrainLoss

ROOT = Path(__file__).resolve().parents[1]


def central(f, x, eps):
    """Central differences of a scalar function of a vector, coordinate by coordinate."""
    return np.array([(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in np.eye(x.size)])


@pytest.fixture(scope="module")
def problem():
    return capstone.make_problem(n_steps=30)


def test_neumann_hypergradient_equals_implicit_module(problem):
    w = problem.train(problem.start, 0)
    full = MLPTrainLoss(problem.mlp, problem.X, problem.y, batch_size=len(problem.y), seed=0, l2="layer")
    ours = capstone.neumann_hypergradient(problem, full, w, problem.start, 10, 0.05)
    ref = implicit.hypergrad(lambda w_, m: full(w_, m, 0), problem.valid_loss, w, problem.start,
                             method="neumann", n_terms=10, alpha=0.05).d_meta
    assert np.max(np.abs(ours - ref)) <= 1e-9 * np.max(np.abs(ref))


def test_neumann_with_one_term_is_minus_the_mixed_derivative_by_finite_differences(problem):
    """K = 1: p = alpha grad_w L_V, and the hypergradient is -d/dmeta <grad_w L_T(w, meta), p>."""
    w = problem.train(problem.start, 0)
    loss = problem.train_loss(0)
    alpha = 0.05
    h = capstone.neumann_hypergradient(problem, loss, w, problem.start, 1, alpha)
    p = alpha * grad(problem.valid_loss)(w, problem.start)
    fd = central(lambda m: -loss.grad(w, m, 0) @ p, problem.start, 1e-4)
    np.testing.assert_allclose(h, fd, rtol=1e-6, atol=1e-14)


def test_hypernet_gradients_equal_autograd_and_finite_differences(problem):
    net = capstone.make_hypernet(problem)
    phi = net.init(w_init=problem.mlp.init(0)) + 0.01 * np.random.default_rng(1).standard_normal(net.n_params)
    lam_hat, lam_draw = np.array([-6.0, -8.0]), np.array([-5.0, -9.0])
    loss = problem.train_loss(0)
    valid = capstone.validation_minibatches(problem, 0)
    d_phi, d_lam = capstone.hypernet_gradients(loss, problem, net, phi, lam_hat, lam_draw, 2, valid, 3)
    np.testing.assert_allclose(d_phi, grad(lambda p: loss(net.weights(p, lam_draw), lam_draw, 2))(phi),
                               rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(d_lam, grad(lambda l: valid(net.weights(phi, l), l, 3))(lam_hat), rtol=1e-10, atol=1e-14)
    fd = central(lambda l: valid(net.weights(phi, l), l, 3), lam_hat, 1e-5)
    np.testing.assert_allclose(d_lam, fd, rtol=1e-6, atol=1e-10)


@pytest.mark.parametrize("method", capstone.METHODS)
def test_every_method_stays_within_its_ledger(problem, method):
    max_steps = 6 * problem.n_steps
    run = capstone.run_method(method, problem, max_steps, 0, hvp_cost=1.5)
    assert 0 < run.budget.total_steps <= max_steps
    assert run.best_meta.shape == (2,) and np.all(run.best_meta >= problem.low) and np.all(run.best_meta <= problem.high)
    assert 0.0 <= run.budget.best().score <= 0.9
    curve = run.curve(np.array([0, max_steps]))
    assert np.isnan(curve[0]) and curve[1] == run.budget.best().score


def test_black_box_scores_are_the_standard_training(problem):
    run = capstone.run_method("random", problem, 2 * problem.n_steps, 0)
    trial = run.budget.trials[0]
    assert trial.score == problem.error(problem.train(problem.meta(trial.config), 0))


def test_bad_arguments_name_themselves(problem):
    with pytest.raises(ValueError, match="method"):
        capstone.run_method("sgd", problem, 1000, 0)
    with pytest.raises(ValueError, match="max_steps"):
        capstone.run_method("random", problem, 5, 0)
    with pytest.raises(ValueError, match="kind"):
        capstone.make_problem("test")
    with pytest.raises(ValueError, match="high"):
        capstone.make_problem(low=-1.0, high=-12.0)
    with pytest.raises(ValueError, match="momentum"):
        capstone.make_problem(momentum=1.0)
    with pytest.raises(ValueError, match="hvp_cost"):
        capstone.run_method("ift", problem, 1000, 0, hvp_cost=-1.0)


def test_tool_quick_mode_writes_csv_and_plot(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "capstone.py"), "--quick", "--out", str(tmp_path)],
                            capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    with open(tmp_path / "results.csv") as f:
        rows = list(csv.DictReader(f))
    assert [r["method"] for r in rows] == list(capstone.METHODS)
    assert all(0.0 <= float(r["test_mean"]) <= 1.0 for r in rows)
    assert (tmp_path / "capstone.png").stat().st_size > 1000
    assert (tmp_path / "curves.csv").is_file()
