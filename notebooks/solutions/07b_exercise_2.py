# Exercise 2 of notebook 07b: PI is greedy, EI weighs the size of the gain.
from scipy.stats import norm

best = 0.130
for name, mean, std in (("A", 0.128, 0.001), ("B", 0.140, 0.030)):
    z = (best - mean) / std
    pi = norm.cdf(z)
    ei = (best - mean) * norm.cdf(z) + std * norm.pdf(z)
    print(f"{name}: z = {z:+.2f}, PI = {pi:.3f}, EI = {ei:.5f}")
# A improves almost surely (z = +2) but by at most a few thousandths; B is worse on average but uncertain
# enough that its expected gain is larger: PI picks A, EI picks B.

try:
    from solutions.checks_07b import check_preferences
except ImportError:
    from checks_07b import check_preferences
check_preferences("A", "B")
