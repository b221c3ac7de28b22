# Exercise 2 of notebook 10b: distill the training set into 20 images, two per class.
import os

for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")  # exact reversal needs a fixed BLAS thread count

import numpy as np  # noqa: E402

from hpo_teach.data.mnist_subset import mnist  # noqa: E402
from hpo_teach.problems.distill import DistilledDataLoss  # noqa: E402
from hpo_teach.hypergrad import reversible  # noqa: E402
from hpo_teach.models.mlp import MLP  # noqa: E402

X_train, y_train = mnist("train")
logreg = MLP([784, 10])
labels = np.repeat(np.arange(10), 2)  # two images per class
loss = DistilledDataLoss(logreg, labels)
w0 = np.random.default_rng(0).normal(size=logreg.n_params) * np.exp(-4)
alphas, betas = np.ones(20), np.full(20, 0.9)


def valid_loss(w, meta):
    return logreg.loss(w, X_train, y_train)


meta = loss.init_meta(seed=0, scale=0.01, l2=0.01)
for i in range(40):
    run = reversible.hypergrad(loss, valid_loss, w0, meta, alphas, betas)
    assert run.w0_recovered_exactly
    meta = meta - 1.0 * run.d_meta
images = loss.images(meta)
# Measured: 12.6% test error with 20 images against 12.3% for the notebook's 10 images scored the same way
# (check_distilled retrains with L2 0.01; with their learned L2 the notebook measured 12.4%) -- no gain. Logistic regression has a single
# linear template per class, which one image can already encode; a second image per class adds nothing it needs.
# (Each image now enters the mean cross-entropy with weight 1/20 instead of 1/10, so its pixels also move more
# slowly with the same meta step.)

try:  # check the answer (works when run from notebooks/ or after %load in the notebook)
    from solutions.checks_10b import check_distilled
except ImportError:
    from checks_10b import check_distilled
check_distilled(images, labels)
