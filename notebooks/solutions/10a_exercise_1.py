# Exercise 1 of notebook 10a: the bias of a truncated hypergradient (Shaban et al. 2019).
import os

for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")  # exact reversal needs one BLAS thread (set before importing NumPy)

import autograd  # noqa: E402
import autograd.numpy as anp  # noqa: E402
import numpy as np  # noqa: E402

from hpo_teach.data.mnist_subset import mnist_small  # noqa: E402
from hpo_teach.models.mlp import MLP  # noqa: E402
from hpo_teach.problems.mlp_l2 import MLPTrainLoss  # noqa: E402


def truncated_dlogalpha(grad, hyper_loss, w0, log_alpha, beta, T, K):
    """d hyper_loss(w_T) / d log alpha, differentiating only through the last K of T steps."""
    alpha = float(np.exp(log_alpha))
    w, v = np.array(w0, dtype=float), np.zeros(len(w0))
    for t in range(T - K):  # plain floats: w_(T-K) and v_(T-K) are constants for the derivative
        v = beta * v - (1 - beta) * grad(w, t)
        w = w + alpha * v

    def tail(la):
        ww, vv = w, v
        for t in range(T - K, T):
            vv = beta * vv - (1 - beta) * grad(ww, t)
            ww = ww + anp.exp(la) * vv
        return hyper_loss(ww)

    return float(autograd.grad(tail)(float(log_alpha)))


try:  # check the answer (works when run from notebooks/ or after %load in the notebook)
    from solutions.checks_10a import check_truncated
except ImportError:
    from checks_10a import check_truncated
check_truncated(truncated_dlogalpha)

# Section 5's T = 80 problem, at log alpha = 1.0 (the smooth region).
X, y = mnist_small("train")
X, y = X[:1000], y[:1000]
mlp = MLP([196, 16, 10])
train_loss = MLPTrainLoss(mlp, X, y, batch_size=100, seed=0, l2="none")
NO_META = np.zeros(0)
step_grads = {}


def grad(w, t):
    if t not in step_grads:
        step_grads[t] = autograd.grad(lambda w_: train_loss(w_, NO_META, t))
    return step_grads[t](w)


def hyper_loss(w):
    return mlp.loss(w, X, y)


full = None
for K in (80, 40, 20, 10, 5):
    g = truncated_dlogalpha(grad, hyper_loss, mlp.init(0), 1.0, 0.9, 80, K)
    full = g if full is None else full
    print(f"K = {K:2d}: d f / d log alpha = {g:+.4f} ({g / full:.2f} x the full hypergradient)")
# In our run the full hypergradient is negative (a larger rate would help) and short truncations see only
# the last steps' effect: they shrink it and, for very short K, can flip its sign -- the short-horizon bias
# (Wu et al. 2018) pushes the learning rate down, towards greedy, small steps.
