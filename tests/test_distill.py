"""Tests for hpo_teach.problems.distill: the synthetic-data training loss and its fast derivatives."""

import numpy as np
import pytest
from autograd.test_util import check_grads

from hpo_teach.problems.distill import DistilledDataLoss, class_means, correlation_table
from hpo_teach.hypergrad.derivatives import AutogradDerivatives
from hpo_teach.models.mlp import MLP

from hpo_teach.testing import assert_reversible_matches_unrolled, relative_error

rng = np.random.default_rng(0)
MLP_12_4 = MLP([12, 4])
LABELS = np.array([0, 1, 2, 3, 1])
LOSS = DistilledDataLoss(MLP_12_4, LABELS)
META = LOSS.init_meta(0, scale=0.5, l2=0.03)
X_REAL, Y_REAL = rng.normal(size=(60, 12)), rng.integers(0, 4, 60)


def test_layout_and_initial_values():
    assert LOSS.n_meta == 5 * 12 + 1 and META.shape == (61,)
    assert META[-1] == pytest.approx(np.log(0.03))
    np.testing.assert_array_equal(LOSS.images(META), META[:-1].reshape(5, 12))
    np.testing.assert_array_equal(LOSS.init_meta(0, 0.5, 0.03), META)  # seeded
    w = MLP_12_4.init(0)
    assert LOSS(w, META, 3) == pytest.approx(MLP_12_4.loss(w, META[:-1].reshape(5, 12), LABELS, l2=0.03))


def test_loss_gradients_match_finite_differences():
    w = MLP_12_4.init(1) + 0.3 * rng.normal(size=MLP_12_4.n_params)
    check_grads(lambda w, meta: LOSS(w, meta, 0), modes=["rev"], order=2)(w, META)


def test_fast_derivatives_equal_autograd():
    reference = AutogradDerivatives(LOSS)
    w, u = MLP_12_4.init(2) + 0.3 * rng.normal(size=MLP_12_4.n_params), rng.normal(size=MLP_12_4.n_params)
    fast, slow = LOSS.grad_and_hvps(w, META, 0, u), reference.grad_and_hvps(w, META, 0, u)
    assert np.array_equal(fast[0], LOSS.grad(w, META, 0))  # bit-identical, as reversal needs
    for a, b in zip(fast, slow):
        assert a.shape == b.shape and relative_error(a, b) <= 1e-10


def test_mixed_term_matches_finite_differences_in_a_pixel():
    w, u = MLP_12_4.init(3), rng.normal(size=MLP_12_4.n_params)
    mixed = LOSS.grad_and_hvps(w, META, 0, u)[2]
    for j in (0, 17, 60):  # a pixel of image 0, of image 1, and the log L2 strength
        step = np.zeros_like(META)
        step[j] = 1e-5
        fd = (LOSS.grad(w, META + step, 0) - LOSS.grad(w, META - step, 0)) @ u / 2e-5
        assert mixed[j] == pytest.approx(fd, rel=1e-6)


def test_reversible_with_fast_path_matches_unrolled():
    def valid_loss(w, meta):
        return MLP_12_4.loss(w, X_REAL, Y_REAL)

    w0, T = MLP_12_4.init(4) * 0.1, 12
    alphas, betas = np.full(T, 1.0), np.full(T, 0.875)
    exact = assert_reversible_matches_unrolled(LOSS, valid_loss, w0, META, alphas, betas)
    assert np.linalg.norm(exact.d_meta[:-1]) > 1e-4


def test_bad_arguments_raise_naming_them():
    with pytest.raises(ValueError, match=r"mlp must have one layer \(logistic regression"):
        DistilledDataLoss(MLP([12, 3, 4]), LABELS)
    with pytest.raises(ValueError, match=r"labels must lie in \[0, 3\], got range \[0, 4\]"):
        DistilledDataLoss(MLP_12_4, np.array([0, 4]))
    with pytest.raises(ValueError, match="labels must be a non-empty 1-D array of integer"):
        DistilledDataLoss(MLP_12_4, np.array([0.5, 1.0]))
    with pytest.raises(ValueError, match=r"meta must be a 1-D array of length 61"):
        LOSS.images(META[:-1])


def test_class_means_and_correlations():
    means = class_means(X_REAL, Y_REAL, 4)
    np.testing.assert_allclose(means[2], X_REAL[Y_REAL == 2].mean(axis=0))
    C = correlation_table(means, np.vstack([3 * means + 1, -means]))
    np.testing.assert_allclose(np.diag(C[:, :4]), 1.0)  # invariant to scale and shift
    np.testing.assert_allclose(np.diag(C[:, 4:]), -1.0)
    assert np.all(np.abs(C) <= 1 + 1e-12)
    with pytest.raises(ValueError, match=r"y has no examples of classes \[3\]"):
        class_means(X_REAL[Y_REAL < 3], Y_REAL[Y_REAL < 3], 4)
