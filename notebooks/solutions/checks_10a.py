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


CHAOS_THRESHOLD = 10.0
TRUNCATIONS = (1, 2, 5, 10, 20, 40, 80)


def _truncated_hypergradients(log_alpha=2.75, T=80, truncations=TRUNCATIONS):
    """Section 5's T = 80 problem: d f / d log alpha through the last K steps only, for each K."""
    import autograd
    import autograd.numpy as anp

    from hpo_teach.data.mnist_subset import mnist_small
    from hpo_teach.models.mlp import MLP
    from hpo_teach.problems.mlp_l2 import MLPTrainLoss

    X, y = mnist_small("train")
    X, y = X[:1000], y[:1000]
    mlp = MLP([196, 16, 10])
    train_loss = MLPTrainLoss(mlp, X, y, batch_size=100, seed=0, l2="none")
    no_meta, beta, alpha = np.zeros(0), 0.9, float(np.exp(log_alpha))
    result = {}
    for K in truncations:
        w, v = mlp.init(0), np.zeros(mlp.n_params)
        for t in range(T - K):
            v = beta * v - (1 - beta) * train_loss.grad(w, no_meta, t)
            w = w + alpha * v

        def tail(la, w=w, v=v, K=K):
            for t in range(T - K, T):
                v = beta * v - (1 - beta) * autograd.grad(lambda u, t=t: train_loss(u, no_meta, t))(w)
                w = w + anp.exp(la) * v
            return mlp.loss(w, X, y)

        result[K] = float(autograd.grad(tail)(float(log_alpha)))
    return result


def check_tame_horizon(K):
    """Exercise 1: the largest truncation K (of 1, 2, 5, 10, 20, 40, 80) whose truncated
    |d f / d log alpha| stays below the chaos threshold at log alpha = 2.75, T = 80."""
    try:
        K = int(K)
    except (TypeError, ValueError):
        return verdict(False, "", f"pass one of {TRUNCATIONS} (an integer), got {K!r}")
    if K not in TRUNCATIONS:
        return verdict(False, "", f"pass one of the truncations {TRUNCATIONS}, got {K}")
    g = _truncated_hypergradients()
    tame = [k for k in TRUNCATIONS if abs(g[k]) <= CHAOS_THRESHOLD]
    return verdict(K == max(tame),
                   f"K = {K}: truncating to the last {K} steps keeps |d f / d log alpha| below {CHAOS_THRESHOLD:g}; "
                   "compare that horizon with the onsets of section 5",
                   "not the largest tame K yet: compute the truncated hypergradient at log alpha = 2.75 for every K "
                   "of the list and compare each with the chaos threshold of section 5")


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
            return verdict(False, "", "not the information yet: notebook 09 section 5 says what one multiplication "
                                      "by beta costs; count every weight and every step")
    return verdict(True, "bits = sum over steps and layers of (weights in the layer) x log2(1/beta)", "")


def _toy_hypergrad(kind, calls):
    """Toy (f, g) for exercise 3. 'bowl': f = (x - 1.8)**2 everywhere. 'cliff': the same bowl with its
    bottom at 2.5, plus, above x = 2, a steep drop -exp(30 (x - 2)) / 3 whose gradient explodes without
    changing sign (like a chaotic region that keeps pointing onwards)."""

    def hypergrad(x):
        x = float(x)
        calls.append(x)
        bottom = 1.8 if kind == "bowl" else 2.5
        f, g = (x - bottom) ** 2, 2.0 * (x - bottom)
        if kind == "cliff" and x > 2.0:
            e = np.exp(min(30.0 * (x - 2.0), 600.0))
            f, g = f - (e - 1.0) / 3.0, g - 10.0 * e
        return f, g

    return hypergrad


def check_halving_rule(descend_with_halving):
    """Exercise 3: ``descend_with_halving(hypergrad, x0, meta_step, growth, max_iterations)`` -> the point kept.

    Case 1 ('bowl'): from 0 with meta-step 1.6 the first step jumps over the bottom (1.8) and |g| grows
    2.2-fold with a sign change; section 6's rule stops at 0, the improved rule must reach the bottom.
    Case 2 ('cliff'): from 0 with meta-step 0.3 the path is 0 -> 1.5 -> 2.1, where |g| explodes with no
    sign change; the improved rule must still stop there and keep 1.5.
    """
    calls = []
    x, error = _call(descend_with_halving, _toy_hypergrad("bowl", calls), 0.0, 1.6, 2.0, 40)
    if error:
        return verdict(False, "", error)
    if not abs(float(x) - 1.8) < 0.01:
        return verdict(False, "", "on a bowl whose first meta-step jumps over the bottom, your function does not "
                                  "reach the bottom: look at what the gradient's sign says when |g| grows")
    calls = []
    x, error = _call(descend_with_halving, _toy_hypergrad("cliff", calls), 0.0, 0.3, 2.0, 40)
    if error:
        return verdict(False, "", error)
    if abs(float(x) - 2.1) < 1e-9 or float(x) > 2.0:
        return verdict(False, "", "you kept a point where |g| had exploded: keep the one before it")
    return verdict(abs(float(x) - 1.5) < 1e-9,
                   "reaches the bottom after an overshoot; stops at the last point before a growth without a sign change",
                   "where |g| grows without a sign change the rule should stop, as section 6's does")
