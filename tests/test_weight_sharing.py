"""Tests for hpo_teach.models.shared: rotated MNIST tasks, the weight-mixing model and its fast derivatives."""

import numpy as np
import pytest
from autograd.test_util import check_grads

from hpo_teach.hypergrad.derivatives import AutogradDerivatives
from hpo_teach.models.mlp import MLP
from hpo_teach.data.tasks import holdout, rotate90, rotation_tasks
from hpo_teach.models.shared import SharedMLP, correlations, mixing_matrices
from hpo_teach.problems.weight_sharing import SharedTrainLoss

from hpo_teach.testing import assert_reversible_matches_unrolled, relative_error

rng = np.random.default_rng(0)
MODEL = SharedMLP(MLP([6, 5, 3]), 3)  # 3 tasks of a 6-5-3 tanh net
DATA = [(rng.normal(size=(8, 6)), rng.integers(0, 3, 8)) for _ in range(3)]
VALID = [(rng.normal(size=(5, 6)), rng.integers(0, 3, 5)) for _ in range(3)]
META = mixing_matrices(3, [0.5, 0.3]) + 0.1 * rng.normal(size=MODEL.n_meta)


@pytest.fixture(scope="module")
def tasks():
    return rotation_tasks(n_per_class=15, seed=0)


# ---- tasks

def test_rotate90_turns_images_counter_clockwise():
    X = np.arange(4.0).reshape(1, 4)  # [[0, 1], [2, 3]]
    np.testing.assert_array_equal(rotate90(X, 2), [[1.0, 3.0, 0.0, 2.0]])  # [[1, 3], [0, 2]]
    Y = rng.normal(size=(3, 9))
    np.testing.assert_array_equal(rotate90(rotate90(rotate90(rotate90(Y, 3), 3), 3), 3), Y)
    assert not np.array_equal(rotate90(Y, 3), Y)
    with pytest.raises(ValueError, match=r"X must have shape \(n, side\*side\) = \(n, 16\)"):
        rotate90(Y, 4)


def test_rotation_tasks_shapes_labels_and_rotations(tasks):
    assert [t.name for t in tasks] == ["0-4", "5-9", "0-4 rot", "5-9 rot"]
    assert [t.rotated for t in tasks] == [False, False, True, True]
    for task in tasks:
        assert task.X_train.shape == (75, 196)
        np.testing.assert_array_equal(np.bincount(task.y_train), [15] * 5)
        assert task.X_test.shape[0] == task.y_test.shape[0] > 400  # every test image of 5 digits
        assert set(np.unique(task.y_test)) == set(range(5))
    for upright, turned in zip(tasks[:2], tasks[2:]):
        np.testing.assert_array_equal(turned.X_train, rotate90(upright.X_train, 14))
        np.testing.assert_array_equal(turned.y_test, upright.y_test)
    assert len({t.X_train.tobytes() for t in tasks}) == 4


def test_rotation_tasks_are_deterministic_and_follow_the_seed(tasks):
    again = rotation_tasks(n_per_class=15, seed=0)
    np.testing.assert_array_equal(again[1].X_train, tasks[1].X_train)
    other = rotation_tasks(n_per_class=15, seed=1)
    assert not np.array_equal(other[1].X_train, tasks[1].X_train)


def test_rotation_task_test_labels_name_the_right_digits(tasks):
    from hpo_teach.data.mnist_subset import mnist_small

    X_test, y_test = mnist_small("test")
    first_seven = X_test[y_test == 7][0]
    hits = np.flatnonzero((tasks[1].X_test == first_seven).all(axis=1))
    assert hits.size >= 1 and tasks[1].y_test[hits[0]] == 2  # 7 is the third digit of 5-9


@pytest.mark.parametrize("groups", [((1,),), ((1, 1),), ((3, 12),), ()])
def test_bad_digit_groups_raise(groups):
    with pytest.raises(ValueError, match="digit_groups must be groups of >= 2 distinct digits"):
        rotation_tasks(digit_groups=groups)


def test_holdout_is_stratified_disjoint_and_seeded(tasks):
    train, valid = holdout(tasks, 3, seed=4)
    for task, (Xt, yt), (Xv, yv) in zip(tasks, train, valid):
        np.testing.assert_array_equal(np.bincount(yt), [12] * 5)
        np.testing.assert_array_equal(np.bincount(yv), [3] * 5)
        rows = {row.tobytes() for row in task.X_train}
        assert {r.tobytes() for r in Xt} | {r.tobytes() for r in Xv} == rows
        assert not {r.tobytes() for r in Xt} & {r.tobytes() for r in Xv}
    np.testing.assert_array_equal(holdout(tasks, 3, seed=4)[1][0][0], valid[0][0])
    assert not np.array_equal(holdout(tasks, 3, seed=5)[1][0][0], valid[0][0])
    with pytest.raises(ValueError, match="n_valid_per_class must be below the smallest class size 15"):
        holdout(tasks, 15, seed=0)


# ---- the mixing model

def test_mixing_matrices_and_correlations():
    meta = mixing_matrices(4, [0.0, 1.0, 0.5])
    M = meta.reshape(3, 4, 4)
    np.testing.assert_array_equal(M[0], np.eye(4))
    np.testing.assert_allclose(M[1], np.full((4, 4), 0.25))
    np.testing.assert_allclose(M[2], 0.5 * np.eye(4) + 0.125)
    np.testing.assert_allclose(correlations(M[0]), np.eye(4))
    np.testing.assert_allclose(correlations(M[1]), np.ones((4, 4)))
    C = correlations(M[2])
    np.testing.assert_allclose(np.diag(C), 1.0)
    assert 0 < C[0, 1] < 1


def test_separate_and_tied_settings_give_the_expected_weights():
    z = MODEL.init(0, 0.5)
    Z = z.reshape(3, -1)
    np.testing.assert_array_equal(MODEL.weights(z, mixing_matrices(3, [0, 0])), Z)
    W = MODEL.weights(z, mixing_matrices(3, [1, 0]))
    bottom, top = MODEL.layer_slices
    np.testing.assert_allclose(W[:, bottom], np.tile(Z[:, bottom].mean(axis=0), (3, 1)))
    np.testing.assert_array_equal(W[:, top], Z[:, top])
    losses = MODEL.task_losses(z, META, DATA)
    assert losses.shape == (3,) and MODEL.loss(z, META, DATA) == pytest.approx(losses.mean())
    assert MODEL.errors(z, META, DATA).shape == (3,)


def test_model_checks_its_arguments():
    z = MODEL.init(0, 0.5)
    with pytest.raises(ValueError, match=r"z must be a 1-D array of length 159"):
        MODEL.weights(z[:-1], META)
    with pytest.raises(ValueError, match=r"meta must be a 1-D array of length 18"):
        MODEL.weights(z, META[:-1])
    with pytest.raises(ValueError, match=r"data must hold one \(X, y\) pair per task \(3\), got 2"):
        MODEL.loss(z, META, DATA[:2])
    with pytest.raises(ValueError, match="log_l2 must be a finite number"):
        SharedTrainLoss(MODEL, DATA, np.nan)


def test_train_loss_gradients_match_finite_differences():
    loss = SharedTrainLoss(MODEL, DATA, log_l2=-2.0)
    z = MODEL.init(1, 0.5)
    check_grads(lambda z, meta: loss(z, meta, 0), modes=["rev"], order=2)(z, META)


def test_fast_derivatives_equal_autograd():
    loss = SharedTrainLoss(MODEL, DATA, log_l2=-2.0)
    reference = AutogradDerivatives(loss)
    z, u = MODEL.init(2, 0.5), rng.normal(size=MODEL.n_latent)
    fast, slow = loss.grad_and_hvps(z, META, 0, u), reference.grad_and_hvps(z, META, 0, u)
    assert np.array_equal(fast[0], loss.grad(z, META, 0))  # bit-identical, as reversal needs
    for a, b in zip(fast, slow):
        assert a.shape == b.shape and relative_error(a, b) <= 1e-10


def test_reversible_with_fast_path_matches_unrolled():
    loss = SharedTrainLoss(MODEL, DATA, log_l2=-3.0)

    def valid_loss(z, meta):
        return MODEL.loss(z, meta, VALID)

    z0, T = MODEL.init(3, 0.3), 15
    alphas, betas = np.full(T, 0.5), np.full(T, 0.875)
    exact = assert_reversible_matches_unrolled(loss, valid_loss, z0, META, alphas, betas)
    assert np.linalg.norm(exact.d_meta) > 1e-4
