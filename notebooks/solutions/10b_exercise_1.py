# Exercise 1 of notebook 10b: one global L2 strength instead of 7,850, tuned by the same hypergradient loop.
import os

for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")  # exact reversal needs a fixed BLAS thread count

import numpy as np  # noqa: E402

from hpo_teach.data.mnist_subset import mnist  # noqa: E402
from hpo_teach.hypergrad import reversible  # noqa: E402
from hpo_teach.problems.mlp_l2 import MLPTrainLoss  # noqa: E402
from hpo_teach.models.mlp import MLP  # noqa: E402

X_train, y_train = mnist("train")
X_valid, y_valid = mnist("valid")
logreg = MLP([784, 10])
scalar_loss = MLPTrainLoss(logreg, X_train, y_train, batch_size=200, seed=0, l2="scalar")
w0 = np.random.default_rng(0).normal(size=logreg.n_params) * np.exp(-4)
alphas, betas = np.ones(50), np.full(50, 0.9)


def valid_loss(w, meta):
    return logreg.loss(w, X_valid, y_valid)


meta = np.array([np.log(0.01) + 1.0])  # one log lambda, lambda = 0.027
for i in range(30):
    run = reversible.hypergrad(scalar_loss, valid_loss, w0, meta, alphas, betas)
    assert run.w0_recovered_exactly
    if i in (0, 29):
        print(f"meta-step {i}: log lambda {meta[0]:.2f}, validation loss {run.valid_loss:.3f}")
    meta = meta - 10.0 * run.d_meta
w_T = reversible.train_exact(scalar_loss, w0, meta, alphas, betas)
print(f"final: log lambda {meta[0]:.2f} (lambda {np.exp(meta[0]):.4f}), "
      f"validation loss {float(valid_loss(w_T, meta)):.3f}")
# One lambda can only trade all weights' freedom against their noise at once: the validation loss ends well
# above the ~0.30 of per-weight penalties, which protect the useful pixels and clamp the rims separately.

try:  # check the answer (works when run from notebooks/ or after %load in the notebook)
    from solutions.checks_10b import check_global_l2
except ImportError:
    from checks_10b import check_global_l2
check_global_l2(meta[0])
