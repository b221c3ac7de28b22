"""The training loop: convergence, early stopping, divergence messages, minibatches, fit on MNIST."""

import math

import array_api_strict
import numpy as np
import pytest

from hpo_teach import data
from hpo_teach.models import mlp as nn
from hpo_teach.training import optim
from hpo_teach.backend import strict_asarray, to_numpy
from hpo_teach.data.batches import minibatches
from hpo_teach.training.diverged import TrainingDiverged
from hpo_teach.training.loop import History, fit, fit_and_score, train

A = np.diag([10.0, 1.0, 0.1])  # L = 10


def quadratic_grad_fn(center=np.zeros(3)):
    def grad_fn(w, step):
        d = w - center
        return 0.5 * d @ (A @ d), A @ d
    return grad_fn


def test_train_converges_on_a_quadratic_and_records_history():
    history = train(quadratic_grad_fn(), np.ones(3), optim.SGD(0.1), 200, eval_every=50, progress=False)
    assert history.steps == [50, 100, 150, 200]
    assert history.n_grad_evals == 200 and not history.stopped_early
    assert np.all(np.diff(history.train_loss) < 0)
    # each direction contracts by (1 - lr * curvature) per step: 0, 0.9 and 0.99
    np.testing.assert_allclose(history.w, [0.0, 0.9**200, 0.99**200], rtol=1e-10)
    assert history.w is history.w_last and history.valid_loss == [] and history.best_step is None
    assert history.seconds > 0


def test_train_resets_the_optimizer_so_runs_repeat():
    opt = optim.Adam(0.05)
    first = train(quadratic_grad_fn(), np.ones(3), opt, 30, progress=False)
    second = train(quadratic_grad_fn(), np.ones(3), opt, 30, progress=False)
    np.testing.assert_array_equal(first.w, second.w)


def early_stopping_run(patience):
    """Train towards (2, 0, 0) from 0; the validation loss (w_0 - 1)^2 is lowest half-way."""
    grad_fn = quadratic_grad_fn(center=np.array([2.0, 0.0, 0.0]))
    return train(grad_fn, np.zeros(3), optim.SGD(0.002), 500, eval_fn=lambda w: {"valid_loss": (w[0] - 1.0) ** 2,
                 "valid_error": abs(w[0] - 1.0), "distance": float(np.abs(w[0] - 2.0))},
                 eval_every=5, patience=patience, progress=False)


def test_early_stopping_stops_and_restores_the_best_weights():
    history = early_stopping_run(patience=3)
    assert history.stopped_early and history.n_grad_evals < 500
    best = int(np.argmin(history.valid_loss))
    assert history.best_step == history.steps[best] and history.best_valid_loss == history.valid_loss[best]
    # the three evaluations after the best were all worse, and training stopped there
    assert history.steps[-1] == history.best_step + 3 * 5 and best == len(history.steps) - 4
    assert history.w is history.w_best and abs(history.w_best[0] - 1.0) < 0.05
    assert history.w_last[0] > history.w_best[0]
    assert len(history.valid_error) == len(history.extra["distance"]) == len(history.steps)
    assert "stopped early" in history.summary() and f"at step {history.best_step}" in history.summary()


def test_without_patience_the_run_goes_on_and_keeps_the_last_weights():
    history = early_stopping_run(patience=None)
    assert not history.stopped_early and history.n_grad_evals == 500
    assert history.w is history.w_last and history.w_best is not history.w_last


def test_diverging_run_names_the_step_and_the_learning_rate():
    # lr 0.25 > 2/L = 0.2: w_t = (-1.5)^t w_0 on the stiff axis, loss grows by 2.25 per step
    # from loss_0 = 5; the rule (loss > 1000 * max(loss_0, 1)) fires at 2.25^t > 1000.
    w0 = np.array([1.0, 0.0, 0.0])
    with pytest.raises(TrainingDiverged) as info:
        train(quadratic_grad_fn(), w0, optim.SGD(0.25), 100, progress=False)
    expected_step = math.ceil(math.log(1000) / math.log(2.25))
    assert info.value.step == expected_step
    assert f"at step {expected_step}; lower the learning rate (now 0.25)" in str(info.value)
    assert isinstance(info.value, FloatingPointError)


def test_nan_loss_is_caught_at_its_step():
    def grad_fn(w, step):
        return (float("nan") if step == 37 else 1.0), np.zeros(2)
    with pytest.raises(TrainingDiverged, match=r"^loss became nan at step 37; lower the learning rate \(now 3\.0\)$"):
        train(grad_fn, np.zeros(2), optim.SGD(3.0), 100, progress=False)


def test_device_losses_are_checked_per_window_but_name_the_exact_step():
    """0-d device arrays are moved to the host once per evaluation window, not every step."""
    def grad_fn(w, step):
        loss = strict_asarray(float("inf") if step == 7 else 1.0)
        return loss, w * 0.0
    with pytest.raises(TrainingDiverged, match=r"loss became inf at step 7;"):
        train(grad_fn, strict_asarray(np.ones(3)), optim.Momentum(0.1), 20, eval_every=5, progress=False)


def test_train_runs_on_a_non_numpy_device():
    w0 = strict_asarray(np.ones(3))
    Ad = strict_asarray(A)

    def grad_fn(w, step):
        g = Ad @ w
        return 0.5 * array_api_strict.sum(w * g), g

    history = train(grad_fn, w0, optim.Nesterov(0.1), 100, eval_every=25, progress=False)
    reference = train(quadratic_grad_fn(), np.ones(3), optim.Nesterov(0.1), 100, eval_every=25, progress=False)
    np.testing.assert_allclose(to_numpy(history.w), reference.w, rtol=1e-12)
    np.testing.assert_allclose(history.train_loss, reference.train_loss, rtol=1e-12)


def test_nan_validation_loss_is_divergence():
    with pytest.raises(TrainingDiverged, match=r"validation loss became nan at step 9"):
        train(quadratic_grad_fn(), np.ones(3), optim.SGD(0.01), 50, eval_fn=lambda w: {"valid_loss": float("nan")},
              eval_every=10, progress=False)


def test_bad_arguments():
    with pytest.raises(ValueError, match="patience needs eval_fn"):
        train(quadratic_grad_fn(), np.ones(3), optim.SGD(0.1), 10, patience=2, progress=False)
    with pytest.raises(ValueError, match=r"eval_every must be an integer in \[1, inf\], got 0"):
        train(quadratic_grad_fn(), np.ones(3), optim.SGD(0.1), 10, eval_every=0, progress=False)
    with pytest.raises(ValueError, match="w0 must contain only finite values"):
        train(quadratic_grad_fn(), np.array([1.0, np.nan, 0.0]), optim.SGD(0.1), 10, progress=False)
    with pytest.raises(ValueError, match="eval_fn must return a dict with 'valid_loss'"):
        train(quadratic_grad_fn(), np.ones(3), optim.SGD(0.1), 10, eval_fn=lambda w: {"loss": 1.0}, progress=False)


def test_progress_bar_runs_in_a_terminal(capsys):
    train(quadratic_grad_fn(), np.ones(3), optim.SGD(0.1), 20, eval_every=5, progress=True, desc="quadratic")
    assert "quadratic" in capsys.readouterr().err


def test_minibatches_are_deterministic_and_cover_every_index():
    batches = minibatches(10, 4, seed=3, epoch=0)
    assert [len(b) for b in batches] == [4, 4, 2]
    np.testing.assert_array_equal(np.sort(np.concatenate(batches)), np.arange(10))
    again = minibatches(10, 4, seed=3, epoch=0)
    assert all(np.array_equal(a, b) for a, b in zip(batches, again))
    assert not np.array_equal(np.concatenate(batches), np.concatenate(minibatches(10, 4, seed=3, epoch=1)))
    assert not np.array_equal(np.concatenate(batches), np.concatenate(minibatches(10, 4, seed=4, epoch=0)))
    with pytest.raises(ValueError, match=r"batch_size must be an integer in \[1, inf\], got 0"):
        minibatches(10, 0, seed=0, epoch=0)


# ---------------------------------------------------------------------------------------- fit

@pytest.fixture(scope="module")
def mnist_subset():
    X, y = data.mnist("train")
    Xv, yv = data.mnist("valid")
    return X[:600], y[:600], Xv[:300], yv[:300]


def test_fit_lowers_the_loss_on_mnist(mnist_subset):
    X, y, Xv, yv = mnist_subset
    mlp = nn.MLP([784, 32, 10])
    w0 = mlp.init(0)
    history = fit(mlp, w0, X, y, optim.Momentum(0.5, 0.9), epochs=4, batch_size=64, X_valid=Xv, y_valid=yv,
                  progress=False)
    assert history.steps == [10, 20, 30, 40] and history.n_grad_evals == 40
    assert history.valid_loss[-1] < 0.6 * mlp.loss(w0, Xv, yv)
    assert history.valid_error[-1] < 0.25 and history.train_error[-1] < history.valid_error[-1] + 0.05
    assert history.train_loss[-1] < history.train_loss[0]


def test_fit_is_reproducible_with_dropout_and_noise(mnist_subset):
    X, y, Xv, yv = mnist_subset
    mlp = nn.MLP([784, 16, 10])
    runs = [fit(mlp, mlp.init(1), X, y, optim.Adam(1e-2), epochs=2, batch_size=100, X_valid=Xv, y_valid=yv,
                l2=1e-4, dropout=0.2, input_noise=0.1, seed=seed, patience=5, eval_every=3, progress=False)
            for seed in (0, 0, 1)]
    np.testing.assert_array_equal(runs[0].w, runs[1].w)
    assert not np.array_equal(runs[0].w, runs[2].w)
    assert runs[0].steps == [3, 6, 9, 12]


def test_fit_checks_its_arguments(mnist_subset):
    X, y, Xv, yv = mnist_subset
    mlp = nn.MLP([784, 8, 10])
    with pytest.raises(ValueError, match="give both X_valid and y_valid"):
        fit(mlp, mlp.init(0), X, y, optim.SGD(0.1), epochs=1, X_valid=Xv, progress=False)
    with pytest.raises(ValueError, match=r"y must have shape \(600,\)"):
        fit(mlp, mlp.init(0), X, y[:10], optim.SGD(0.1), epochs=1, progress=False)
    with pytest.raises(ValueError, match=r"batch_size must be an integer in \[1, 600\], got 1000"):
        fit(mlp, mlp.init(0), X, y, optim.SGD(0.1), epochs=1, batch_size=1000, progress=False)
    with pytest.raises(ValueError, match="patience needs X_valid and y_valid"):
        fit(mlp, mlp.init(0), X, y, optim.SGD(0.1), epochs=1, patience=2, progress=False)


def test_history_summary_without_validation():
    assert History(n_grad_evals=3, seconds=0.25, train_loss=[1.5]).summary() == \
        "3 gradient evaluations in 0.2 s; last train loss 1.5"


def test_fit_takes_a_budget_in_steps_or_epochs_but_not_both():
    MLP, SGD = nn.MLP, optim.SGD
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(40, 3)), rng.integers(0, 2, 40)
    mlp = MLP([3, 4, 2])
    by_steps = fit(mlp, mlp.init(0), X, y, SGD(0.1), n_steps=7, batch_size=10, progress=False)
    by_epochs = fit(mlp, mlp.init(0), X, y, SGD(0.1), epochs=2, batch_size=10, progress=False)
    assert by_steps.n_grad_evals == 7 and by_epochs.n_grad_evals == 8
    prefix = fit(mlp, mlp.init(0), X, y, SGD(0.1), n_steps=8, batch_size=10, progress=False)
    assert np.array_equal(prefix.w, by_epochs.w), "8 steps = 2 epochs of 4 batches, same batches"
    with pytest.raises(ValueError, match="exactly one of epochs and n_steps"):
        fit(mlp, mlp.init(0), X, y, SGD(0.1), epochs=1, n_steps=3, progress=False)
    with pytest.raises(ValueError, match="exactly one of epochs and n_steps"):
        fit(mlp, mlp.init(0), X, y, SGD(0.1), progress=False)


def test_fit_checks_its_data_once_and_not_per_minibatch(monkeypatch):
    """Validation at the boundary: fit checks X and y once; the minibatch steps run bare."""
    from hpo_teach.models.mlp import MLP
    from hpo_teach.training.optim import SGD

    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(40, 3)), rng.integers(0, 2, 40)
    mlp, calls = MLP([3, 4, 2]), []
    original = MLP.check
    monkeypatch.setattr(MLP, "check", lambda self, *a, **k: (calls.append(1), original(self, *a, **k))[1])
    fit(mlp, mlp.init(0), X, y, SGD(0.1), n_steps=20, batch_size=10, progress=False)
    assert len(calls) == 1
    with pytest.raises(ValueError, match="X must contain only finite values"):
        fit(mlp, mlp.init(0), np.full_like(X, np.nan), y, SGD(0.1), n_steps=20, batch_size=10, progress=False)


def test_fit_and_score_returns_the_final_numbers_of_the_final_weights():
    rng = np.random.default_rng(0)
    X, y, Xv, yv = rng.normal(size=(60, 5)), rng.integers(0, 3, 60), rng.normal(size=(30, 5)), rng.integers(0, 3, 30)
    mlp = nn.MLP([5, 8, 3])
    kwargs = dict(epochs=3, batch_size=20, dropout=0.3, seed=1, progress=False)
    run = fit_and_score(mlp, mlp.init(0), X, y, optim.Adam(0.01), Xv, yv, **kwargs)
    hist = fit(mlp, mlp.init(0), X, y, optim.Adam(0.01), X_valid=Xv, y_valid=yv, **kwargs)
    assert np.array_equal(run["w"], hist.w) and run["hist"].valid_loss == hist.valid_loss
    assert run["train_loss"] == float(mlp.loss(hist.w, X, y))  # no dropout: not the running mean
    assert run["valid_loss"] == float(mlp.loss(hist.w, Xv, yv)) == hist.valid_loss[-1]
    assert (run["train_err"], run["valid_err"]) == (mlp.error(hist.w, X, y), mlp.error(hist.w, Xv, yv))
