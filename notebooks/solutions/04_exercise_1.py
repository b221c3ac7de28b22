# Exercise 1 of notebook 04: the best constant learning rate on a quadratic, and how many steps it needs.
import math

import numpy as np

from hpo_teach.training.optim import SGD, minimize
from hpo_teach.training.surfaces import quadratic

bowl = quadratic((1.0, 100.0), rotation=1.0)
lam = np.linalg.eigvalsh(bowl.hessian)
# The worst factor max(|1 - lr*lam_min|, |1 - lr*lam_max|) is smallest where the two are equal:
# 1 - lr*lam_min = lr*lam_max - 1  ->  lr = 2 / (lam_min + lam_max).
lr_best = 2 / (lam[0] + lam[-1])
factor = (lam[-1] - lam[0]) / (lam[-1] + lam[0])  # = (kappa - 1)/(kappa + 1), kappa = condition number
# The loss is a sum of lambda_i u_i^2, so it shrinks at worst by factor**2 per step.
steps = math.ceil(math.log(1e-6) / (2 * math.log(factor)))
print(f"best lr = {lr_best:.4g} (2/L = {2 / lam[-1]:.4g}); worst factor {factor:.4f}; predicted steps {steps}")

H = bowl.hessian
path = minimize(lambda w: H @ w, np.array(bowl.start), SGD(lr_best), steps)
loss = 0.5 * np.einsum("ni,ij,nj->n", path, H, path)
print(f"measured: loss after {steps} steps = {loss[-1] / loss[0]:.2e} x initial (target 1e-6)")
# An ill-conditioned problem (kappa = 100) needs ~350 steps even at the best rate: the reason for momentum.

try:  # check the answer (works when run from notebooks/ or after %load in the notebook)
    from solutions.checks_04 import check_best_lr
except ImportError:
    from checks_04 import check_best_lr
check_best_lr(lr_best)
