# Exercise 2 of notebook 02: where the L1 optimum of a diagonal quadratic reaches the axes.
# With A = diag(a1, a2), f(w) + λ|w|₁ = Σ_i [a_i (w_i - w*_i)²/2 + λ|w_i|]: one 1-D problem per weight.
# Dividing the i-th by a_i gives the prox objective (w_i - w*_i)²/2 + (λ/a_i)|w_i|, so
# w_i = soft_threshold(w*_i, λ/a_i), which is 0 exactly when λ >= a_i |w*_i|.
import numpy as np

from hpo_teach.training.proximal import ProximalSGD

try:
    from solutions.checks_02 import check_axis_lambdas
except ImportError:  # run as a script: python solutions/02_exercise_2.py
    from checks_02 import check_axis_lambdas

a, w_star = np.array([1.0, 4.0]), np.array([2.0, 0.25])
lam_w2, lam_origin = a[1] * abs(w_star[1]), max(a * np.abs(w_star))
check_axis_lambdas(lam_w2, lam_origin)

# Confirm with proximal gradient descent (lr = 1/L = 1/4) just below and above each threshold.
for lam in (0.99, 1.01, 1.99, 2.01):
    opt, w = ProximalSGD(1.0 / a.max(), l1=lam), np.zeros(2)
    for _ in range(500):
        w = opt.step(w, a * (w - w_star))
    print(f"λ = {lam}: optimum ({w[0]:.4f}, {w[1]:.4f})")
# Note that w2 (the *smaller* coordinate of w*) reaches 0 first only because a2 |w2*| = 1 < a1 |w1*| = 2:
# with a steeper curvature a2, a smaller weight can survive longer.
