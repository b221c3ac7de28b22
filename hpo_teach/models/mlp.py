"""Multilayer perceptrons on one flat parameter vector, written with autograd.numpy.

This is the course's reference model: every function here can be differentiated by autograd
(to any order), so notebooks can take gradients with respect to weights *and*
hyperparameters (L2 strength, input-noise scale, even the training inputs). The
hand-written fast path in :mod:`hpo_teach.models.mlp_fast` is tested against it.

Conventions:

* Parameters live in one flat vector ``w`` laid out as W1, b1, W2, b2, ...; ``W_k`` has
  shape (fan_in, fan_out), so a layer computes ``h @ W + b``.
* The loss is the mean softmax cross-entropy plus ``l2 * sum(w**2)`` plus
  ``l1 * sum(|w|)``. There is no factor 1/2 in the L2 term (its gradient is ``2 * l2 * w``),
  and the penalties apply to every parameter, biases included, as in Maclaurin et al.'s
  code. A penalty strength may also be a vector with one value per parameter (use
  :attr:`MLP.layer_of_param` or :meth:`MLP.slice` to build it, e.g. to spare the biases).
* Dropout is inverted dropout on every hidden layer's output; input noise is additive
  Gaussian noise on the inputs. Both are drawn from a seed (an int or a tuple of ints such
  as ``(seed, step)``) through :mod:`hpo_teach.backend`, so a draw can be repeated exactly.
"""

import numbers

import autograd.numpy as anp
import numpy as np
from autograd.tracer import getval, isbox

from .. import backend
from .._validate import require_choice, require_finite_array, require_int, require_positive, require_range
from . import mlp_fast
from .activations import ACTIVATIONS


def logsumexp(a, axis=-1):
    """log(sum(exp(a))) along ``axis``, stable: the maximum is subtracted first.

    The maximum is treated as a constant (the result does not depend on it), which keeps the
    derivatives simple and exact to any order.
    """
    m = np.max(getval(a), axis=axis, keepdims=True)
    return anp.log(anp.sum(anp.exp(a - m), axis=axis)) + np.squeeze(m, axis=axis)


def softmax_cross_entropy(logits, y):
    """Mean over rows of -log softmax(logits)[y]: ``y`` holds integer labels 0..C-1."""
    logits_value = getval(logits)
    if logits_value.ndim != 2 or logits_value.shape[0] == 0:
        raise ValueError(f"logits must be a non-empty 2-D array, got shape {tuple(logits_value.shape)}")
    y = check_labels(y, logits_value.shape[1], logits_value, "logits")
    rows = np.arange(logits_value.shape[0])
    return anp.mean(logsumexp(logits) - logits[rows, y])


def l2_penalty(w, strength=1.0):
    """``sum(strength * w**2)``: no factor 1/2, so the gradient is ``2 * strength * w``."""
    return anp.sum(strength * w * w)


def l1_penalty(w, strength=1.0):
    """``sum(strength * |w|)``; its (sub)gradient is ``strength * sign(w)``."""
    return anp.sum(strength * anp.abs(w))


# ----------------------------------------------------------------------------- dropout and noise

def dropout_mask(shape, p, seed, like=None, dtype="float64"):
    """Inverted-dropout multipliers: 0 with probability ``p``, else 1/(1-p), so the mean is 1."""
    p = require_range("p", p, 0.0, 1.0, high_open=True)
    return backend.bernoulli_mask(seed, shape, 1.0 - p, like=like, dtype=dtype) * (1.0 / (1.0 - p))


def dropout(x, p, seed):
    """Inverted dropout: zero each entry of ``x`` with probability ``p`` and scale the rest by
    1/(1-p), so the expected output is ``x`` and nothing needs rescaling at test time."""
    p = require_range("p", p, 0.0, 1.0, high_open=True)
    return x if p == 0 else x * dropout_mask(getval(x).shape, p, seed)


def add_input_noise(X, sigma, seed):
    """``X + sigma * eps`` with eps ~ N(0, 1) drawn from ``seed`` outside the graph, so the
    result is differentiable in ``sigma`` (a number or one value per column, all >= 0)."""
    check_strength("sigma", sigma, getval(X).shape[-1])
    return X + sigma * backend.normal(seed, getval(X).shape)


# ----------------------------------------------------------------------------- initialization

INIT_SCHEMES = ("glorot", "he", "naive")
NAIVE_STD = 0.1


def init_weights(sizes, seed, scheme="glorot", scale=None):
    """A flat parameter vector for an MLP with layer ``sizes``; biases are zero.

    Weights of layer k are ``std_k * N(0, 1)`` with ``std_k = scale * base_k``:
    "glorot": base sqrt(2 / (fan_in + fan_out)); "he": base sqrt(2 / fan_in) (for ReLU);
    "naive": base 1, with ``scale`` defaulting to ``NAIVE_STD`` = 0.1 (one std for every
    layer, whatever its width). ``scale`` defaults to 1 otherwise, and may be one number or
    one per layer (e.g. to meta-learn per-layer init scales).
    """
    sizes = check_sizes(sizes)
    scheme = require_choice("scheme", scheme, INIT_SCHEMES)
    n_layers = len(sizes) - 1
    if scale is None:
        scale = NAIVE_STD if scheme == "naive" else 1.0
    scales = [scale] * n_layers if np.ndim(scale) == 0 else list(scale)
    if len(scales) != n_layers:
        raise ValueError(f"scale must be a number or one number per layer ({n_layers}), got {len(scales)}")
    stds = []
    for k, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        s = require_positive(f"scale[{k}]", scales[k], allow_zero=True)
        base = {"glorot": np.sqrt(2.0 / (fan_in + fan_out)), "he": np.sqrt(2.0 / fan_in), "naive": 1.0}[scheme]
        stds += [np.full(fan_in * fan_out, s * base), np.zeros(fan_out)]
    std = np.concatenate(stds)
    return np.where(std > 0, std * backend.normal(seed, std.shape), 0.0)


# ----------------------------------------------------------------------------- argument checks

def check_sizes(sizes):
    """``sizes`` as a tuple of ints >= 1: (inputs, hidden..., outputs)."""
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__") or len(sizes) < 2:
        raise ValueError(f"sizes must be a list of at least 2 layer widths (inputs, ..., outputs), got {sizes!r}")
    return tuple(require_int(f"sizes[{i}]", s, low=1) for i, s in enumerate(sizes))


def check_strength(name, value, length):
    """A hyperparameter such as l2, l1 or input_noise: a number >= 0 or a vector of ``length``
    values >= 0. Autograd boxes and arrays of any array library are accepted."""
    value = getval(value)
    if isinstance(value, numbers.Number):
        return require_positive(name, value, allow_zero=True)
    xp = backend.namespace_of(value)
    if value.ndim != 0 and tuple(value.shape) != (length,):
        raise ValueError(f"{name} must be a number or a vector of length {length}, got shape {tuple(value.shape)}")
    if not bool(xp.all(xp.isfinite(value) & (value >= 0))):
        raise ValueError(f"{name} must be finite and >= 0 everywhere")
    return value


def check_labels(y, n_classes, X, X_name="X"):
    """``y`` as a 1-D integer array with one label in [0, n_classes - 1] per row of ``X``."""
    if isinstance(y, (list, tuple)):
        y = np.asarray(y)
    xp = backend.namespace_of(y)
    if not xp.isdtype(y.dtype, "integral"):
        raise TypeError(f"y must be an integer array of class labels, got dtype {y.dtype}")
    if y.ndim != 1 or y.shape[0] != X.shape[0]:
        raise ValueError(f"{X_name} and y must have one row per label, got {X_name} shape "
                         f"{tuple(X.shape)} and y shape {tuple(y.shape)}")
    low, high = int(xp.min(y)), int(xp.max(y))
    if low < 0 or high >= n_classes:
        raise ValueError(f"y must hold class labels in [0, {n_classes - 1}], got values in [{low}, {high}]")
    return y


def _is_nonzero(value):
    value = getval(value)
    if isinstance(value, numbers.Number):
        return value != 0
    return bool(backend.namespace_of(value).any(value != 0))


def _subseed(seed, k):
    """The seed of draw ``k`` within one call: (seed, k), or (*seed, k) for a tuple seed."""
    return (*seed, k) if isinstance(seed, (tuple, list)) else (seed, k)


# ----------------------------------------------------------------------------- the model

class MLP:
    """A fully connected network: ``sizes`` = (inputs, hidden..., classes), one activation.

    ``loss``/``logits`` are the autograd reference (NumPy only); ``loss_and_grad``/``hvp``
    are the hand-written fast path of :mod:`hpo_teach.models.mlp_fast`, which also runs on CuPy.
    """

    def __init__(self, sizes, activation="tanh"):
        self.sizes = check_sizes(sizes)
        self.activation = require_choice("activation", activation, tuple(ACTIVATIONS))
        self.n_layers = len(self.sizes) - 1
        self.blocks = []
        for k, (fan_in, fan_out) in enumerate(zip(self.sizes[:-1], self.sizes[1:]), start=1):
            self.blocks += [(f"W{k}", (fan_in, fan_out)), (f"b{k}", (fan_out,))]
        counts = [int(np.prod(shape)) for _, shape in self.blocks]
        ends = np.cumsum(counts)
        self._slices = {name: slice(int(end - count), int(end))
                        for (name, _), count, end in zip(self.blocks, counts, ends)}
        self.n_params = int(ends[-1])
        self.layer_of_param = np.repeat(np.arange(len(counts)) // 2, counts)
        self.layer_slices = [slice(self._slices[f"W{k}"].start, self._slices[f"b{k}"].stop)
                             for k in range(1, self.n_layers + 1)]  # layer k's weights and bias, contiguous

    def __repr__(self):
        return f"MLP({list(self.sizes)}, activation={self.activation!r})  # {self.n_params} parameters"

    # ---- layout
    def slice(self, name):
        """The slice of the flat vector holding block ``name`` ("W1", "b1", ...)."""
        return self._slices[require_choice("name", name, tuple(self._slices))]

    def unflatten(self, w):
        """``[(W1, b1), (W2, b2), ...]`` views of ``w`` (works on autograd boxes)."""
        pieces = [anp.reshape(w[self._slices[name]], shape) for name, shape in self.blocks]
        return list(zip(pieces[0::2], pieces[1::2]))

    def flatten(self, params):
        """Inverse of :meth:`unflatten`: one flat vector from ``[(W1, b1), ...]``."""
        return anp.concatenate([anp.reshape(p, (-1,)) for pair in params for p in pair])

    def init(self, seed, scheme="glorot", scale=None):
        """Initial weights; see :func:`init_weights`."""
        return init_weights(self.sizes, seed, scheme, scale)

    # ---- checks shared by the reference and the fast path
    def check_params(self, w, name="w"):
        """Raise unless ``w`` is a 1-D array of length ``n_params``."""
        shape = getattr(getval(w), "shape", None)
        if shape is None or tuple(shape) != (self.n_params,):
            raise ValueError(f"{name} must be a 1-D array of length {self.n_params} (n_params), got "
                             f"{'shape ' + str(tuple(shape)) if shape is not None else type(w).__name__}")

    def check(self, w, X, y=None, l2=0.0, l1=0.0):
        """Validate parameters, a batch (X with ``sizes[0]`` finite columns, labels y) and penalties."""
        self.check_params(w)
        X = require_finite_array("X", getval(X), ndim=2, shape=(None, self.sizes[0]))
        if not backend.namespace_of(X).isdtype(X.dtype, "real floating"):
            raise TypeError(f"X must be a floating-point array, got dtype {X.dtype}")
        if y is not None:
            check_labels(y, self.sizes[-1], X)
        check_strength("l2", l2, self.n_params)
        check_strength("l1", l1, self.n_params)

    def random_draws(self, shape, dropout=0.0, input_noise=0.0, seed=None, like=None, dtype="float64"):
        """``(masks, eps)`` for a batch of ``shape``: dropout multipliers for each hidden layer
        (None without dropout) and standard normal input noise (None without noise).

        Layer k's mask uses seed ``(seed, k)`` and the noise ``(seed, 0)``, on ``like``'s device.
        """
        self.check_draws(dropout, input_noise, seed)
        return self._draws(shape, dropout, input_noise, seed, like, dtype)

    def check_draws(self, dropout, input_noise, seed):
        """Validate the dropout rate, the input-noise scale and the seed the draws need."""
        p = require_range("dropout", dropout, 0.0, 1.0, high_open=True)
        check_strength("input_noise", input_noise, self.sizes[0])
        if (p > 0 or isbox(input_noise) or _is_nonzero(input_noise)) and seed is None:
            raise ValueError("seed must be an int or a tuple of ints when dropout > 0 or input_noise > 0")

    def _draws(self, shape, dropout, input_noise, seed, like=None, dtype="float64"):
        noisy = isbox(input_noise) or _is_nonzero(input_noise)
        masks = None if dropout == 0 else [dropout_mask((shape[0], width), dropout, _subseed(seed, k), like, dtype)
                                           for k, width in enumerate(self.sizes[1:-1], start=1)]
        eps = backend.normal(_subseed(seed, 0), shape, like, dtype) if noisy else None
        return masks, eps

    # ---- autograd reference
    def logits(self, w, X, dropout=0.0, seed=None, input_noise=0.0):
        """Class scores for the rows of ``X`` (autograd-differentiable in w, X and input_noise)."""
        self.check(w, X)
        return self._logits(w, X, dropout, seed, input_noise)

    def _logits(self, w, X, dropout, seed, input_noise):
        masks, eps = self.random_draws(getval(X).shape, dropout, input_noise, seed)
        h = X if eps is None else X + input_noise * eps
        f = ACTIVATIONS[self.activation]
        *hidden, (W, b) = self.unflatten(w)
        for k, (Wk, bk) in enumerate(hidden):
            h = f(h @ Wk + bk)
            if masks is not None:
                h = h * masks[k]
        return h @ W + b

    def loss(self, w, X, y, l2=0.0, l1=0.0, dropout=0.0, input_noise=0.0, seed=None):
        """Mean cross-entropy + ``l2 * sum(w**2)`` + ``l1 * sum(|w|)`` (autograd reference).

        On arrays other than NumPy's (e.g. CuPy) the value comes from the fast path instead.
        """
        self.check(w, X, y, l2, l1)
        if not (isbox(w) or isinstance(w, (np.ndarray, list, tuple))):
            self.check_draws(dropout, input_noise, seed)
            return mlp_fast.loss(self, w, X, y, l2, l1, *self._fast_draws(X, dropout, input_noise, seed))
        logits = self._logits(w, X, dropout, seed, input_noise)
        return softmax_cross_entropy(logits, y) + l2_penalty(w, l2) + l1_penalty(w, l1)

    # ---- fast path (any array library)
    def loss_and_grad(self, w, X, y, l2=0.0, l1=0.0, dropout=0.0, input_noise=0.0, seed=None, check_input=True):
        """``(loss, gradient)`` by hand-written backprop; equal to autograd's on :meth:`loss`.

        ``check_input=False`` skips validation, for loops that checked their arguments once
        (as scikit-learn's ``check_input``): the checks would cost a third of a small step.
        """
        if check_input:
            self.check(w, X, y, l2, l1)
            self.check_draws(dropout, input_noise, seed)
        return mlp_fast.loss_and_grad(self, w, X, y, l2, l1, *self._fast_draws(X, dropout, input_noise, seed))

    def hvp(self, w, v, X, y, l2=0.0, dropout=0.0, input_noise=0.0, seed=None, check_input=True):
        """Hessian-vector product H v of :meth:`loss` in w (Pearlmutter's R-operator).

        The L1 term adds nothing: its second derivative is zero wherever it exists.
        ``check_input`` as in :meth:`loss_and_grad`.
        """
        if check_input:
            self.check(w, X, y, l2)
            self.check_params(v, "v")
            self.check_draws(dropout, input_noise, seed)
        return mlp_fast.hvp(self, w, v, X, y, l2, *self._fast_draws(X, dropout, input_noise, seed))

    def _fast_draws(self, X, dropout, input_noise, seed):
        """``(dropout_masks, noise)`` for the fast path, on X's device: the reference's draws."""
        masks, eps = self._draws(X.shape, dropout, input_noise, seed, like=X, dtype=X.dtype)
        return masks, None if eps is None else input_noise * eps

    def predict(self, w, X):
        """Predicted class of each row of ``X`` (any array library)."""
        self.check(w, X)
        xp = backend.namespace_of(w, X)
        return xp.argmax(mlp_fast.logits(self, w, X), axis=1)

    def error(self, w, X, y):
        """Fraction of rows of ``X`` misclassified, as a Python float."""
        self.check(w, X, y)
        xp = backend.namespace_of(w, X)
        wrong = xp.astype(self.predict(w, X) != y, xp.float64)
        return float(xp.mean(wrong))
