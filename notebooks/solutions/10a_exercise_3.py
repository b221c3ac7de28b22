# Exercise 3 of notebook 10a: the paper's stop rule for meta-gradient descent.


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
