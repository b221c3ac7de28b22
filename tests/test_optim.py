"""Optimizers against autograd's reference implementations, hand-derived steps, schedules, checks."""

import math

import array_api_strict
import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad
from autograd.misc.optimizers import adam, rmsprop, sgd

from hpo_teach.training import optim
from hpo_teach.backend import strict_asarray, to_numpy
from hpo_teach.training.diverged import TrainingDiverged


def rosenbrock(w):
    return (1.0 - w[0]) ** 2 + 100.0 * (w[1] - w[0] ** 2) ** 2


A = np.array([[3.0, 0.5, 0.0], [0.5, 1.0, 0.2], [0.0, 0.2, 0.1]])


def quadratic(w):
    return 0.5 * w @ (A @ w)


def reference_path(reference, f, w0, n_steps, **kwargs):
    """The iterates w_0 ... w_n of an autograd.misc.optimizers routine."""
    path = []
    g = grad(f)
    w_final = reference(lambda w, i: g(w), w0, callback=lambda w, i, gw: path.append(w), num_iters=n_steps, **kwargs)
    return np.array(path + [w_final])


def our_path(optimizer, f, w0, n_steps):
    g = grad(f)
    path = [w0]
    for _ in range(n_steps):
        path.append(optimizer.step(path[-1], g(path[-1])))
    return np.array(path)


CASES = [  # (function, w0)
    (rosenbrock, np.array([-1.2, 1.0])),
    (quadratic, np.array([1.0, -2.0, 3.0])),
]


@pytest.mark.parametrize("f, w0", CASES)
@pytest.mark.parametrize("beta", [0.0, 0.9])
def test_momentum_matches_autograd_sgd_with_mass(f, w0, beta):
    lr = 1e-3 if f is rosenbrock else 0.1
    ours = our_path(optim.Momentum(lr, beta=beta), f, w0, 50)
    np.testing.assert_allclose(ours, reference_path(sgd, f, w0, 50, step_size=lr, mass=beta), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("f, w0", CASES)
def test_sgd_is_momentum_without_mass(f, w0):
    ours = our_path(optim.SGD(1e-3), f, w0, 50)
    np.testing.assert_allclose(ours, reference_path(sgd, f, w0, 50, step_size=1e-3, mass=0.0), rtol=1e-12)


@pytest.mark.parametrize("f, w0", CASES)
def test_rmsprop_matches_autograd_when_started_at_one(f, w0):
    ours = our_path(optim.RMSProp(0.01, rho=0.9, eps=1e-8, init_sq=1.0), f, w0, 50)
    reference = reference_path(rmsprop, f, w0, 50, step_size=0.01, gamma=0.9, eps=1e-8)
    np.testing.assert_allclose(ours, reference, rtol=1e-12, atol=1e-14)


def test_rmsprop_default_starts_from_zero_average():
    # s_1 = (1 - rho) g^2, so the first step is lr * g / (sqrt(1 - rho) |g| + eps) ~ lr / sqrt(0.1).
    w1 = optim.RMSProp(0.01, rho=0.9, eps=1e-8).step(np.zeros(2), np.array([2.0, -0.5]))
    np.testing.assert_allclose(w1, [-0.01 / math.sqrt(0.1), 0.01 / math.sqrt(0.1)], rtol=1e-7)


@pytest.mark.parametrize("f, w0", CASES)
@pytest.mark.parametrize("b1, b2", [(0.9, 0.999), (0.5, 0.9)])
def test_adam_matches_autograd_including_bias_correction(f, w0, b1, b2):
    ours = our_path(optim.Adam(0.01, b1=b1, b2=b2, eps=1e-8), f, w0, 50)
    reference = reference_path(adam, f, w0, 50, step_size=0.01, b1=b1, b2=b2, eps=1e-8)
    np.testing.assert_allclose(ours, reference, rtol=1e-12, atol=1e-14)


def test_adam_l2_is_the_gradient_of_l2_sum_of_squares():
    lam = 0.05
    penalized = lambda w: quadratic(w) + lam * anp.sum(w**2)  # noqa: E731 (the hpo_teach.models.mlp convention)
    w0 = np.array([1.0, -2.0, 3.0])
    np.testing.assert_allclose(our_path(optim.Adam(0.01, l2=lam), quadratic, w0, 30),
                               our_path(optim.Adam(0.01), penalized, w0, 30), rtol=1e-12)


def test_nesterov_two_steps_by_hand():
    lr, beta = 0.1, 0.9
    w0, g0, g1 = np.array([1.0, -1.0]), np.array([2.0, 4.0]), np.array([-1.0, 0.5])
    opt = optim.Nesterov(lr, beta)
    w1 = opt.step(w0, g0)
    # v1 = -(1-b) g0 ; w1 = w0 + lr (b v1 - (1-b) g0) = w0 - lr (1-b)(1+b) g0
    np.testing.assert_allclose(w1, w0 - lr * 0.1 * 1.9 * g0, rtol=1e-14)
    w2 = opt.step(w1, g1)
    v2 = beta * (-0.1 * g0) - 0.1 * g1
    np.testing.assert_allclose(w2, w1 + lr * (beta * v2 - 0.1 * g1), rtol=1e-14)
    assert opt.t == 2


def test_nesterov_equals_the_look_ahead_form():
    """Classical Nesterov (gradient at w + lr beta v) tracked at its look-ahead point."""
    lr, beta, g = 0.05, 0.8, grad(quadratic)
    w, v = np.array([1.0, -2.0, 3.0]), np.zeros(3)
    u_path = [w.copy()]
    for _ in range(40):
        v = beta * v - (1 - beta) * g(w + lr * beta * v)
        w = w + lr * v
        u_path.append(w + lr * beta * v)
    np.testing.assert_allclose(our_path(optim.Nesterov(lr, beta), quadratic, u_path[0], 40), u_path, rtol=1e-10)


def test_adamw_two_steps_by_hand():
    lr, b1, b2, eps, wd = 0.1, 0.9, 0.99, 1e-8, 0.5
    w0, g0, g1 = np.array([1.0, -2.0]), np.array([0.3, -4.0]), np.array([-0.1, 2.0])
    opt = optim.AdamW(lr, b1, b2, eps, weight_decay=wd)
    w1 = opt.step(w0, g0)
    # after one step m_hat = g0 and v_hat = g0**2: the Adam direction is sign(g0)
    np.testing.assert_allclose(w1, w0 - lr * (np.sign(g0) + wd * w0), rtol=1e-7)
    w2 = opt.step(w1, g1)
    m_hat = (b1 * (1 - b1) * g0 + (1 - b1) * g1) / (1 - b1**2)
    v_hat = (b2 * (1 - b2) * g0**2 + (1 - b2) * g1**2) / (1 - b2**2)
    np.testing.assert_allclose(w2, w1 - lr * (m_hat / (np.sqrt(v_hat) + eps) + wd * w1), rtol=1e-12)


def test_adamw_is_not_adam_with_l2():
    lam, w0 = 0.05, np.array([1.0, -2.0, 3.0])
    coupled = our_path(optim.Adam(0.05, l2=lam), quadratic, w0, 30)
    decoupled = our_path(optim.AdamW(0.05, weight_decay=2 * lam), quadratic, w0, 30)
    assert np.max(np.abs(coupled - decoupled)) > 1e-2


def test_weight_decay_equals_l2_for_sgd():
    lam, lr, w0 = 0.05, 0.1, np.array([1.0, -2.0, 3.0])
    penalized = lambda w: quadratic(w) + lam * anp.sum(w**2)  # noqa: E731
    l2_path = our_path(optim.SGD(lr), penalized, w0, 30)
    decay_path = our_path(optim.SGD(lr, weight_decay=2 * lam), quadratic, w0, 30)
    np.testing.assert_allclose(decay_path, l2_path, rtol=1e-12)
    assert np.max(np.abs(decay_path - our_path(optim.SGD(lr), quadratic, w0, 30))) > 1e-2


ALL = [optim.SGD(0.1, weight_decay=0.01), optim.Momentum(0.1), optim.Nesterov(0.1), optim.RMSProp(0.01),
       optim.Adam(0.01, l2=0.01), optim.AdamW(0.01)]


@pytest.mark.parametrize("opt", ALL, ids=lambda o: type(o).__name__)
def test_step_is_pure_and_reset_forgets(opt):
    w0, g = np.array([1.0, -2.0, 3.0]), np.array([0.5, 0.1, -1.0])
    w_copy, g_copy = w0.copy(), g.copy()
    opt.reset()
    first = [opt.step(w0, g), opt.step(w0, 2 * g)]
    np.testing.assert_array_equal(w0, w_copy)
    np.testing.assert_array_equal(g, g_copy)
    assert opt.t == 2
    opt.reset()
    assert opt.t == 0
    fresh = opt.step(w0, 2 * g)
    opt.reset()
    again = [opt.step(w0, g), opt.step(w0, 2 * g)]
    np.testing.assert_array_equal(first, again)
    # SGD has no state; the others remember the first gradient in the second step
    assert np.array_equal(first[1], fresh) == isinstance(opt, optim.SGD)


@pytest.mark.parametrize("opt", ALL, ids=lambda o: type(o).__name__)
def test_optimizers_are_array_api_generic(opt):
    w0, g = np.array([1.0, -2.0, 3.0]), np.array([0.5, 0.1, -1.0])
    opt.reset()
    host = [w0]
    for k in range(3):
        host.append(opt.step(host[-1], g * (k + 1)))
    opt.reset()
    w = strict_asarray(w0)
    for k in range(3):
        w = opt.step(w, strict_asarray(g * (k + 1)))
    assert isinstance(w, array_api_strict._array_object.Array)
    np.testing.assert_allclose(to_numpy(w), host[-1], rtol=1e-14)


def test_shape_mismatch_is_refused():
    with pytest.raises(ValueError, match=r"g must have the shape of w \(3,\), got \(2,\)"):
        optim.SGD(0.1).step(np.zeros(3), np.zeros(2))


# --------------------------------------------------------------------------------- schedules

def test_schedule_values():
    assert [optim.constant(0.3)(t) for t in (0, 7)] == [0.3, 0.3]
    decay = optim.step_decay(1.0, factor=0.5, every=10)
    assert [decay(t) for t in (0, 9, 10, 25)] == [1.0, 1.0, 0.5, 0.25]
    cos = optim.cosine(1.0, n_steps=10, lr_min=0.1)
    np.testing.assert_allclose([cos(t) for t in (0, 5, 10, 50)], [1.0, 0.55, 0.1, 0.1])
    warm = optim.warmup(optim.cosine(1.0, n_steps=10), n_warmup=4)
    np.testing.assert_allclose([warm(t) for t in (0, 1, 3, 4, 9, 14)], [0.25, 0.5, 1.0, 1.0, 0.5, 0.0], atol=1e-15)
    assert [optim.warmup(2.0, 2)(t) for t in (0, 1, 2)] == [1.0, 2.0, 2.0]
    assert repr(decay) == "step_decay(lr=1, factor=0.5, every=10)"


def test_optimizer_follows_its_schedule():
    opt = optim.SGD(optim.step_decay(1.0, 0.1, every=2))
    w = np.zeros(1)
    for _ in range(4):
        w = opt.step(w, np.ones(1))
    np.testing.assert_allclose(w, [-(1 + 1 + 0.1 + 0.1)])
    assert opt.current_lr == pytest.approx(0.01)
    assert opt.lr_at(0) == 1.0


BAD = [
    (optim.SGD, {"lr": -0.1}, ValueError, r"lr must be > 0, got -0\.1"),
    (optim.SGD, {"lr": 0.0}, ValueError, r"lr must be > 0, got 0"),
    (optim.SGD, {"lr": float("nan")}, ValueError, r"lr must be a finite number, got nan"),
    (optim.SGD, {"lr": "0.1"}, TypeError, r"lr must be a real number"),
    (optim.SGD, {"lr": 0.1, "weight_decay": -1.0}, ValueError, r"weight_decay must be >= 0, got -1"),
    (optim.SGD, {"lr": lambda t: -1.0}, ValueError, r"lr\(0\) must be > 0, got -1"),
    (optim.Momentum, {"lr": 0.1, "beta": 1.0}, ValueError, r"beta must be in \[0, 1\), got 1"),
    (optim.Nesterov, {"lr": 0.1, "beta": -0.1}, ValueError, r"beta must be in \[0, 1\), got -0\.1"),
    (optim.RMSProp, {"lr": 0.1, "rho": 1.5}, ValueError, r"rho must be in \[0, 1\), got 1\.5"),
    (optim.RMSProp, {"lr": 0.1, "eps": 0.0}, ValueError, r"eps must be > 0, got 0"),
    (optim.Adam, {"b1": 1.0}, ValueError, r"b1 must be in \[0, 1\), got 1"),
    (optim.Adam, {"b2": float("inf")}, ValueError, r"b2 must be a finite number, got inf"),
    (optim.Adam, {"l2": -1e-3}, ValueError, r"l2 must be >= 0, got -0\.001"),
    (optim.AdamW, {"weight_decay": -0.1}, ValueError, r"weight_decay must be >= 0, got -0\.1"),
    (optim.step_decay, {"lr": 1.0, "factor": 0.0, "every": 5}, ValueError, r"factor must be in \(0, 1\], got 0"),
    (optim.step_decay, {"lr": 1.0, "factor": 0.5, "every": 0}, ValueError, r"every must be an integer in \[1, inf\]"),
    (optim.cosine, {"lr": 1.0, "n_steps": 10, "lr_min": 2.0}, ValueError, r"lr_min must be in \[0, 1\], got 2"),
    (optim.warmup, {"schedule": optim.constant(1.0), "n_warmup": 0}, ValueError, r"n_warmup must be an integer"),
    (optim.constant, {"lr": -1.0}, ValueError, r"lr must be > 0, got -1"),
    (optim.make_optimizer, {"name": "lbfgs"}, ValueError, r"name must be one of 'sgd', 'momentum'"),
    (optim.make_optimizer, {"name": "adam", "beta": 0.9}, TypeError, r"adam does not take 'beta'; its hyperparameters are lr, b1"),
]


@pytest.mark.parametrize("factory, kwargs, error, message", BAD, ids=[f"{i}-{b[0].__name__}-{list(b[1])[-1]}" for i, b in enumerate(BAD)])
def test_bad_hyperparameters_name_the_argument_and_range(factory, kwargs, error, message):
    with pytest.raises(error, match=message):
        factory(**kwargs)


def test_schedule_rejects_negative_values_when_used():
    opt = optim.SGD(lambda t: 1.0 - t)
    opt.step(np.zeros(1), np.ones(1))
    opt.step(np.zeros(1), np.ones(1))  # lr(1) = 0 is allowed (the end of a cosine)
    with pytest.raises(ValueError, match=r"lr\(2\) must be >= 0, got -1"):
        opt.step(np.zeros(1), np.ones(1))


def test_make_optimizer_builds_each_kind():
    for name, cls in optim.OPTIMIZERS.items():
        opt = optim.make_optimizer(name, lr=0.01)
        assert type(opt) is cls and opt.lr == 0.01
    assert repr(optim.make_optimizer("momentum", lr=0.1, beta=0.5)) == "Momentum(lr=0.1, beta=0.5)"


# ---------------------------------------------------------------------------------- minimize

def test_minimize_returns_the_path_and_converges():
    path = optim.minimize(grad(quadratic), np.array([1.0, -2.0, 3.0]), optim.Momentum(0.5, 0.5), 300)
    assert path.shape == (301, 3)
    np.testing.assert_array_equal(path[0], [1.0, -2.0, 3.0])
    assert quadratic(path[-1]) < 1e-8 * quadratic(path[0])


def test_minimize_diverges_past_two_over_l():
    # f = 5 w^2 has L = 10: lr 0.19 converges, 0.21 diverges.
    g = grad(lambda w: 5.0 * w[0] ** 2)
    assert abs(optim.minimize(g, np.array([1.0]), optim.SGD(0.19), 100)[-1, 0]) < 1e-3
    with pytest.raises(TrainingDiverged, match=r"at step \d+; lower the learning rate \(now 0\.21\)") as info:
        optim.minimize(g, np.array([1.0]), optim.SGD(0.21), 1000)
    # |w_t| = 1.1^t first exceeds 1e6 after step index 144 (1.1^145 > 1e6)
    assert info.value.step == math.ceil(math.log(1e6) / math.log(1.1)) - 1
    stopped = optim.minimize(g, np.array([1.0]), optim.SGD(0.21), 1000, on_diverge="stop")
    assert stopped.shape == (info.value.step + 1, 1) and np.all(np.abs(stopped) <= 1e6)


# ---- the pure update rules: differentiable in every argument, and what the classes apply

RULES = {
    "sgd_update": (optim.sgd_update, lambda r: (r.normal(size=4), r.normal(size=4), 0.1, 0.01)),
    "momentum_update": (optim.momentum_update, lambda r: (r.normal(size=4), r.normal(size=4), r.normal(size=4), 0.3, 0.8)),
    "nesterov_update": (optim.nesterov_update, lambda r: (r.normal(size=4), r.normal(size=4), r.normal(size=4), 0.3, 0.8)),
    "rmsprop_update": (optim.rmsprop_update,
                       lambda r: (r.normal(size=4), r.uniform(0.5, 1, 4), r.normal(size=4), 0.01, 0.9, 1e-3)),
    "adam_update": (optim.adam_update,
                    lambda r: (r.normal(size=4), r.normal(size=4), r.uniform(0.5, 1, 4), r.normal(size=4), 3, 0.01,
                               0.9, 0.99, 1e-3, 0.05)),
    "adamw_update": (optim.adamw_update,
                     lambda r: (r.normal(size=4), r.normal(size=4), r.uniform(0.5, 1, 4), r.normal(size=4), 3, 0.01,
                                0.9, 0.99, 1e-3, 0.05)),
}


@pytest.mark.parametrize("name", sorted(RULES))
def test_update_rule_is_differentiable_in_every_argument(name):
    """autograd's check_grads (forward and reverse mode, to second order) in each float argument."""
    from autograd.test_util import check_grads

    rule, make_args = RULES[name]
    args = make_args(np.random.default_rng(0))
    for i, arg in enumerate(args):
        if isinstance(arg, int):  # the step counter t of Adam
            continue

        def scalar_output(x, i=i):
            out = rule(*args[:i], x, *args[i + 1:])
            outs = out if isinstance(out, tuple) else (out,)
            return sum(anp.sum(anp.sin(o * (k + 1))) for k, o in enumerate(outs))

        check_grads(scalar_output, modes=["fwd", "rev"], order=2)(np.asarray(arg, dtype=float))


@pytest.mark.parametrize("make, rule, state", [
    (lambda: optim.Momentum(0.3, beta=0.8), lambda w, s, g, t: optim.momentum_update(w, s[0], g, 0.3, 0.8), 1),
    (lambda: optim.Nesterov(0.3, beta=0.8), lambda w, s, g, t: optim.nesterov_update(w, s[0], g, 0.3, 0.8), 1),
    (lambda: optim.RMSProp(0.01, rho=0.9, eps=1e-3), lambda w, s, g, t: optim.rmsprop_update(w, s[0], g, 0.01, 0.9, 1e-3), 1),
    (lambda: optim.Adam(0.01, l2=0.05), lambda w, s, g, t: optim.adam_update(w, *s, g, t, 0.01, 0.9, 0.999, 1e-8, 0.05), 2),
    (lambda: optim.AdamW(0.01, weight_decay=0.05),
     lambda w, s, g, t: optim.adamw_update(w, *s, g, t, 0.01, 0.9, 0.999, 1e-8, 0.05), 2),
])
def test_optimizer_classes_apply_their_pure_rule_bit_for_bit(make, rule, state):
    rng = np.random.default_rng(1)
    opt, w = make(), rng.normal(size=5)
    w_rule, s = w.copy(), [np.zeros(5)] * state
    for t in range(1, 6):
        g = rng.normal(size=5)
        w = opt.step(w, g)
        w_rule, *s = rule(w_rule, s, g, t)
        np.testing.assert_array_equal(w, w_rule)


def test_momentum_rule_differentiates_through_beta_as_an_autograd_box():
    """T1-T2 and hypergradient descent differentiate a training step in its hyperparameters."""
    w, v, g = np.array([1.0, -2.0]), np.array([0.5, 0.5]), np.array([0.3, -0.1])
    d_beta = grad(lambda beta: anp.sum(optim.momentum_update(w, v, g, 0.1, beta)[0]))(0.9)
    assert d_beta == pytest.approx(0.1 * np.sum(v + g), rel=1e-14)
