# Exercise 1 of notebook 07b: expected improvement by hand.
import math

mean, std, best = 0.120, 0.020, 0.130
z = (best - mean) / std                                   # 0.5
Phi = 0.5 * (1 + math.erf(z / math.sqrt(2)))              # table: 0.6915
phi = math.exp(-z * z / 2) / math.sqrt(2 * math.pi)       # table: 0.3521
ei = (best - mean) * Phi + std * phi                      # exploitation + exploration
print(f"z = {z}, Phi = {Phi:.4f}, phi = {phi:.4f}, EI = {ei:.5f}")

try:  # works when run from notebooks/ or after %load in the notebook
    from solutions.checks_07b import check_ei
except ImportError:
    from checks_07b import check_ei
check_ei(ei)
