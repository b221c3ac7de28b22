# Exercise 4 of notebook 09: the order of the reverse step matters.


def reverse_step_wrong(w, v, grad, alpha, beta):
    """Gradient taken at w_{t+1}, before undoing the position step (as a public port does)."""
    g = grad(w)  # wrong point: the forward step used grad(w_t), and w is still w_{t+1} here
    w = w - alpha * v
    return w, (v + (1 - beta) * g) / beta


def reverse_step(w, v, grad, alpha, beta):
    """Undo w <- w + alpha v first (giving w_t), then the velocity step with grad(w_t)."""
    w = w - alpha * v
    return w, (v + (1 - beta) * grad(w)) / beta


try:
    from solutions.checks_09 import check_reverse_step
except ImportError:
    from checks_09 import check_reverse_step
print("wrong order:")
check_reverse_step(reverse_step_wrong)
print("right order:")
check_reverse_step(reverse_step)
# The wrong order is also what would make a hypergradient code "work" in a test that only
# compares it with itself: always check against the unrolled reference and finite differences.
