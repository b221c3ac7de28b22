# Exercise 3 of notebook 10a: the paper's stop rule for meta-gradient descent.
import numpy as np


def descend_until_growth(grad, x0, step, growth=2.0, max_steps=50):
    """Gradient descent x <- x - step * grad(x); return the last point before |grad| grew by > `growth`.

    A growing meta-gradient is the sign that the hyperparameter walked into the chaotic region (or that
    the meta-step overshoots), so we keep the previous point. Without growth, return the final point.
    """
    x, g = x0, grad(x0)
    for _ in range(max_steps):
        x_new = x - step * g
        g_new = grad(x_new)
        if abs(g_new) > growth * abs(g):
            return x
        x, g = x_new, g_new
    return x


try:  # check the answer (works when run from notebooks/ or after %load in the notebook)
    from solutions.checks_10a import check_stop_rule
except ImportError:
    from checks_10a import check_stop_rule
check_stop_rule(descend_until_growth)


# Improvement (section 6): a growing |grad| WITH a sign change means the step jumped over the minimum
# (overshoot), not chaos: halve the step and carry on from the previous point instead of stopping.
def descend_with_overshoot_control(grad, x0, step, growth=2.0, max_steps=50):
    x, g = x0, grad(x0)
    for _ in range(max_steps):
        x_new = x - step * g
        g_new = grad(x_new)
        if abs(g_new) > growth * abs(g):
            if np.sign(g_new) != np.sign(g) and step > 1e-6:
                step /= 2  # overshoot: retry from x with a smaller step
                continue
            return x  # grew without a sign change: the chaotic region
        x, g = x_new, g_new
    return x
