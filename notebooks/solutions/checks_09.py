"""Check functions for the exercises of notebook 09 (reversible learning).

Each prints "correct: ..." or "not yet: ..." with a hint, and returns True or False.
"""

import math

import numpy as np

from hpo_teach.testing import verdict

EPS = 2.0**-52  # float64 relative rounding unit used in the notebook


def _buggy_roundtrip(x, n, d):
    """The blog's toy: keep the remainder in the value, then try to undo it."""
    y = (x // d) * n + x % d
    return (y // n) * d + y % n


def check_counterexample(x, n=3, d=4):
    """Exercise 1a: an integer x for which the buggy rational multiply does not round-trip."""
    if isinstance(x, bool) or not isinstance(x, (int, np.integer)):
        return verdict(False, "", f"x must be an integer, got {x!r}")
    x = int(x)
    back = _buggy_roundtrip(x, n, d)
    return verdict(back != x,
                   f"x = {x} has remainder x % {d} = {x % d} >= n = {n}: y % {n} cannot hold it, "
                   f"so the round trip gives {back}",
                   f"x = {x} round-trips fine; look at which remainders x % {d} the undo can read back")


def check_rational_mul(rational_mul, trials=2000, seed=0):
    """Exercise 1b: ``rational_mul(x, s, n, d) -> (x', s')`` must be undone by swapping n and d,
    leave the buffer as it was, and stay within n units of x * n / d."""
    rng = np.random.default_rng(seed)
    for n, d in ((3, 4), (1, 2), (58982, 65536), (7, 8), (5, 3)):
        s0 = int(rng.integers(0, 10**6))
        for x in rng.integers(-10**12, 10**12, trials // 5):
            x = int(x)
            y, s1 = rational_mul(x, s0, n, d)
            back, s2 = rational_mul(y, s1, d, n)
            if (back, s2) != (x, s0):
                return verdict(False, "", f"x = {x}, n/d = {n}/{d}: round trip gave x = {back}, buffer {s2} "
                                          f"(expected {x}, {s0}); push x % d before dividing, pop base n after")
            if abs(y - x * n / d) >= n + 1e-6 * abs(x):
                return verdict(False, "", f"x = {x}, n/d = {n}/{d}: result {y} is far from x*n/d = {x * n / d:.1f}")
    return verdict(True, "exact round trips for negative and positive x, several ratios, buffer restored", "")


def check_naive_breakdown(T, beta=0.9, target=1e-3):
    """Exercise 2: T with EPS * beta**-T = target (within 5%)."""
    expected = math.log(target / EPS) / math.log(1 / beta)
    return verdict(abs(T - expected) <= 0.05 * expected,
                   f"beta = {beta}: eps * beta**-T reaches {target:g} at T = {expected:.0f}",
                   f"T = {T:.4g} is off; solve eps * beta**(-T) = {target:g} for T with logarithms")


def check_buffer_megabytes(mb):
    """Exercise 3: information in the buffer, in 10**6 bytes, for 10**6 weights, 1000 steps at
    beta = 0.5 then 9000 at beta = 64881/65536 (within 2%)."""
    bits_per_weight = 1000 * 1.0 + 9000 * math.log2(65536 / 64881)
    expected = bits_per_weight * 1e6 / 8 / 1e6
    float32 = 32 * 10_000 * 1e6 / 8 / 1e6
    return verdict(abs(mb - expected) <= 0.02 * expected,
                   f"{expected:.0f} MB ({bits_per_weight:.0f} bits per weight) vs {float32:.0f} MB for a float32 "
                   f"w per step: {float32 / expected:.0f}x less",
                   f"{mb:.4g} MB is off; section 5 measured what one step adds to the buffer: count it over "
                   f"the whole schedule and all the weights, then convert to 10**6 bytes")


def check_one_step_error(one_step_error, trials=20, seed=0):
    """Exercise 4: ``one_step_error(H, v_next, alpha, beta) -> (error in w_t, error in v_t)``, each "returned
    minus true", for one reverse step in the port's order (gradient before undoing the position step) on a
    quadratic loss with Hessian H, started from the true (w_{t+1}, v_{t+1})."""
    rng = np.random.default_rng(seed)
    for _ in range(trials):
        n = int(rng.integers(2, 6))
        root = rng.normal(size=(n, n))
        H, b = root @ root.T + np.eye(n), rng.normal(size=n)
        alpha, beta = float(rng.uniform(0.05, 0.5)), float(rng.uniform(0.5, 0.99))
        w_t, v_t = rng.normal(size=n), rng.normal(size=n)

        def grad(w):
            return H @ w - b

        v_next = beta * v_t - (1 - beta) * grad(w_t)  # the forward step
        w_next = w_t + alpha * v_next
        g = grad(w_next)  # the port's reverse step
        w_back = w_next - alpha * v_next
        v_back = (v_next + (1 - beta) * g) / beta
        try:
            got = one_step_error(H.copy(), v_next.copy(), alpha, beta)
            got_w, got_v = (np.broadcast_to(np.asarray(e, dtype=float), (n,)) for e in got)
        except Exception as error:  # a learner's function may raise anything: report it
            return verdict(False, "", f"your function raised {type(error).__name__}: {error}")
        scale = 1e-9 * (1 + np.max(np.abs(v_back - v_t)))
        if np.max(np.abs(got_w - (w_back - w_t))) > scale or np.max(np.abs(got_v - (v_back - v_t))) > scale:
            return verdict(False, "", "do one step of the port's order by hand on a quadratic (gradient H w - b): "
                                      "at which w does it evaluate the gradient, and at which w did the forward "
                                      "step evaluate it?")
    return verdict(True, f"both errors right on {trials} random quadratics", "")


def check_memory_budget(memory_bytes):
    """Exercise 5: ``memory_bytes(method, d, T, beta)`` for "trajectory", "checkpoints" and "buffer" (bytes)."""
    for d, T, beta in ((1000, 100, 0.9), (12730, 1000, 0.5), (7, 10, 0.98), (50, 17, 0.75)):
        c = math.ceil(math.sqrt(T))
        expected = {"trajectory": 16 * d * T,
                    "checkpoints": 16 * d * (c + math.ceil(T / c)),
                    "buffer": d * T * math.log2(1 / beta) / 8}
        for method, value in expected.items():
            try:
                got = float(memory_bytes(method, d, T, beta))
            except Exception as error:  # a learner's function may raise anything: report it
                return verdict(False, "", f"your function raised {type(error).__name__}: {error}")
            if not abs(got - value) <= 1e-9 * value:
                return verdict(False, "", f'"{method}" is not priced right yet: count the float64 numbers (8 bytes) '
                                          f"it keeps alive at the worst moment, or the buffer's bits / 8")
    return verdict(True, "trajectory, checkpoints and buffer priced right", "")
