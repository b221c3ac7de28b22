# Exercise 2 of notebook 10a: the init-scale hypergradient, and a finite-difference check of it.
import os

for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")  # exact reversal needs one BLAS thread (set before importing NumPy)

import numpy as np  # noqa: E402

from hpo_teach.data.mnist_subset import mnist_small  # noqa: E402
from hpo_teach.hypergrad import reversible  # noqa: E402
from hpo_teach.problems.mlp_l2 import MLPTrainLoss  # noqa: E402
from hpo_teach.models.mlp import MLP  # noqa: E402


def d_log_scales(d_w0, w0, layer_of_param, n_layers):
    """w0_i = s_k eps_i, so d w0_i / d log s_k = w0_i: sum w0_i * d f / d w0_i over each layer."""
    return np.array([np.sum((w0 * d_w0)[layer_of_param == k]) for k in range(n_layers)])


X, y = mnist_small("train")
mlp = MLP([196, 32, 32, 10])
T = 30
train_loss = MLPTrainLoss(mlp, X, y, batch_size=50, seed=0, l2="none")


def hyper_loss(w, meta):
    return mlp.loss(w, X, y)


w0 = mlp.init(0, scheme="naive", scale=1.0) * np.exp(-3.0)
alphas, betas = np.full(T, 1.0), np.full(T, 0.5)
result = reversible.hypergrad(train_loss, hyper_loss, w0, np.zeros(0), alphas, betas)
analytic = d_log_scales(result.d_w0, w0, mlp.layer_of_param, mlp.n_layers)

h = 1e-3
for k in range(mlp.n_layers):
    losses = []
    for sign in (1, -1):
        w0_moved = np.where(mlp.layer_of_param == k, w0 * np.exp(sign * h), w0)  # log s_k moved by +-h
        w_final = reversible.train_exact(train_loss, w0_moved, np.zeros(0), alphas, betas)
        losses.append(hyper_loss(w_final, None))
    fd = (losses[0] - losses[1]) / (2 * h)
    print(f"layer {k + 1}: d f / d log s = {analytic[k]:+.5f}, finite difference {fd:+.5f}, "
          f"relative error {abs(analytic[k] - fd) / abs(fd):.1e}")

try:  # check the answer (works when run from notebooks/ or after %load in the notebook)
    from solutions.checks_10a import check_d_log_scales
except ImportError:
    from checks_10a import check_d_log_scales
check_d_log_scales(d_log_scales)
