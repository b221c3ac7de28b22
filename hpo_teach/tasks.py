"""Related few-shot tasks, and networks that learn how much of their weights to share.

Maclaurin, Duvenaud & Adams (2015, "learning weight-sharing") train one network per task on
five Omniglot alphabets and their 90-degree rotations. Task i's layer-l weights are a mixture
of K latent weight vectors, ``w_il = sum_k M_l[i, k] z_kl``, and the K x K matrices ``M_l``
are hyperparameters tuned by hypergradients: ``M_l = I`` is K separate networks, a matrix of
1/K everywhere ties the layer across all tasks, anything between shares partly.

Here the tasks come from MNIST (:func:`rotation_tasks`: digits 0-4, 5-9 and both rotated by
90 degrees, a few training images per class) and :class:`SharedMLP` is the mixture model.
:class:`SharedTrainLoss` is its training loss in the form
:func:`hpo_teach.hypergrad.reversible.hypergrad` takes: calling it is the autograd
reference, and its ``grad``/``grad_and_hvps`` methods are a fast path built from
``MLP.loss_and_grad`` and ``MLP.hvp`` (NumPy), tested against autograd.
"""

from dataclasses import dataclass

import autograd.numpy as anp
import numpy as np
from autograd.tracer import getval

from .checks import require_finite_array, require_int, require_number
from .data import mnist_small

DIGIT_GROUPS = ((0, 1, 2, 3, 4), (5, 6, 7, 8, 9))


# ----------------------------------------------------------------------------- tasks

@dataclass(frozen=True)
class Task:
    """One classification task: images of ``digits`` (labelled 0..len-1), maybe rotated."""

    name: str
    digits: tuple
    rotated: bool
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


def rotate90(X, side):
    """Rotate each row of ``X`` (a flattened ``side`` x ``side`` image) by 90 degrees counter-clockwise."""
    side = require_int("side", side, low=1)
    X = np.asarray(X)
    if X.ndim != 2 or X.shape[1] != side * side:
        raise ValueError(f"X must have shape (n, side*side) = (n, {side * side}), got {X.shape}")
    return np.rot90(X.reshape(-1, side, side), 1, axes=(1, 2)).reshape(len(X), side * side)


def rotation_tasks(n_per_class=15, digit_groups=DIGIT_GROUPS, side=14, seed=0):
    """Tasks for each group of digits and the same tasks rotated by 90 degrees.

    Each task gets ``n_per_class`` training images per digit (drawn with ``seed`` from
    ``mnist_small("train")``) and every test-split image of its digits. A rotated task uses
    the very same images turned by 90 degrees, as the paper's rotated alphabets do. Labels
    are the digit's position in its group, so every task has ``len(group)`` classes.
    """
    n_per_class = require_int("n_per_class", n_per_class, low=1, high=200)
    seed = require_int("seed", seed, low=0)
    groups = [tuple(int(d) for d in group) for group in digit_groups]
    if not groups or any(len(g) < 2 or len(set(g)) != len(g) or not set(g) <= set(range(10)) for g in groups):
        raise ValueError(f"digit_groups must be groups of >= 2 distinct digits in 0..9, got {digit_groups!r}")
    X_train, y_train = mnist_small("train", side)
    X_test, y_test = mnist_small("test", side)
    rng = np.random.default_rng(seed)
    upright = []
    for group in groups:
        picks = np.concatenate([rng.choice(np.flatnonzero(y_train == d), n_per_class, replace=False)
                                for d in group])
        in_test = np.isin(y_test, group)
        name = f"{group[0]}-{group[-1]}" if group == tuple(range(group[0], group[-1] + 1)) else "".join(map(str, group))
        upright.append(Task(name, group, False, X_train[picks], np.repeat(np.arange(len(group)), n_per_class),
                            X_test[in_test], np.searchsorted(group, y_test[in_test])))
    turned = [Task(t.name + " rot", t.digits, True, rotate90(t.X_train, side), t.y_train,
                   rotate90(t.X_test, side), t.y_test) for t in upright]
    return upright + turned


def holdout(tasks, n_valid_per_class, seed):
    """Split every task's training images into (train, valid) pairs, stratified by class.

    Returns two lists of ``(X, y)``, one entry per task. The paper redraws this split at each
    meta-iteration so the mixing matrices cannot overfit one small validation set.
    """
    n_valid_per_class = require_int("n_valid_per_class", n_valid_per_class, low=1)
    rng = np.random.default_rng([require_int("seed", seed, low=0), 1])
    train, valid = [], []
    for task in tasks:
        counts = np.bincount(task.y_train)
        if n_valid_per_class >= counts.min():
            raise ValueError(f"n_valid_per_class must be below the smallest class size {counts.min()} "
                             f"(task {task.name!r}), got {n_valid_per_class}")
        held = np.zeros(len(task.y_train), dtype=bool)
        for c in range(len(counts)):
            held[rng.choice(np.flatnonzero(task.y_train == c), n_valid_per_class, replace=False)] = True
        train.append((task.X_train[~held], task.y_train[~held]))
        valid.append((task.X_train[held], task.y_train[held]))
    return train, valid


# ----------------------------------------------------------------------------- the mixture model

def mixing_matrices(n_tasks, sharing):
    """Flat meta vector of one K x K matrix per layer: ``(1 - c) I + c / K`` with ``c = sharing[l]``.

    c = 0 gives separate networks for that layer, c = 1 ties it across all tasks (every task
    gets the mean of the latent vectors), c = 0.5 is the paper's starting point.
    """
    n_tasks = require_int("n_tasks", n_tasks, low=1)
    eye, full = np.eye(n_tasks), np.full((n_tasks, n_tasks), 1.0 / n_tasks)
    return np.concatenate([((1 - c) * eye + c * full).ravel()
                           for c in (require_number("sharing", c) for c in sharing)])


def correlations(M):
    """Correlation matrix of the tasks' weights implied by a mixing matrix: normalized M M^T.

    With independent latent vectors of equal variance, task i's and task j's weights have
    covariance (M M^T)_ij; the paper plots this correlation to show what is shared.
    """
    M = np.asarray(M)
    covariance = M @ M.T
    scale = np.sqrt(np.diag(covariance))
    return covariance / np.outer(scale, scale)


class SharedMLP:
    """K copies of ``mlp``'s architecture whose layer-l weights mix K latent vectors by ``M_l``.

    ``z`` is the flat vector of the K latent parameter vectors (K * mlp.n_params: these are
    trained by SGD); ``meta`` is the flat vector of the L mixing matrices (L * K * K: these are
    the hyperparameters). A layer's weights and bias share one mixing matrix.
    """

    def __init__(self, mlp, n_tasks):
        self.mlp = mlp
        self.n_tasks = require_int("n_tasks", n_tasks, low=1)
        self.n_layers = mlp.n_layers
        self.layer_slices = [slice(mlp.slice(f"W{k}").start, mlp.slice(f"b{k}").stop)
                             for k in range(1, mlp.n_layers + 1)]
        self.n_latent = self.n_tasks * mlp.n_params
        self.n_meta = self.n_layers * self.n_tasks**2

    def __repr__(self):
        return (f"SharedMLP({list(self.mlp.sizes)}, n_tasks={self.n_tasks})  "
                f"# {self.n_latent} latent weights, {self.n_meta} mixing coefficients")

    def init(self, seed, scale):
        """Latent weights drawn N(0, scale^2) (the paper uses scale e^-2)."""
        scale = require_number("scale", scale)
        return np.random.default_rng(require_int("seed", seed, low=0)).normal(size=self.n_latent) * scale

    def check(self, z, meta):
        """Raise unless ``z`` and ``meta`` have the model's lengths."""
        for name, value, size in (("z", z, self.n_latent), ("meta", meta, self.n_meta)):
            shape = getattr(getval(value), "shape", None)
            if shape != (size,):
                raise ValueError(f"{name} must be a 1-D array of length {size}, got shape {shape}")

    def mixing(self, meta):
        """The mixing matrices as an (L, K, K) array."""
        return anp.reshape(meta, (self.n_layers, self.n_tasks, self.n_tasks))

    def weights(self, z, meta):
        """Every task's flat parameter vector, as a (K, n_params) array (autograd-traceable)."""
        self.check(z, meta)
        Z, M = anp.reshape(z, (self.n_tasks, self.mlp.n_params)), self.mixing(meta)
        return anp.concatenate([M[l] @ Z[:, s] for l, s in enumerate(self.layer_slices)], axis=1)

    def task_losses(self, z, meta, data):
        """Mean cross-entropy of each task on its ``(X, y)`` in ``data`` (NumPy array of K values)."""
        W = self.weights(z, meta)
        return np.array([float(self.mlp.loss(W[i], X, y)) for i, (X, y) in enumerate(self._data(data))])

    def loss(self, z, meta, data):
        """Mean over tasks of their mean cross-entropy (autograd-differentiable in z and meta)."""
        W = self.weights(z, meta)
        return sum(self.mlp.loss(W[i], X, y) for i, (X, y) in enumerate(self._data(data))) / self.n_tasks

    def errors(self, z, meta, data):
        """Fraction of misclassified examples of each task (NumPy array of K values)."""
        W = self.weights(z, meta)
        return np.array([self.mlp.error(W[i], X, y) for i, (X, y) in enumerate(self._data(data))])

    def _data(self, data):
        data = list(data)
        if len(data) != self.n_tasks:
            raise ValueError(f"data must hold one (X, y) pair per task ({self.n_tasks}), got {len(data)}")
        return data


class SharedTrainLoss:
    """Full-batch training loss of a :class:`SharedMLP`: ``model.loss(z, meta, data) + exp(log_l2) |z|^2``.

    Use it twice in one call, as the loss and as its derivatives provider::

        loss = SharedTrainLoss(model, train_data, log_l2=-4.0)
        reversible.hypergrad(loss, valid_loss, z0, meta, alphas, betas, derivatives=loss)

    ``t`` is ignored (every step sees all training examples). The fast path: with task i's
    gradient G_i and Hessian H_i in its own weights (each divided by K), and ``U_l = M_l u_l``,

    - grad in z, layer l:      ``M_l^T G_l + 2 lam z_l``
    - H u in z, layer l:       ``M_l^T (H U)_l + 2 lam u_l``
    - d(g . u)/dM_l:           ``G_l u_l^T + (H U)_l z_l^T``

    (the last by the chain rule through w = M z and the symmetry of H).
    """

    def __init__(self, model, data, log_l2):
        self.model = model
        self.data = [(require_finite_array("X", np.asarray(X, dtype=float), ndim=2), np.asarray(y))
                     for X, y in model._data(data)]
        self.l2 = float(np.exp(require_number("log_l2", log_l2)))

    def __call__(self, z, meta, t):
        """The training loss (autograd reference)."""
        return self.model.loss(z, meta, self.data) + self.l2 * anp.sum(z * z)

    def grad(self, z, meta, t):
        """d loss / dz by per-task backprop."""
        M, W = self._mixing_and_weights(z, meta)
        G = self._task_grads(W)
        return self._to_latent(M, G) + 2.0 * self.l2 * z

    def grad_and_hvps(self, z, meta, t, u):
        """``(g, H u, d(g . u)/dmeta)``; g is bit-identical to :meth:`grad`'s."""
        model, K = self.model, self.model.n_tasks
        M, W = self._mixing_and_weights(z, meta)
        G = self._task_grads(W)
        g = self._to_latent(M, G) + 2.0 * self.l2 * z
        Z, U = np.reshape(z, (K, -1)), np.reshape(u, (K, -1))
        U_w = model.weights(u, meta)  # the direction u seen in each task's weights: M_l u_l
        HU = np.stack([model.mlp.hvp(W[i], U_w[i], X, y) for i, (X, y) in enumerate(self.data)]) / K
        hvp = self._to_latent(M, HU) + 2.0 * self.l2 * u
        mixed = np.concatenate([(G[:, s] @ U[:, s].T + HU[:, s] @ Z[:, s].T).ravel()
                                for s in model.layer_slices])
        return g, hvp, mixed

    def _mixing_and_weights(self, z, meta):
        return np.asarray(self.model.mixing(meta)), self.model.weights(z, meta)

    def _task_grads(self, W):
        """Rows: gradient of task i's mean cross-entropy in its weights, divided by K."""
        mlp = self.model.mlp
        return np.stack([mlp.loss_and_grad(W[i], X, y)[1] for i, (X, y) in enumerate(self.data)]) / self.model.n_tasks

    def _to_latent(self, M, G):
        """Pull per-task weight gradients back to the latent vectors: ``M_l^T G_l`` per layer, flattened."""
        return np.concatenate([M[l].T @ G[:, s] for l, s in enumerate(self.model.layer_slices)], axis=1).ravel()
