# Exercise 2 of notebook 09: predict when naive float reversal breaks, then test the prediction.
import math

import autograd.numpy as anp
import numpy as np

from hpo_teach.hypergrad import naive

eps = 2.0**-52
for beta in (0.9, 0.99):
    # eps * beta**(-T) = 1e-3  ->  T = log(1e-3 / eps) / log(1 / beta)
    T_break = math.log(1e-3 / eps) / math.log(1 / beta)
    print(f"beta = {beta}: predicted error 1e-3 after T = {T_break:.0f} steps")

# Test for beta = 0.9 on a small logistic regression (5 weights): errors around the prediction.
rng = np.random.default_rng(3)
X = rng.normal(size=(100, 5))
y = np.sign(X @ np.arange(1.0, 6.0) + rng.normal(size=100))


def train_loss(w, meta, t):
    return anp.mean(anp.logaddexp(0.0, -y * (X @ w))) + anp.exp(meta[0]) * anp.sum(w**2)


w0, meta = np.full(5, 0.1), np.array([np.log(1e-3)])
Ts = np.array([100, 200, 300, 400])
errors = np.array([naive.naive_reverse(train_loss, w0, meta, np.full(T, 0.5), np.full(T, 0.9)).error for T in Ts])
for T, error in zip(Ts, errors):
    print(f"T = {T}: naive error {error:.1e} (eps * beta**-T = {eps * 0.9**-float(T):.1e})")
slope, offset = np.polyfit(Ts, np.log10(errors), 1)
print(f"measured growth per step: {10**slope:.3f} (1/beta = {1 / 0.9:.3f})")
print(f"measured error reaches 1e-3 at T = {(-3 - offset) / slope:.0f}")
# The error grows by about 1/beta per step, as predicted. The constant in front depends on the
# problem (here the velocities are small and the errors sit 2-4 orders of magnitude below eps * beta**-T), so the
# measured breakdown comes ~90 steps later than predicted; the *scale* is right: hundreds of steps
# for 0.9, thousands for 0.99, since log(1/beta) ~ 1 - beta makes T grow like 1/(1 - beta).

try:
    from solutions.checks_09 import check_naive_breakdown
except ImportError:
    from checks_09 import check_naive_breakdown
check_naive_breakdown(math.log(1e-3 / eps) / math.log(1 / 0.9), 0.9)
check_naive_breakdown(math.log(1e-3 / eps) / math.log(1 / 0.99), 0.99)
