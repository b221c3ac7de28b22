# Exercise 3 of notebook 10a: section 6's stop rule, improved -- halve the meta-step on an overshoot.
# Run it in the notebook after section 6: the last part uses `constant_rate_hypergrad` and `small_kept`.
import numpy as np


def descend_with_halving(hypergrad, x0, meta_step, growth=2.0, max_iterations=40):
    """Section 6's meta_descent, with `hypergrad(x) -> (f, g)`; returns the point it keeps.

    When |g| grows by more than `growth` AND its sign flipped, the step jumped over a minimum: halve the
    meta-step and retry from the current point. Growth without a sign change (or a diverged run) still stops.
    """
    x, (_, g) = x0, hypergrad(x0)
    for _ in range(max_iterations):
        x_new = x - meta_step * g
        _, g_new = hypergrad(x_new)
        if np.isnan(g_new):
            return x  # training diverged
        if abs(g_new) > growth * abs(g):
            if np.sign(g_new) != np.sign(g):
                meta_step /= 2  # overshoot: retry from x with a smaller step
                continue
            return x  # grew without a sign change: stop, as section 6 does
        x, g = x_new, g_new
    return x


try:  # check the answer (works when run from notebooks/ or after %load in the notebook)
    from solutions.checks_10a import check_halving_rule
except ImportError:
    from checks_10a import check_halving_rule
check_halving_rule(descend_with_halving)

# Section 6's T = 80 problem from log alpha = 0.5, meta-step 5, as meta_descent did.
visited = []


def hypergrad_80(log_alpha):
    f, g, exact = constant_rate_hypergrad(log_alpha, 80)
    visited.append((log_alpha, f, g))
    return f, g


kept = descend_with_halving(hypergrad_80, 0.5, 5.0, max_iterations=12)
f_kept = next(f for la, f, g in visited if la == kept)
print(f"kept log alpha = {kept:.3f}, f = {f_kept:.4f} ({len(visited)} hypergradients); "
      f"meta_descent kept {small_kept[0]:.3f}, f = {small_kept[1]:.4f}")
print("visited: " + " -> ".join(f"{la:.3g} (g {g:+.2g})" for la, f, g in visited))
# In our run the first overshoot (1.53 -> 1.71, printed above) halves the meta-step to 2.5, and from then on each step
# jumps across the bottom (g flips sign between about -0.08 and +0.09) without |g| doubling, so the rule neither stops
# nor halves again: it rocks between log alpha of about 1.57 and 1.8 until max_iterations and keeps 1.74 (f 0.085),
# no better than meta_descent's 1.53 (f 0.082). Telling an overshoot from chaos is not enough to converge; a meta-step
# that keeps shrinking while g keeps flipping (or a line search on f) is what settles at the bottom.
