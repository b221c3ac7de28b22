# Exercise 1 of notebook 04: steps needed at the best constant rate, against the condition number kappa.
import math

import matplotlib.pyplot as plt
import numpy as np

from hpo_teach.training.surfaces import quadratic


def steps_needed(kappa, target=1e-6):
    """GD steps at lr = 2/(lambda_min + lambda_max) on quadratic((1, kappa)) until f <= target * f(start)."""
    bowl = quadratic((1.0, float(kappa)), rotation=1.0)
    H, w = bowl.hessian, np.array(bowl.start, dtype=float)
    lr, f0 = 2.0 / (1.0 + kappa), bowl(np.array(bowl.start, dtype=float))
    step = 0
    while bowl(w) > target * f0:
        w = w - lr * (H @ w)
        step += 1
    return step


kappas = [10, 30, 100, 300, 1000]
measured = [steps_needed(k) for k in kappas]
# The loss is a sum of lambda_i u_i^2, so it shrinks at worst by factor**2 per step, factor = (kappa-1)/(kappa+1):
predicted = [math.ceil(math.log(1e-6) / (2 * math.log((k - 1) / (k + 1)))) for k in kappas]
for k, m, p in zip(kappas, measured, predicted):
    print(f"kappa {k:5d}: {m:5d} steps measured, {p:5d} predicted from the worst factor")
# log((k-1)/(k+1)) ~ -2/k for large k, so the prediction is ~ ln(1e6)/4 * kappa ~ 3.5 kappa: linear in kappa.
fig, ax = plt.subplots(figsize=(5, 3.2))
ax.loglog(kappas, measured, "o-", label="measured")
ax.loglog(kappas, predicted, "--", label="from (kappa-1)/(kappa+1)")
ax.set(xlabel="condition number kappa", ylabel="steps to shrink the loss 1e6x", title="GD at its best constant rate")
ax.legend()
plt.show()

try:  # check the answer (works when run from notebooks/ or after %load in the notebook)
    from solutions.checks_04 import check_steps_needed
except ImportError:
    from checks_04 import check_steps_needed
check_steps_needed(steps_needed)
