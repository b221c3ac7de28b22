# Exercise 1 of notebook 09: find the bug in a toy exact multiply, and fix it with a buffer.


def rational_mul_buggy(x, n, d):  # x -> about x * n / d, remainder kept "in the value"
    return (x // d) * n + x % d


def rational_div_buggy(x, n, d):  # meant to undo rational_mul_buggy
    return (x // n) * d + x % n


# The undo reads the remainder back as y % n. That only works if the remainder r = x % d is < n:
# for beta = 3/4, r can be 0..3 but y % 3 can only be 0..2, so every x with x % 4 == 3 fails.
# (It also adds up to d - 1 units to the value, far more than the rounding it replaces.)
failures = [x for x in range(20) if rational_div_buggy(rational_mul_buggy(x, 3, 4), 3, 4) != x]
print("buggy round trip fails for x =", failures, "-> remainders", sorted({x % 4 for x in failures}))


def rational_mul(x, s, n, d):
    """x -> about x * n / d, keeping the lost remainder in the buffer s (a stack of digits)."""
    s = s * d + x % d    # push the remainder, a digit in base d
    x = (x // d) * n     # exact division, then multiply
    s, p = divmod(s, n)  # pop a digit in base n ...
    return x + p, s      # ... and add it: the buffer grows by log2(d/n) bits on average


x, s = 3, 0
y, s = rational_mul(x, s, 3, 4)
print(f"fixed: 3 -> {y} (buffer {s}) -> {rational_mul(y, s, 4, 3)}")  # divide = swap n and d

try:  # check the answers (works when run from notebooks/ or after %load in the notebook)
    from solutions.checks_09 import check_counterexample
except ImportError:
    from checks_09 import check_counterexample
check_counterexample(failures[0], 3, 4)
# The blog left out the buffer: step 1 of section 3.2 (push the remainder) and step 4 (pop a base-n digit).
