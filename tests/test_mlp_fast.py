"""Tests for hpo_teach.models.mlp_fast: the hand-written gradient and R-op HVP equal autograd's,
match finite differences, and give NumPy's results on array-api-strict's "device1"."""

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad

from hpo_teach import backend
from hpo_teach.models import mlp_fast
from hpo_teach.models.activations import ACTIVATIONS
from hpo_teach.models.mlp import MLP
from hpo_teach.testing import central_difference, relative_error

SIZES = [6, 8, 5, 4]


def problem(activation="tanh", seed=0, n=11):
    mlp = MLP(SIZES, activation)
    rng = np.random.default_rng(seed)
    w = mlp.init(seed) + 0.1 * rng.standard_normal(mlp.n_params)  # nonzero biases too
    X, y = rng.standard_normal((n, SIZES[0])), rng.integers(0, SIZES[-1], n)
    v = rng.standard_normal(mlp.n_params)
    l2_vec = rng.uniform(0.0, 0.05, mlp.n_params)
    return mlp, w, X, y, v, l2_vec


def autograd_hvp(mlp, w, v, X, y, **kwargs):
    g = grad(mlp.loss)
    return grad(lambda u: anp.dot(g(u, X, y, **kwargs), v))(w)


SETTINGS = {
    "plain": {},
    "l2 scalar": {"l2": 0.03},
    "l2 per parameter": "l2_vec",
    "dropout and noise": {"l2": 0.01, "dropout": 0.3, "input_noise": 0.4, "seed": (2, 7)},
}


def settings(name, l2_vec):
    return {"l2": l2_vec} if SETTINGS[name] == "l2_vec" else SETTINGS[name]


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
@pytest.mark.parametrize("setting", list(SETTINGS))
def test_loss_grad_and_hvp_equal_autograd(activation, setting):
    mlp, w, X, y, v, l2_vec = problem(activation)
    kwargs = settings(setting, l2_vec)
    loss, g = mlp.loss_and_grad(w, X, y, **kwargs)
    assert float(loss) == pytest.approx(mlp.loss(w, X, y, **kwargs), rel=1e-13)
    assert relative_error(g, grad(mlp.loss)(w, X, y, **kwargs)) <= 1e-10
    assert relative_error(mlp.hvp(w, v, X, y, **kwargs), autograd_hvp(mlp, w, v, X, y, **kwargs)) <= 1e-10


def test_l1_gradient_equals_autograd():
    mlp, w, X, y, _, l2_vec = problem("sigmoid")
    kwargs = {"l1": l2_vec, "l2": 0.02, "dropout": 0.2, "seed": 1}
    loss, g = mlp.loss_and_grad(w, X, y, **kwargs)
    assert float(loss) == pytest.approx(mlp.loss(w, X, y, **kwargs), rel=1e-13)
    assert relative_error(g, grad(mlp.loss)(w, X, y, **kwargs)) <= 1e-10


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_hvp_matches_finite_differences_of_the_gradient(activation):
    mlp, w, X, y, v, _ = problem(activation, seed=3)
    kwargs = {"l2": 0.01, "dropout": 0.25, "input_noise": 0.2, "seed": 4}
    eps = 1e-5
    fd = central_difference(lambda s: mlp.loss_and_grad(w + s * v, X, y, **kwargs)[1], eps)
    assert relative_error(mlp.hvp(w, v, X, y, **kwargs), fd) <= 1e-6


def test_input_direction_gives_the_noise_mixed_partial():
    """hvp(v=0, dX=eps) = d(gradient)/d(sigma) for inputs X + sigma * eps."""
    mlp, w, X, y, v, _ = problem("tanh", seed=5)
    sigma, seed = 0.3, (1, 2)
    _, eps = mlp.random_draws(X.shape, input_noise=sigma, seed=seed)
    mixed = mlp_fast.hvp(mlp, w, np.zeros_like(w), X, y, noise=sigma * eps, dX=eps)
    reference = grad(lambda s: anp.dot(grad(mlp.loss)(w, X, y, input_noise=s, seed=seed), v))(sigma)
    assert np.dot(mixed, v) == pytest.approx(reference, rel=1e-10)
    both = mlp_fast.hvp(mlp, w, v, X, y, noise=sigma * eps, dX=eps)
    assert relative_error(both, mixed + mlp.hvp(w, v, X, y, input_noise=sigma, seed=seed)) <= 1e-12


def test_logits_and_predictions_equal_the_reference():
    mlp, w, X, _, _, _ = problem("relu")
    np.testing.assert_allclose(mlp_fast.logits(mlp, w, X), mlp.logits(w, X), rtol=1e-14)
    np.testing.assert_array_equal(mlp.predict(w, X), np.argmax(mlp.logits(w, X), axis=1))


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_strict_device_gives_numpy_results(activation):
    """array-api-strict's "device1" refuses host conversion and NumPy-only calls, as a GPU
    array would: equal results there show the code is ready for CuPy."""
    mlp, w, X, y, v, l2_vec = problem(activation)
    kwargs = {"dropout": 0.3, "input_noise": 0.4, "seed": (2, 7)}
    on = backend.strict_asarray
    dev = [on(a) for a in (w, X, y, v, l2_vec)]
    loss, g = mlp.loss_and_grad(w, X, y, l2=l2_vec, l1=0.01, **kwargs)
    loss_d, g_d = mlp.loss_and_grad(*dev[:3], l2=dev[4], l1=0.01, **kwargs)
    hv_d = mlp.hvp(dev[0], dev[3], *dev[1:3], l2=dev[4], **kwargs)
    assert g_d.device == backend.strict_device() and hv_d.device == backend.strict_device()
    np.testing.assert_allclose(backend.to_numpy(loss_d), loss, rtol=1e-15, atol=0)
    np.testing.assert_allclose(backend.to_numpy(g_d), g, rtol=1e-15, atol=1e-300)
    np.testing.assert_allclose(backend.to_numpy(hv_d), mlp.hvp(w, v, X, y, l2=l2_vec, **kwargs), rtol=1e-15, atol=1e-300)
    np.testing.assert_allclose(backend.to_numpy(mlp.loss(*dev[:3], l2=dev[4], **kwargs)),
                               mlp.loss(w, X, y, l2=l2_vec, **kwargs), rtol=1e-15)
    assert mlp.error(*dev[:3]) == mlp.error(w, X, y)


def test_bad_fast_path_arguments():
    """The MLP methods validate; the kernels of mlp_fast (per minibatch) do not, by design."""
    mlp, w, X, y, v, _ = problem()
    with pytest.raises(ValueError, match=r"v must be a 1-D array of length 125"):
        mlp.hvp(w, v[:-1], X, y)
    with pytest.raises(ValueError, match=r"X must contain only finite values"):
        mlp.loss_and_grad(w, np.full_like(X, np.nan), y)
    with pytest.raises(ValueError, match=r"dropout must be in \[0, 1\)"):
        mlp.loss_and_grad(w, X, y, dropout=1.0, seed=0)
    with pytest.raises(ValueError, match="l2 must be >= 0"):
        mlp.hvp(w, v, X, y, l2=-1.0)
    with pytest.raises(ValueError, match=r"X and y must have one row per label"):
        mlp.loss_and_grad(w, X, y[:3])
