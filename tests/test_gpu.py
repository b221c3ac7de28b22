"""The CuPy path end to end, on a real GPU when one is present (skipped with the probe's reason otherwise).

The same code is tested on CPU through array-api-strict's device (tests/test_mlp_l2.py, test_mlp_fast.py,
test_exact.py, test_t1t2.py, test_implicit.py); here it meets CuPy: exact reversal with w, v and the information
buffer on the device, hypergradients, `fit`, gradients and HVPs equal to NumPy's; T1-T2 hyper-steps and online
tuning, and implicit hypergradients by Neumann series and conjugate gradients on the fast path's HVPs.
"""

import numpy as np
import pytest

from hpo_teach import backend
from hpo_teach.hypergrad import implicit, reversible, t1t2
from hpo_teach.models.mlp import MLP
from hpo_teach.problems.mlp_l2 import MLPTrainLoss
from hpo_teach.problems.mlp_t1t2 import T1T2TrainLoss, T2ValidLoss
from hpo_teach.testing import relative_error
from hpo_teach.training.loop import fit
from hpo_teach.training.optim import Momentum

pytestmark = pytest.mark.gpu


@pytest.fixture(scope="module")
def gpu():
    cupy, reason = backend.probe_cupy()
    if cupy is None:
        pytest.skip(reason)
    return backend.get_backend("cupy")


@pytest.fixture(scope="module")
def problem():
    rng = np.random.default_rng(0)
    mlp = MLP([64, 32, 10])
    X, y = rng.normal(size=(400, 64)), rng.integers(0, 10, 400)
    return mlp, X, y, mlp.init(0), rng.normal(size=mlp.n_params)


def test_grad_hvp_and_fit_equal_numpy(gpu, problem):
    mlp, X, y, w, v = problem
    on = (lambda a: backend.asarray(a, like=gpu))
    g, g_d = mlp.loss_and_grad(w, X, y, l2=1e-3)[1], mlp.loss_and_grad(on(w), on(X), on(y), l2=1e-3)[1]
    h, h_d = mlp.hvp(w, v, X, y, l2=1e-3), mlp.hvp(on(w), on(v), on(X), on(y), l2=1e-3)
    assert relative_error(backend.to_numpy(g_d), g) <= 1e-12 and relative_error(backend.to_numpy(h_d), h) <= 1e-12
    host = fit(mlp, w, X, y, Momentum(0.3), epochs=2, batch_size=50, progress=False)
    device = fit(mlp, on(w), on(X), on(y), Momentum(0.3), epochs=2, batch_size=50, progress=False)
    assert relative_error(backend.to_numpy(device.w_last), host.w_last) <= 1e-10


def test_exact_reversal_on_the_device_recovers_w0_and_equals_numpy(gpu, problem):
    mlp, X, y, w0, _ = problem
    on = (lambda a: backend.asarray(a, like=gpu))
    alphas, betas, meta = np.full(60, 0.3), np.full(60, 0.9), np.log([1e-3, 2e-3])

    def valid_loss(w, meta):
        return mlp.loss(w, X[:100], y[:100])

    host = reversible.hypergrad(MLPTrainLoss(mlp, X, y, 50, l2="layer"), valid_loss, w0, meta, alphas, betas)
    device = reversible.hypergrad(MLPTrainLoss(mlp, on(X), on(y), 50, l2="layer"), valid_loss, on(w0), on(meta),
                                  alphas, betas)
    assert device.w0_recovered_exactly
    assert backend.namespace_of(device.d_w0) is gpu.xp
    for field in ("w_final", "d_w0", "d_meta", "d_alphas", "d_betas"):
        assert relative_error(backend.to_numpy(getattr(device, field)), getattr(host, field)) <= 1e-10, field


def test_t1t2_hyper_step_and_tune_on_the_device_equal_numpy(gpu, problem):
    mlp, X, y, w, _ = problem
    on = (lambda a: backend.asarray(a, like=gpu))
    meta = np.array([-3.0, -3.5, 0.3])
    losses = (T1T2TrainLoss(mlp, X[:300], y[:300], 50), T2ValidLoss(mlp, X[300:], y[300:], 50, seed=1))
    device_losses = (T1T2TrainLoss(mlp, on(X[:300]), on(y[:300]), 50),
                     T2ValidLoss(mlp, on(X[300:]), on(y[300:]), 50, seed=1))
    host = t1t2.hypergradient(losses[0].at(3), losses[1].at(1), w, meta, 0.1)
    device = t1t2.hypergradient(device_losses[0].at(3), device_losses[1].at(1), on(w), on(meta), 0.1)
    assert backend.namespace_of(device) is gpu.xp
    assert relative_error(backend.to_numpy(device), host) <= 1e-10
    kwargs = dict(n_steps=30, lr=1e-2, hyper_lr=0.03, every=5, lower=[-8.0, -8.0, 0.0])
    host = t1t2.tune(*losses, w, meta, **kwargs)
    device = t1t2.tune(*device_losses, on(w), on(meta), **kwargs)
    assert backend.namespace_of(device.w, device.meta) is gpu.xp
    assert relative_error(backend.to_numpy(device.w), host.w) <= 1e-10
    for field in ("meta_path", "hypergradients", "valid_losses"):
        assert isinstance(getattr(device, field), np.ndarray), field
        assert relative_error(getattr(device, field), getattr(host, field)) <= 1e-10, field


def test_implicit_neumann_and_cg_on_the_device_equal_numpy(gpu):
    """IFT hypergradient from the fast path's HVP and mixed term (implicit's module docstring) on CuPy vs NumPy,
    at a minimum of a small MLP (H positive definite, condition number about 250, as in test_implicit.py)."""
    on = (lambda a: backend.asarray(a, like=gpu))
    rng = np.random.default_rng(1)
    mlp = MLP([4, 5, 3])
    X, y = rng.normal(size=(50, 4)), rng.integers(0, 3, 50)
    X_valid, y_valid = rng.normal(size=(30, 4)), rng.integers(0, 3, 30)
    loss, device_loss = MLPTrainLoss(mlp, X, y, 50, l2="layer"), MLPTrainLoss(mlp, on(X), on(y), 50, l2="layer")
    meta, w = np.log([0.1, 0.05]), mlp.init(0)
    for _ in range(2000):  # full-batch gradient descent to the minimum
        w = w - loss.grad(w, meta, 0)

    def ift(loss, w, meta, X_valid, y_valid, method):
        d_w = mlp.loss_and_grad(w, X_valid, y_valid, check_input=False)[1]

        def hvp(u):
            return loss.grad_and_hvps(w, meta, 0, u)[1]

        v = implicit.neumann(hvp, d_w, 100, 1.0) if method == "neumann" else \
            implicit.conjugate_gradient(hvp, d_w, tol=1e-12)[0]
        return v, -loss.grad_and_hvps(w, meta, 0, v)[2]

    for method in ("neumann", "cg"):
        v, d_meta = ift(loss, w, meta, X_valid, y_valid, method)
        v_d, d_meta_d = ift(device_loss, on(w), on(meta), on(X_valid), on(y_valid), method)
        assert backend.namespace_of(v_d, d_meta_d) is gpu.xp
        assert relative_error(backend.to_numpy(d_meta_d), d_meta) <= 1e-10, method
        assert relative_error(backend.to_numpy(v_d), v) <= 1e-10, method
