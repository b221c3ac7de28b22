"""Ridge regression on MNIST pixels: a training loss whose best response w*(λ) is known exactly.

Linear regression 784 → 10 on one-hot targets, as in Lorraine & Duvenaud (2018), with the squared
penalty e^λ ‖W‖² (λ = ``log_lambda``; the bias is not penalized)::

    L_train(w, λ) = (1/n) Σᵢ ‖x_i W + b − y_i‖² + e^λ ‖W‖²,      L_valid(w) = (1/m) Σⱼ ‖x_j W + b − y_j‖².

(The paper's code uses the *unsquared* e^λ ‖w‖₂, whose minimizer has no closed form.) With centred
inputs the minimizer is W*(λ) = (C + e^λ I)⁻¹ Xcᵀ Yc / n, b* = ȳ − x̄ W*, with C = Xcᵀ Xc / n. One
eigendecomposition C = V diag(s) Vᵀ then gives W*(λ) = V diag(1 / (s + e^λ)) Vᵀ Xcᵀ Yc / n for *every*
λ, so each hypernetwork or hypergradient can be scored against the truth (derived in notebook 12 §1).

Weights are flat, ``w = [W.ravel(), b]`` (d·k + k entries, i.e. the (d + 1) × k matrix [W; b] row by row); losses are autograd-differentiable in
``w`` and ``log_lambda`` (a float or a shape-(1,) array).
"""

import autograd.numpy as anp
import numpy as np

from .._validate import require_choice, require_finite_array, require_int, require_number
from ..data.mnist_subset import mnist_small, one_hot


def _scalar(log_lambda):
    """λ as an (autograd-traceable) scalar, from a float or a shape-(1,) array."""
    return log_lambda[0] if anp.ndim(log_lambda) == 1 else log_lambda


class RidgeProblem:
    """MNIST ridge regression with an exact best response and exact validation curve.

    ``n_train`` digits of the training split (default 200: few enough that λ matters) and the
    1,000 validation digits; ``side`` = 28 (784 pixels, 7,850 weights) or 14 (196 pixels, 1,970 weights).
    """

    def __init__(self, n_train=200, side=28, n_classes=10):
        self.n_train = require_int("n_train", n_train, low=2, high=3000)
        self.side = require_choice("side", side, (14, 28))
        self.n_classes = require_int("n_classes", n_classes, low=2, high=10)
        X, y = mnist_small("train", side=side)
        Xv, yv = mnist_small("valid", side=side)
        keep, keep_v = y[: self.n_train] < n_classes, yv < n_classes
        self.X_train, self.Y_train = X[: self.n_train][keep], one_hot(y[: self.n_train][keep], n_classes)
        self.X_valid, self.Y_valid = Xv[keep_v], one_hot(yv[keep_v], n_classes)
        self.n_inputs = self.X_train.shape[1]
        self.n_weights = self.n_inputs * n_classes + n_classes
        # Slicing w would make autograd scatter with ufunc.at on every call; a ones column and a 0/1 mask avoid it.
        self.X_train_1 = np.hstack([self.X_train, np.ones((len(self.X_train), 1))])
        self.X_valid_1 = np.hstack([self.X_valid, np.ones((len(self.X_valid), 1))])
        self._penalized = np.concatenate([np.ones(self.n_inputs * n_classes), np.zeros(n_classes)])
        mean_x, mean_y = self.X_train.mean(0), self.Y_train.mean(0)
        Xc = self.X_train - mean_x
        self._means = (mean_x, mean_y)
        self.eigenvalues, self._V = np.linalg.eigh(Xc.T @ Xc / len(Xc))
        self.eigenvalues = np.clip(self.eigenvalues, 0.0, None)  # round-off can leave tiny negatives
        self._VtXtY = self._V.T @ (Xc.T @ (self.Y_train - mean_y)) / len(Xc)

    def __repr__(self):
        return (f"RidgeProblem(n_train={len(self.X_train)}, side={self.side})  # {self.n_weights} weights, "
                f"{len(self.X_valid)} validation digits")

    def unpack(self, w):
        """``(W (d, k), b (k,))`` of a flat weight vector (NumPy views; for plots and checks)."""
        M = np.reshape(w, (self.n_inputs + 1, self.n_classes))
        return M[:-1], M[-1]

    def predict(self, w, X):
        """Outputs X W + b, shape (n, k); ``X`` must carry a last column of ones (as ``X_train_1`` does)."""
        return anp.dot(X, anp.reshape(w, (self.n_inputs + 1, self.n_classes)))

    def train_loss(self, w, log_lambda):
        """Mean squared error on the training digits + e^λ ‖W‖² (autograd-differentiable in both)."""
        residual = self.predict(w, self.X_train_1) - self.Y_train
        penalty = anp.sum(w**2 * self._penalized)
        return anp.sum(residual**2) / len(self.X_train) + anp.exp(_scalar(log_lambda)) * penalty

    def train_loss_many(self, ws, log_lambdas):
        """Mean of :meth:`train_loss` over the rows of ``ws`` (S, n_weights) and ``log_lambdas`` (S, 1), in one product.

        The hypernetwork's ``batched=True`` form: S weight vectors cost one matrix product, not S.
        """
        S = anp.shape(ws)[0]
        M = anp.reshape(anp.transpose(anp.reshape(ws, (S, self.n_inputs + 1, self.n_classes)), (1, 0, 2)),
                        (self.n_inputs + 1, S * self.n_classes))
        residual = anp.dot(self.X_train_1, M) - anp.tile(self.Y_train, (1, S))
        penalties = anp.dot(ws**2, self._penalized)
        lams = anp.exp(anp.reshape(log_lambdas, (S,)))
        return (anp.sum(residual**2) / len(self.X_train) + anp.sum(lams * penalties)) / S

    def valid_loss(self, w, log_lambda=None):
        """Mean squared error on the validation digits (no penalty; ``log_lambda`` is ignored)."""
        residual = self.predict(w, self.X_valid_1) - self.Y_valid
        return anp.sum(residual**2) / len(self.X_valid)

    def best_response(self, log_lambda):
        """The exact minimizer w*(λ) of :meth:`train_loss`, flat (NumPy, not differentiable)."""
        lam = np.exp(require_number("log_lambda", float(np.ravel(log_lambda)[0])))
        W = self._V @ (self._VtXtY / (self.eigenvalues + lam)[:, None])
        b = self._means[1] - self._means[0] @ W
        return np.concatenate([W.ravel(), b])

    def best_response_slope(self, log_lambda):
        """dw*/dλ in closed form: dW*/dλ = −e^λ V diag(1 / (s + e^λ)²) Vᵀ Xcᵀ Yc / n, db*/dλ = −x̄ dW*/dλ."""
        lam = np.exp(require_number("log_lambda", float(np.ravel(log_lambda)[0])))
        dW = -lam * (self._V @ (self._VtXtY / ((self.eigenvalues + lam) ** 2)[:, None]))
        return np.concatenate([dW.ravel(), -self._means[0] @ dW])

    def valid_curve(self, log_lambdas):
        """Exact validation loss L_valid(w*(λ)) at each λ of a 1-D array."""
        log_lambdas = require_finite_array("log_lambdas", np.atleast_1d(np.asarray(log_lambdas, float)), ndim=1)
        return np.array([self.valid_loss(self.best_response(m)) for m in log_lambdas])

    def class_image(self, w, digit):
        """The weights into output ``digit`` as a ``side`` x ``side`` image."""
        digit = require_int("digit", digit, low=0, high=self.n_classes - 1)
        return self.unpack(np.asarray(w))[0][:, digit].reshape(self.side, self.side)
