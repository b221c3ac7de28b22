# Exercise 4 of notebook 10a: predict the onset of chaos for T = 160, then measure it.
import os

for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")  # exact reversal needs one BLAS thread (set before importing NumPy)

import numpy as np  # noqa: E402

from hpo_teach.data.mnist_subset import mnist_small  # noqa: E402
from hpo_teach.hypergrad import reversible  # noqa: E402
from hpo_teach.hypergrad.exact import ExactRangeError  # noqa: E402
from hpo_teach.problems.mlp_l2 import MLPTrainLoss  # noqa: E402
from hpo_teach.models.mlp import MLP  # noqa: E402

# The onsets measured in section 5 (first log alpha on the 0.125 grid with |d f / d log alpha| > 10).
measured = {10: 3.125, 20: 2.875, 40: 2.5, 80: 2.25}
Ts = np.array(list(measured))
b, a = np.polyfit(np.log2(Ts), list(measured.values()), 1)
prediction = a + b * np.log2(160)
print(f"fit to all four: onset = {a:.3f} {b:+.3f} * log2(T); predicted onset at T = 160: {prediction:.2f}")
# Only T = 40 and 80 are chaotic onsets (T = 10 and 20 are divergence): a line through those two alone
b2 = measured[80] - measured[40]  # per doubling of T
print(f"from the two chaotic onsets: {b2:+.3f} per doubling -> predicted onset at T = 160: {measured[80] + b2:.2f}")

# The same setup as section 5, T = 160.
X, y = mnist_small("train")
X, y = X[:1000], y[:1000]
mlp = MLP([196, 16, 10])
train_loss = MLPTrainLoss(mlp, X, y, batch_size=100, seed=0, l2="none")
w0 = mlp.init(0)
T = 160
for log_alpha in np.arange(1.5, 2.5 + 1e-9, 0.125):
    alpha = np.exp(log_alpha)
    try:
        result = reversible.hypergrad(train_loss, lambda w, meta: mlp.loss(w, X, y), w0, np.zeros(0),
                                      np.full(T, alpha), np.full(T, 0.9))
        g = alpha * result.d_alphas.sum()
    except ExactRangeError:
        g = np.nan
    print(f"log alpha = {log_alpha:.3f}: d f / d log alpha = {g:+.3g}")
    if not abs(g) <= 10:
        print(f"measured onset at T = {T}: log alpha = {log_alpha:.3f} (predicted {prediction:.2f})")
        break
# Each doubling of T from 10 to 80 lowered the onset by about 0.3 in log alpha. At T = 160 it still falls
# (2.125, below T = 80's 2.25) but by less than the fit predicts (1.94): the trend continues and flattens.
# With 4 points on a 0.125 grid, a straight line in log T is a rough guide, not a law.
