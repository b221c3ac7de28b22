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
                   f"{mb:.4g} MB is off; add log2(1/beta) bits per weight for each step, times 10**6 weights, / 8e6")


def check_reverse_step(reverse_step, T=30, alpha=0.1, beta=0.9):
    """Exercise 4: ``reverse_step(w, v, grad, alpha, beta) -> (w_t, v_t)`` must undo
    v <- beta v - (1 - beta) grad(w); w <- w + alpha v on a 2-D quadratic (float64, T steps)."""
    A = np.array([[3.0, 1.0], [1.0, 2.0]])
    offset = np.array([1.0, -2.0])

    def grad(w):
        return A @ w - offset

    w0 = np.array([0.5, 0.25])
    w, v = w0, np.zeros(2)
    for _ in range(T):
        v = beta * v - (1 - beta) * grad(w)
        w = w + alpha * v
    for _ in range(T):
        w, v = reverse_step(w, v, grad, alpha, beta)
    error = float(np.max(np.abs(w - w0)))
    return verdict(error < 1e-10 and float(np.max(np.abs(v))) < 1e-10,
                   f"w0 recovered after {T} steps (error below 1e-10)",
                   f"w0 not recovered after reversing {T} steps: at which w did the forward step evaluate "
                   f"the gradient?")


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
