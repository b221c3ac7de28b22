"""Optimizers and learning-rate schedules, written out so the update rules can be read.

Each rule is first a pure function, e.g. ``momentum_update(w, v, g, lr, beta) -> (w, v)``
(as in ``autograd.misc.optimizers``): plain arithmetic on its arguments, so autograd can
differentiate it in every argument, learning rate and momentum included, and the hypergradient
methods (unrolled, reversible, T1-T2) apply the very same rule. Each optimizer class is a thin
stateful wrapper with ``step(w, g) -> w_new``: it never changes the arrays it is given; its
state (velocity, squared-gradient averages, ...) lives inside it, ``t`` counts the steps taken
and ``reset()`` forgets everything.

Conventions, chosen so results can be checked against ``autograd.misc.optimizers``:

* Momentum uses the "mass" form of Maclaurin et al. (2015) and autograd's ``sgd``:
  ``v <- beta v - (1 - beta) g``,  ``w <- w + lr v``. PyTorch writes ``v <- beta v + g``,
  ``w <- w - lr' v``; the two agree when ``lr' = lr (1 - beta)``.
* L2 means the penalty ``l2 * sum(w**2)`` (as in ``hpo_teach.models.mlp``), whose gradient is
  ``2 l2 w``. Decoupled weight decay means ``w <- w - lr * weight_decay * w`` beside the
  gradient step (Loshchilov & Hutter 2019). For plain SGD the two are the same with
  ``weight_decay = 2 l2``; for Adam they are not, which is why AdamW exists.
* ``lr`` is a positive number or a schedule: a callable ``t -> lr`` for t = 0, 1, 2, ...

The code is array-API generic, so the same optimizer runs on NumPy or CuPy weights.
"""

import inspect
import math

import numpy as np
from array_api_compat import array_namespace

from .._validate import require_choice, require_finite_array, require_int, require_positive, require_range
from .diverged import TrainingDiverged

# ----------------------------------------------------------------------------- schedules


class Schedule:
    """A learning-rate schedule: ``schedule(t)`` is the rate used at step t = 0, 1, 2, ..."""

    def __init__(self, formula, description):
        self._formula = formula
        self.description = description

    def __call__(self, t):
        t = require_int("t", t, low=0)
        return float(self._formula(t))

    def __repr__(self):
        return self.description


def constant(lr):
    """The same rate at every step: ``lr_t = lr``."""
    lr = require_positive("lr", lr)
    return Schedule(lambda t: lr, f"constant(lr={lr:g})")


def step_decay(lr, factor, every):
    """Multiply the rate by ``factor`` every ``every`` steps: ``lr_t = lr * factor**(t // every)``."""
    lr = require_positive("lr", lr)
    factor = require_range("factor", factor, 0.0, 1.0, low_open=True)
    every = require_int("every", every, low=1)
    return Schedule(lambda t: lr * factor ** (t // every), f"step_decay(lr={lr:g}, factor={factor:g}, every={every})")


def cosine(lr, n_steps, lr_min=0.0):
    """Half a cosine from ``lr`` down to ``lr_min`` over ``n_steps`` steps, then ``lr_min``.

    ``lr_t = lr_min + (lr - lr_min) * (1 + cos(pi * t / n_steps)) / 2`` for t < n_steps.
    """
    lr = require_positive("lr", lr)
    n_steps = require_int("n_steps", n_steps, low=1)
    lr_min = require_range("lr_min", lr_min, 0.0, lr)

    def formula(t):
        if t >= n_steps:
            return lr_min
        return lr_min + (lr - lr_min) * (1.0 + math.cos(math.pi * t / n_steps)) / 2.0

    return Schedule(formula, f"cosine(lr={lr:g}, n_steps={n_steps}, lr_min={lr_min:g})")


def warmup(schedule, n_warmup):
    """Ramp linearly up to ``schedule(0)`` over ``n_warmup`` steps, then run ``schedule``.

    ``lr_t = schedule(0) * (t + 1) / n_warmup`` for t < n_warmup, else ``schedule(t - n_warmup)``:
    the wrapped schedule starts when the warm-up ends (so pair ``cosine(lr, n - n_warmup)``
    with a run of n steps). A number is taken as ``constant(number)``.
    """
    if not callable(schedule):
        schedule = constant(schedule)
    n_warmup = require_int("n_warmup", n_warmup, low=1)

    def formula(t):
        if t < n_warmup:
            return schedule(0) * (t + 1) / n_warmup
        return schedule(t - n_warmup)

    return Schedule(formula, f"warmup({schedule!r}, n_warmup={n_warmup})")


# ---------------------------------------------------------------------------- update rules
# Pure and differentiable: arithmetic operators only (``s ** 0.5`` rather than a namespace's
# sqrt), so the same lines run on NumPy, CuPy and autograd's boxes.

def sgd_update(w, g, lr, weight_decay=0.0):
    """``w <- w - lr g - lr weight_decay w``."""
    return w - lr * g - lr * weight_decay * w


def momentum_update(w, v, g, lr, beta):
    """Heavy ball, mass form: ``v <- beta v - (1 - beta) g``; ``w <- w + lr v``. Returns ``(w, v)``."""
    v = beta * v - (1.0 - beta) * g
    return w + lr * v, v


def nesterov_update(w, v, g, lr, beta):
    """``v <- beta v - (1 - beta) g``; ``w <- w + lr (beta v - (1 - beta) g)``. Returns ``(w, v)``."""
    v = beta * v - (1.0 - beta) * g
    return w + lr * (beta * v - (1.0 - beta) * g), v


def rmsprop_update(w, s, g, lr, rho, eps):
    """``s <- rho s + (1 - rho) g**2``; ``w <- w - lr g / (sqrt(s) + eps)``. Returns ``(w, s)``."""
    s = rho * s + (1.0 - rho) * g**2
    return w - lr * g / (s**0.5 + eps), s


def adam_direction(m, v, g, t, b1, b2, eps):
    """Adam's moments after gradient ``g`` at step ``t`` (1 first) and its bias-corrected direction.

    ``m <- b1 m + (1 - b1) g``; ``v <- b2 v + (1 - b2) g**2``; direction
    ``m_hat / (sqrt(v_hat) + eps)`` with ``m_hat = m / (1 - b1**t)``, ``v_hat = v / (1 - b2**t)``.
    Returns ``(direction, m, v)``.
    """
    m = b1 * m + (1.0 - b1) * g
    v = b2 * v + (1.0 - b2) * g**2
    m_hat = m / (1.0 - b1**t)
    v_hat = v / (1.0 - b2**t)
    return m_hat / (v_hat**0.5 + eps), m, v


def adam_update(w, m, v, g, t, lr, b1, b2, eps, l2=0.0):
    """Adam with an L2 penalty added to the gradient (``g <- g + 2 l2 w``). Returns ``(w, m, v)``."""
    direction, m, v = adam_direction(m, v, g + 2.0 * l2 * w, t, b1, b2, eps)
    return w - lr * direction, m, v


def adamw_update(w, m, v, g, t, lr, b1, b2, eps, weight_decay):
    """AdamW: ``w <- w - lr (direction + weight_decay w)``, moments from the plain gradient. Returns ``(w, m, v)``."""
    direction, m, v = adam_direction(m, v, g, t, b1, b2, eps)
    return w - lr * (direction + weight_decay * w), m, v


# ---------------------------------------------------------------------------- optimizers


class Optimizer:
    """What all optimizers share: the learning rate (number or schedule), ``t`` and ``reset``.

    A subclass writes its rule in ``_update(xp, w, g, lr)`` and its state in ``_reset_state``.
    """

    def __init__(self, lr):
        if callable(lr):
            require_positive("lr(0)", lr(0))
        else:
            lr = require_positive("lr", lr)
        self.lr = lr
        self.reset()

    def lr_at(self, t):
        """The learning rate used at step ``t`` (the schedule's value, or the constant)."""
        if not callable(self.lr):
            return self.lr
        return require_positive(f"lr({t})", self.lr(t), allow_zero=True)

    @property
    def current_lr(self):
        """The learning rate the next ``step`` will use."""
        return self.lr_at(self.t)

    def step(self, w, g):
        """Return the weights after one update from ``w`` with gradient ``g``; ``t`` grows by 1."""
        if w.shape != g.shape:
            raise ValueError(f"g must have the shape of w {tuple(w.shape)}, got {tuple(g.shape)}")
        xp = array_namespace(w, g)
        w_new = self._update(xp, w, g, self.current_lr)
        self.t += 1
        return w_new

    def reset(self):
        """Forget the state and set the step counter ``t`` back to 0."""
        self.t = 0
        self._reset_state()

    def _reset_state(self):
        """Clear the optimizer's arrays (plain SGD has none)."""

    def hyperparameters(self):
        """The constructor arguments, by name (for tables and ``repr``)."""
        names = inspect.signature(type(self)).parameters
        return {name: getattr(self, name) for name in names}

    def __repr__(self):
        args = ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v!r}" for k, v in self.hyperparameters().items())
        return f"{type(self).__name__}({args})"


def _state_or_zeros(xp, w, state):
    return xp.zeros_like(w) if state is None else state


class SGD(Optimizer):
    """Gradient descent: ``w <- w - lr g - lr weight_decay w``.

    ``weight_decay`` shrinks the weights by the factor ``1 - lr weight_decay`` each step;
    for SGD this is exactly an L2 penalty ``l2 sum(w**2)`` with ``l2 = weight_decay / 2``.
    """

    def __init__(self, lr, weight_decay=0.0):
        self.weight_decay = require_positive("weight_decay", weight_decay, allow_zero=True)
        super().__init__(lr)

    def _update(self, xp, w, g, lr):
        return sgd_update(w, g, lr, self.weight_decay)


class _WithVelocity(Optimizer):
    """An optimizer whose state is one velocity ``v`` and whose pure rule is ``rule(w, v, g, lr, beta)``."""

    rule = None

    def __init__(self, lr, beta=0.9):
        self.beta = require_range("beta", beta, 0.0, 1.0, high_open=True)
        super().__init__(lr)

    def _reset_state(self):
        self.v = None

    def _update(self, xp, w, g, lr):
        w, self.v = type(self).rule(w, _state_or_zeros(xp, w, self.v), g, lr, self.beta)
        return w


class Momentum(_WithVelocity):
    """Heavy-ball momentum in the mass form: ``v <- beta v - (1 - beta) g``; ``w <- w + lr v``.

    ``v`` is an exponential average of past negative gradients, so in a steady slope the
    step is ``lr g`` as for SGD, while oscillating components cancel. Same rule as
    ``autograd.misc.optimizers.sgd(step_size=lr, mass=beta)`` and Maclaurin et al.'s Alg. 1.
    """

    rule = staticmethod(momentum_update)


class Nesterov(_WithVelocity):
    """Nesterov momentum: ``v <- beta v - (1 - beta) g``; ``w <- w + lr (beta v - (1 - beta) g)``.

    Nesterov takes the gradient at the look-ahead point ``w + lr beta v``. Holding that
    look-ahead point as the weights turns the method into the rule above, which needs only
    the gradient at the current weights (Sutskever et al. 2013): the new velocity is
    applied once more, so the step "looks ahead" along the momentum.
    """

    rule = staticmethod(nesterov_update)


class RMSProp(Optimizer):
    """RMSProp: ``s <- rho s + (1 - rho) g**2``; ``w <- w - lr g / (sqrt(s) + eps)``.

    Each weight's step is divided by a running root-mean-square of its gradients, so all
    weights move at a similar pace. ``eps`` only guards the division (it is not noise).
    ``s`` starts at ``init_sq``: 0 as in Hinton's lecture, PyTorch and Keras (the first
    steps are then about ``lr / sqrt(1 - rho)`` long); ``autograd``'s rmsprop starts at 1.
    """

    def __init__(self, lr, rho=0.9, eps=1e-8, init_sq=0.0):
        self.rho = require_range("rho", rho, 0.0, 1.0, high_open=True)
        self.eps = require_positive("eps", eps)
        self.init_sq = require_positive("init_sq", init_sq, allow_zero=True)
        super().__init__(lr)

    def _reset_state(self):
        self.s = None

    def _update(self, xp, w, g, lr):
        if self.s is None:
            self.s = xp.zeros_like(w) + self.init_sq
        w, self.s = rmsprop_update(w, self.s, g, lr, self.rho, self.eps)
        return w


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015) with an optional L2 penalty added to the gradient.

    ``g <- g + 2 l2 w``; ``m <- b1 m + (1 - b1) g``; ``v <- b2 v + (1 - b2) g**2``;
    ``w <- w - lr m_hat / (sqrt(v_hat) + eps)`` with the bias corrections
    ``m_hat = m / (1 - b1**t)``, ``v_hat = v / (1 - b2**t)``, t = 1 at the first step.
    The L2 term passes through the ``1/sqrt(v_hat)`` scaling, so weights with large
    gradients are barely regularized: compare :class:`AdamW`.
    """

    def __init__(self, lr=1e-3, b1=0.9, b2=0.999, eps=1e-8, l2=0.0):
        self.b1 = require_range("b1", b1, 0.0, 1.0, high_open=True)
        self.b2 = require_range("b2", b2, 0.0, 1.0, high_open=True)
        self.eps = require_positive("eps", eps)
        self.l2 = require_positive("l2", l2, allow_zero=True)
        super().__init__(lr)

    def _reset_state(self):
        self.m = None
        self.v = None

    def _moments(self, xp, w):
        return _state_or_zeros(xp, w, self.m), _state_or_zeros(xp, w, self.v)

    def _update(self, xp, w, g, lr):
        w, self.m, self.v = adam_update(w, *self._moments(xp, w), g, self.t + 1, lr, self.b1, self.b2, self.eps,
                                        self.l2)
        return w


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter 2019).

    ``w <- w - lr (m_hat / (sqrt(v_hat) + eps) + weight_decay w)``, with m, v as in
    :class:`Adam` from the plain gradient: every weight shrinks by the same factor
    ``1 - lr weight_decay``, however large its gradients.
    """

    def __init__(self, lr=1e-3, b1=0.9, b2=0.999, eps=1e-8, weight_decay=1e-2):
        self.weight_decay = require_positive("weight_decay", weight_decay, allow_zero=True)
        super().__init__(lr, b1, b2, eps, l2=0.0)

    def _update(self, xp, w, g, lr):
        w, self.m, self.v = adamw_update(w, *self._moments(xp, w), g, self.t + 1, lr, self.b1, self.b2, self.eps,
                                         self.weight_decay)
        return w


OPTIMIZERS = {
    "sgd": SGD,
    "momentum": Momentum,
    "nesterov": Nesterov,
    "rmsprop": RMSProp,
    "adam": Adam,
    "adamw": AdamW,
}


def make_optimizer(name, **hparams):
    """Build an optimizer by name, e.g. ``make_optimizer("adam", lr=1e-3, b1=0.9)``.

    Names: ``sgd``, ``momentum``, ``nesterov``, ``rmsprop``, ``adam``, ``adamw``.
    """
    cls = OPTIMIZERS[require_choice("name", name, tuple(OPTIMIZERS))]
    allowed = list(inspect.signature(cls).parameters)
    unknown = sorted(set(hparams) - set(allowed))
    if unknown:
        raise TypeError(f"{name} does not take {', '.join(map(repr, unknown))}; its hyperparameters are {', '.join(allowed)}")
    return cls(**hparams)


# ------------------------------------------------------------------- 2-D demonstrations


def minimize(grad_fn, w0, optimizer, n_steps, *, on_diverge="raise", limit=1e6):
    """Run ``optimizer`` from ``w0`` for ``n_steps`` steps; return the path, shape (n_steps + 1, d).

    ``grad_fn(w)`` returns the gradient at ``w`` (e.g. ``autograd.grad(f)``). Meant for
    small loss-surface demos on NumPy. The optimizer is reset first. The run has diverged
    when a weight is NaN/infinite or larger than ``limit`` in absolute value: then
    ``on_diverge="raise"`` raises :class:`~hpo_teach.training.diverged.TrainingDiverged`, and
    ``on_diverge="stop"`` returns the path so far (fewer rows), which a slider demo can draw.
    """
    n_steps = require_int("n_steps", n_steps, low=0)
    on_diverge = require_choice("on_diverge", on_diverge, ("raise", "stop"))
    limit = require_positive("limit", limit)
    w = require_finite_array("w0", np.array(w0, dtype=float), ndim=1)
    optimizer.reset()
    path = [w]
    for step in range(n_steps):
        w_next = optimizer.step(w, np.asarray(grad_fn(w), dtype=float))
        if not (np.all(np.isfinite(w_next)) and np.max(np.abs(w_next)) <= limit):
            if on_diverge == "stop":
                break
            raise TrainingDiverged(f"weights left the box |w| <= {limit:g}", step, optimizer.lr_at(step))
        w = w_next
        path.append(w)
    return np.stack(path)
