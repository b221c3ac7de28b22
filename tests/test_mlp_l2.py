"""Tests for hpo_teach.problems.mlp_l2: the MLP fast path equals autograd, and
reversible hypergradients through it equal the unrolled reference."""

import autograd.numpy as anp
import numpy as np
import pytest

from hpo_teach import backend
from hpo_teach.hypergrad.derivatives import AutogradDerivatives
from hpo_teach.hypergrad import reversible, t1t2
from hpo_teach.problems.mlp_l2 import MLPTrainLoss
from hpo_teach.models.mlp import MLP
from hpo_teach.data.batches import minibatches

from hpo_teach.testing import assert_reversible_matches_unrolled, relative_error

rng = np.random.default_rng(0)
X = rng.normal(size=(90, 6))
Y = rng.integers(0, 3, 90)
MLP_643 = MLP([6, 4, 3])  # 43 parameters, 2 layers
N = MLP_643.n_params
META = {
    "none": np.zeros(0),
    "scalar": np.array([np.log(3e-2)]),
    "layer": np.log([2e-2, 5e-2]),
    "param": np.log(rng.uniform(1e-3, 1e-1, N)),
}


def provider(l2, batch_size=20):
    return MLPTrainLoss(MLP_643, X, Y, batch_size, seed=3, l2=l2)


@pytest.mark.parametrize("l2", list(META))
def test_fast_derivatives_equal_autograd_provider(l2):
    loss = provider(l2)
    reference = AutogradDerivatives(loss)  # autograd on the same loss (MLP.loss)
    w, u = MLP_643.init(1) + 0.1 * rng.normal(size=N), rng.normal(size=N)
    for t in (0, 4, 11):  # first epoch, its last batch (90/20 -> 5 per epoch), a later epoch
        fast, slow = loss.grad_and_hvps(w, META[l2], t, u), reference.grad_and_hvps(w, META[l2], t, u)
        assert np.array_equal(fast[0], loss.grad(w, META[l2], t))  # bit-identical, as reversal needs
        for a, b in zip(fast[:2], slow[:2]):
            assert relative_error(a, b) <= 1e-10
        assert fast[2].shape == (loss.n_meta,)
        if l2 != "none":
            assert relative_error(fast[2], slow[2]) <= 1e-10
        assert relative_error(fast[0], reference.grad(w, META[l2], t)) <= 1e-10


def test_mixed_term_matches_finite_differences_of_the_gradient():
    loss, w, u = provider("layer"), MLP_643.init(2), rng.normal(size=N)
    _, _, mixed = loss.grad_and_hvps(w, META["layer"], 2, u)
    for j in range(2):
        step = np.zeros(2)
        step[j] = 1e-5
        fd = (loss.grad(w, META["layer"] + step, 2) - loss.grad(w, META["layer"] - step, 2)) @ u / 2e-5
        assert mixed[j] == pytest.approx(fd, rel=1e-7)


@pytest.mark.parametrize("l2", list(META))
def test_step_bound_loss_gives_t1t2_the_same_mixed_term_and_hypergradient(l2):
    """``at(t)`` with ``grad`` / ``mixed_vjp`` (T1-T2's fast path) equals ``grad_and_hvps`` and the autograd route."""
    loss, w, u = provider(l2), MLP_643.init(4), rng.normal(size=N)
    bound = loss.at(7)
    assert bound(w, META[l2]) == loss(w, META[l2], 7)
    assert np.array_equal(bound.grad(w, META[l2]), loss.grad(w, META[l2], 7))
    assert np.array_equal(bound.mixed_vjp(w, META[l2], u), loss.grad_and_hvps(w, META[l2], 7, u)[2])
    if l2 != "none":
        valid = (lambda w_, meta: MLP_643.loss(w_, X[:30], Y[:30]))
        fast = t1t2.hypergradient(bound, valid, w, META[l2], 0.3)
        slow = t1t2.hypergradient(lambda w_, meta: loss(w_, meta, 7), valid, w, META[l2], 0.3)
        assert relative_error(fast, slow) <= 1e-10
    with pytest.raises(ValueError, match="t must be"):
        loss.at(-1)


@pytest.mark.parametrize("l2", ["layer", "param"])
def test_reversible_with_fast_path_matches_unrolled(l2):
    loss = provider(l2)
    Xv, Yv = rng.normal(size=(40, 6)), rng.integers(0, 3, 40)

    def valid_loss(w, meta):
        return MLP_643.loss(w, Xv, Yv)

    w0, T = MLP_643.init(5), 25
    alphas, betas = np.full(T, 0.4), np.linspace(0.5, 0.9, T)
    assert_reversible_matches_unrolled(loss, valid_loss, w0, META[l2], alphas, betas)


def test_batches_follow_fit_order_and_repeat():
    loss = provider("scalar", batch_size=20)
    assert loss.steps_per_epoch == 5
    epoch1 = minibatches(90, 20, 3, 1)
    for i, t in enumerate(range(5, 10)):
        np.testing.assert_array_equal(loss.batch_indices(t), epoch1[i])
        Xb, yb = loss.batch(t)
        np.testing.assert_array_equal(Xb, X[epoch1[i]])
        np.testing.assert_array_equal(yb, Y[epoch1[i]])
    seen = np.concatenate([loss.batch_indices(t) for t in range(5)])
    assert np.array_equal(np.sort(seen), np.arange(90))  # each example once per epoch
    first = loss.batch(7)[0].copy()
    loss.batch(0)  # another epoch in between
    assert np.array_equal(loss.batch(7)[0], first)


def test_strict_device_gives_numpy_results():
    """array-api-strict's "device1" stands in for a GPU: no host conversion, standard calls only."""
    on = backend.strict_asarray
    w, u = MLP_643.init(4), rng.normal(size=N)
    for l2 in ("scalar", "layer", "param"):
        host = provider(l2)
        device = MLPTrainLoss(MLP_643, on(X), on(Y), 20, seed=3, l2=l2)
        g, hv, mixed = host.grad_and_hvps(w, META[l2], 6, u)
        g_d, hv_d, mixed_d = device.grad_and_hvps(on(w), on(META[l2]), 6, on(u))
        assert mixed_d.device == backend.strict_device()
        for a, b in ((g, g_d), (hv, hv_d), (mixed, mixed_d)):
            np.testing.assert_allclose(backend.to_numpy(b), a, rtol=1e-14, atol=1e-300)


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        (dict(l2="pixel"), ValueError, r"l2 must be one of"),
        (dict(batch_size=0), ValueError, r"batch_size must be an integer in \[1, 90\], got 0"),
        (dict(batch_size=91), ValueError, r"batch_size must be an integer in \[1, 90\], got 91"),
        (dict(seed=-1), ValueError, r"seed must be an integer in \[0, inf\], got -1"),
        (dict(y=Y[:10]), ValueError, r"y must have shape \(90,\) to match X"),
    ],
)
def test_bad_arguments_raise_naming_them(kwargs, error, message):
    args = dict(mlp=MLP_643, X=X, y=Y, batch_size=20, seed=0, l2="scalar")
    args.update(kwargs)
    with pytest.raises(error, match=message):
        MLPTrainLoss(**args)


def test_wrong_meta_length_raises():
    loss, w = provider("layer"), MLP_643.init(0)
    with pytest.raises(ValueError, match=r"meta must have length 2 for l2='layer'"):
        loss.check(w, np.zeros(3))
    with pytest.raises(ValueError, match=r"meta must have length 2 for l2='layer'"):
        reversible.hypergrad(loss, lambda w, meta: anp.sum(w**2), w, np.zeros(3), np.ones(2), np.full(2, 0.5))
    with pytest.raises(ValueError, match=r"meta must have length 2"):
        loss(w, np.zeros(1), 0)
    with pytest.raises(ValueError, match=r"t must be an integer in \[0, inf\], got -1"):
        loss.batch_indices(-1)


@pytest.mark.parametrize("l2, per_parameter_alphas", [("layer", False), ("param", True)])
def test_reversible_hypergradient_runs_on_the_strict_device_like_numpy(l2, per_parameter_alphas):
    """Exact reversal with w, v and the information buffer on array-api-strict's device (a GPU stand-in):
    w0 recovered bit for bit on the device, and hypergradients equal to the NumPy run's."""
    on = backend.strict_asarray
    w0, T = MLP_643.init(5), 12
    alphas = np.full((T, N), 0.4) if per_parameter_alphas else np.full(T, 0.4)
    betas = np.full(T, 0.875)
    X_valid, y_valid = rng.normal(size=(30, 6)), rng.integers(0, 3, 30)

    def valid_loss(w, meta):
        return MLP_643.loss(w, X_valid, y_valid)

    host = reversible.hypergrad(provider(l2), valid_loss, w0, META[l2], alphas, betas)
    device_loss = MLPTrainLoss(MLP_643, on(X), on(Y), 20, seed=3, l2=l2)
    device = reversible.hypergrad(device_loss, valid_loss, on(w0), on(META[l2]), alphas, betas)
    assert device.w0_recovered_exactly and host.w0_recovered_exactly
    assert device.d_w0.device == backend.strict_device() and device.w_final.device == backend.strict_device()
    for field in ("w_final", "d_w0", "d_meta", "d_alphas", "d_betas"):
        assert relative_error(backend.to_numpy(getattr(device, field)), getattr(host, field)) <= 1e-10, field
    assert device.valid_loss == pytest.approx(host.valid_loss, rel=1e-12)
    assert device.bits_stored == host.bits_stored


def test_exact_training_primitive_refuses_device_arrays_naming_the_alternative():
    loss = MLPTrainLoss(MLP_643, backend.strict_asarray(X), backend.strict_asarray(Y), 20, l2="none")
    train = reversible.ExactTraining(loss)
    with pytest.raises(TypeError, match="autograd traces NumPy arrays only; .* call reversible.hypergrad"):
        train(backend.strict_asarray(MLP_643.init(0)), np.zeros(0), np.full(3, 0.1), np.full(3, 0.5))
