# Exercise 4 of notebook 10b: the hypergradient of a weight that only decays.
#
# Take weight i = (pixel p, class c), with pixel p equal to 0 in every training image but lit in some validation image.
# - Its data gradient is x_p * (softmax - one-hot) = 0 on every minibatch: only the penalty lambda_i w_i**2 acts, so
#   v <- beta v - (1 - beta) 2 lambda_i w_i,  w <- w + alpha v  is a scalar linear recursion: w_T,i = c(lambda_i) w_0,i.
# - The validation loss does see w_T,i (x_p > 0 in some validation images), so by the chain rule
#   d f / d log lambda_i = (d L_valid / d w_T,i) * lambda_i c'(lambda_i) w_0,i   -- not zero, and no reverse pass needed.
import os

for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")  # exact reversal needs a fixed BLAS thread count

import autograd  # noqa: E402
import numpy as np  # noqa: E402

from hpo_teach.data.mnist_subset import mnist  # noqa: E402
from hpo_teach.hypergrad import reversible  # noqa: E402
from hpo_teach.models.mlp import MLP  # noqa: E402
from hpo_teach.problems.mlp_l2 import MLPTrainLoss  # noqa: E402

X_train, y_train = mnist("train")
X_valid, y_valid = mnist("valid")
logreg = MLP([784, 10])
w0 = np.random.default_rng(0).normal(size=logreg.n_params) * np.exp(-4)
log_lambda = np.log(0.01) + 1.0  # section 2's start, the same for every weight
T, ALPHA, BETA = 50, 1.0, 0.9


def decay_factor(log_lam):
    """c(lambda): w_T = c w_0 for a weight that only feels the penalty lambda w**2."""
    w, v = 1.0, 0.0
    for _ in range(T):
        v = BETA * v - (1 - BETA) * 2 * np.exp(log_lam) * w
        w = w + ALPHA * v
    return w


# w_T itself (for d L_valid / d w_T) needs the full training run; its d_meta is what we predict without reversal.
loss = MLPTrainLoss(logreg, X_train, y_train, batch_size=200, seed=0, l2="param")
w_T = reversible.train_exact(loss, w0, np.full(logreg.n_params, log_lambda), np.full(T, ALPHA), np.full(T, BETA))
dL_dwT = autograd.grad(lambda w: logreg.loss(w, X_valid, y_valid))(w_T)
mask = (X_train.max(axis=0) == 0) & (X_valid.max(axis=0) > 0)  # dark in training, lit in validation
dc = autograd.grad(decay_factor)(log_lambda)  # = lambda c'(lambda)
predicted = dL_dwT[:7840].reshape(784, 10)[mask] * dc * w0[:7840].reshape(784, 10)[mask]
print(f"{mask.sum()} pixels; c(lambda) = {decay_factor(log_lambda):.4f}, lambda c'(lambda) = {dc:.4f}; "
      f"predicted |d_meta| up to {np.abs(predicted).max():.2g}")

try:  # check the answer (works when run from notebooks/ or after %load in the notebook)
    from solutions.checks_10b import check_decay_hypergradient
except ImportError:
    from checks_10b import check_decay_hypergradient
check_decay_hypergradient(predicted)
# The reverse pass agrees with the prediction (the check compares them). The entries are tiny (printed above): w_0 is
# of order e^-4 and only a few validation images see these pixels. Their sign is that of -(d L_valid / d w_T,i) w_0,i,
# because lambda c'(lambda) < 0 here: with alpha = 1 and beta = 0.9 the decay overshoots zero (c(lambda) < 0, printed
# above), and a larger lambda makes c more negative, so it moves w_T,i away from zero along -w_0,i.
