"""Check functions for the exercises of notebook 10a (reversible-learning experiments).

Each prints "correct: ..." or "not yet: ..." with a hint, and returns True or False.
"""

import numpy as np

from hpo_teach.testing import verdict


def _call(fn, *args):
    """fn(*args) as a float array, or the exception it raised."""
    try:
        return np.asarray(fn(*args), dtype=float), None
    except Exception as error:  # a learner's function may raise anything: report it
        return None, f"your function raised {type(error).__name__}: {error}"


def _reference_truncated(grad, hyper_loss, w0, log_alpha, beta, T, K):
    import autograd
    import autograd.numpy as anp

    alpha = float(np.exp(log_alpha))
    w, v = np.array(w0, dtype=float), np.zeros(len(w0))
    for t in range(T - K):
        v = beta * v - (1 - beta) * grad(w, t)
        w = w + alpha * v

    def tail(la):
        ww, vv = w, v
        for t in range(T - K, T):
            vv = beta * vv - (1 - beta) * grad(ww, t)
            ww = ww + anp.exp(la) * vv
        return hyper_loss(ww)

    return float(autograd.grad(tail)(float(log_alpha)))


def check_truncated(truncated_dlogalpha):
    """Exercise 1: ``truncated_dlogalpha(grad, hyper_loss, w0, log_alpha, beta, T, K)`` -> d f / d log alpha
    through the last K steps only, on a 4-D quadratic with a step-dependent linear term."""
    import autograd.numpy as anp

    A = np.diag([3.0, 1.0, 0.3, 0.05])
    b = np.array([1.0, -2.0, 0.5, 1.5])

    def grad(w, t):
        return anp.dot(A, w) - b * (1 + 0.1 * np.sin(t))

    def hyper_loss(w):
        return 0.5 * anp.dot(w, anp.dot(A, w)) - anp.dot(b, w)

    w0, log_alpha, beta, T = np.array([0.5, -0.5, 1.0, 0.0]), np.log(0.3), 0.9, 30
    for K in (T, 1, 7):
        expected = _reference_truncated(grad, hyper_loss, w0, log_alpha, beta, T, K)
        try:
            got = float(truncated_dlogalpha(grad, hyper_loss, w0, log_alpha, beta, T, K))
        except Exception as error:  # a learner's function may raise anything: report it
            return verdict(False, "", f"your function raised {type(error).__name__}: {error}")
        if not abs(got - expected) <= 1e-6 * abs(expected) + 1e-12:
            which = "the full hypergradient (K = T)" if K == T else f"the truncation K = {K}"
            return verdict(False, "", f"{which} is not right yet: run the first T - K steps without tracing, then "
                                      f"differentiate the last K steps (and the hyper-loss) with respect to log alpha")
    return verdict(True, "K = T gives the full hypergradient and shorter K cut the dependence through w_(T-K)", "")


def check_buffer_bits(buffer_bits, seed=0):
    """Exercise 2: ``buffer_bits(betas, params_per_layer)`` -> information bits for momenta betas (T, L)."""
    rng = np.random.default_rng(seed)
    for T, sizes in ((5, [3]), (40, [100, 7, 12]), (13, [1, 1000])):
        betas = rng.uniform(0.3, 0.99, (T, len(sizes)))
        expected = float(np.sum(np.log2(1 / betas) * np.array(sizes)))
        try:
            got = float(buffer_bits(betas, sizes))
        except Exception as error:  # a learner's function may raise anything: report it
            return verdict(False, "", f"your function raised {type(error).__name__}: {error}")
        if not abs(got - expected) <= 1e-9 * expected:
            return verdict(False, "", "not the information yet: each multiplication of one weight by beta costs "
                                      "log2(1/beta) bits, and layer k has params_per_layer[k] weights")
    return verdict(True, "bits = sum over steps and layers of (weights in the layer) x log2(1/beta)", "")


def _toy_gradient(bottom, calls):
    """Gradient of (x - bottom)**2 plus, above x = 2, a 'chaotic' term of size 10 * exp(30 (x - 2))."""

    def grad(x):
        calls.append(float(x))
        smooth = 2.0 * (x - bottom)
        if x <= 2.0:
            return smooth
        return smooth + np.sign(np.sin(5000.0 * x) + 0.5) * 10.0 * np.exp(min(30.0 * (x - 2.0), 600.0))

    return grad


def check_stop_rule(descend_until_growth):
    """Exercise 3: ``descend_until_growth(grad, x0, step, growth, max_steps)`` -> the last point before
    |grad| first grew by more than ``growth`` from one step to the next (or the final point).

    Case 1: a bowl with its bottom at 1.8, in the smooth part: descent must converge near 1.8.
    Case 2: the bowl's bottom at 2.5 lies in the chaotic part: from 0 with step 0.3 the path is
    0 -> 1.5 -> 2.1, where |grad| explodes; the rule must return 1.5.
    """
    calls = []
    x, error = _call(descend_until_growth, _toy_gradient(1.8, calls), 0.0, 0.3, 2.0, 40)
    if error:
        return verdict(False, "", error)
    if not abs(float(x) - 1.8) < 0.01:
        return verdict(False, "", "on a smooth bowl your function does not reach the bottom: the rule "
                                  "should not fire while |grad| shrinks (compare each |grad| with the previous one)")
    calls = []
    x, error = _call(descend_until_growth, _toy_gradient(2.5, calls), 0.0, 0.3, 2.0, 40)
    if error:
        return verdict(False, "", error)
    x = float(x)
    if abs(x - 2.1) < 1e-9:
        return verdict(False, "", "you returned the point whose gradient exploded: keep the one before it")
    if any(c > 2.2 for c in calls):
        return verdict(False, "", "you kept descending into the chaotic region: stop as soon as |grad| grows")
    return verdict(abs(x - 1.5) < 1e-9,
                   "converges on a smooth bowl; stops at the last point before the meta-gradient exploded",
                   "on the bowl whose bottom lies in the chaotic part, return the last point before |grad| grew")
