"""Training data as hyperparameters: learn a few synthetic images to train a classifier on.

Maclaurin, Duvenaud & Adams (2015, "optimizing training data") train logistic regression
for T steps on **only ten synthetic images**, one per class, and tune the images' pixels (and
the L2 strength) by hypergradients of the loss on real data. The pixels end up looking like
prototypes of the digits.

:class:`DistilledDataLoss` is that training loss in the form
:func:`hpo_teach.hypergrad.reversible.hypergrad` takes, with ``meta`` = the flattened images
followed by one log L2 strength. Calling it is the autograd reference; ``grad`` and
``grad_and_hvps`` are a fast path (``MLP.loss_and_grad``, ``MLP.hvp`` and a closed-form mixed
term), tested against autograd.
"""

import autograd.numpy as anp
import numpy as np
from autograd.tracer import getval

from ..models.mlp_fast import cross_entropy
from .._validate import require_int, require_number


class DistilledDataLoss:
    """Cross-entropy of a one-layer ``mlp`` (logistic regression) on synthetic images + L2.

    ``meta = [images.ravel(), log_l2]``: ``len(labels)`` images of ``mlp.sizes[0]`` pixels,
    image j labelled ``labels[j]``; the loss is ``mlp.loss(w, images, labels, l2=exp(log_l2))``.
    ``t`` is ignored: every step uses all the images (the paper's batch of 10).

    The mixed term d(g . u)/d images for logistic regression (Z = X W + b, P = softmax(Z),
    S = (P - Y)/n, R = X U_W + u_b, the R-operator of S is dS = P * (R - rowsum(P * R)) / n)::

        d(g . u)/dX = S U_W^T + dS W^T,        d(g . u)/d log_l2 = 2 exp(log_l2) w . u
    """

    def __init__(self, mlp, labels):
        if mlp.n_layers != 1:
            raise ValueError(f"mlp must have one layer (logistic regression, sizes [d, classes]), got sizes {list(mlp.sizes)}")
        labels = np.asarray(labels)
        if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer) or labels.size == 0:
            raise ValueError(f"labels must be a non-empty 1-D array of integer class labels, got {labels!r}")
        if labels.min() < 0 or labels.max() >= mlp.sizes[-1]:
            raise ValueError(f"labels must lie in [0, {mlp.sizes[-1] - 1}], got range [{labels.min()}, {labels.max()}]")
        self.mlp, self.labels = mlp, labels
        self.n_images, self.n_pixels = labels.size, mlp.sizes[0]
        self.n_meta = self.n_images * self.n_pixels + 1

    def init_meta(self, seed, scale=0.01, l2=0.01):
        """Images of N(0, scale^2) noise (the paper's start) and log L2 strength log(l2)."""
        rng = np.random.default_rng(require_int("seed", seed, low=0))
        noise = rng.normal(size=self.n_images * self.n_pixels) * require_number("scale", scale)
        return np.concatenate([noise, [np.log(require_number("l2", l2))]])

    def images(self, meta):
        """The synthetic images as an (n_images, n_pixels) array (autograd-traceable)."""
        shape = getattr(getval(meta), "shape", None)
        if shape != (self.n_meta,):
            raise ValueError(f"meta must be a 1-D array of length {self.n_meta} "
                             f"({self.n_images} images x {self.n_pixels} pixels + log L2), got shape {shape}")
        return anp.reshape(meta[:-1], (self.n_images, self.n_pixels))

    def check(self, w, meta):
        """Validate weights and meta once (the hypergradient methods call this first)."""
        self.mlp.check_params(w, "w0")
        self.images(meta)

    def __call__(self, w, meta, t):
        """The training loss (autograd reference, differentiable in w and meta)."""
        return self.mlp.loss(w, self.images(meta), self.labels, l2=anp.exp(meta[-1]))

    def grad(self, w, meta, t):
        """d loss / dw by the MLP's hand-written backprop."""
        return self.mlp.loss_and_grad(w, self.images(meta), self.labels, l2=float(np.exp(meta[-1])),
                                      check_input=False)[1]

    def grad_and_hvps(self, w, meta, t, u):
        """``(g, H u, d(g . u)/dmeta)``; g is bit-identical to :meth:`grad`'s."""
        X, l2 = self.images(meta), float(np.exp(meta[-1]))
        g = self.mlp.loss_and_grad(w, X, self.labels, l2=l2, check_input=False)[1]
        hvp = self.mlp.hvp(w, u, X, self.labels, l2=l2, check_input=False)
        (W, b), = self.mlp.unflatten(w)
        (U_W, u_b), = self.mlp.unflatten(u)
        _, P, Y = cross_entropy(X @ W + b, self.labels, np)
        n = self.n_images
        S = (P - Y) / n
        R = X @ U_W + u_b
        dS = P * (R - np.sum(P * R, axis=1, keepdims=True)) / n
        d_images = S @ U_W.T + dS @ W.T
        return g, hvp, np.concatenate([d_images.ravel(), [2.0 * l2 * (w @ u)]])


def class_means(X, y, n_classes=10):
    """Mean image of each class, an (n_classes, n_pixels) array."""
    n_classes = require_int("n_classes", n_classes, low=1)
    missing = sorted(set(range(n_classes)) - set(np.unique(y).tolist()))
    if missing:
        raise ValueError(f"y has no examples of classes {missing}; every class needs at least one")
    return np.stack([X[y == c].mean(axis=0) for c in range(n_classes)])


def correlation_table(images, references):
    """Pearson correlation of every image with every reference image, (n_images, n_references)."""
    A = images - images.mean(axis=1, keepdims=True)
    B = references - references.mean(axis=1, keepdims=True)
    A = A / np.linalg.norm(A, axis=1, keepdims=True)
    B = B / np.linalg.norm(B, axis=1, keepdims=True)
    return A @ B.T
