# Exercise 4 of notebook 10b: why never-lit pixels get a hypergradient of exactly zero.
#
# Take weight i = (pixel p, class c), with pixel p equal to 0 in every training and validation image.
# - The validation loss does not depend on w_i (its input is always 0): the reverse pass starts with dw_i = 0.
# - In the training loss, w_i only appears in the penalty lambda_i w_i**2: the Hessian's row i is 2 lambda_i e_i
#   (every data term of that row is multiplied by x_p = 0), and the mixed term is 2 lambda_i w_i dv_i.
# - The reverse recursion (notebook 09): dv += alpha dw;  dw -= (1 - beta) H dv;  dmeta -= (1 - beta) dL2/dmeta dw . dv.
#   With dw_i = dv_i = 0 to start, every update of dw_i and dv_i is 2 lambda_i * 0 or 0 * (something): they stay 0,
#   and so does every contribution 2 lambda_i w_i dv_i to dmeta_i -- exactly, because x * 0.0 == 0 in floating point.
# So meta-gradient descent never moves those lambdas: the learned map keeps its starting value there to the last bit.
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
loss = MLPTrainLoss(logreg, X_train, y_train, batch_size=200, seed=0, l2="param")
w0 = np.random.default_rng(0).normal(size=logreg.n_params) * np.exp(-4)
meta = np.full(logreg.n_params, np.log(0.01) + 1.0)
run = reversible.hypergrad(loss, lambda w, m: logreg.loss(w, X_valid, y_valid), w0, meta,
                           np.ones(50), np.full(50, 0.9))
dark = (X_train.max(axis=0) == 0) & (X_valid.max(axis=0) == 0)
print(f"{dark.sum()} dark pixels; max |d_meta| on their weights:",
      np.abs(run.d_meta[:7840].reshape(784, 10)[dark]).max())

try:  # check the answer (works when run from notebooks/ or after %load in the notebook)
    from solutions.checks_10b import check_dark_hypergradient
except ImportError:
    from checks_10b import check_dark_hypergradient
check_dark_hypergradient(run.d_meta, dark)
