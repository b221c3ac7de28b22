"""Tests for hpo_teach.hypergrad.t1t2 and hpo_teach.problems.mlp_t1t2: the greedy hypergradient three
ways (closed form / R-op fast path, autograd, finite differences), the online loop, SGD-HD, bad arguments."""

import autograd.numpy as anp
import numpy as np
import pytest

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
