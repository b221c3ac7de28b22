# Exercise 1 of notebook 10a: per-block learning-rate hypergradients (weights and biases separately).
import os

for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")  # exact reversal needs one BLAS thread (set before importing NumPy)

import numpy as np  # noqa: E402

from hpo_teach.data.mnist_subset import mnist_small  # noqa: E402
from hpo_teach.hypergrad import reversible  # noqa: E402
from hpo_teach.problems.mlp_l2 import MLPTrainLoss  # noqa: E402
from hpo_teach.models.mlp import MLP  # noqa: E402


def group_sums(d_alphas, groups, n_groups):
    """(T, d) per-parameter hypergradients -> (T, n_groups): column j sums the parameters of group j."""
    one_hot = (groups[:, None] == np.arange(n_groups)).astype(float)  # d x n_groups
    return d_alphas @ one_hot


# The notebook's problem at its starting point: alpha = e^-1, beta = 0.5, init scale e^-3, T = 100.
X, y = mnist_small("train")
mlp = MLP([196, 32, 32, 10])
T = 100
block_names = [name for name, _ in mlp.blocks]  # W1, b1, W2, b2, W3, b3
block_of_param = np.concatenate([np.full(int(np.prod(shape)), j) for j, (_, shape) in enumerate(mlp.blocks)])
train_loss = MLPTrainLoss(mlp, X, y, batch_size=50, seed=0, l2="none")
w0 = mlp.init(0, scheme="naive", scale=1.0) * np.exp(-3.0)
alphas = np.full((T, mlp.n_params), np.exp(-1.0))
result = reversible.hypergrad(train_loss, lambda w, meta: mlp.loss(w, X, y), w0, np.zeros(0), alphas,
                              np.full(T, 0.5))
assert result.w0_recovered_exactly

per_block = group_sums(result.d_alphas, block_of_param, len(block_names))  # (T, 6)
# d f / d log alpha of a block's whole schedule (all steps scaled together) = alpha * sum over t
whole_schedule = np.exp(-1.0) * per_block.sum(axis=0)
for name, value in zip(block_names, whole_schedule):
    print(f"{name}: d f / d log alpha (all steps) = {value:+.4f}")
print("most wants a larger rate:", block_names[int(np.argmin(whole_schedule))])
# Every value is negative (all rates are too small at the start), the top layer's weights most. The bias
# blocks barely matter here: they hold few parameters and start at 0.

try:  # check the answer (works when run from notebooks/ or after %load in the notebook)
    from solutions.checks_10a import check_group_sums
except ImportError:
    from checks_10a import check_group_sums
check_group_sums(group_sums)
