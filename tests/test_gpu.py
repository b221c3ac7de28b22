"""The CuPy path end to end, on a real GPU when one is present (skipped with the probe's reason otherwise).

The same code is tested on CPU through array-api-strict's device (tests/test_mlp_l2.py, test_mlp_fast.py,
test_exact.py); here it meets CuPy: exact reversal with w, v and the information buffer on the device,
hypergradients, `fit`, gradients and HVPs equal to NumPy's.
"""

import numpy as np
import pytest

from hpo_teach import backend
from hpo_teach.hypergrad import reversible
from hpo_teach.models.mlp import MLP
from hpo_teach.problems.mlp_l2 import MLPTrainLoss
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
