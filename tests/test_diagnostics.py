"""Per-layer gradient norms and activation statistics (hpo_teach.training.diagnostics)."""

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import elementwise_grad, grad

from hpo_teach.backend import strict_asarray
from hpo_teach.training.diagnostics import (MAX_SLOPE, activation_derivative, hidden_layers,
                                            layer_activation_stats, layer_gradient_norms)
from hpo_teach.models.activations import activation
from hpo_teach.models.mlp import MLP


def batch(n=40, d=6, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d)), rng.integers(0, classes, n)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "linear"])
def test_derivative_matches_autograd_and_finite_differences(name):
    z = np.linspace(-4.0, 4.0, 81) + 0.0123  # avoids the ReLU kink at 0
    f = activation(name)
    d = activation_derivative(name, z)
    assert np.allclose(d, elementwise_grad(f)(z), atol=1e-12)
    assert np.allclose(d, (f(z + 1e-6) - f(z - 1e-6)) / 2e-6, atol=1e-8)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu"])
def test_max_slope_is_the_largest_derivative(name):
    z = np.linspace(-10, 10, 200001)
    assert activation_derivative(name, z).max() == pytest.approx(MAX_SLOPE[name], rel=1e-9)


def test_derivative_rejects_unknown_activation():
    with pytest.raises(ValueError, match="activation must be one of"):
        activation_derivative("swish", np.zeros(3))


@pytest.mark.parametrize("name", ["sigmoid", "relu"])
def test_gradient_norms_equal_autograd_blocks(name):
    mlp = MLP([6, 5, 4, 3], activation=name)
    w = mlp.init(1, "he")
    X, y = batch()
    g = grad(mlp.loss)(w, X, y, 0.01)
    expected = [np.linalg.norm(g[mlp.slice(f"W{k}")]) for k in (1, 2, 3)]
    assert np.allclose(layer_gradient_norms(mlp, w, X, y, l2=0.01), expected, rtol=1e-10)


def test_gradient_norms_on_array_api_strict_equal_numpy():
    mlp = MLP([6, 5, 3], activation="tanh")
    w = mlp.init(2)
    X, y = batch()
    strict = layer_gradient_norms(mlp, strict_asarray(w), strict_asarray(X), strict_asarray(y))
    assert isinstance(strict, np.ndarray)
    assert np.allclose(strict, layer_gradient_norms(mlp, w, X, y), rtol=1e-12)


def test_deep_sigmoid_gradients_vanish_and_he_relu_gradients_do_not():
    X, y = batch(n=200, d=32, classes=10)
    sig = MLP([32] + [32] * 12 + [10], "sigmoid")
    relu = MLP([32] + [32] * 12 + [10], "relu")
    sig_norms = layer_gradient_norms(sig, sig.init(0, "glorot"), X, y)
    relu_norms = layer_gradient_norms(relu, relu.init(0, "he"), X, y)
    assert sig_norms[0] / sig_norms[-1] < 1e-3
    assert 0.1 < relu_norms[0] / relu_norms[-1] < 10


def test_hidden_layers_rebuild_the_logits():
    mlp = MLP([6, 5, 4, 3], activation="tanh")
    w = mlp.init(3)
    X, _ = batch()
    layers = hidden_layers(mlp, w, X)
    assert [h.shape for _, h in layers] == [(40, 5), (40, 4)]
    W, b = mlp.unflatten(w)[-1]
    assert np.allclose(layers[-1][1] @ W + b, mlp.logits(w, X), atol=1e-12)
    assert np.allclose(layers[0][1], np.tanh(layers[0][0]))


def test_hidden_layers_are_differentiable():
    mlp = MLP([6, 4, 3], activation="sigmoid")
    w = mlp.init(4)
    X, _ = batch()

    def mean_output(w):
        return anp.mean(hidden_layers(mlp, w, X)[-1][1])

    g = grad(mean_output)(w)
    e = np.zeros_like(w)
    k = mlp.slice("W1").start + 2
    e[k] = 1e-6
    assert g[k] == pytest.approx((mean_output(w + e) - mean_output(w - e)) / 2e-6, rel=1e-6)


def test_stats_of_zero_weights():
    """All-zero weights: every hidden output is f(0), so the std is 0; ReLU units are all dead."""
    X, _ = batch()
    for name, value, dead in (("sigmoid", 0.5, 0.0), ("tanh", 0.0, 0.0), ("relu", 0.0, 1.0)):
        mlp = MLP([6, 5, 4, 3], activation=name)
        stats = layer_activation_stats(mlp, np.zeros(mlp.n_params), X)
        assert np.allclose(stats.mean, value) and np.allclose(stats.std, 0.0)
        assert np.allclose(stats.dead, dead)


def test_a_unit_with_a_large_negative_bias_is_dead():
    mlp = MLP([6, 4, 3], activation="relu")
    w = mlp.init(5, "he")
    w[mlp.slice("b1").start + 1] = -1e3  # unit 2 of 4 never switches on
    stats = layer_activation_stats(mlp, w, batch()[0])
    assert stats.dead[0] == pytest.approx(0.25)
    assert 0.25 <= stats.inactive[0] < 1.0


def test_stats_match_direct_computation():
    mlp = MLP([6, 8, 8, 3], activation="tanh")
    w = mlp.init(6, scale=3.0)
    X, _ = batch()
    stats = layer_activation_stats(mlp, w, X)
    h1 = np.tanh(X @ mlp.unflatten(w)[0][0])
    assert stats.mean[0] == pytest.approx(h1.mean()) and stats.std[0] == pytest.approx(h1.std())
    assert stats.inactive[0] == pytest.approx(np.mean(1 - h1**2 < 0.01))


def test_stats_reject_a_net_without_hidden_layers_and_bad_weights():
    X, _ = batch()
    with pytest.raises(ValueError, match="at least one hidden layer"):
        layer_activation_stats(MLP([6, 3]), np.zeros(21), X)
    with pytest.raises(ValueError, match="w must be a 1-D array of length"):
        layer_activation_stats(MLP([6, 4, 3]), np.zeros(5), X)
