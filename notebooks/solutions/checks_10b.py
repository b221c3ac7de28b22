"""Check functions for the exercises of notebook 10b (reversible-learning experiments).

Each prints "correct: ..." or "not yet: ..." with a hint, and returns True or False.
Reference values were measured with the solution files (seeds fixed, one BLAS thread).
"""

import numpy as np

from hpo_teach.testing import verdict

GLOBAL_LOG_L2 = -7.11  # exercise 1: log lambda after 30 meta-steps of 10
TIED_TOP_NLL = 0.99    # exercise 3: mean test NLL with the top layer tied
DISTILLED_MAX_ERROR = 0.15


def _number(x):
    try:
        return float(np.asarray(x).reshape(()))
    except (TypeError, ValueError):
        return None


def check_global_l2(log_lambda):
    """Exercise 1: the single log L2 strength after 30 meta-steps (step 10) from log 0.027."""
    value = _number(log_lambda)
    if value is None:
        return verdict(False, "", f"pass one number (the final log lambda), got {log_lambda!r}")
    return verdict(abs(value - GLOBAL_LOG_L2) <= 0.3,
                   f"log lambda = {value:.2f}: one global penalty wants to be much weaker than the start; "
                   f"compare its validation loss with the per-weight run and with the grid search of section 2",
                   "not the value 30 meta-steps reach: compare your setup with section 2's (start, T, alpha, beta, "
                   "w0) and with the exercise's meta step")


def check_distilled(images, labels, max_error=DISTILLED_MAX_ERROR):
    """Exercise 2: train logistic regression on ``images`` (labels ``labels``) for 20 steps
    (alpha 1, beta 0.9, L2 0.01, the notebook's w0) and score it on the test split."""
    from hpo_teach.data.mnist_subset import mnist
    from hpo_teach.problems.distill import DistilledDataLoss
    from hpo_teach.hypergrad import reversible
    from hpo_teach.models.mlp import MLP

    images, labels = np.asarray(images, dtype=float), np.asarray(labels)
    if images.ndim != 2 or images.shape[1] != 784 or labels.shape != (images.shape[0],):
        return verdict(False, "", f"images must be (n, 784) with one label each; got {images.shape} and {labels.shape}")
    logreg = MLP([784, 10])
    loss = DistilledDataLoss(logreg, labels)
    w0 = np.random.default_rng(0).normal(size=logreg.n_params) * np.exp(-4)
    meta = np.concatenate([images.ravel(), [np.log(0.01)]])
    w = reversible.train_exact(loss, w0, meta, np.ones(20), np.full(20, 0.9))
    X_test, y_test = mnist("test")
    error = logreg.error(w, X_test, y_test)
    return verdict(error < max_error,
                   f"{len(labels)} images train logistic regression to under {100 * max_error:.0f}% test error",
                   f"these {len(labels)} images do not yet train a good classifier (want under "
                   f"{100 * max_error:.0f}% test error); run the 40 meta-steps of step 1 on the real-data hyper-loss")


def check_tied_top(test_nll):
    """Exercise 3: mean test NLL over the four tasks with the top layer tied, the bottom separate."""
    value = _number(test_nll)
    if value is None:
        return verdict(False, "", f"pass one number (the mean test NLL), got {test_nll!r}")
    return verdict(abs(value - TIED_TOP_NLL) <= 0.03,
                   f"tied top layer: test NLL {value:.2f}; where does it sit between separate and tied bottom, "
                   f"and does that survive tuning the scale?",
                   "not the tied-top number -- use mixing_matrices(K, [0, 1]) at scale 1, train on all 15 images "
                   "per class, and average shared.loss over the 4 tasks' test data")


def check_decay_hypergradient(predicted):
    """Exercise 4: the hypergradients d f / d log lambda_i, at section 2's start (all lambda = 0.027), of the
    weights of pixels dark in every training image but lit in some validation image, as an array
    (pixels, 10) in the order ``d_meta[:7840].reshape(784, 10)[mask]``, predicted without the reverse pass."""
    from hpo_teach.data.mnist_subset import mnist
    from hpo_teach.hypergrad import reversible
    from hpo_teach.models.mlp import MLP
    from hpo_teach.problems.mlp_l2 import MLPTrainLoss

    X_train, y_train = mnist("train")
    X_valid, y_valid = mnist("valid")
    mask = (X_train.max(axis=0) == 0) & (X_valid.max(axis=0) > 0)
    try:
        predicted = np.asarray(predicted, dtype=float)
    except (TypeError, ValueError):
        return verdict(False, "", f"pass an array of numbers, got {type(predicted).__name__}")
    if predicted.shape != (int(mask.sum()), 10):
        return verdict(False, "", f"pass one value per weight of those pixels: shape ({mask.sum()}, 10), "
                                  f"got {predicted.shape}")
    logreg = MLP([784, 10])
    loss = MLPTrainLoss(logreg, X_train, y_train, batch_size=200, seed=0, l2="param")
    w0 = np.random.default_rng(0).normal(size=logreg.n_params) * np.exp(-4)
    run = reversible.hypergrad(loss, lambda w, meta: logreg.loss(w, X_valid, y_valid), w0,
                               np.full(logreg.n_params, np.log(0.01) + 1.0), np.ones(50), np.full(50, 0.9))
    expected = run.d_meta[:7840].reshape(784, 10)[mask]
    close = np.abs(predicted - expected) <= 1e-3 * np.abs(expected).max()
    return verdict(bool(close.all()),
                   "your prediction matches the reverse pass on every weight of those pixels",
                   "not the reverse pass's values yet: follow one such weight through training (what moves it?) "
                   "and ask what in the validation loss sees it")
