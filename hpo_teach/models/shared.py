"""Related few-shot tasks, and networks that learn how much of their weights to share.

Maclaurin, Duvenaud & Adams (2015, "learning weight-sharing") train one network per task on
five Omniglot alphabets and their 90-degree rotations. Task i's layer-l weights are a mixture
of K latent weight vectors, ``w_il = sum_k M_l[i, k] z_kl``, and the K x K matrices ``M_l``
are hyperparameters tuned by hypergradients: ``M_l = I`` is K separate networks, a matrix of
1/K everywhere ties the layer across all tasks, anything between shares partly.

Here the tasks come from MNIST (:func:`hpo_teach.data.tasks.rotation_tasks`: digits 0-4, 5-9 and both rotated by
90 degrees, a few training images per class) and :class:`SharedMLP` is the mixture model.
:class:`~hpo_teach.problems.weight_sharing.SharedTrainLoss` is its training loss in the form
:func:`hpo_teach.hypergrad.reversible.hypergrad` takes: calling it is the autograd
reference, and its ``grad``/``grad_and_hvps`` methods are a fast path built from
``MLP.loss_and_grad`` and ``MLP.hvp`` (NumPy), tested against autograd.
"""

import autograd.numpy as anp
import numpy as np
from autograd.tracer import getval

from .._validate import require_int, require_number


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
        self.layer_slices = mlp.layer_slices
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
