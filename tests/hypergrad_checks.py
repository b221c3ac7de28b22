"""Shared assertions for the hypergradient tests: one definition of "matches the reference"."""

import numpy as np

from hpo_teach.hypergrad import reversible, unrolled

FIELDS = ("d_w0", "d_meta", "d_alphas", "d_betas", "w_final")


def relative_error(a, b):
    """‖a − b‖ / ‖b‖."""
    return float(np.linalg.norm(np.asarray(a) - b) / np.linalg.norm(b))


def assert_reversible_matches_unrolled(train_loss, valid_loss, w0, meta, alphas, betas, derivatives=None, tol=1e-8):
    """Run both methods; require exact recovery of w0 and every result field within ``tol``.

    The unrolled reference gets the betas the exact representation applied, so both differentiate
    the same training run. Returns the reversible result for further checks.
    """
    exact = reversible.hypergrad(train_loss, valid_loss, w0, meta, alphas, betas, derivatives=derivatives)
    reference = unrolled.hypergrad(train_loss, valid_loss, w0, meta, alphas, exact.betas_applied)
    assert exact.w0_recovered_exactly
    for field in FIELDS:
        assert relative_error(getattr(exact, field), getattr(reference, field)) <= tol, field
    return exact
