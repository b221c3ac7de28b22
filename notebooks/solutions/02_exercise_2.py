# Exercise 2 of notebook 02: which weight the L1 optimum switches off first, for a tilted bowl.
# f(w) = ½ (w - w*)ᵀ A (w - w*), A = [[1, -1], [-1, 3]], w* = (1.5, 1); minimize f(w) + λ(|w1| + |w2|).
#
# Suppose weight j is exactly 0 and the other weight k is nonzero, with sign s. Then
#   stationarity of w_k:   A_kk (w_k - w*_k) - A_kj w*_j + λ s = 0,
#   the kink at w_j = 0:   |∂f/∂w_j| = |A_jk (w_k - w*_k) - A_jj w*_j| <= λ.
# Putting w_k - w*_k = (A_kj w*_j - λ s) / A_kk into the second and solving at equality gives
#   λ_j = det(A) |w*_j| / (A_kk - s sign(w*_j) A_jk)
# (section 1's λ_axis is the case j = 2, s = +1, w*_2 > 0). Here both weights start positive (s = +1):
#   j = 1 (w1 = 0):  λ = 2 · 1.5 / (3 - (-1)) = 0.75
#   j = 2 (w2 = 0):  λ = 2 · 1   / (1 - (-1)) = 1.0
# so w1, the LARGER weight of w*, reaches 0 first, at λ = 0.75: the negative off-diagonal of A means
# that w2 can take over part of w1's work, so w1 is the cheaper one to switch off.
import numpy as np

from hpo_teach.training.proximal import ProximalSGD

try:
    from solutions.checks_02 import check_first_zero
except ImportError:  # run as a script: python solutions/02_exercise_2.py
    from checks_02 import check_first_zero

A, w_star = np.array([[1.0, -1.0], [-1.0, 3.0]]), np.array([1.5, 1.0])
det = np.linalg.det(A)
lam_j = [det * abs(w_star[j]) / (A[1 - j, 1 - j] - np.sign(w_star[1 - j]) * np.sign(w_star[j]) * A[j, 1 - j])
         for j in (0, 1)]
i = int(np.argmin(lam_j))
lam = lam_j[i]
print(f"λ for w1 = 0: {lam_j[0]:.4g}, for w2 = 0: {lam_j[1]:.4g} -> first zero in w{i + 1} at λ = {lam:.4g}")
check_first_zero(lam, i)

# Confirm with proximal gradient descent (lr = 1/L, L the largest eigenvalue of A) just below and above λ.
L = np.linalg.eigvalsh(A).max()
for lam_try in (0.98 * lam, 1.02 * lam, 1.2):
    opt, w = ProximalSGD(1.0 / L, l1=lam_try), np.zeros(2)
    for _ in range(5000):
        w = opt.step(w, A @ (w - w_star))
    print(f"λ = {lam_try:.3f}: optimum ({w[0]:.4f}, {w[1]:.4f})")
# Just below 0.75 both weights are nonzero; just above, w1 is exactly 0.0 and w2 is not; and at λ = 1.2,
# past the λ = 1.0 that section 1's formula gives for w2, w1 is still the zero one and w2 is still positive.
