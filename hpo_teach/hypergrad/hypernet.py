"""Hypernetworks: learn the best-response function w*(λ) = argmin_w L_train(w, λ), then descend on λ.

Lorraine & Duvenaud (2018), seed 001; derived and measured in notebook 12. A hypernetwork
``w_φ(λ)`` maps hyperparameters to weights. Trained on E_{λ∼p}[L_train(w_φ(λ), λ)] it approximates
w*(λ) where p puts mass, and then L_valid(w_φ(λ)) is a cheap, differentiable stand-in for the
validation loss after training:

- :func:`hypertrain` + :func:`descend`: Algorithm 2 (global: train φ on λ ∼ N(mean, std²), then
  gradient steps on λ̂ through the frozen hypernet);
- :func:`joint`: Algorithm 3 (alternate one φ step at λ ∼ N(λ̂, σ²) and one λ̂ step), and with
  ``sigma=0`` Algorithm 4 (φ trained at λ̂ alone: the hypernet's slope ∂w_φ/∂λ is then never fitted).

Losses are ``train_loss(w, lam)`` and ``valid_loss(w, lam)``, autograd-differentiable, bound to their
data (full batch or a fixed minibatch); ``lam`` is a 1-D array of ``n_hyper`` hyperparameters. The
module knows no model. Both φ and λ̂ move with Adam (``hpo_teach.training.optim.adam_update``).
Cost is counted in gradient evaluations of the training loss at one (w, λ) pair: a φ step with
``n_samples`` draws of λ costs ``n_samples`` (backpropagating through the hypernet adds about one more
matrix product of the same size, not counted, as the notebook says).
"""

from dataclasses import dataclass

import autograd.numpy as anp
import numpy as np
from autograd import grad, value_and_grad
from tqdm.auto import tqdm

from .._validate import require_finite_array, require_int, require_number, require_positive
from ..training.optim import adam_update
from .unrolled import require_callable


class _Hypernet:
    """What both hypernetworks share: input normalization z = (λ − center) / scale and argument checks."""

    def __init__(self, n_hyper, n_weights, center=0.0, scale=1.0):
        self.n_hyper = require_int("n_hyper", n_hyper, low=1)
        self.n_weights = require_int("n_weights", n_weights, low=1)
        self.center = require_number("center", center)
        self.scale = require_positive("scale", scale)

    def _z(self, lam):
        return (lam - self.center) / self.scale

    def weights(self, phi, lam):
        """w_φ(λ) for one ``lam`` (shape (n_hyper,)): autograd-differentiable in ``phi`` and ``lam``."""
        return anp.reshape(self.weights_many(phi, anp.reshape(lam, (1, self.n_hyper))), (self.n_weights,))

    def check(self, phi, lam):
        """Raise a clear error if ``phi`` or ``lam`` has the wrong shape or holds NaN."""
        require_finite_array("phi", np.asarray(phi), ndim=1, shape=(self.n_params,))
        require_finite_array("lam", np.asarray(lam), ndim=1, shape=(self.n_hyper,))

    def _output_bias(self, w_init):
        if w_init is None:
            return np.zeros(self.n_weights)
        return np.array(require_finite_array("w_init", np.asarray(w_init, float), ndim=1, shape=(self.n_weights,)))


class LinearHypernet(_Hypernet):
    """w_φ(λ) = c + A z with z = (λ − center) / scale: φ = [c (n_weights), A (n_hyper × n_weights)].

    The paper's local hypernet (15,700 parameters for 7,850 weights and one λ): a tangent line to
    w*(λ), good only near where it was trained.
    """

    @property
    def n_params(self):
        return self.n_weights * (1 + self.n_hyper)

    def init(self, seed=0, w_init=None):
        """Flat φ: c = ``w_init`` (default zeros), A = 0 (so w_φ starts constant in λ)."""
        require_int("seed", seed, low=0)
        return np.concatenate([self._output_bias(w_init), np.zeros(self.n_weights * self.n_hyper)])

    def weights_many(self, phi, lams):
        """w_φ(λ) for each row of ``lams`` (shape (S, n_hyper)): an (S, n_weights) array."""
        c, A = anp.split(phi, [self.n_weights])
        return c + anp.dot(self._z(lams), anp.reshape(A, (self.n_hyper, self.n_weights)))

    def __repr__(self):
        return f"LinearHypernet({self.n_hyper} -> {self.n_weights})  # {self.n_params} parameters"


class MLPHypernet(_Hypernet):
    """w_φ(λ) = c + W₂ relu(W₁ z + b₁): one hidden ReLU layer of ``n_hidden`` units.

    A piecewise-linear curve in weight space with ``n_hidden`` kinks: the paper's global hypernet
    (its 1 → 50 → 7,850; notebook 12 uses 10 hidden units).
    """

    def __init__(self, n_hyper, n_hidden, n_weights, center=0.0, scale=1.0):
        super().__init__(n_hyper, n_weights, center, scale)
        self.n_hidden = require_int("n_hidden", n_hidden, low=1)

    @property
    def n_params(self):
        h, k, d = self.n_hidden, self.n_hyper, self.n_weights
        return h * k + h + d * h + d

    def init(self, seed=0, w_init=None):
        """Flat φ = [W₁ (k × h), b₁, W₂ (h × d), c]: W₁ ~ N(0, 1), b₁ ~ U(−2, 2) (kinks spread over z ∈ [−2, 2]), W₂ = 0, c = ``w_init``."""
        rng = np.random.default_rng(require_int("seed", seed, low=0))
        h, k, d = self.n_hidden, self.n_hyper, self.n_weights
        return np.concatenate([rng.standard_normal(h * k), rng.uniform(-2, 2, h), np.zeros(d * h),
                               self._output_bias(w_init)])

    def weights_many(self, phi, lams):
        """w_φ(λ) for each row of ``lams`` (shape (S, n_hyper)): an (S, n_weights) array."""
        h, k, d = self.n_hidden, self.n_hyper, self.n_weights
        W1, b1, W2, c = anp.split(phi, [h * k, h * k + h, h * k + h + h * d])
        hidden = anp.maximum(anp.dot(self._z(lams), anp.reshape(W1, (k, h))) + b1, 0.0)
        return c + anp.dot(hidden, anp.reshape(W2, (h, d)))

    def __repr__(self):
        return (f"MLPHypernet({self.n_hyper} -> {self.n_hidden} ReLU -> {self.n_weights})  "
                f"# {self.n_params} parameters")


@dataclass
class HypertrainResult:
    """φ after :func:`hypertrain`, the sampled training loss per step and the gradient evaluations spent."""

    phi: np.ndarray
    losses: np.ndarray
    n_grad_evals: int


@dataclass
class LambdaPath:
    """λ̂ at every step (``lambdas[0]`` is the start), the validation loss there, and the final φ.

    ``n_grad_evals`` counts training-loss gradients (φ steps); ``n_valid_grads`` validation gradients.
    """

    lambdas: np.ndarray
    valid_losses: np.ndarray
    phi: np.ndarray
    n_grad_evals: int
    n_valid_grads: int


def _check(hypernet, phi, lam, n_steps, lr_name, lr):
    if not isinstance(hypernet, _Hypernet):
        raise TypeError(f"hypernet must be a LinearHypernet or MLPHypernet, got {type(hypernet).__name__}")
    lam = np.array(np.atleast_1d(np.asarray(lam, float)))
    hypernet.check(phi, lam)
    if not callable(lr):
        require_positive(lr_name, lr)
    return np.array(phi, float), lam, require_int("n_steps", n_steps, low=1)


def sampled_train_loss(hypernet, train_loss, phi, lams, batched=False):
    """Mean of train_loss(w_φ(λ), λ) over the rows of ``lams``: the hypertraining objective.

    ``batched=True``: ``train_loss(ws, lams)`` takes all S weight vectors (S, n_weights) and hyperparameters
    (S, n_hyper) at once and returns the mean itself (one matrix product instead of S; same number).
    """
    if batched:
        return train_loss(hypernet.weights_many(phi, lams), lams)
    rows = anp.split(hypernet.weights_many(phi, lams), len(lams))  # split, not indexing: autograd's VJP is cheaper
    return sum(train_loss(anp.reshape(w, (-1,)), lam) for w, lam in zip(rows, lams)) / len(lams)


def normal_sampler(mean, std):
    """λ ∼ N(mean, std²) in every coordinate (the paper's p(λ)): a function ``(rng, n) -> (n, n_hyper)``."""
    mean = np.atleast_1d(np.asarray(mean, float))
    std = require_positive("std", std)
    return lambda rng, n: mean + std * rng.standard_normal((n, mean.size))


def stratified_sampler(low, high):
    """One λ in each of n equal slices of [low, high] (one hyperparameter): uniform, with less sampling noise."""
    low, high = require_number("low", low), require_number("high", high)
    if not low < high:
        raise ValueError(f"low must be < high, got low={low:g}, high={high:g}")
    return lambda rng, n: (low + (high - low) * (np.arange(n) + rng.uniform(size=n)) / n)[:, None]


def hypertrain(hypernet, train_loss, phi, sampler, n_steps, lr=3e-3, n_samples=8, seed=0, batched=False,
               progress=True, desc="hypertraining"):
    """Algorithm 2, first loop: Adam on φ for E_{λ ∼ p} L_train(w_φ(λ), λ).

    ``sampler(rng, n)`` draws n λ's from p as an (n, n_hyper) array (:func:`normal_sampler`,
    :func:`stratified_sampler`); each step draws ``n_samples`` with ``rng`` seeded by ``(seed, step)``.
    ``lr`` is a number or a schedule ``t -> lr`` (t = 0, 1, ...); ``batched`` as in
    :func:`sampled_train_loss`. Returns a :class:`HypertrainResult`.
    """
    require_callable("train_loss", train_loss)
    require_callable("sampler", sampler)
    phi, _, n_steps = _check(hypernet, phi, np.zeros(hypernet.n_hyper), n_steps, "lr", lr)
    n_samples = require_int("n_samples", n_samples, low=1)
    lams = sampler(np.random.default_rng([seed, 0]), n_samples)
    if np.shape(lams) != (n_samples, hypernet.n_hyper):
        raise ValueError(f"sampler must return an array of shape ({n_samples}, {hypernet.n_hyper}), "
                         f"got {np.shape(lams)}")
    objective = value_and_grad(lambda p, lams: sampled_train_loss(hypernet, train_loss, p, lams, batched))
    m, v, losses = np.zeros_like(phi), np.zeros_like(phi), np.empty(n_steps)
    for t in tqdm(range(n_steps), desc=desc, disable=not progress, leave=False):
        lams = sampler(np.random.default_rng([seed, t]), n_samples)
        losses[t], g = objective(phi, lams)
        phi, m, v = adam_update(phi, m, v, g, t + 1, lr(t) if callable(lr) else lr, 0.9, 0.999, 1e-8)
    return HypertrainResult(phi, losses, n_steps * n_samples)


def descend(hypernet, valid_loss, phi, lam0, n_steps, lr=0.1):
    """Algorithm 2, second loop: Adam on λ̂ for L_valid(w_φ(λ̂), λ̂) with φ frozen (no training at all)."""
    require_callable("valid_loss", valid_loss)
    phi, lam, n_steps = _check(hypernet, phi, lam0, n_steps, "lr", lr)
    step = value_and_grad(lambda l: valid_loss(hypernet.weights(phi, l), l))
    m, v, lams, values = np.zeros_like(lam), np.zeros_like(lam), [lam.copy()], []
    for t in range(n_steps):
        value, g = step(lam)
        values.append(value)
        lam, m, v = adam_update(lam, m, v, g, t + 1, lr, 0.9, 0.999, 1e-8)
        lams.append(lam.copy())
    values.append(step(lam)[0])
    return LambdaPath(np.array(lams), np.array(values), phi, 0, n_steps + 1)


def joint(hypernet, train_loss, valid_loss, phi, lam0, sigma, n_steps, lr_phi=3e-3, lr_lam=0.03, n_samples=1,
          seed=0, batched=False, progress=True, desc=None):
    """Algorithm 3 (``sigma > 0``) or Algorithm 4 (``sigma = 0``): alternate a φ step and a λ̂ step.

    Per step: draw ``n_samples`` λ ∼ N(λ̂, σ²) (with σ = 0 every draw is λ̂ itself), one Adam step on φ
    for the mean L_train(w_φ(λ), λ), then one Adam step on λ̂ for L_valid(w_φ(λ̂), λ̂). Returns a
    :class:`LambdaPath`. ``batched`` as in :func:`sampled_train_loss` (it applies to ``train_loss`` only).
    """
    require_callable("train_loss", train_loss)
    require_callable("valid_loss", valid_loss)
    phi, lam, n_steps = _check(hypernet, phi, lam0, n_steps, "lr_phi", lr_phi)
    require_positive("lr_lam", lr_lam)
    sigma = require_positive("sigma", sigma, allow_zero=True)
    n_samples = require_int("n_samples", n_samples, low=1)
    phi_grad = grad(lambda p, lams: sampled_train_loss(hypernet, train_loss, p, lams, batched))
    lam_step = value_and_grad(lambda l, p: valid_loss(hypernet.weights(p, l), l))
    m_phi, v_phi = np.zeros_like(phi), np.zeros_like(phi)
    m_lam, v_lam = np.zeros_like(lam), np.zeros_like(lam)
    lams, values = [lam.copy()], []
    desc = desc or ("Algorithm 4 (sigma = 0)" if sigma == 0 else f"Algorithm 3 (sigma = {sigma:g})")
    for t in tqdm(range(n_steps), desc=desc, disable=not progress, leave=False):
        noise = np.random.default_rng([seed, t]).standard_normal((n_samples, hypernet.n_hyper))
        phi, m_phi, v_phi = adam_update(phi, m_phi, v_phi, phi_grad(phi, lam + sigma * noise), t + 1, lr_phi,
                                        0.9, 0.999, 1e-8)
        value, g = lam_step(lam, phi)
        values.append(value)
        lam, m_lam, v_lam = adam_update(lam, m_lam, v_lam, g, t + 1, lr_lam, 0.9, 0.999, 1e-8)
        lams.append(lam.copy())
    values.append(lam_step(lam, phi)[0])
    return LambdaPath(np.array(lams), np.array(values), phi, n_steps * n_samples, n_steps + 1)
