"""The training loss of a :class:`~hpo_teach.models.shared.SharedMLP`, for reversible hypergradients.

Calling it is the autograd reference; its ``grad``/``grad_and_hvps`` methods are a fast path built
from ``MLP.loss_and_grad`` and ``MLP.hvp`` (NumPy), tested against autograd.
"""

import autograd.numpy as anp
import numpy as np

from .._validate import require_finite_array, require_number


class SharedTrainLoss:
    """Full-batch training loss of a :class:`SharedMLP`: ``model.loss(z, meta, data) + exp(log_l2) |z|^2``.

    Use it twice in one call, as the loss and as its derivatives provider::

        loss = SharedTrainLoss(model, train_data, log_l2=-4.0)
        reversible.hypergrad(loss, valid_loss, z0, meta, alphas, betas)

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

    def check(self, z, meta):
        """Validate latent weights and mixing matrices once (the hypergradient methods call this first)."""
        for name, array, size in (("z0", z, self.model.n_latent), ("meta", meta, self.model.n_meta)):
            if tuple(np.shape(array)) != (size,):
                raise ValueError(f"{name} must be a 1-D array of length {size}, got shape {tuple(np.shape(array))}")

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
        HU = np.stack([model.mlp.hvp(W[i], U_w[i], X, y, check_input=False) for i, (X, y) in enumerate(self.data)]) / K
        hvp = self._to_latent(M, HU) + 2.0 * self.l2 * u
        mixed = np.concatenate([(G[:, s] @ U[:, s].T + HU[:, s] @ Z[:, s].T).ravel()
                                for s in model.layer_slices])
        return g, hvp, mixed

    def _mixing_and_weights(self, z, meta):
        return np.asarray(self.model.mixing(meta)), self.model.weights(z, meta)

    def _task_grads(self, W):
        """Rows: gradient of task i's mean cross-entropy in its weights, divided by K."""
        mlp = self.model.mlp
        return np.stack([mlp.loss_and_grad(W[i], X, y, check_input=False)[1] for i, (X, y) in enumerate(self.data)]) / \
            self.model.n_tasks

    def _to_latent(self, M, G):
        """Pull per-task weight gradients back to the latent vectors: ``M_l^T G_l`` per layer, flattened."""
        return np.concatenate([M[l].T @ G[:, s] for l, s in enumerate(self.model.layer_slices)], axis=1).ravel()
