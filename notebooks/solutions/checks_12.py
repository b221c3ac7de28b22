"""Check functions for notebook 12's exercises (they never print the reference answer)."""

import numpy as np

from hpo_teach.testing import verdict


def check_exact_hypergradient(answer, problem, log_lambda):
    """Is ``answer`` d L_valid(w*(λ)) / dλ at ``log_lambda``? Compared with a central difference of the exact curve."""
    h = 1e-4
    fd = (problem.valid_curve([log_lambda + h])[0] - problem.valid_curve([log_lambda - h])[0]) / (2 * h)
    ok = bool(np.isfinite(answer)) and abs(answer - fd) <= 1e-5 + 1e-4 * abs(fd)
    if not ok and abs(answer) < 1e-12:
        hint = ("L_valid has no λ in it, so its direct term is 0; the whole hypergradient comes through w*(λ): "
                "chain rule, ∇_w L_valid · dw*/dλ.")
    elif not ok and abs(answer + fd) <= 1e-5 + 1e-4 * abs(fd):
        hint = "right size, wrong sign: dw*/dλ from best_response_slope already carries its minus sign."
    else:
        hint = "take the gradient of L_valid at w*(λ) (not at another w) and dot it with dw*/dλ at the same λ."
    return verdict(ok, f"your hypergradient at log λ = {log_lambda:g} agrees with a finite difference of the "
                       "exact curve (to 1e-4)", hint)


def check_tangent_hypernet(net, phi, problem, log_lambda):
    """Is w_φ the tangent line of the best response at ``log_lambda``: right value and right slope there?"""
    lam = np.array([float(log_lambda)])
    w_star, slope_star = problem.best_response(log_lambda), problem.best_response_slope(log_lambda)
    value_ok = np.linalg.norm(net.weights(phi, lam) - w_star) <= 1e-8 * np.linalg.norm(w_star)
    h = 1e-4
    slope = (net.weights(phi, lam + h) - net.weights(phi, lam - h)) / (2 * h)
    slope_ok = np.linalg.norm(slope - slope_star) <= 1e-6 * np.linalg.norm(slope_star)
    if not value_ok:
        hint = ("your line does not pass through w*(λ) at λ₀, and a tangent touches the curve there (mind that "
                "the hypernet's input is z = (λ − center) / scale, not λ).")
    else:
        hint = ("your line meets w*(λ) at λ₀ but leaves it there in another direction: compare how your w_φ "
                "and w* change with λ at λ₀.")
    return verdict(bool(value_ok and slope_ok), f"w_φ touches w*(λ) at log λ = {log_lambda:g} with the same slope",
                   hint)
