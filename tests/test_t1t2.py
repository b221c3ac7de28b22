"""Tests for hpo_teach.hypergrad.t1t2 and hpo_teach.problems.mlp_t1t2: the greedy hypergradient three
ways (closed form / R-op fast path, autograd, finite differences), the online loop, SGD-HD, bad arguments."""

import autograd.numpy as anp
import numpy as np
import pytest

from hpo_teach import backend
from hpo_teach.hypergrad import t1t2
from hpo_teach.models.mlp import MLP
from hpo_teach.problems.mlp_t1t2 import LN10, T1T2TrainLoss, T2ValidLoss
from hpo_teach.testing import central_difference, relative_error

rng = np.random.default_rng(0)
X1, Y1 = rng.normal(size=(60, 5)), rng.integers(0, 3, 60)
X2, Y2 = rng.normal(size=(40, 5)), rng.integers(0, 3, 40)
NET = MLP([5, 6, 4, 3])  # tanh: smooth, so finite differences in sigma are valid
TRAIN = T1T2TrainLoss(NET, X1, Y1, batch_size=20, seed=0)
VALID = T2ValidLoss(NET, X2, Y2, batch_size=20, seed=1)
W = NET.init(0) + 0.1 * rng.normal(size=NET.n_params)
META = np.array([-2.0, -1.5, -2.5, 0.3])
LR = 0.3


def loss_after_step(meta, t=2, s=1):
    """valid(w - lr grad train(w, meta)) with the fast gradient: the function whose derivative is tested."""
    return VALID.value_and_grads(W - LR * TRAIN.grad(W, meta, t), meta, s)[0]


def test_fast_hypergradient_equals_autograd_and_finite_differences():
    fast = t1t2.hypergradient(TRAIN.at(2), VALID.at(1), W, META, LR)
    auto = t1t2.hypergradient(lambda w, m: TRAIN(w, m, 2), lambda w, m: VALID(w, m, 1), W, META, LR)
    fd = np.array([central_difference(lambda h: loss_after_step(META + h * e), 1e-5) for e in np.eye(META.size)])
    assert fast.shape == META.shape
    assert relative_error(fast, auto) < 1e-10
    assert relative_error(fast, fd) < 1e-6


def test_l2_part_is_the_closed_form():
    """d/d rho_l = -lr * 2 ln10 10**rho_l  w_l . grad_w valid(w1)_l (seed 004 eq. 5, per layer, log10 scale)."""
    g = TRAIN.grad(W, META, 2)
    _, u, _ = VALID.value_and_grads(W - LR * g, META, 1)
    closed = [-LR * 2 * LN10 * 10 ** META[k] * (W[s] @ u[s]) for k, s in enumerate(NET.layer_slices)]
    fast = t1t2.hypergradient(TRAIN.at(2), VALID.at(1), W, META, LR)
    assert relative_error(fast[:-1], np.array(closed)) < 1e-12


def test_mixed_vjp_and_protocol_against_autograd():
    from autograd import grad
    u = rng.normal(size=NET.n_params)
    mixed_auto = grad(lambda m: grad(TRAIN, 0)(W, m, 3) @ u)(META)
    assert relative_error(TRAIN.mixed_vjp(W, META, 3, u), mixed_auto) < 1e-10
    g, hv, mixed = TRAIN.grad_and_hvps(W, META, 3, u)
    assert np.array_equal(g, TRAIN.grad(W, META, 3))
    hv_auto = grad(lambda w: grad(TRAIN, 0)(w, META, 3) @ u)(W)
    assert relative_error(hv, hv_auto) < 1e-10 and relative_error(mixed, mixed_auto) < 1e-10
    # second order by finite differences: the noise row of the mixed term
    fd = central_difference(lambda h: TRAIN.grad(W, META + h * np.eye(4)[3], 3) @ u, 1e-5)
    assert abs(mixed[3] - fd) < 1e-6 * max(1.0, abs(fd))


def test_general_autograd_path_on_a_quadratic_closed_form():
    """train = 0.5 ||w - a meta||^2, valid = 0.5 ||w - b||^2 + c.meta: hypergradient by hand."""
    a, b, c = 2.0, rng.normal(size=3), np.array([0.5, -1.0, 0.25])
    w, meta, lr = rng.normal(size=3), rng.normal(size=3), 0.1

    def train(w, m):
        return 0.5 * anp.sum((w - a * m) ** 2)

    def valid(w, m):
        return 0.5 * anp.sum((w - b) ** 2) + anp.dot(c, m)

    w1 = w - lr * (w - a * meta)
    expected = c + lr * a * (w1 - b)  # d w1/d meta = lr a I
    assert relative_error(t1t2.hypergradient(train, valid, w, meta, lr), expected) < 1e-12


def test_hypergrad_contract_on_plain_functions_of_meta_shape():
    h = t1t2.hypergradient(lambda w, m: anp.sum(w ** 2) * m[0], lambda w, m: anp.sum(w), np.ones(4), np.ones(1), 0.1)
    assert h.shape == (1,)


def test_tune_every_step_with_sgd_like_hyper_step_matches_hypergradient():
    """The first hyper-step of tune uses exactly hypergradient(train.at(0), valid.at(0), w0, meta0, lr)."""
    result = t1t2.tune(TRAIN, VALID, W, META, n_steps=3, lr=LR, hyper_lr=1e-3, every=1)
    first = t1t2.hypergradient(TRAIN.at(0), VALID.at(0), W, META, LR)
    assert np.allclose(result.hypergradients[0], first, rtol=1e-12, atol=0)
    assert result.meta_path.shape == (4, 4) and result.hypergradients.shape == (3, 4)
    assert np.all(np.abs(np.diff(result.meta_path, axis=0)) <= 1e-3 * 1.01)  # Adam moves each by <= hyper_lr


def test_tune_fixed_meta_is_plain_adam_and_clipping_holds():
    from hpo_teach.training.optim import adam_update
    plain = t1t2.tune(TRAIN, VALID, W, META, n_steps=5, lr=1e-2, every=None)
    w, m, v = W.copy(), np.zeros_like(W), np.zeros_like(W)
    for t in range(5):
        w, m, v = adam_update(w, m, v, TRAIN.grad(w, META, t), t + 1, 1e-2, 0.9, 0.999, 1e-8)
    assert np.array_equal(plain.w, w) and plain.hypergradients.shape == (0, 4)
    clipped = t1t2.tune(TRAIN, VALID, W, np.array([-2.0, -2.0, -2.0, 0.0]), n_steps=20, lr=1e-2, hyper_lr=0.5,
                        every=1, lower=np.array([-3, -3, -3, 0.0]), upper=np.array([0, 0, 0, 0.05]))
    assert np.all(clipped.meta_path[:, -1] >= 0) and np.all(clipped.meta_path[:, -1] <= 0.05)


def test_tune_callback_records_and_autograd_losses_work():
    calls = t1t2.tune(lambda w, m, t: TRAIN(w, m, t), lambda w, m, s: VALID(w, m, s), W, META, n_steps=4, lr=0.01,
                      every=2, callback=lambda t, w, m: t, callback_every=2)
    fast = t1t2.tune(TRAIN, VALID, W, META, n_steps=4, lr=0.01, every=2)
    assert [t for t, _ in calls.recorded] == [0, 2, 4]
    assert relative_error(calls.meta, fast.meta) < 1e-10


def test_reversible_runs_on_the_t1t2_loss():
    """The problem also implements the derivatives protocol (used for the greedy-vs-reversible comparison)."""
    from hpo_teach.testing import assert_reversible_matches_unrolled

    def valid(w, m):
        return VALID(w, m, 0)

    assert_reversible_matches_unrolled(TRAIN, valid, W, META, np.full(6, 0.2), np.full(6, 0.5), tol=1e-7)


def test_hypergradient_descent_rule():
    A = np.diag([1.0, 3.0])

    def loss_and_grad(w, t):
        return 0.5 * w @ A @ w, A @ w

    w0 = np.array([1.0, -1.0])
    res = t1t2.hypergradient_descent(loss_and_grad, w0, 0.01, 0.001, 3)
    g0 = A @ w0
    w1 = w0 - 0.01 * g0
    g1 = A @ w1
    alpha1 = 0.01 + 0.001 * g1 @ g0
    assert res.alphas[0] == 0.01 and np.isclose(res.alphas[1], alpha1)
    assert np.allclose(res.w, (w1 - alpha1 * g1) - res.alphas[2] * (A @ (w1 - alpha1 * g1)))
    # d f(w_t) / d alpha_t = -g_{t+1} . g_t: the rule descends the one-step hypergradient
    fd = central_difference(lambda h: loss_and_grad(w0 - (0.01 + h) * g0, 0)[0], 1e-6)
    assert np.isclose(fd, -g1 @ g0, rtol=1e-6)
    sgd = t1t2.hypergradient_descent(loss_and_grad, w0, 0.01, 0.0, 3)
    assert np.all(sgd.alphas == 0.01)
    mult = t1t2.hypergradient_descent(loss_and_grad, w0, 0.01, 0.5, 50, multiplicative=True)
    assert np.all(mult.alphas > 0)


@pytest.mark.parametrize("kwargs, name", [
    (dict(lr=-0.1), "lr"), (dict(lr=0.0), "lr"), (dict(w=np.ones((2, 2))), "w"), (dict(meta=np.array([np.nan])), "meta"),
    (dict(train_loss=3), "train_loss"), (dict(valid_loss=None), "valid_loss"),
])
def test_hypergradient_bad_arguments_name_the_argument(kwargs, name):
    args = dict(train_loss=lambda w, m: anp.sum(w ** 2) * m[0], valid_loss=lambda w, m: anp.sum(w), w=np.ones(3),
                meta=np.ones(1), lr=0.1)
    args.update(kwargs)
    with pytest.raises((ValueError, TypeError), match=name):
        t1t2.hypergradient(**args)


def test_problem_checks_meta_and_tune_checks_arguments():
    with pytest.raises(ValueError, match="meta"):
        t1t2.hypergradient(TRAIN.at(0), VALID.at(0), W, META[:3], LR)
    with pytest.raises(ValueError, match="sigma"):
        t1t2.hypergradient(TRAIN.at(0), VALID.at(0), W, np.array([-2, -2, -2, -0.1]), LR)
    for kwargs, name in [(dict(n_steps=0), "n_steps"), (dict(every=0), "every"), (dict(hyper_eps=0.0), "hyper_eps"),
                         (dict(lower=np.zeros(4), upper=-np.ones(4)), "lower"), (dict(hyper_lr=-1.0), "hyper_lr")]:
        args = dict(n_steps=2) | kwargs
        with pytest.raises((ValueError, TypeError), match=name):
            t1t2.tune(TRAIN, VALID, W, META, **args)
    with pytest.raises(ValueError, match="beta"):
        t1t2.hypergradient_descent(lambda w, t: (0.0, w), np.ones(2), 0.1, 1.5, 3, multiplicative=True)
    with pytest.raises(TypeError, match="alpha0"):
        t1t2.hypergradient_descent(lambda w, t: (0.0, w), np.ones(2), "fast", 0.1, 3)


# --- the fast path on array-api-strict's "device1" (a GPU stand-in: no host conversion, standard calls only) ----

ON = backend.strict_asarray
TRAIN_D = T1T2TrainLoss(NET, ON(X1), ON(Y1), batch_size=20, seed=0)
VALID_D = T2ValidLoss(NET, ON(X2), ON(Y2), batch_size=20, seed=1)


def same(device_array, host_array, tol=0.0):
    """On the strict device, and equal to the NumPy result: bit for bit (``tol=0``) where the arithmetic is the same.

    The L2 rows of the mixed term raise 10 to a 0-d array on the device but to a NumPy scalar on the host
    (another pow routine, which may differ in the last bit), so results through them get ``tol``.
    """
    return device_array.device == backend.strict_device() and close(backend.to_numpy(device_array), host_array, tol)


def close(a, b, tol):
    """Same shape, and equal (tol = 0) or within relative error ``tol`` (an empty array matches an empty one)."""
    if a.shape != b.shape:
        return False
    return np.array_equal(a, b) if tol == 0 else (a.size == 0 or relative_error(a, b) <= tol)


def test_fast_derivatives_on_the_device_equal_numpy():
    u = np.random.default_rng(5).normal(size=NET.n_params)
    assert same(TRAIN_D.grad(ON(W), ON(META), 3), TRAIN.grad(W, META, 3))
    assert same(TRAIN_D.mixed_vjp(ON(W), ON(META), 3, ON(u)), TRAIN.mixed_vjp(W, META, 3, u), tol=1e-14)
    g_d, hv_d, mixed_d = TRAIN_D.grad_and_hvps(ON(W), ON(META), 3, ON(u))
    g, hv, mixed = TRAIN.grad_and_hvps(W, META, 3, u)
    assert same(g_d, g) and same(hv_d, hv) and same(mixed_d, mixed, tol=1e-14)
    value_d, d_w_d, d_meta_d = VALID_D.value_and_grads(ON(W), ON(META), 1)
    value, d_w, d_meta = VALID.value_and_grads(W, META, 1)
    assert value_d == value and same(d_w_d, d_w) and same(d_meta_d, d_meta)


def test_hypergradient_on_the_device_equals_numpy():
    host = t1t2.hypergradient(TRAIN.at(2), VALID.at(1), W, META, LR)
    assert same(t1t2.hypergradient(TRAIN_D.at(2), VALID_D.at(1), ON(W), ON(META), LR), host, tol=1e-12)
    # host meta moves to w's device
    assert same(t1t2.hypergradient(TRAIN_D.at(2), VALID_D.at(1), ON(W), META, LR), host, tol=1e-12)


@pytest.mark.parametrize("every", [3, None])
def test_tune_on_the_device_equals_numpy_and_returns_paths_on_the_host(every):
    """w, meta and the Adam states stay on the device; the paths come back as NumPy arrays."""
    kwargs = dict(n_steps=12, lr=0.02, hyper_lr=0.05, every=every, lower=[-3, -3, -3, 0.0], upper=[0, 0, 0, 0.5],
                  callback=lambda t, w, m: backend.to_numpy(m), callback_every=4)
    host = t1t2.tune(TRAIN, VALID, W, META, **kwargs)
    device = t1t2.tune(TRAIN_D, VALID_D, ON(W), META, **kwargs)
    assert same(device.w, host.w, tol=1e-12) and same(device.meta, host.meta, tol=1e-12)
    for name in ("meta_path", "hypergradients", "valid_losses"):
        assert isinstance(getattr(device, name), np.ndarray)
        assert close(getattr(device, name), getattr(host, name), 1e-12), name
    assert [t for t, _ in device.recorded] == [0, 4, 8, 12]
    assert close(np.array([m for _, m in device.recorded]), np.array([m for _, m in host.recorded]), 1e-12)
    assert len(host.hypergradients) == (4 if every else 0)


@pytest.mark.parametrize("multiplicative, beta", [(False, 1e-3), (True, 0.5)])
def test_hypergradient_descent_on_the_device_equals_numpy(multiplicative, beta):
    A = np.diag([1.0, 3.0, 0.5])
    A_d = ON(A)
    host = t1t2.hypergradient_descent(lambda w, t: (0.5 * w @ A @ w, A @ w), np.array([1.0, -1.0, 2.0]), 0.01, beta, 20,
                                      multiplicative=multiplicative)
    device = t1t2.hypergradient_descent(lambda w, t: (0.5 * w @ A_d @ w, A_d @ w), ON([1.0, -1.0, 2.0]), 0.01, beta,
                                        20, multiplicative=multiplicative)
    assert same(device.w, host.w)
    assert np.array_equal(device.alphas, host.alphas) and np.array_equal(device.losses, host.losses)


def test_autograd_losses_refuse_device_arrays_naming_the_fast_methods():
    with pytest.raises(TypeError, match="autograd traces NumPy arrays only.*grad and mixed_vjp"):
        t1t2.hypergradient(lambda w, m: TRAIN(w, m, 0), VALID_D.at(0), ON(W), ON(META), LR)
    with pytest.raises(TypeError, match="valid_loss value_and_grads"):
        t1t2.tune(TRAIN_D, lambda w, m, s: VALID(w, m, s), ON(W), ON(META), n_steps=2)
    t1t2.tune(TRAIN_D, lambda w, m, s: VALID(w, m, s), ON(W), ON(META), n_steps=2, every=None)  # T2 loss unused
