"""The training loop: a progress bar, a history, early stopping, divergence checks.

``train`` is generic: it takes ``grad_fn(w, step) -> (loss, grad)`` and any optimizer with
``step(w, g)`` and ``reset()`` (see :mod:`hpo_teach.training.optim`). ``fit`` wires it to an
:class:`hpo_teach.models.mlp.MLP` and a data set.

The course counts cost in one currency: minibatch gradient evaluations. ``History.steps``
and ``History.n_grad_evals`` are in that unit, so methods can be compared on one budget.

Divergence rule: a run has diverged when a minibatch loss is NaN or infinite, or exceeds
``DIVERGENCE_FACTOR`` (1000) times ``max(|first loss|, 1)``, or a validation loss is not
finite. It then stops with :class:`TrainingDiverged`, which says what to change, instead
of carrying on through a wall of NaN.
"""

import math
import numbers
import time
from dataclasses import dataclass, field

import numpy as np
from tqdm.auto import tqdm

from ..backend import namespace_of, to_numpy
from ..data.batches import MinibatchSchedule
from .._validate import require_finite_array, require_int
from .diverged import DIVERGENCE_FACTOR, TrainingDiverged


@dataclass
class History:
    """What a run did, recorded at each evaluation.

    ``steps[i]`` is the number of gradient evaluations done at evaluation i;
    ``train_loss[i]`` the mean minibatch loss over the steps since the previous evaluation
    (as optimized: with penalty, dropout and noise); ``valid_loss``, ``valid_error``,
    ``train_error`` what ``eval_fn`` returned (empty lists if it did not), other keys in
    ``extra``. ``w`` is the weights to use: ``w_best`` (lowest validation loss, at step
    ``best_step``) when early stopping is on, else ``w_last``.
    """

    steps: list = field(default_factory=list)
    train_loss: list = field(default_factory=list)
    valid_loss: list = field(default_factory=list)
    valid_error: list = field(default_factory=list)
    train_error: list = field(default_factory=list)
    extra: dict = field(default_factory=dict)
    w: object = None
    w_last: object = None
    w_best: object = None
    best_step: int | None = None
    stopped_early: bool = False
    n_grad_evals: int = 0
    seconds: float = 0.0

    @property
    def best_valid_loss(self):
        """The lowest validation loss seen, at ``best_step`` (None without validation)."""
        return None if self.best_step is None else self.valid_loss[self.steps.index(self.best_step)]

    def summary(self):
        """One line for the end of a notebook cell."""
        text = f"{self.n_grad_evals} gradient evaluations in {self.seconds:.1f} s"
        if self.train_loss:
            text += f"; last train loss {self.train_loss[-1]:.3g}"
        if self.best_step is not None:
            i = self.steps.index(self.best_step)
            text += f"; best valid loss {self.valid_loss[i]:.3g}"
            if self.valid_error:
                text += f" (error {100 * self.valid_error[i]:.1f}%)"
            text += f" at step {self.best_step}"
        if self.stopped_early:
            text += "; stopped early"
        return text


def _is_host_scalar(x):
    return isinstance(x, (numbers.Real, np.ndarray, np.generic))


def _to_host(losses):
    """Minibatch losses (host scalars or 0-d device arrays) as one NumPy float array."""
    if _is_host_scalar(losses[0]):
        return np.asarray(losses, dtype=float).reshape(len(losses))
    xp = namespace_of(losses[0])
    return to_numpy(xp.stack([xp.reshape(loss, ()) for loss in losses])).astype(float)


def train(grad_fn, w0, optimizer, n_steps, *, eval_fn=None, eval_every=50, patience=None,
          progress=True, desc="training"):
    """Run ``n_steps`` optimizer steps from ``w0`` and return a :class:`History`.

    ``grad_fn(w, step) -> (loss, grad)`` at minibatch ``step``; ``eval_fn(w) -> dict`` with
    at least "valid_loss" (optionally "valid_error", "train_error", anything else goes to
    ``History.extra``), called every ``eval_every`` steps and after the last one.
    ``patience``: stop after this many evaluations without a lower validation loss, and
    hand back the best weights. The optimizer is reset first, so runs never share state.
    Raises :class:`TrainingDiverged` by the rule in the module docstring.
    """
    n_steps = require_int("n_steps", n_steps, low=1)
    eval_every = require_int("eval_every", eval_every, low=1)
    if patience is not None:
        patience = require_int("patience", patience, low=1)
        if eval_fn is None:
            raise ValueError("patience needs eval_fn: early stopping watches the validation loss")
    require_finite_array("w0", w0, ndim=1)
    optimizer.reset()
    lr_at = getattr(optimizer, "lr_at", lambda step: None)
    history = History()
    w, window, n_checked, first_loss, waited = w0, [], 0, None, 0
    start = time.perf_counter()

    def check(losses, first_step):
        """Raise if a loss in ``losses`` (steps first_step, first_step+1, ...) diverged."""
        nonlocal first_loss
        if not losses:
            return
        if first_loss is None:
            first_loss = losses[0]
        ceiling = DIVERGENCE_FACTOR * max(abs(first_loss), 1.0)
        for i, loss in enumerate(losses):
            step = first_step + i
            if not math.isfinite(loss):
                raise TrainingDiverged(f"loss became {loss}", step, lr_at(step))
            if loss > ceiling:
                raise TrainingDiverged(f"loss grew to {loss:.3g}, over {DIVERGENCE_FACTOR:g} times its first value "
                                       f"{first_loss:.3g},", step, lr_at(step))

    with tqdm(total=n_steps, desc=desc, disable=not progress, leave=False) as bar:
        for step in range(n_steps):
            loss, g = grad_fn(w, step)
            window.append(loss)
            if _is_host_scalar(loss):  # free to check now, before NaN spreads
                check([float(loss)], step)
                n_checked = len(window)
            w = optimizer.step(w, g)
            bar.update(1)
            if (step + 1) % eval_every and step + 1 < n_steps:
                continue
            losses = _to_host(window)
            check(losses[n_checked:].tolist(), step + 1 - len(window) + n_checked)
            history.steps.append(step + 1)
            history.train_loss.append(float(np.mean(losses)))
            window, n_checked = [], 0
            postfix = {"loss": f"{history.train_loss[-1]:.3g}"}
            if eval_fn is not None:
                if _record(history, eval_fn(w), w, step + 1):
                    waited = 0
                elif not math.isfinite(history.valid_loss[-1]):
                    raise TrainingDiverged(f"validation loss became {history.valid_loss[-1]}", step, lr_at(step))
                else:
                    waited += 1
                postfix["valid"] = f"{history.valid_loss[-1]:.3g}"
                if patience is not None and waited >= patience:
                    history.stopped_early = True
                    break
            bar.set_postfix(postfix, refresh=False)
    history.n_grad_evals = step + 1
    history.w_last = w
    history.w = history.w_best if patience is not None else w
    history.seconds = time.perf_counter() - start
    return history


def _record(history, metrics, w, n_done):
    """Append ``eval_fn``'s metrics; return True if the validation loss is a new best."""
    if "valid_loss" not in metrics:
        raise ValueError(f"eval_fn must return a dict with 'valid_loss', got keys {sorted(metrics)}")
    for name, value in metrics.items():
        value = float(to_numpy(value))
        if name in ("valid_loss", "valid_error", "train_error"):
            getattr(history, name).append(value)
        else:
            history.extra.setdefault(name, []).append(value)
    valid_loss = history.valid_loss[-1]
    if math.isfinite(valid_loss) and (history.best_step is None or valid_loss < history.best_valid_loss):
        history.w_best, history.best_step = w, n_done
        return True
    return False


def fit(mlp, w0, X, y, optimizer, *, epochs=None, n_steps=None, batch_size=128, X_valid=None, y_valid=None,
        l2=0.0, dropout=0.0, input_noise=0.0, seed=0, patience=None, eval_every=None, progress=True, desc="fit"):
    """Train ``mlp`` on (X, y) with minibatches for ``epochs`` epochs or ``n_steps`` steps; return a :class:`History`.

    Give exactly one of ``epochs`` and ``n_steps`` (a budget in steps need not be whole epochs,
    as successive halving's rungs are not).
    Uses ``mlp.loss_and_grad`` (the fast path) on each minibatch, with dropout and input
    noise seeded by ``(seed, step)`` so any step can be replayed exactly. With a validation
    set, evaluates ``valid_loss`` (cross-entropy, no penalty, no dropout), ``valid_error``
    and ``train_error`` every ``eval_every`` steps (default: once per epoch); ``patience``
    (in evaluations) turns on early stopping.
    """
    if (epochs is None) == (n_steps is None):
        raise ValueError("give exactly one of epochs and n_steps (the training budget)")
    seed = require_int("seed", seed, low=0)
    batch = MinibatchSchedule(X, y, batch_size, seed)
    steps_per_epoch = batch.steps_per_epoch
    if n_steps is None:
        n_steps = require_int("epochs", epochs, low=1) * steps_per_epoch
    n_steps = require_int("n_steps", n_steps, low=1)
    eval_every = steps_per_epoch if eval_every is None else eval_every
    if (X_valid is None) != (y_valid is None):
        raise ValueError("give both X_valid and y_valid, or neither")
    if patience is not None and X_valid is None:
        raise ValueError("patience needs X_valid and y_valid: early stopping watches the validation loss")
    mlp.check(w0, X, y, l2)  # once: the minibatch steps below run unchecked
    mlp.check_draws(dropout, input_noise, seed)
    if X_valid is not None:
        mlp.check(w0, X_valid, y_valid)

    def grad_fn(w, step):
        Xb, yb = batch(step)
        return mlp.loss_and_grad(w, Xb, yb, l2=l2, dropout=dropout, input_noise=input_noise, seed=(seed, step),
                                 check_input=False)

    eval_fn = None
    if X_valid is not None:
        def eval_fn(w):
            return {"valid_loss": mlp.loss(w, X_valid, y_valid), "valid_error": mlp.error(w, X_valid, y_valid),
                    "train_error": mlp.error(w, X, y)}

    return train(grad_fn, w0, optimizer, n_steps, eval_fn=eval_fn, eval_every=eval_every,
                 patience=patience, progress=progress, desc=desc)


def fit_and_score(mlp, w0, X, y, optimizer, X_valid, y_valid, **fit_kwargs):
    """:func:`fit`, then the final numbers a regularizer comparison reads (notebooks 03 and 03b).

    Returns a dict: ``hist`` (the :class:`History`), ``w`` (its weights) and the loss and error of
    those weights on the whole training and validation sets, ``train_loss``, ``valid_loss``,
    ``train_err``, ``valid_err``. The training loss is computed without dropout or noise, so it is
    comparable with the validation loss (``hist.train_loss`` is a running mean over minibatches).
    """
    hist = fit(mlp, w0, X, y, optimizer, X_valid=X_valid, y_valid=y_valid, **fit_kwargs)
    w = hist.w
    return dict(hist=hist, w=w, train_loss=float(mlp.loss(w, X, y)), valid_loss=float(mlp.loss(w, X_valid, y_valid)),
                train_err=mlp.error(w, X, y), valid_err=mlp.error(w, X_valid, y_valid))
