"""Checks shared by the tests, the notebooks and the exercise checkers (after autograd's ``test_util``).

One definition each of "relative error", "central difference", "the reversible hypergradient
matches the unrolled reference", "a slider view responds over its whole range" and the exercise
checkers' printed verdict.
"""

import numpy as np

HYPERGRAD_FIELDS = ("d_w0", "d_meta", "d_alphas", "d_betas", "w_final")


def relative_error(a, b):
    """‖a − b‖ / ‖b‖ (Frobenius norm for arrays, absolute value for numbers)."""
    return float(np.linalg.norm(np.asarray(a) - b) / np.linalg.norm(b))


def central_difference(f, step):
    """(f(step) − f(−step)) / (2 step): the derivative at 0 of ``f``, a function of a signed displacement.

    ``f`` may return a number or an array (e.g. a gradient, for a Hessian-vector product). Its
    error is O(step²) plus rounding of order eps·|f| / step.
    """
    return (f(step) - f(-step)) / (2 * step)


def assert_reversible_matches_unrolled(train_loss, valid_loss, w0, meta, alphas, betas, derivatives=None, tol=1e-8):
    """Run exact reversal and the unrolled reference; require exact recovery of w0 and every field within ``tol``.

    The unrolled reference gets the betas the exact representation applied, so both differentiate
    the same training run. Returns the reversible result for further checks.
    """
    from .hypergrad import reversible, unrolled

    exact = reversible.hypergrad(train_loss, valid_loss, w0, meta, alphas, betas, derivatives=derivatives)
    reference = unrolled.hypergrad(train_loss, valid_loss, w0, meta, alphas, exact.betas_applied)
    assert exact.w0_recovered_exactly, "the reverse pass did not recover w0 bit for bit"
    for field in HYPERGRAD_FIELDS:
        error = relative_error(getattr(exact, field), getattr(reference, field))
        assert error <= tol, f"{field}: relative error {error:.2e} between reversible and unrolled exceeds {tol:g}"
    return exact


def verdict(ok, good, hint):
    """Print an exercise check's verdict, "correct: <good>" or "not yet: <hint>", and return ``ok``."""
    print(("correct: " + good) if ok else ("not yet: " + hint))
    return ok


def assert_view_responds(view, min_moves=1, max_median_ms=1000.0, points=5):
    """Move every slider of a :class:`~hpo_teach.viz.widgets.SliderView` over its range (``exercise(points)``).

    No callback may raise on a value its slider allows, every move redraws, and the median redraw stays
    under ``max_median_ms``: a limit a student would notice, loose enough for a loaded 2-core machine
    (speed itself is measured by the browser test and the benchmarks). Returns the number of moves.
    """
    moves = view.exercise(points)
    assert moves >= min_moves, f"{moves} slider moves, expected at least {min_moves}"
    assert len(view.latencies_ms) >= moves + 1, "every slider move should redraw the figure"
    median = view.median_latency_ms()
    assert median < max_median_ms, f"median slider update {median:.0f} ms, over {max_median_ms:.0f} ms"
    return moves
