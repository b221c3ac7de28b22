"""Tests for hpo_teach.models.mlp: derivatives against finite differences, dropout, init, layout, checks."""

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad
from autograd.test_util import check_grads

from hpo_teach.models import mlp as nn
from hpo_teach.models.activations import activation
from hpo_teach.models.mlp import MLP

SIZES = [3, 5, 4, 3]


@pytest.fixture(autouse=True)
def _seed_check_grads():
    np.random.seed(0)  # check_grads draws its random directions from NumPy's global RNG


def batch(n=7, d=3, classes=3, seed=1):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, d)), rng.integers(0, classes, n)


def params(mlp, seed=2):
    """Random weights and biases, all well away from 0 (so L1 and ReLU have no kinks nearby)."""
    rng = np.random.default_rng(seed)
    return rng.choice([-1.0, 1.0], mlp.n_params) * rng.uniform(0.2, 1.0, mlp.n_params)


# ----------------------------------------------------------------------------- derivatives

def test_logsumexp_is_stable_and_matches_direct_formula():
    a = np.random.default_rng(0).standard_normal((4, 5))
    np.testing.assert_allclose(nn.logsumexp(a), np.log(np.sum(np.exp(a), axis=1)), rtol=1e-14)
    assert nn.logsumexp(np.array([[1000.0, 1000.0]]))[0] == pytest.approx(1000.0 + np.log(2.0), rel=1e-15)
    np.testing.assert_allclose(nn.logsumexp(a, axis=0), np.log(np.sum(np.exp(a), axis=0)), rtol=1e-14)


def test_logsumexp_and_cross_entropy_grads():
    logits, y = batch(6, 4, classes=4)
    check_grads(nn.logsumexp, modes=["rev"], order=2)(logits)
    check_grads(lambda z: nn.softmax_cross_entropy(z, y), modes=["rev"], order=2)(logits)


def test_cross_entropy_value():
    logits = np.array([[2.0, 0.0, -1.0], [0.0, 0.0, 0.0]])
    p = np.exp(logits[0]) / np.exp(logits[0]).sum()
    assert nn.softmax_cross_entropy(logits, np.array([0, 2])) == pytest.approx((-np.log(p[0]) + np.log(3)) / 2)


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "linear", "relu"])
def test_mlp_loss_grads(activation):
    mlp = MLP(SIZES, activation)
    X, y = batch()
    order = 1 if activation == "relu" else 2
    check_grads(lambda w: mlp.loss(w, X, y, l2=0.01), modes=["rev"], order=order)(params(mlp))


def test_penalties_grads_in_weights_and_strengths():
    mlp = MLP(SIZES)
    X, y = batch()
    w = params(mlp)
    l2_vec = np.random.default_rng(3).uniform(0.0, 0.1, mlp.n_params)
    check_grads(lambda w: mlp.loss(w, X, y, l2=l2_vec), modes=["rev"], order=2)(w)
    check_grads(lambda l2: mlp.loss(w, X, y, l2=l2), modes=["rev"], order=2)(0.03)
    check_grads(lambda l2: mlp.loss(w, X, y, l2=l2), modes=["rev"], order=2)(l2_vec)
    check_grads(lambda w: mlp.loss(w, X, y, l1=0.05), modes=["rev"], order=1)(w)


def test_penalty_conventions():
    w = np.array([1.0, -2.0, 3.0])
    assert nn.l2_penalty(w) == 14.0  # sum of squares, no 1/2
    assert nn.l1_penalty(w) == 6.0
    np.testing.assert_allclose(grad(nn.l2_penalty)(w, 0.5), w)  # 2 * strength * w
    mlp = MLP(SIZES)
    X, y = batch()
    w = params(mlp)
    base = mlp.loss(w, X, y)
    assert mlp.loss(w, X, y, l2=0.1) == pytest.approx(base + 0.1 * np.sum(w**2))  # biases included
    assert mlp.loss(w, X, y, l1=0.1) == pytest.approx(base + 0.1 * np.sum(np.abs(w)))


def test_dropout_loss_grads_with_fixed_seed():
    mlp = MLP(SIZES, "tanh")
    X, y = batch()
    check_grads(lambda w: mlp.loss(w, X, y, dropout=0.4, seed=5), modes=["rev"], order=2)(params(mlp))


def test_input_noise_grad_in_sigma():
    mlp = MLP(SIZES, "sigmoid")
    X, y = batch()
    w = params(mlp)
    check_grads(lambda s: mlp.loss(w, X, y, input_noise=s, seed=(4, 1)), modes=["rev"], order=2)(0.3)
    check_grads(lambda s: mlp.loss(w, X, y, input_noise=s, seed=(4, 1)), modes=["rev"], order=2)(np.full(3, 0.2))
    # the gradient at sigma = 0 exists and is not zero: noise can be switched on by a hypergradient
    assert abs(grad(lambda s: mlp.loss(w, X, y, input_noise=s, seed=4))(0.0)) > 1e-6


def test_grad_in_inputs():
    mlp = MLP(SIZES)
    X, y = batch()
    w = params(mlp)
    check_grads(lambda X: mlp.loss(w, X, y, input_noise=0.1, seed=0), modes=["rev"], order=2)(X)


# ----------------------------------------------------------------------------- dropout and noise

def test_inverted_dropout_keeps_the_mean():
    x = np.random.default_rng(0).uniform(0.5, 2.0, 8)
    out = nn.dropout(np.tile(x, (40000, 1)), 0.3, seed=7)  # 40000 independent draws per entry
    assert np.mean(out == 0) == pytest.approx(0.3, abs=0.005)
    ratio = out / x
    assert np.all((ratio == 0) | np.isclose(ratio, 1 / 0.7, rtol=1e-12, atol=0))  # kept entries scaled by 1/(1-p)
    np.testing.assert_allclose(out.mean(axis=0), x, rtol=0.02)  # std of the mean is 0.33% here
    np.testing.assert_array_equal(nn.dropout(x, 0.0, seed=None), x)


def test_dropout_and_noise_are_seeded():
    mlp = MLP(SIZES)
    X, y = batch()
    w = params(mlp)
    same = mlp.loss(w, X, y, dropout=0.5, input_noise=0.5, seed=(3, 9))
    assert mlp.loss(w, X, y, dropout=0.5, input_noise=0.5, seed=(3, 9)) == same
    assert mlp.loss(w, X, y, dropout=0.5, input_noise=0.5, seed=(3, 10)) != same
    assert mlp.loss(w, X, y, dropout=0.0, input_noise=0.0, seed=3) == mlp.loss(w, X, y)


def test_add_input_noise_scale():
    out = nn.add_input_noise(np.zeros((20000, 2)), np.array([0.5, 2.0]), seed=1)
    np.testing.assert_allclose(out.std(axis=0), [0.5, 2.0], rtol=0.03)


# ----------------------------------------------------------------------------- init and layout

@pytest.mark.parametrize("scheme, expected_std", [
    ("glorot", np.sqrt(2 / (400 + 300))), ("he", np.sqrt(2 / 400)), ("naive", 0.1)])
def test_init_std(scheme, expected_std):
    mlp = MLP([400, 300, 10])
    w = mlp.init(0, scheme)
    W1 = w[mlp.slice("W1")]
    assert W1.std() == pytest.approx(expected_std, rel=0.01)  # 120000 draws: std error 0.2%
    assert abs(W1.mean()) < 0.01 * expected_std
    assert np.all(w[mlp.slice("b1")] == 0) and np.all(w[mlp.slice("b2")] == 0)
    default_scale = 0.1 if scheme == "naive" else 1.0
    np.testing.assert_allclose(mlp.init(0, scheme, scale=2.0), 2.0 / default_scale * w, rtol=1e-14)
    per_layer = mlp.init(0, scheme, scale=[1.0, 0.0])
    assert np.all(per_layer[mlp.slice("W2")] == 0) and np.any(per_layer[mlp.slice("W1")] != 0)
    np.testing.assert_array_equal(mlp.init(0, scheme), w)
    assert not np.array_equal(mlp.init(1, scheme), w)


def test_layout_round_trip_and_layer_of_param():
    mlp = MLP([4, 3, 2])
    assert mlp.blocks == [("W1", (4, 3)), ("b1", (3,)), ("W2", (3, 2)), ("b2", (2,))]
    assert mlp.n_params == 4 * 3 + 3 + 3 * 2 + 2
    w = np.arange(mlp.n_params, dtype=float)
    (W1, b1), (W2, b2) = mlp.unflatten(w)
    assert W1.shape == (4, 3) and b2.shape == (2,)
    np.testing.assert_array_equal(W1.ravel(), w[mlp.slice("W1")])
    np.testing.assert_array_equal(b1, w[12:15])
    np.testing.assert_array_equal(mlp.flatten(mlp.unflatten(w)), w)
    np.testing.assert_array_equal(mlp.layer_of_param, [0] * 15 + [1] * 8)
    # unflatten is traceable: the gradient of a function of W2 lands in W2's slice only
    g = grad(lambda w: anp.sum(mlp.unflatten(w)[1][0] ** 2))(w)
    np.testing.assert_array_equal(g[mlp.slice("W2")], 2 * w[mlp.slice("W2")])
    assert np.all(g[: mlp.slice("W2").start] == 0)


def test_predict_and_error():
    mlp = MLP([2, 2], "linear")
    w = mlp.flatten([(np.eye(2), np.zeros(2))])  # logits = X: predicts the larger column
    X = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 1.0], [0.0, 3.0]])
    np.testing.assert_array_equal(mlp.predict(w, X), [0, 1, 0, 1])
    assert mlp.error(w, X, np.array([0, 1, 1, 1])) == 0.25


def test_activations_values():
    z = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_allclose(activation("sigmoid")(z), 1 / (1 + np.exp(-z)), rtol=1e-15)
    np.testing.assert_array_equal(activation("relu")(z), [0.0, 0.0, 3.0])
    assert activation("sigmoid")(-800.0) == 0.0  # no overflow warning


# ----------------------------------------------------------------------------- bad input

def test_bad_model_arguments():
    with pytest.raises(ValueError, match="activation must be one of 'tanh', 'sigmoid', 'relu', 'linear'"):
        MLP([2, 2], "softplus")
    with pytest.raises(ValueError, match="sizes must be a list of at least 2"):
        MLP([3])
    with pytest.raises(ValueError, match=r"sizes\[1\] must be an integer in \[1, inf\], got 0"):
        MLP([3, 0, 2])
    with pytest.raises(TypeError, match=r"sizes\[0\] must be an integer"):
        MLP([3.5, 2])
    with pytest.raises(ValueError, match="scheme must be one of 'glorot', 'he', 'naive'"):
        MLP([2, 2]).init(0, "xavier")
    with pytest.raises(ValueError, match=r"scale\[0\] must be >= 0"):
        MLP([2, 2]).init(0, scale=-1.0)
    with pytest.raises(ValueError, match="scale must be a number or one number per layer"):
        MLP([2, 2, 2]).init(0, scale=[1.0])


@pytest.mark.parametrize("kwargs, error, message", [
    ({"dropout": 1.0, "seed": 0}, ValueError, r"dropout must be in \[0, 1\), got 1"),
    ({"dropout": -0.1, "seed": 0}, ValueError, r"dropout must be in \[0, 1\), got -0.1"),
    ({"dropout": float("nan"), "seed": 0}, ValueError, "dropout must be a finite number"),
    ({"dropout": 0.5}, ValueError, "seed must be an int or a tuple of ints when dropout > 0"),
    ({"input_noise": -0.1, "seed": 0}, ValueError, "input_noise must be >= 0, got -0.1"),
    ({"l2": -1e-3}, ValueError, "l2 must be >= 0, got -0.001"),
    ({"l2": np.ones(5)}, ValueError, "l2 must be a number or a vector of length 59"),
    ({"l1": -np.ones(59)}, ValueError, "l1 must be finite and >= 0 everywhere"),
])
def test_bad_hyperparameters(kwargs, error, message):
    mlp = MLP(SIZES)
    X, y = batch()
    with pytest.raises(error, match=message):
        mlp.loss(params(mlp), X, y, **kwargs)


def test_bad_data():
    mlp = MLP(SIZES)
    X, y = batch()
    w = params(mlp)
    with pytest.raises(ValueError, match=r"X and y must have one row per label, got X shape \(7, 3\) and y shape \(6,\)"):
        mlp.loss(w, X, y[:6])
    with pytest.raises(ValueError, match=r"X must have shape \(any, 3\), got \(7, 4\)"):
        mlp.loss(w, np.ones((7, 4)), y)
    with pytest.raises(ValueError, match="X must contain only finite values"):
        mlp.loss(w, np.where(np.arange(3) == 1, np.nan, X), y)
    with pytest.raises(ValueError, match="X must not be empty"):
        mlp.loss(w, np.ones((0, 3)), y[:0])
    with pytest.raises(ValueError, match=r"y must hold class labels in \[0, 2\], got values in \[\d, 3\]"):
        mlp.loss(w, X, np.where(y == 0, 3, y))
    with pytest.raises(TypeError, match="y must be an integer array"):
        mlp.loss(w, X, y.astype(float))
    with pytest.raises(TypeError, match="X must be a floating-point array"):
        mlp.loss(w, np.ones((7, 3), dtype=int), y)
    with pytest.raises(ValueError, match=r"w must be a 1-D array of length 59 \(n_params\), got shape \(58,\)"):
        mlp.loss(w[:-1], X, y)
    with pytest.raises(ValueError, match=r"y must hold class labels in \[0, 1\]"):
        nn.softmax_cross_entropy(np.zeros((2, 2)), np.array([0, 2]))
    with pytest.raises(ValueError, match=r"logits and y must have one row per label"):
        nn.softmax_cross_entropy(np.zeros((2, 2)), np.array([0]))
    with pytest.raises(ValueError, match=r"p must be in \[0, 1\), got 1"):
        nn.dropout(X, 1.0, seed=0)
    with pytest.raises(ValueError, match="sigma must be >= 0"):
        nn.add_input_noise(X, -1.0, seed=0)


def test_layer_slices_cover_each_layers_weights_and_bias_in_order():
    mlp = MLP([5, 4, 3, 2])
    assert [(s.start, s.stop) for s in mlp.layer_slices] == [(0, 24), (24, 39), (39, 47)]
    for k, s in enumerate(mlp.layer_slices):
        assert set(mlp.layer_of_param[s]) == {k}


@pytest.mark.filterwarnings("ignore:Output seems independent of input")  # f'' of relu and linear is 0
@pytest.mark.parametrize("name", ["tanh", "sigmoid", "relu", "linear"])
def test_activation_table_derivatives_match_autograd_to_second_order(name):
    """f' and f'' of the one activation table (used by the fast path) against autograd's derivatives of f."""
    from autograd import elementwise_grad

    f = activation(name)
    z = np.linspace(-3.0, 3.0, 13) + 0.05  # avoid ReLU's kink at 0
    h = f(z)
    d1 = elementwise_grad(lambda x: f(x))(z)
    np.testing.assert_allclose(f.d1(z, h) * np.ones_like(z), d1, rtol=1e-12, atol=1e-15)
    d2 = elementwise_grad(elementwise_grad(lambda x: f(x)))(z)
    ours = f.d2(h, f.d1(z, h) * np.ones_like(z))
    np.testing.assert_allclose(np.zeros_like(z) if ours is None else ours, d2, rtol=1e-12, atol=1e-15)
    assert np.max(f.d1(z, h) * np.ones_like(z)) <= f.max_slope + 1e-15
