"""Gradient noise against batch size, on a linear-regression problem where the truth is known."""

from itertools import combinations

import numpy as np
import pytest

from hpo_teach.backend import strict_asarray
from hpo_teach.training.gradnoise import (finite_population_correction, fit_loglog_slope, gradient_variance_trace,
                                          measure_noise, predicted_noise)


def regression(n=60, d=4, seed=0, asarray=np.asarray):
    """Per-example gradients of ½(x·w − y)² at a fixed w, and grad_fn(idx) = their mean over idx."""
    rng = np.random.default_rng(seed)
    X, y, w = rng.normal(size=(n, d)), rng.normal(size=n), rng.normal(size=d)
    per_example = X * (X @ w - y)[:, None]
    stored = asarray(per_example)

    def grad_fn(idx):
        return np.mean(per_example[idx], axis=0) if asarray is np.asarray else _strict_mean(stored, idx)

    return per_example, grad_fn


def _strict_mean(stored, idx):
    import array_api_strict as xp

    rows = xp.take(stored, strict_asarray(np.asarray(idx)), axis=0)
    return xp.mean(rows, axis=0)


def test_trace_equals_direct_per_example_variance():
    per_example, grad_fn = regression()
    direct = np.mean(np.sum((per_example - per_example.mean(axis=0)) ** 2, axis=1))
    assert gradient_variance_trace(grad_fn, 60) == pytest.approx(direct, rel=1e-12)


def test_formula_is_exact_over_all_batches_of_a_small_set():
    """Average ||g_B − g||² over every one of the C(7, B) batches equals the prediction exactly."""
    per_example, grad_fn = regression(n=7, d=3)
    g = per_example.mean(axis=0)
    trace = gradient_variance_trace(grad_fn, 7)
    for b in range(1, 8):
        exact = np.mean([np.sum((grad_fn(np.array(c)) - g) ** 2) for c in combinations(range(7), b)])
        assert predicted_noise(trace, 7, b) == pytest.approx(exact, rel=1e-10, abs=1e-12)
    assert predicted_noise(trace, 7, 7) == 0.0
    assert predicted_noise(trace, 7, 1) == pytest.approx(trace)


def test_measurement_matches_prediction_and_falls_as_one_over_b():
    per_example, grad_fn = regression(n=400, d=5)
    sizes = [2, 4, 8, 16, 32, 64]
    result = measure_noise(grad_fn, 400, sizes, n_draws=300, seed=1)
    predicted = predicted_noise(gradient_variance_trace(grad_fn, 400), 400, result.batch_sizes)
    assert np.all(np.abs(result.mean_sq - predicted) < 4.5 * result.sem)
    assert np.allclose(result.mean_sq, predicted, rtol=0.25)
    slope, _ = fit_loglog_slope(result.batch_sizes, result.corrected())
    assert slope == pytest.approx(-1.0, abs=0.08)
    assert result.full_grad_sq == pytest.approx(np.sum(per_example.mean(axis=0) ** 2))
    assert np.all(np.diff(result.signal_to_noise()) > 0)


def test_measurement_is_reproducible_and_sizes_are_independent():
    _, grad_fn = regression()
    a = measure_noise(grad_fn, 60, [4, 16], n_draws=5, seed=3)
    b = measure_noise(grad_fn, 60, [16], n_draws=5, seed=3)
    c = measure_noise(grad_fn, 60, [16], n_draws=5, seed=4)
    assert a.mean_sq[1] == b.mean_sq[0] != c.mean_sq[0]


def test_runs_on_a_non_numpy_array_library():
    _, grad_np = regression(n=30)
    _, grad_strict = regression(n=30, asarray=strict_asarray)
    a = measure_noise(grad_np, 30, [3, 10], n_draws=4)
    b = measure_noise(grad_strict, 30, [3, 10], n_draws=4)
    assert np.allclose(a.mean_sq, b.mean_sq, rtol=1e-12)
    assert gradient_variance_trace(grad_strict, 30) == pytest.approx(gradient_variance_trace(grad_np, 30))


def test_slope_fit_and_correction():
    b = np.array([8.0, 32.0, 128.0])
    slope, intercept = fit_loglog_slope(b, 3.0 / b)
    assert slope == pytest.approx(-1.0) and intercept == pytest.approx(np.log(3.0))
    assert np.allclose(finite_population_correction(101, [1, 51, 101]), [1.0, 0.5, 0.0])


def test_bad_arguments_are_named():
    _, grad_fn = regression()
    with pytest.raises(ValueError, match=r"batch_sizes\[1\] must be an integer in \[1, 60\]"):
        measure_noise(grad_fn, 60, [4, 61])
    with pytest.raises(ValueError, match="batch_sizes must hold"):
        measure_noise(grad_fn, 60, [])
    with pytest.raises(ValueError, match="n_draws must be an integer"):
        measure_noise(grad_fn, 60, [4], n_draws=1)
    with pytest.raises(ValueError, match="batch_size must be in"):
        predicted_noise(1.0, 60, 0)
    with pytest.raises(ValueError, match="trace must be >= 0"):
        predicted_noise(-1.0, 60, 4)
    with pytest.raises(ValueError, match="must be > 0"):
        fit_loglog_slope([1, 2], [1, 0])
    with pytest.raises(ValueError, match="same length"):
        fit_loglog_slope([1, 2, 3], [1, 2])
